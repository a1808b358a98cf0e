using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;

namespace Libquant.Tests
{
    /// <summary>Quantizing the test model: progress, the output, and cancellation.</summary>
    public static class QuantizeTests
    {
        [Test]
        public static void QuantizeToQ8WithProgress()
        {
            string folder = Fixture.NewTempDirectory();
            try
            {
                string output = Path.Combine(folder, "stories260K-q8_0.gguf");
                var values = new List<float>();
                var messages = new List<string>();
                Quantizer.Quantize(Fixture.ModelPath, output, new QuantizeOptions
                {
                    Target = "q8_0",
                    Threads = 2,
                    Progress = p =>
                    {
                        values.Add(p);
                        return true;
                    },
                    OnMessage = messages.Add,
                });
                Assert.True(values.Count > 0, "progress was reported");
                for (int i = 0; i < values.Count; i++)
                {
                    Assert.True(values[i] >= 0 && values[i] <= 1, "progress " + values[i] + " outside [0, 1]");
                    if (i > 0)
                    {
                        Assert.True(values[i] >= values[i - 1],
                            "progress went back: " + values[i - 1] + " then " + values[i]);
                    }
                }
                Assert.True(File.Exists(output), "output written");

                using (Model quantized = Model.Load(output))
                using (Context context = quantized.CreateContext(new ContextOptions { ContextSize = 256, Threads = 2 }))
                {
                    Assert.Equal("llama", quantized.Info.Architecture, "architecture");
                    Assert.True(quantized.Info.HasTensorType(TensorType.Q8_0), "has Q8_0 tensors");
                    GenerateResult result = context.Generate(Fixture.Greedy());
                    Assert.True(result.GeneratedTokenCount > 0 && result.Text.Length > 0, "generates");
                }
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Test]
        public static void CancelledQuantizeLeavesNoFile()
        {
            string folder = Fixture.NewTempDirectory();
            try
            {
                string output = Path.Combine(folder, "cancelled.gguf");
                var e = Assert.Throws<LibquantException>(() => Quantizer.Quantize(Fixture.ModelPath, output,
                    new QuantizeOptions { Threads = 2, Progress = p => false }), "progress returning false");
                Assert.Equal(Status.Cancelled, e.Status, "status");
                Assert.True(e.Message.Length > 0, "message");
                Assert.Equal(0, Directory.GetFileSystemEntries(folder).Length, "files left");

                using (var source = new CancellationTokenSource())
                {
                    var progress = new SynchronousProgress(p => source.Cancel());
                    var oce = Assert.Throws<OperationCanceledException>(() => Quantizer.Quantize(
                        Fixture.ModelPath, output, new QuantizeOptions { Threads = 2 }, progress, source.Token),
                        "cancelled token");
                    Assert.Equal(source.Token, oce.CancellationToken, "token");
                    Assert.Equal(0, Directory.GetFileSystemEntries(folder).Length, "files left");
                }

                var thrown = Assert.Throws<InvalidOperationException>(() => Quantizer.Quantize(Fixture.ModelPath,
                    output, new QuantizeOptions
                    {
                        Threads = 2,
                        Progress = p =>
                        {
                            throw new InvalidOperationException("progress boom");
                        },
                    }), "throwing progress callback");
                Assert.Equal("progress boom", thrown.Message, "message");
                Assert.Equal(0, Directory.GetFileSystemEntries(folder).Length, "files left");

                var bad = Assert.Throws<LibquantException>(() => Quantizer.Quantize(Fixture.ModelPath, output,
                    new QuantizeOptions { Target = "no-such-mix" }), "unknown target");
                Assert.Equal(Status.InvalidArgument, bad.Status, "status");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        [Test]
        public static void QuantizeAsyncCompletes()
        {
            string folder = Fixture.NewTempDirectory();
            try
            {
                string output = Path.Combine(folder, "async.gguf");
                Quantizer.QuantizeAsync(Fixture.ModelPath, output, new QuantizeOptions { Threads = 2 }).Wait();
                Assert.True(File.Exists(output), "output written");
            }
            finally
            {
                Directory.Delete(folder, true);
            }
        }

        /// <summary>An IProgress that reports on the calling thread (Progress&lt;T&gt; posts to the pool).</summary>
        private sealed class SynchronousProgress : IProgress<float>
        {
            private readonly Action<float> _report;

            public SynchronousProgress(Action<float> report)
            {
                _report = report;
            }

            public void Report(float value)
            {
                _report(value);
            }
        }
    }
}
