namespace Libquant
{
    /// <summary>How weights are rounded (<c>lq_quant_method</c>).</summary>
    public enum QuantizationMethod
    {
        /// <summary>Round to nearest, with scales searched for the least squared error (<c>LQ_QUANT_RTN</c>).</summary>
        RoundToNearest = 0,

        /// <summary>GPTQ: rounding errors compensated with the calibration inputs' Hessian; needs calibration text.</summary>
        Gptq = 1,

        /// <summary>AWQ: activation-aware per-channel scaling, then rounding; needs calibration text.</summary>
        Awq = 2,

        /// <summary>Round to nearest, each column's error weighted by its mean squared input; needs calibration text.</summary>
        Importance = 3,

        /// <summary>SmoothQuant for W8A8 execution (see <see cref="QuantizeOptions.SmoothAlpha"/>); needs calibration text.</summary>
        SmoothQuant = 4,
    }
}
