namespace Libquant
{
    /// <summary>Tokenizer algorithms, as named by the GGUF key <c>tokenizer.ggml.model</c> (<c>lq_tokenizer_type</c>).</summary>
    public enum TokenizerType
    {
        /// <summary>No vocabulary.</summary>
        None = 0,

        /// <summary>"llama": SentencePiece BPE with scores and byte fallback.</summary>
        SentencePiece = 1,

        /// <summary>"gpt2": byte-level BPE with merges and a regex pre-tokenizer.</summary>
        BytePairEncoding = 2,

        /// <summary>"bert": WordPiece with BERT normalisation.</summary>
        WordPiece = 3,
    }
}
