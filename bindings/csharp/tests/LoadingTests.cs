using System;
using System.Diagnostics;
using System.IO;
using System.Linq;

namespace Libquant.Tests
{
    /// <summary>Finding the library, versions, loading models and their errors.</summary>
    public static class LoadingTests
    {
        private const string MissingFromEnvironment = "/nonexistent/environment/libquant.so.1";

        [Test]
        public static void LibraryComesFromLibquantLibrary()
        {
            Assert.Equal(Environment.GetEnvironmentVariable("LIBQUANT_LIBRARY"), Library.LoadedPath, "loaded path");
            Assert.Equal(1, Library.AbiVersion, "ABI version");
            Assert.True(Library.Version.StartsWith("0.", StringComparison.Ordinal), "version " + Library.Version);
            Library.Load(Environment.GetEnvironmentVariable("LIBQUANT_LIBRARY")); // the same file again: nothing
            Assert.Throws<InvalidOperationException>(() => Library.Load("libm.so.6"), "switching libraries");
        }

        [Test]
        public static void LoadFailureListsEveryPathTried()
        {
            // In a child process, where the library is not loaded yet: an explicit path that is not libquant, a
            // missing LIBQUANT_LIBRARY, then the default places.
            string output;
            int exitCode = RunProbe(typeof(LoadingTests).Assembly.Location, "libm.so.6", MissingFromEnvironment, out output);
            if (exitCode == 0)
            {
                // libquant is installed in a default place on this machine: then that copy must have been chosen.
                Assert.True(output.Contains("LOADED ") && !output.Contains("/nonexistent/"), output);
                return;
            }
            Assert.Equal(3, exitCode, "probe exit code (output: " + output + ")");
            Assert.True(output.Contains("status Unsupported, searched 5"), output);
            string besideAssembly = Path.Combine(
                Path.GetDirectoryName(typeof(Library).Assembly.Location), "libquant.so.1");
            string[] inOrder =
            {
                "libm.so.6: loaded, but its soname is not libquant.so.1",
                MissingFromEnvironment + ": cannot open shared object file",
                besideAssembly + ": ",
                "/usr/local/lib/libquant.so.1: ",
                "  libquant.so.1: ",
            };
            int previous = -1;
            foreach (string expected in inOrder)
            {
                int at = output.IndexOf(expected, StringComparison.Ordinal);
                Assert.True(at > previous, "'" + expected + "' missing or out of order in: " + output);
                previous = at;
            }
        }

