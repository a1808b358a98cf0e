using System;
using Libquant;

// Loads a model, streams about 64 tokens after "Once upon a time" to stdout, and prints why generation stopped.
// Usage: mono Generate.exe [MODEL.gguf]
public static class GenerateExample
{
    public static int Main(string[] args)
    {
        string path = args.Length > 0 ? args[0] : "../models/stories260K.gguf";
        try
        {
            using (Model model = Model.Load(path))
            using (Context context = model.CreateContext())
            {
                var options = new GenerateOptions("Once upon a time") { MaxTokens = 64, Seed = 42 };
                Console.Write(options.Prompt);
                GenerateResult result = context.Generate(options, piece =>
                {
                    Console.Write(piece);
                    return true; // false stops here (StopReason.Callback)
                });
                Console.WriteLine();
                Console.WriteLine($"stop reason: {result.StopReason} ({result.GeneratedTokenCount} tokens, " +
                                  $"{result.GenerationDuration.TotalMilliseconds:F1} ms)");
            }
            return 0;
        }
        catch (LibquantException e)
        {
            Console.Error.WriteLine($"libquant error {e.Status}: {e.Message}");
            return 1;
        }
    }
}
