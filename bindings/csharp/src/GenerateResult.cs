using System;

namespace Libquant
{
    /// <summary>What a generation produced (<c>lq_generate_result</c> and the streamed text).</summary>
    public sealed class GenerateResult
    {
        internal GenerateResult(string text, StopReason stopReason, Native.lq_generate_result result)
        {
            Text = text;
            StopReason = stopReason;
            PromptTokenCount = (int)result.n_prompt_tokens;
            ReusedTokenCount = (int)result.n_reused_tokens;
            GeneratedTokenCount = (int)result.n_generated_tokens;
            PromptDuration = Seconds(result.prompt_seconds);
            GenerationDuration = Seconds(result.generate_seconds);
        }

        /// <summary>The generated text: every piece the callback received, concatenated.</summary>
        public string Text { get; }

        /// <summary>Why the generation ended.</summary>
        public StopReason StopReason { get; }

        /// <summary>Tokens in the prompt (<c>n_prompt_tokens</c>).</summary>
        public int PromptTokenCount { get; }

        /// <summary>Prompt tokens already in the context's cache, not recomputed (<c>n_reused_tokens</c>).</summary>
        public int ReusedTokenCount { get; }

        /// <summary>Tokens generated, the end-of-generation token excluded (<c>n_generated_tokens</c>).</summary>
        public int GeneratedTokenCount { get; }

        /// <summary>Time spent evaluating the prompt.</summary>
        public TimeSpan PromptDuration { get; }

        /// <summary>Time spent generating.</summary>
        public TimeSpan GenerationDuration { get; }

        /// <summary>The stop reason and token counts.</summary>
        /// <returns>A one-line summary.</returns>
        public override string ToString()
        {
            return StopReason + ": " + GeneratedTokenCount + " tokens generated after " + PromptTokenCount +
                   " prompt tokens";
        }

        // TimeSpan.FromSeconds rounds to milliseconds on .NET Framework and Mono.
        private static TimeSpan Seconds(double seconds)
        {
            return TimeSpan.FromTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));
        }
    }
}
