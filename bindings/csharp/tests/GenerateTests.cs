using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace Libquant.Tests
{
    /// <summary>Generation: determinism, streaming, stop rules, callback exceptions, options.</summary>
    public static class GenerateTests
    {
        [Test]
        public static void GreedyIsDeterministicAndStreams()
        {
            using (Context context = Fixture.NewContext())
            {
                var streamed = new StringBuilder();
                int pieces = 0;
                GenerateResult first = context.Generate(Fixture.Greedy(), piece =>
                {
                    Assert.True(piece.Length > 0, "empty piece");
                    streamed.Append(piece);
                    pieces++;
                    return true;
                });
                Assert.Equal(first.Text, streamed.ToString(), "streamed pieces");
                Assert.True(first.GeneratedTokenCount > 0 && pieces > 5, "generated " + first.GeneratedTokenCount);
                Assert.True(first.Text.Length > 0, "text");
                Assert.True(first.StopReason == StopReason.MaxTokens || first.StopReason == StopReason.EndOfGeneration,
                    "stop reason " + first.StopReason);
                Assert.True(first.PromptTokenCount > 0, "prompt tokens");
                Assert.True(first.GenerationDuration > TimeSpan.Zero, "generation duration");

                GenerateResult second = context.Generate(Fixture.Greedy());
                Assert.Equal(first.Text, second.Text, "second run, same context");
                Assert.True(second.ReusedTokenCount > 0, "the prompt was reused from the cache");
                Assert.Equal(Fixture.GreedyReference.Text, first.Text, "fresh context");
            }
        }

        [Test]
        public static void PromptTokensGiveTheSameText()
        {
            using (Context context = Fixture.NewContext())
            {
                GenerateOptions options = Fixture.Greedy();
                options.PromptTokens = Fixture.Model.Tokenize(options.Prompt);
                options.Prompt = null;
                Assert.Equal(Fixture.GreedyReference.Text, context.Generate(options).Text, "text");
            }
        }

        [Test]
        public static void StopString()
        {
            string greedy = Fixture.GreedyReference.Text;
            string[] words = greedy.Split(new[] { ' ', '\n', ',', '.' }, StringSplitOptions.RemoveEmptyEntries);
            string word = words.Skip(words.Length / 2).First(w => w.Length >= 3);
            string expected = greedy.Substring(0, greedy.IndexOf(word, StringComparison.Ordinal));

            GenerateOptions options = Fixture.Greedy();
            options.StopStrings.Add(word);
            using (Context context = Fixture.NewContext())
            {
                var streamed = new StringBuilder();
                GenerateResult result = context.Generate(options, piece =>
                {
                    streamed.Append(piece);
                    return true;
                });
                Assert.Equal(StopReason.StopString, result.StopReason, "stop reason (stop string '" + word + "')");
                Assert.Equal(expected, result.Text, "text before '" + word + "'");
                Assert.Equal(expected, streamed.ToString(), "streamed text");
            }
        }

        [Test]
        public static void CallbackStops()
        {
            using (Context context = Fixture.NewContext())
            {
                int pieces = 0;
                GenerateResult result = context.Generate(Fixture.Greedy(), piece => ++pieces < 3);
                Assert.Equal(StopReason.Callback, result.StopReason, "stop reason");
                Assert.Equal(3, pieces, "pieces delivered");
                Assert.ProperPrefix(Fixture.GreedyReference.Text, result.Text, "text");
            }
        }

        [Test]
        public static void CallbackExceptionReachesTheCaller()
        {
            using (Context context = Fixture.NewContext())
            {
                int pieces = 0;
                var e = Assert.Throws<InvalidOperationException>(() => context.Generate(Fixture.Greedy(), piece =>
                {
                    if (++pieces == 2)
                    {
                        throw new InvalidOperationException("boom from the callback");
                    }
                    return true;
                }), "throwing callback");
                Assert.Equal("boom from the callback", e.Message, "message");
                Assert.Equal(2, pieces, "the callback was not called again");
                Assert.True(e.StackTrace.Contains("CallbackExceptionReachesTheCaller"), "original stack: " + e.StackTrace);

                Task<GenerateResult> task = context.GenerateAsync(Fixture.Greedy(), piece =>
                {
                    throw new FormatException("async boom");
                });
                var aggregate = Assert.Throws<AggregateException>(() => task.Wait(), "throwing async callback");
                Assert.True(aggregate.InnerException is FormatException, "inner " + aggregate.InnerException);

                // The context still works.
                Assert.Equal(Fixture.GreedyReference.Text, context.Generate(Fixture.Greedy()).Text, "after the exception");
            }
        }

        [Test]
        public static void CallbackMustNotReenterItsContext()
        {
            using (Context context = Fixture.NewContext())
            {
                Assert.Throws<InvalidOperationException>(
                    () => context.Generate(Fixture.Greedy(), piece => context.Generate(Fixture.Greedy()) == null),
                    "nested Generate");
                Assert.Equal(Fixture.GreedyReference.Text, context.Generate(Fixture.Greedy()).Text, "afterwards");
            }
        }

        [Test]
        public static void AsyncGenerationStreams()
        {
            using (Context context = Fixture.NewContext())
            {
                var streamed = new StringBuilder();
                GenerateResult result = context.GenerateAsync(Fixture.Greedy(), piece => streamed.Append(piece)).Result;
                Assert.Equal(Fixture.GreedyReference.Text, result.Text, "text");
                Assert.Equal(result.Text, streamed.ToString(), "streamed text");
            }
        }

        [Test]
        public static void DefaultsAreTheCDefaults()
        {
            var c = new Native.lq_generate_options();
            Native.lq_generate_options_init(ref c);
            var mine = new GenerateOptions("x");
            Assert.Equal(c.max_tokens, mine.MaxTokens, "max_tokens");
            Assert.Equal(c.temperature, mine.Temperature, "temperature");
            Assert.Equal(c.top_k, mine.TopK, "top_k");
            Assert.Equal(c.top_p, mine.TopP, "top_p");
            Assert.Equal(c.min_p, mine.MinP, "min_p");
            Assert.Equal(c.repeat_penalty, mine.RepeatPenalty, "repeat_penalty");
            Assert.Equal(c.repeat_last_n, mine.RepeatLastN, "repeat_last_n");
            Assert.Equal(c.frequency_penalty, mine.FrequencyPenalty, "frequency_penalty");
            Assert.Equal(c.presence_penalty, mine.PresencePenalty, "presence_penalty");
            Assert.Equal(c.seed, mine.Seed ?? Native.SeedRandom, "seed");
            Assert.Equal(0u, c.flags, "flags");

            var context = new Native.lq_context_options();
            Native.lq_context_options_init(ref context);
            var contextOptions = new ContextOptions();
            Assert.Equal(context.n_ctx, (uint)contextOptions.ContextSize, "n_ctx");
            Assert.Equal(context.n_batch, (uint)contextOptions.BatchSize, "n_batch");
            Assert.Equal(context.n_threads, (uint)contextOptions.Threads, "n_threads");
            Assert.Equal(context.kv_type, (uint)contextOptions.KvCacheType, "kv_type");
            Assert.Equal(context.backend, (uint)contextOptions.Backend, "backend");

            var quantize = new Native.lq_quantize_options();
            Native.lq_quantize_options_init(ref quantize);
            var quantizeOptions = new QuantizeOptions();
            Assert.Equal(quantize.method, (uint)quantizeOptions.Method, "method");
            Assert.Equal(System.Runtime.InteropServices.Marshal.PtrToStringAnsi(quantize.target), quantizeOptions.Target, "target");
            Assert.Equal(quantize.calibration_samples, (uint)quantizeOptions.CalibrationSamples, "calibration_samples");
            Assert.Equal(quantize.calibration_ctx, (uint)quantizeOptions.CalibrationContextSize, "calibration_ctx");
            Assert.Equal(quantize.n_threads, (uint)quantizeOptions.Threads, "n_threads");
            Assert.Equal(quantize.smooth_alpha, quantizeOptions.SmoothAlpha, "smooth_alpha");
        }

        [Test]
        public static void BadOptionsAreErrors()
        {
            using (Context context = Fixture.NewContext())
            {
                GenerateOptions options = Fixture.Greedy();
                options.TopP = 2;
                var e = Assert.Throws<LibquantException>(() => context.Generate(options), "top_p 2");
                Assert.Equal(Status.InvalidArgument, e.Status, "status");
                Assert.True(e.Message.Length > 0, "message");

                Assert.Throws<ArgumentException>(() => context.Generate(new GenerateOptions()), "no prompt");
                Assert.Throws<ArgumentNullException>(() => context.Generate(null), "null options");
            }
            using (Context small = Fixture.Model.CreateContext(new ContextOptions { ContextSize = 8, Threads = 2 }))
            {
                var e = Assert.Throws<LibquantException>(() => small.Generate(new GenerateOptions(
                    "Once upon a time, there was a little girl who liked to play in the park.")), "long prompt");
                Assert.Equal(Status.ContextFull, e.Status, "status");
            }
        }
    }
}
