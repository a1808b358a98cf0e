using System;
using System.IO;

namespace Libquant.Tests
{
    /// <summary>What the tests share: the environment CTest sets, one loaded model and the reference greedy run.</summary>
    public static class Fixture
    {
        public const string Prompt = "Once upon a time";

        private static Model _model;
        private static GenerateResult _greedy;

        public static string ModelPath
        {
            get { return Required("LQ_TEST_MODEL"); }
        }

        public static string LayoutTool
        {
            get { return Required("LQ_LAYOUT_TOOL"); }
        }

        /// <summary>The test model, loaded once.</summary>
        public static Model Model
        {
            get { return _model ?? (_model = Model.Load(ModelPath)); }
        }

        /// <summary>Greedy options of the spec: temperature 0, seed 42, 48 tokens.</summary>
        public static GenerateOptions Greedy()
        {
            return new GenerateOptions(Prompt) { Temperature = 0, Seed = 42, MaxTokens = 48 };
        }

        /// <summary>A context of the shared model, as every test makes them.</summary>
        public static Context NewContext()
        {
            return Model.CreateContext(new ContextOptions { ContextSize = 256, Threads = 2 });
        }

        /// <summary>The uncancelled greedy generation, from a fresh context.</summary>
        public static GenerateResult GreedyReference
        {
            get
            {
                if (_greedy == null)
                {
                    using (Context context = NewContext())
                    {
                        _greedy = context.Generate(Greedy());
                    }
                }
                return _greedy;
            }
        }

        /// <summary>A new empty folder under the system's temp folder.</summary>
        public static string NewTempDirectory()
        {
            string path = Path.Combine(Path.GetTempPath(), "libquant-cs-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(path);
            return path;
        }

        public static void Shutdown()
        {
            if (_model != null)
            {
                _model.Dispose();
                _model = null;
            }
        }

        private static string Required(string name)
        {
            string value = Environment.GetEnvironmentVariable(name);
            if (string.IsNullOrEmpty(value))
            {
                throw new InvalidOperationException(name + " is not set (the CTest test sets it)");
            }
            return value;
        }
    }
}
