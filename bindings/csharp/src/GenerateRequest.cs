using System;
using System.Collections.Generic;
using System.Text;

namespace Libquant
{
    /// <summary>
    /// A snapshot of <see cref="GenerateOptions"/> in the C API's form, taken (and checked) on the caller's thread, so
    /// that an asynchronous generation does not see later changes to the options object.
    /// </summary>
    internal sealed class GenerateRequest
    {
        private GenerateRequest(Native.lq_generate_options options, byte[] prompt, int[] promptTokens, byte[][] stops)
        {
            Options = options;
            Prompt = prompt;
            PromptTokens = promptTokens;
            StopStrings = stops;
        }

        /// <summary>Every scalar field set; the pointers are filled in by the caller while the arrays are pinned.</summary>
        internal Native.lq_generate_options Options { get; }

        /// <summary>The UTF-8 prompt (no terminator), or null.</summary>
        internal byte[] Prompt { get; }

        /// <summary>The prompt tokens, or null.</summary>
        internal int[] PromptTokens { get; }

        /// <summary>The stop strings, UTF-8 and NUL-terminated.</summary>
        internal byte[][] StopStrings { get; }

        internal static GenerateRequest From(GenerateOptions options)
        {
            if (options == null)
            {
                throw new ArgumentNullException(nameof(options));
            }
            if ((options.Prompt == null) == (options.PromptTokens == null))
            {
                throw new ArgumentException("Set exactly one of Prompt and PromptTokens.", nameof(options));
            }
            byte[] prompt = options.Prompt == null ? null : Encoding.UTF8.GetBytes(options.Prompt);
            int[] tokens = null;
            if (options.PromptTokens != null)
            {
                tokens = new int[options.PromptTokens.Count];
                options.PromptTokens.CopyTo(tokens, 0);
            }
            var stops = new List<byte[]>();
            if (options.StopStrings != null)
            {
                foreach (string stop in options.StopStrings)
                {
                    if (string.IsNullOrEmpty(stop))
                    {
                        throw new ArgumentException("A stop string must not be null or empty.", nameof(options));
                    }
                    stops.Add(Utf8.ToNullTerminated(stop, nameof(options)));
                }
            }

            uint flags = 0;
            if (!options.AddSpecialTokens)
            {
                flags |= 1u << 0;
            }
            if (options.ParseSpecialTokens)
            {
                flags |= 1u << 1;
            }
            var native = new Native.lq_generate_options
            {
                struct_size = Native.SizeOf<Native.lq_generate_options>(),
                flags = flags,
                prompt_len = new UIntPtr((uint)(prompt == null ? 0 : prompt.Length)),
                n_prompt_tokens = new UIntPtr((uint)(tokens == null ? 0 : tokens.Length)),
                max_tokens = options.MaxTokens,
                temperature = options.Temperature,
                top_k = options.TopK,
                top_p = options.TopP,
                min_p = options.MinP,
                repeat_penalty = options.RepeatPenalty,
                repeat_last_n = options.RepeatLastN,
                frequency_penalty = options.FrequencyPenalty,
                presence_penalty = options.PresencePenalty,
                seed = options.Seed ?? Native.SeedRandom,
                n_stop = new UIntPtr((uint)stops.Count),
            };
            return new GenerateRequest(native, prompt, tokens, stops.ToArray());
        }
    }
}
