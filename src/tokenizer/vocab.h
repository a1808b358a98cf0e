// A model's vocabulary and tokenizer, built from the GGUF metadata
// `tokenizer.ggml.*` alone.
//
// Three tokenizer models are supported (`tokenizer.ggml.model`):
//   "llama"  SentencePiece BPE with scores and byte fallback (spm.h)
//   "gpt2"   byte-level BPE with merges and a regex pre-tokenizer (bpe.h,
//            pretokenizer.h, chosen by `tokenizer.ggml.pre`)
//   "bert"   WordPiece with BERT normalisation (wordpiece.h)
//
// Tokenization first cuts special tokens out of the text (special_tokens.h),
// then encodes each raw-text fragment, and adds BOS/EOS as the metadata says
// when asked to. Detokenization is exact: for SentencePiece and byte-level
// BPE, tokenize then detokenize gives back the input bytes (including
// invalid UTF-8); WordPiece normalises text and is not reversible.
//
// A Vocab is immutable after from_gguf() returns; every method is const and
// keeps its working memory local, so any number of threads may use one Vocab
// at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "format/gguf.h"
#include "tokenizer/token_table.h"

namespace lq {

class PreTokenizer;
class SpecialTokenMatcher;
class SentencePieceEncoder;
class BpeEncoder;
class WordPieceEncoder;

enum class TokenizerKind { SentencePiece, BytePairEncoding, WordPiece };

/// Ids of the tokens with a role; -1 when the vocabulary has none.
struct SpecialTokens {
    int32_t bos = -1;
    int32_t eos = -1;
    int32_t eot = -1;  // end of turn
    int32_t eom = -1;  // end of message
    int32_t unknown = -1;
    int32_t separator = -1;
    int32_t padding = -1;
    int32_t cls = -1;
    int32_t mask = -1;
    int32_t fim_prefix = -1;
    int32_t fim_suffix = -1;
    int32_t fim_middle = -1;
    int32_t fim_pad = -1;
    int32_t fim_repo = -1;
    int32_t fim_separator = -1;
};

/// Detokenization options; the values are those of the public
/// lq_detokenize_flags.
enum DetokenizeFlag : uint32_t {
    kDetokenizeRenderSpecial = 1u << 0,     // write the text of control tokens
    kDetokenizeKeepLeadingSpace = 1u << 1,  // do not remove the space the tokenizer inserted
};

/// What detokenization remembers between tokens: whether the next piece
/// starts a text fragment, whose inserted leading space is to be removed.
struct DecodeState {
    bool at_fragment_start = true;
};

class Vocab {
public:
    /// Builds the vocabulary of @p gguf. Returns nullptr when the file has no
    /// tokenizer (`tokenizer.ggml.model` absent, "none" or "no_vocab").
    /// Throws lq::Error: LQ_ERR_MODEL_FORMAT for malformed tokenizer metadata,
    /// LQ_ERR_UNSUPPORTED for an unknown tokenizer model or pre-tokenizer.
    static std::unique_ptr<Vocab> from_gguf(const GgufFile &gguf);
    ~Vocab();
    Vocab(const Vocab &) = delete;
    Vocab &operator=(const Vocab &) = delete;

    TokenizerKind kind() const { return kind_; }
    /// `tokenizer.ggml.model`: "llama", "gpt2" or "bert".
    const std::string &model_name() const { return model_name_; }
    /// The pre-tokenizer in use for byte-level BPE (canonical name), or the
    /// `tokenizer.ggml.pre` value for the others ("" when absent).
    const std::string &pre_name() const { return pre_name_; }

    int32_t n_tokens() const { return tokens_->size(); }
    bool is_valid(int32_t id) const { return tokens_->is_valid(id); }
    const TokenTable &tokens() const { return *tokens_; }
    const SpecialTokens &special() const { return special_; }
    /// Whether tokenize(add_special = true) puts BOS (WordPiece: [CLS]) first.
    bool add_bos() const { return add_bos_; }
    /// Whether tokenize(add_special = true) puts EOS (WordPiece: [SEP]) last.
    bool add_eos() const { return add_eos_; }
    /// Whether SentencePiece puts a space in front of each text fragment.
    bool add_space_prefix() const { return add_space_prefix_; }

    /// Attribute bits (TokenAttribute) of a valid token id.
    uint32_t attributes(int32_t id) const { return tokens_->attributes(id); }
    /// True for tokens that end generation: EOS, EOT, EOM and the other
    /// end-of-turn markers the vocabulary has. False for invalid ids.
    bool is_eog(int32_t id) const { return is_valid(id) && tokens_->has(id, kTokenEndOfGeneration); }

    /// Tokenizes @p text. With @p add_special, BOS/EOS are added as the
    /// metadata says; with @p parse_special, the text of control tokens
    /// ('<|im_start|>') becomes those tokens. Throws LQ_ERR_INVALID_ARGUMENT
    /// for text longer than max_text_bytes().
    std::vector<int32_t> tokenize(std::string_view text, bool add_special, bool parse_special) const;
    void tokenize(std::string_view text, bool add_special, bool parse_special, std::vector<int32_t> &out) const;

    /// Largest text tokenize() accepts (1 GiB).
    static constexpr size_t max_text_bytes() { return size_t(1) << 30; }

    /// The bytes one token stands for. Control, unknown and unused tokens
    /// give "" unless @p render_special. Throws LQ_ERR_INVALID_ARGUMENT for an
    /// invalid id.
    std::string token_to_piece(int32_t id, bool render_special) const;

    /// Appends the bytes of one token of a sequence, applying the
    /// leading-space rule (see docs/tokenizers.md). Throws for an invalid id.
    void decode_token(int32_t id, uint32_t flags, DecodeState &state, std::string &out) const;

    /// The text of a whole token sequence (DetokenizeFlag bits in @p flags).
    std::string detokenize(const int32_t *tokens, size_t count, uint32_t flags) const;

    /// Throws LQ_ERR_INVALID_ARGUMENT naming @p id when it is not a token.
    void check_token(int32_t id) const;

private:
    Vocab();
    void load_special_tokens(const GgufFile &gguf);
    void build_pieces();

    TokenizerKind kind_ = TokenizerKind::SentencePiece;
    std::string model_name_;
    std::string pre_name_;
    std::unique_ptr<TokenTable> tokens_;
    SpecialTokens special_;
    bool add_bos_ = false;
    bool add_eos_ = false;
    bool add_space_prefix_ = false;
    int32_t prefix_token_ = -1;  // added first by tokenize(add_special), or -1
    int32_t suffix_token_ = -1;  // added last, or -1
    bool strips_leading_space_ = false;  // decoding removes the space encoding inserts

    // Decoded bytes of every token, back to back.
    std::string piece_arena_;
    std::vector<uint32_t> piece_offsets_;

    std::unique_ptr<SpecialTokenMatcher> special_matcher_;
    std::unique_ptr<PreTokenizer> pre_tokenizer_;
    std::unique_ptr<SentencePieceEncoder> spm_;
    std::unique_ptr<BpeEncoder> bpe_;
    std::unique_ptr<WordPieceEncoder> wordpiece_;
};

}  // namespace lq
