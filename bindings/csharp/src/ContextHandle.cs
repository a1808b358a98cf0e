using System;
using Microsoft.Win32.SafeHandles;

namespace Libquant
{
    /// <summary>
    /// Owns an <c>lq_context*</c> and a reference on its model's handle; releasing it calls <c>lq_context_free</c>
    /// and then gives the model reference back, so the C rule "free every context before its model" always holds.
    /// </summary>
    internal sealed class ContextHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        private readonly ModelHandle _model;

        /// <summary>Takes ownership of <paramref name="context"/> and of one reference already added on
        /// <paramref name="model"/>.</summary>
        internal ContextHandle(IntPtr context, ModelHandle model)
            : base(true)
        {
            _model = model;
            SetHandle(context);
        }

        /// <inheritdoc/>
        protected override bool ReleaseHandle()
        {
            Native.lq_context_free(handle);
            _model.DangerousRelease();
            return true;
        }
    }
}
