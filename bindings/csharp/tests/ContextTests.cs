using System;
using System.Threading;

namespace Libquant.Tests
{
    /// <summary>Contexts: options, info, errors, lifetime and threads.</summary>
    public static class ContextTests
    {
        [Test]
        public static void InfoAndReset()
        {
            using (Context context = Fixture.Model.CreateContext(new ContextOptions { ContextSize = 128, Threads = 2 }))
            {
                ContextInfo info = context.Info;
                Assert.Equal(128, info.ContextSize, "context size");
                Assert.Equal(2, info.Threads, "threads");
                Assert.Equal(512, info.VocabularySize, "vocabulary size");
                Assert.Equal(TensorType.F16, info.KvCacheType, "cache type");
                Assert.Equal(Backend.Cpu, info.Backend, "backend");
                Assert.Equal(0, info.TokensInUse, "positions in use");
                Assert.True(info.KvCacheBytes > 0, "cache bytes");

                GenerateResult result = context.Generate(Fixture.Greedy());
                Assert.True(context.Info.TokensInUse > 0, "positions in use after generating");
                context.Truncate(2);
                Assert.Equal(2, context.Info.TokensInUse, "after truncate");
                context.Reset();
                Assert.Equal(0, context.Info.TokensInUse, "after reset");
                Assert.Equal(result.Text, context.Generate(Fixture.Greedy()).Text, "after reset");
            }
        }

        [Test]
        public static void BadKvTypeIsAnError()
        {
            var e = Assert.Throws<LibquantException>(() => Fixture.Model.CreateContext(
                new ContextOptions { KvCacheType = (TensorType)12345 }), "kv type 12345");
            Assert.True(e.Status == Status.InvalidArgument || e.Status == Status.Unsupported, "status " + e.Status);
            Assert.True(e.Message.Length > 0, "message");
        }

        [Test]
        public static void ContextKeepsItsModelAlive()
        {
            Model model = Model.Load(Fixture.ModelPath);
            Context context = model.CreateContext(new ContextOptions { ContextSize = 256, Threads = 2 });
            model.Dispose(); // the native model lives on until the context is gone
            Assert.True(model.IsDisposed, "model disposed");
            Assert.Throws<ObjectDisposedException>(() => model.CreateContext(), "context of a disposed model");
            Assert.Equal(Fixture.GreedyReference.Text, context.Generate(Fixture.Greedy()).Text, "text");
            context.Dispose();
            context.Dispose();
            Assert.Throws<ObjectDisposedException>(() => context.Generate(Fixture.Greedy()), "disposed context");
        }

        [Test]
        public static void TwoThreadsShareOneModel()
        {
            string expected = Fixture.GreedyReference.Text;
            var texts = new string[2];
            var errors = new Exception[2];
            using (var start = new Barrier(2))
            {
                var threads = new Thread[2];
                for (int i = 0; i < 2; i++)
                {
                    int index = i;
                    threads[i] = new Thread(() =>
                    {
                        try
                        {
                            using (Context context = Fixture.NewContext())
                            {
                                start.SignalAndWait();
                                texts[index] = context.Generate(Fixture.Greedy()).Text;
                            }
                        }
                        catch (Exception e)
                        {
                            errors[index] = e;
                        }
                    });
                    threads[i].Start();
                }
                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
            }
            for (int i = 0; i < 2; i++)
            {
                Assert.True(errors[i] == null, "thread " + i + ": " + errors[i]);
                Assert.Equal(expected, texts[i], "thread " + i);
            }
        }

        [Test]
        public static void OneContextSerialisesCallsFromTwoThreads()
        {
            string expected = Fixture.GreedyReference.Text;
            using (Context context = Fixture.NewContext())
            {
                var texts = new string[2];
                var threads = new Thread[2];
                for (int i = 0; i < 2; i++)
                {
                    int index = i;
                    threads[i] = new Thread(() => texts[index] = context.Generate(Fixture.Greedy()).Text);
                    threads[i].Start();
                }
                foreach (Thread thread in threads)
                {
                    thread.Join();
                }
                Assert.Equal(expected, texts[0], "first thread");
                Assert.Equal(expected, texts[1], "second thread");
            }
        }
    }
}
