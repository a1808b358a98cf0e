namespace Libquant
{
    /// <summary>Facts about a context at one moment (<c>lq_context_info</c>).</summary>
    public sealed class ContextInfo
    {
        internal ContextInfo(Native.lq_context_info info)
        {
            ContextSize = (int)info.n_ctx;
            TokensInUse = (int)info.n_past;
            BatchSize = (int)info.n_batch;
            Threads = (int)info.n_threads;
            VocabularySize = (int)info.n_vocab;
            KvCacheType = (TensorType)info.kv_type;
            Backend = (Backend)info.backend;
            KvCacheBytes = (long)info.kv_bytes;
        }

        /// <summary>Context length in tokens (<c>n_ctx</c>).</summary>
        public int ContextSize { get; }

        /// <summary>Positions in use: tokens evaluated and kept in the cache (<c>n_past</c>).</summary>
        public int TokensInUse { get; }

        /// <summary>Tokens per forward pass (<c>n_batch</c>).</summary>
        public int BatchSize { get; }

        /// <summary>Threads used (<c>n_threads</c>).</summary>
        public int Threads { get; }

        /// <summary>Logits per token (<c>n_vocab</c>).</summary>
        public int VocabularySize { get; }

        /// <summary>Type of the key/value cache (<c>kv_type</c>).</summary>
        public TensorType KvCacheType { get; }

        /// <summary>The backend in use, never <see cref="Libquant.Backend.Auto"/>.</summary>
        public Backend Backend { get; }

        /// <summary>Memory of the key/value cache in bytes (<c>kv_bytes</c>).</summary>
        public long KvCacheBytes { get; }
    }
}
