namespace Libquant
{
    /// <summary>
    /// The result codes of libquant's C API (<c>lq_status</c>). The values are the C values and never change.
    /// </summary>
    public enum Status
    {
        /// <summary>Success (<c>LQ_OK</c>).</summary>
        Ok = 0,

        /// <summary>A missing argument, an out-of-range value or an unknown option (<c>LQ_ERR_INVALID_ARGUMENT</c>).</summary>
        InvalidArgument = -1,

        /// <summary>Memory could not be allocated; nothing was changed (<c>LQ_ERR_OOM</c>).</summary>
        OutOfMemory = -2,

        /// <summary>A file could not be opened, read, mapped or written (<c>LQ_ERR_IO</c>).</summary>
        IO = -3,

        /// <summary>A model file is malformed: truncated, inconsistent or hostile (<c>LQ_ERR_MODEL_FORMAT</c>).</summary>
        ModelFormat = -4,

        /// <summary>Well-formed input this build cannot handle: architecture, tensor type, backend (<c>LQ_ERR_UNSUPPORTED</c>).</summary>
        Unsupported = -5,

        /// <summary>An output buffer was too small (<c>LQ_ERR_BUFFER_TOO_SMALL</c>); the binding retries these itself.</summary>
        BufferTooSmall = -6,

        /// <summary>A callback or a cancellation request stopped the work (<c>LQ_ERR_CANCELLED</c>).</summary>
        Cancelled = -7,

        /// <summary>The tokens do not fit in the context window (<c>LQ_ERR_CONTEXT_FULL</c>).</summary>
        ContextFull = -8,

        /// <summary>The requested key, token or item does not exist (<c>LQ_ERR_NOT_FOUND</c>).</summary>
        NotFound = -9,

        /// <summary>The item exists but has another type than the one asked for (<c>LQ_ERR_TYPE_MISMATCH</c>).</summary>
        TypeMismatch = -10,

        /// <summary>A compute backend or its driver failed (<c>LQ_ERR_BACKEND</c>).</summary>
        Backend = -11,

        /// <summary>A bug in libquant; please report it with the message (<c>LQ_ERR_INTERNAL</c>).</summary>
        Internal = -99,
    }
}