        [Test]
        public static void CopyBesideTheAssemblyIsDetected()
        {
            // Mono's [DllImport] probes the assembly's folder first, so a libquant.so.1 there would take the place
            // of the file chosen: the loader must notice. Without LIBQUANT_LIBRARY that copy is simply the one used.
            string folder = Fixture.NewTempDirectory();
            try
            {
                string runner = Path.Combine(folder, "Libquant.Tests.exe");
                File.Copy(typeof(LoadingTests).Assembly.Location, runner);
                File.Copy(typeof(Library).Assembly.Location, Path.Combine(folder, "Libquant.dll"));
                string copy = Path.Combine(folder, "libquant.so.1");
                File.Copy(Environment.GetEnvironmentVariable("LIBQUANT_LIBRARY"), copy);

                string output;
                int exitCode = RunProbe(runner, "-", Environment.GetEnvironmentVariable("LIBQUANT_LIBRARY"), out output);
                Assert.Equal(3, exitCode, "probe exit code (output: " + output + ")");
                Assert.True(output.Contains("bound to another copy"), output);

                exitCode = RunProbe(runner, "-", null, out output);
                Assert.Equal(0, exitCode, "probe exit code (output: " + output + ")");
                Assert.True(output.Contains("LOADED " + copy), output);
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Test]
        public static void WrongAbiVersionIsRejected()
        {
            string wrong = Environment.GetEnvironmentVariable("LQ_CSHARP_WRONG_ABI_LIBRARY");
            Assert.True(!string.IsNullOrEmpty(wrong), "LQ_CSHARP_WRONG_ABI_LIBRARY is not set (the CTest test sets it)");
            string output;
            int exitCode = RunProbe(typeof(LoadingTests).Assembly.Location, "-", wrong, out output);
            Assert.True(output.Contains(wrong + ": its ABI version is 2, this binding needs 1") || exitCode == 0, output);
            if (exitCode == 0)
            {
                // Rejected, and a real libquant was found later (installed on this machine).
                Assert.True(output.Contains("LOADED ") && !output.Contains("wrong-abi"), output);
                return;
            }
            Assert.Equal(3, exitCode, "probe exit code (output: " + output + ")");
            Assert.True(output.Contains("status Unsupported"), output);

            // Rejected and unloaded, so that the real library found after it can take the soname.
            string real = Environment.GetEnvironmentVariable("LIBQUANT_LIBRARY");
            exitCode = RunProbe(typeof(LoadingTests).Assembly.Location, wrong, real, out output);
            Assert.Equal(0, exitCode, "probe exit code (output: " + output + ")");
            Assert.True(output.Contains("LOADED " + real + " 0."), output);
        }

        /// <summary>The child side of the probes: loads, prints the outcome; 0 loaded, 3 not.</summary>
        public static int ProbeLoad(string explicitPath)
        {
            try
            {
                Library.Load(explicitPath == "-" ? null : explicitPath);
                Console.WriteLine("LOADED " + Library.LoadedPath + " " + Library.Version);
                return 0;
            }
            catch (LibraryLoadException e)
            {
                Console.WriteLine("status " + e.Status + ", searched " + e.SearchedPaths.Count);
                Console.WriteLine(e.Message);
                return 3;
            }
        }

        private static int RunProbe(string runner, string explicitPath, string environmentPath, out string output)
        {
            string mono = Process.GetCurrentProcess().MainModule.FileName;
            var start = new ProcessStartInfo(mono, "--debug \"" + runner + "\" --probe-load " + explicitPath)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            if (environmentPath == null)
            {
                start.EnvironmentVariables.Remove("LIBQUANT_LIBRARY");
            }
            else
            {
                start.EnvironmentVariables["LIBQUANT_LIBRARY"] = environmentPath;
            }
            using (Process child = Process.Start(start))
            {
                output = child.StandardOutput.ReadToEnd() + child.StandardError.ReadToEnd();
                child.WaitForExit();
                return child.ExitCode;
            }
        }

        [Test]
        public static void ExceptionsSerialize()
        {
            var original = new LibquantException(Status.ModelFormat, "bad file");
            var formatter = new System.Runtime.Serialization.Formatters.Binary.BinaryFormatter();
            using (var stream = new MemoryStream())
            {
                formatter.Serialize(stream, original);
                stream.Position = 0;
                var copy = (LibquantException)formatter.Deserialize(stream);
                Assert.Equal(Status.ModelFormat, copy.Status, "status");
                Assert.Equal("bad file", copy.Message, "message");
            }
        }

        [Test]
        public static void ModelInfo()
        {
            ModelInfo info = Fixture.Model.Info;
            Assert.Equal("llama", info.Architecture, "architecture");
            Assert.Equal(512, info.VocabularySize, "vocabulary size");
            Assert.True(info.ParameterCount > 0, "parameter count");
            Assert.True(info.LayerCount > 0 && info.HeadCount > 0 && info.KeyValueHeadCount > 0, "layers/heads");
            Assert.True(info.EmbeddingSize > 0 && info.TrainingContextSize > 0, "embedding/context");
            Assert.True(info.TensorCount > 0 && info.TensorDataBytes > 0, "tensors");
            Assert.True(info.GgufVersion >= 2, "GGUF version");

            VocabularyInfo vocab = Fixture.Model.Vocabulary;
            Assert.True(vocab != null, "vocabulary");
            Assert.Equal(TokenizerType.SentencePiece, vocab.TokenizerType, "tokenizer");
            Assert.Equal(512, vocab.TokenCount, "tokens");
            Assert.Equal(1, vocab.Bos, "BOS");
            Assert.Equal("llama", vocab.TokenizerModel, "tokenizer model");
        }

        [Test]
        public static void Metadata()
        {
            Model model = Fixture.Model;
            Assert.Equal("llama", model.GetMetadata("general.architecture"), "general.architecture");
            Assert.True(model.GetMetadataKeys().Contains("general.architecture"), "keys");
            string value;
            Assert.True(!model.TryGetMetadata("no.such.key", out value) && value == null, "missing key");
            var e = Assert.Throws<LibquantException>(() => model.GetMetadata("no.such.key"), "missing key");
            Assert.Equal(Status.NotFound, e.Status, "status");
        }

        [Test]
        public static void Backends()
        {
            BackendInfo cpu = Library.GetBackends().First(backend => backend.Backend == Backend.Cpu);
            Assert.True(cpu.IsAvailable && cpu.Name == "cpu", cpu.ToString());
        }

        [Test]
        public static void MissingFileIsAnIOError()
        {
            const string path = "/nonexistent/folder/model.gguf";
            var e = Assert.Throws<LibquantException>(() => Model.Load(path), "missing file");
            Assert.Equal(Status.IO, e.Status, "status");
            Assert.True(e.Message.Contains(path), "message names the path: " + e.Message);
        }

        [Test]
        public static void NonGgufFileIsAFormatError()
        {
            string folder = Fixture.NewTempDirectory();
            try
            {
                string path = Path.Combine(folder, "not-a-model.gguf");
                File.WriteAllText(path, "This is a text file, not a GGUF model, but long enough to be read.\n");
                var e = Assert.Throws<LibquantException>(() => Model.Load(path), "text file");
                Assert.Equal(Status.ModelFormat, e.Status, "status");
                Assert.True(e.Message.Length > 0, "message");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Test]
        public static void LoadProgressAndCancel()
        {
            float last = -1;
            using (Model model = Model.Load(Fixture.ModelPath, new ModelLoadOptions
            {
                Progress = p =>
                {
                    Assert.True(p >= last && p <= 1, "progress " + p + " after " + last);
                    last = p;
                    return true;
                },
            }))
            {
                Assert.Equal(512, model.Info.VocabularySize, "vocabulary size");
            }
            Assert.True(last >= 0, "progress was reported");

            var e = Assert.Throws<LibquantException>(
                () => Model.Load(Fixture.ModelPath, new ModelLoadOptions { Progress = p => false }), "cancelled load");
            Assert.Equal(Status.Cancelled, e.Status, "status");
        }
    }
}
