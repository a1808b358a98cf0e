namespace Libquant
{
    /// <summary>Compute backends (<c>lq_backend</c>).</summary>
    public enum Backend
    {
        /// <summary>The portable CPU backend, with SIMD where the CPU has it.</summary>
        Cpu = 0,

        /// <summary>oneDNN INT8 on x86.</summary>
        OneDnn = 1,

        /// <summary>Vulkan compute shaders on any GPU.</summary>
        Vulkan = 2,

        /// <summary>The best backend available for the model (the CPU when no other is).</summary>
        Auto = 3,
    }
}
