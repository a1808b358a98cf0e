using System.Reflection;
using System.Runtime.CompilerServices;

[assembly: AssemblyTitle("Libquant")]
[assembly: AssemblyDescription("C# binding of libquant: run and quantize quantized language models")]
[assembly: AssemblyProduct("libquant")]
[assembly: AssemblyVersion("0.2.0.0")]
[assembly: AssemblyFileVersion("0.2.0.0")]
[assembly: AssemblyInformationalVersion("0.2.0")]
[assembly: InternalsVisibleTo("Libquant.Tests")]
