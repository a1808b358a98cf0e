using System.Collections.Generic;

namespace Libquant
{
    /// <summary>
    /// The prompt, sampling and stopping rules of one generation (<c>lq_generate_options</c>). The defaults are the
    /// C defaults. Sampling applies, in order: repetition/frequency/presence penalties, top-k, top-p, min-p,
    /// temperature.
    /// </summary>
    /// <example>
    /// <code>
    /// var options = new GenerateOptions("Once upon a time") { MaxTokens = 64, Temperature = 0, StopStrings = { "\n\n" } };
    /// </code>
    /// </example>
    public sealed class GenerateOptions
    {
        /// <summary>Options with no prompt yet: set <see cref="Prompt"/> or <see cref="PromptTokens"/>.</summary>
        public GenerateOptions()
        {
        }

        /// <summary>Options for a text prompt.</summary>
        /// <param name="prompt">The prompt text.</param>
        public GenerateOptions(string prompt)
        {
            Prompt = prompt;
        }

        /// <summary>The prompt text; set this or <see cref="PromptTokens"/>, not both.</summary>
        public string Prompt { get; set; }

        /// <summary>The prompt as token ids (used as they are, no BOS added); set this or <see cref="Prompt"/>.</summary>
        public IList<int> PromptTokens { get; set; }

        /// <summary>Tokens to generate at most; negative: until the context is full. Default 256.</summary>
        public int MaxTokens { get; set; } = 256;

        /// <summary>Sampling temperature; 0 or less is greedy (deterministic). Default 0.8.</summary>
        public float Temperature { get; set; } = 0.8f;

        /// <summary>Keep the k most likely tokens; 0: off. Default 40.</summary>
        public int TopK { get; set; } = 40;

        /// <summary>Nucleus sampling threshold; 1: off. Default 0.95.</summary>
        public float TopP { get; set; } = 0.95f;

        /// <summary>Drop tokens below this fraction of the most likely one's probability; 0: off. Default 0.05.</summary>
        public float MinP { get; set; } = 0.05f;

        /// <summary>Repetition penalty; 1 (default): off.</summary>
        public float RepeatPenalty { get; set; } = 1.0f;

        /// <summary>Recent tokens the penalties consider; -1: all. Default 64.</summary>
        public int RepeatLastN { get; set; } = 64;

        /// <summary>Frequency penalty. Default 0.</summary>
        public float FrequencyPenalty { get; set; }

        /// <summary>Presence penalty. Default 0.</summary>
        public float PresencePenalty { get; set; }

        /// <summary>The sampler's seed: the same seed gives the same text. Null (default): a random seed.</summary>
        public ulong? Seed { get; set; }

        /// <summary>Strings that end the generation; the text stops before them. Empty by default.</summary>
        public IList<string> StopStrings { get; set; } = new List<string>();

        /// <summary>Add BOS/EOS to a text prompt as the model says (default true; false sets
        /// <c>LQ_GENERATE_NO_SPECIAL</c>).</summary>
        public bool AddSpecialTokens { get; set; } = true;

        /// <summary>Turn special-token text in the prompt (e.g. <c>&lt;|im_start|&gt;</c>) into those tokens
        /// (<c>LQ_GENERATE_PARSE_SPECIAL</c>). Default false.</summary>
        public bool ParseSpecialTokens { get; set; }
    }
}
