using System;

namespace Libquant
{
    /// <summary>How a <see cref="Context"/> is made (<c>lq_context_options</c>). The defaults are the C defaults.</summary>
    public sealed class ContextOptions
    {
        /// <summary>Context length in tokens; 0 (default): the model's training length, at most 4096.</summary>
        public int ContextSize { get; set; }

        /// <summary>Tokens evaluated per forward pass; 0 means 512; at most <see cref="ContextSize"/> (larger values
        /// are lowered to it). Default 512.</summary>
        public int BatchSize { get; set; } = 512;

        /// <summary>Threads; 0 (default): all hardware threads.</summary>
        public int Threads { get; set; }

        /// <summary>Key/value cache type: <see cref="TensorType.F16"/> (default), <see cref="TensorType.F32"/> or
        /// <see cref="TensorType.Q8_0"/>.</summary>
        public TensorType KvCacheType { get; set; } = TensorType.F16;

        /// <summary>The compute backend; default <see cref="Libquant.Backend.Cpu"/>. <see cref="Libquant.Backend.Auto"/>
        /// picks the best available.</summary>
        public Backend Backend { get; set; } = Backend.Cpu;

        internal Native.lq_context_options ToNative()
        {
            return new Native.lq_context_options
            {
                struct_size = Native.SizeOf<Native.lq_context_options>(),
                n_ctx = NonNegative(ContextSize, nameof(ContextSize)),
                n_batch = NonNegative(BatchSize, nameof(BatchSize)),
                n_threads = NonNegative(Threads, nameof(Threads)),
                kv_type = (uint)KvCacheType,
                backend = (uint)Backend,
            };
        }

        private static uint NonNegative(int value, string name)
        {
            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(name, value, "The value must not be negative.");
            }
            return (uint)value;
        }
    }
}
