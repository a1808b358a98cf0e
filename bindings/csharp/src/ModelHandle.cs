using System;
using Microsoft.Win32.SafeHandles;

namespace Libquant
{
    /// <summary>Owns an <c>lq_model*</c>; releasing it calls <c>lq_model_free</c>.</summary>
    /// <remarks>
    /// Each context holds a reference on this handle (<see cref="System.Runtime.InteropServices.SafeHandle.DangerousAddRef"/>),
    /// so the model is freed only after its last context, whatever order Dispose or the finalizers run in.
    /// </remarks>
    internal sealed class ModelHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        /// <summary>Used by the marshaller for <c>out</c> parameters.</summary>
        public ModelHandle()
            : base(true)
        {
        }

        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            Native.lq_model_free(handle);
            return true;
        }
    }
}
