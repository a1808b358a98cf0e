namespace Libquant
{
    /// <summary>A summary of a loaded model (<c>lq_model_info</c>). Unknown values are 0 or empty.</summary>
    public sealed class ModelInfo
    {
        internal ModelInfo(Native.lq_model_info info)
        {
            GgufVersion = (int)info.gguf_version;
            Architecture = Utf8.FromNative(info.architecture) ?? string.Empty;
            Name = Utf8.FromNative(info.name) ?? string.Empty;
            ParameterCount = (long)info.n_params;
            TensorDataBytes = (long)info.n_tensor_bytes;
            TensorTypesMask = info.tensor_types_mask;
            TensorCount = (int)info.n_tensors;
            VocabularySize = (int)info.n_vocab;
            TrainingContextSize = (int)info.n_ctx_train;
            EmbeddingSize = (int)info.n_embd;
            LayerCount = (int)info.n_layer;
            HeadCount = (int)info.n_head;
            KeyValueHeadCount = (int)info.n_head_kv;
        }

        /// <summary>GGUF version of the file (2 or 3).</summary>
        public int GgufVersion { get; }

        /// <summary><c>general.architecture</c>, e.g. "llama"; empty when absent.</summary>
        public string Architecture { get; }

        /// <summary><c>general.name</c>; empty when absent.</summary>
        public string Name { get; }

        /// <summary>Number of weights: the elements of all tensors (<c>n_params</c>).</summary>
        public long ParameterCount { get; }

        /// <summary>Bytes of tensor data (<c>n_tensor_bytes</c>).</summary>
        public long TensorDataBytes { get; }

        /// <summary>Bit <c>t</c> is set when a tensor of <see cref="TensorType"/> <c>t</c> is present.</summary>
        public ulong TensorTypesMask { get; }

        /// <summary>Number of tensors (<c>n_tensors</c>).</summary>
        public int TensorCount { get; }

        /// <summary>Vocabulary size; 0 when the file has none (<c>n_vocab</c>).</summary>
        public int VocabularySize { get; }

        /// <summary>Context length the model was trained for; 0 when unknown (<c>n_ctx_train</c>).</summary>
        public int TrainingContextSize { get; }

        /// <summary>Embedding width (<c>n_embd</c>).</summary>
        public int EmbeddingSize { get; }

        /// <summary>Number of transformer blocks (<c>n_layer</c>).</summary>
        public int LayerCount { get; }

        /// <summary>Attention query heads (<c>n_head</c>).</summary>
        public int HeadCount { get; }

        /// <summary>Attention key/value heads (<c>n_head_kv</c>).</summary>
        public int KeyValueHeadCount { get; }

        /// <summary>Whether a tensor of type <paramref name="type"/> is present.</summary>
        /// <param name="type">A tensor type.</param>
        /// <returns>True when the model has at least one tensor of that type.</returns>
        public bool HasTensorType(TensorType type)
        {
            int bit = (int)type;
            return bit >= 0 && bit < 64 && (TensorTypesMask & (1ul << bit)) != 0;
        }
    }
}
