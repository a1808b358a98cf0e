using System;

namespace Libquant
{
    /// <summary>What <see cref="Quantizer.Quantize(string, string, QuantizeOptions)"/> writes
    /// (<c>lq_quantize_options</c>). The defaults are the C defaults: Q8_0, round to nearest.</summary>
    public sealed class QuantizeOptions
    {
        /// <summary>
        /// A mix ("q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_0", "iq4_nl", "f16", "lq-int8", "lq-int4-g64", ...) or a type
        /// name ("q4_k", "lq_nl5") for every matrix. Default "q8_0".
        /// </summary>
        public string Target { get; set; } = "q8_0";

        /// <summary>The rounding method. Default <see cref="QuantizationMethod.RoundToNearest"/>.</summary>
        public QuantizationMethod Method { get; set; } = QuantizationMethod.RoundToNearest;

        /// <summary>Per-tensor overrides "PATTERN=TYPE,PATTERN=TYPE" (glob patterns on tensor names), or null.</summary>
        public string TensorTypes { get; set; }

        /// <summary>Calibration text (or token ids) for GPTQ, AWQ, importance and SmoothQuant; null for RTN.</summary>
        public string CalibrationPath { get; set; }

        /// <summary>Calibration sequences. Default 64.</summary>
        public int CalibrationSamples { get; set; } = 64;

        /// <summary>Tokens per calibration sequence. Default 256.</summary>
        public int CalibrationContextSize { get; set; } = 256;

        /// <summary>Threads; 0 (default): all hardware threads.</summary>
        public int Threads { get; set; }

        /// <summary>GPTQ: keep the stored order of blocks instead of most important first
        /// (<c>LQ_QUANTIZE_GPTQ_NO_ACT_ORDER</c>).</summary>
        public bool GptqNoActOrder { get; set; }

        /// <summary>Round to nearest: search every block's scales exhaustively (<c>LQ_QUANTIZE_EXHAUSTIVE</c>; 10 to
        /// 100 times slower, a few percent less error).</summary>
        public bool Exhaustive { get; set; }

        /// <summary>Apply SmoothQuant's smoothing before the method's rounding (<c>LQ_QUANTIZE_SMOOTH</c>).</summary>
        public bool Smooth { get; set; }

        /// <summary>For llama2.c inputs: their tokenizer.bin.</summary>
        public string TokenizerPath { get; set; }

        /// <summary>SmoothQuant's migration strength in (0, 1]; 0 (default) means 0.5.</summary>
        public float SmoothAlpha { get; set; }

        /// <summary>
        /// Called on the quantizing thread with the fraction done (0 to 1, non-decreasing); return false to cancel,
        /// which throws a <see cref="LibquantException"/> with <see cref="Status.Cancelled"/> and leaves no file.
        /// </summary>
        public Func<float, bool> Progress { get; set; }

        /// <summary>Receives a line per tensor and warnings, on the quantizing thread.</summary>
        public Action<string> OnMessage { get; set; }

        internal uint Flags
        {
            get
            {
                uint flags = 0;
                if (GptqNoActOrder)
                {
                    flags |= 1u << 0;
                }
                if (Exhaustive)
                {
                    flags |= 1u << 1;
                }
                if (Smooth)
                {
                    flags |= 1u << 2;
                }
                return flags;
            }
        }
    }
}
