namespace Libquant
{
    /// <summary>A model's vocabulary (<c>lq_vocab_info</c>). Token ids are -1 where the vocabulary has no such token.</summary>
    public sealed class VocabularyInfo
    {
        internal VocabularyInfo(Native.lq_vocab_info info)
        {
            TokenizerType = (TokenizerType)info.tokenizer_type;
            TokenCount = (int)info.n_tokens;
            Bos = info.bos;
            Eos = info.eos;
            Eot = info.eot;
            Eom = info.eom;
            Unknown = info.unk;
            Separator = info.sep;
            Padding = info.pad;
            Classification = info.cls;
            Mask = info.mask;
            FimPrefix = info.fim_pre;
            FimSuffix = info.fim_suf;
            FimMiddle = info.fim_mid;
            FimPadding = info.fim_pad;
            FimRepository = info.fim_rep;
            FimSeparator = info.fim_sep;
            AddsBos = info.add_bos != 0;
            AddsEos = info.add_eos != 0;
            AddsSpacePrefix = info.add_space_prefix != 0;
            TokenizerModel = Utf8.FromNative(info.model) ?? string.Empty;
            PreTokenizer = Utf8.FromNative(info.pre) ?? string.Empty;
        }

        /// <summary>The tokenizer algorithm.</summary>
        public TokenizerType TokenizerType { get; }

        /// <summary>Number of tokens; valid ids are 0 to TokenCount - 1.</summary>
        public int TokenCount { get; }

        /// <summary>Beginning of sequence (WordPiece: [CLS]).</summary>
        public int Bos { get; }

        /// <summary>End of sequence.</summary>
        public int Eos { get; }

        /// <summary>End of turn (e.g. <c>&lt;|eot_id|&gt;</c>).</summary>
        public int Eot { get; }

        /// <summary>End of message (<c>&lt;|eom_id|&gt;</c>).</summary>
        public int Eom { get; }

        /// <summary>The unknown token.</summary>
        public int Unknown { get; }

        /// <summary>Separator (WordPiece: [SEP]).</summary>
        public int Separator { get; }

        /// <summary>Padding.</summary>
        public int Padding { get; }

        /// <summary>Classification ([CLS]).</summary>
        public int Classification { get; }

        /// <summary>Mask ([MASK]).</summary>
        public int Mask { get; }

        /// <summary>Fill-in-the-middle: prefix.</summary>
        public int FimPrefix { get; }

        /// <summary>Fill-in-the-middle: suffix.</summary>
        public int FimSuffix { get; }

        /// <summary>Fill-in-the-middle: middle.</summary>
        public int FimMiddle { get; }

        /// <summary>Fill-in-the-middle: padding.</summary>
        public int FimPadding { get; }

        /// <summary>Fill-in-the-middle: repository name.</summary>
        public int FimRepository { get; }

        /// <summary>Fill-in-the-middle: file separator.</summary>
        public int FimSeparator { get; }

        /// <summary>Whether <see cref="TokenizeOptions.AddSpecial"/> puts <see cref="Bos"/> first.</summary>
        public bool AddsBos { get; }

        /// <summary>Whether <see cref="TokenizeOptions.AddSpecial"/> puts <see cref="Eos"/> last.</summary>
        public bool AddsEos { get; }

        /// <summary>Whether SentencePiece puts a space in front of the text.</summary>
        public bool AddsSpacePrefix { get; }

        /// <summary><c>tokenizer.ggml.model</c>: "llama", "gpt2" or "bert".</summary>
        public string TokenizerModel { get; }

        /// <summary>The pre-tokenizer ("llama3", "qwen2", ...), or empty.</summary>
        public string PreTokenizer { get; }
    }
}
