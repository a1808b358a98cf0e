// SentencePiece BPE (GGUF tokenizer model "llama"): merges driven by token
// scores, with byte fallback.
//
// The text is written with U+2581 '▁' for every space (and one more in front
// when the caller asks for SentencePiece's dummy prefix), cut into characters,
// and adjacent symbols are merged greedily: always the pair whose
// concatenation is the vocabulary token with the highest score (the leftmost
// pair on ties), until no adjacent pair forms a token. A symbol that is not a
// token at the end (a character missing from the vocabulary, or a byte of
// invalid UTF-8) is written as its bytes with the <0xXX> byte tokens; a
// vocabulary without byte tokens gives the unknown token instead.
//
// Only normal (and untyped) tokens are formed by merging: control, byte and
// unused tokens never arise from ordinary text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/token_table.h"

namespace lq {

class SentencePieceEncoder {
public:
    /// @p unknown is the unknown token id, or -1.
    SentencePieceEncoder(const TokenTable &table, int32_t unknown);

    /// Appends the tokens of @p text to @p out. With @p dummy_prefix a space
    /// is put in front of the text first.
    void encode(std::string_view text, bool dummy_prefix, std::vector<int32_t> &out) const;

    /// The <0xXX> token of a byte, or -1.
    int32_t byte_token(uint8_t byte) const { return byte_tokens_[byte]; }

private:
    bool mergeable(int32_t id) const;
    int32_t lookup(std::string_view text) const;
    void emit_symbol(std::string_view text, std::vector<int32_t> &out) const;
    struct Scratch;
    void encode_segment(const std::string &escaped, size_t begin, size_t end, std::vector<int32_t> &out,
                        Scratch &scratch) const;

    const TokenTable &table_;
    int32_t unknown_;
    int32_t byte_tokens_[256];
    bool words_are_independent_ = false;  // no token has '▁' after another character
};

}  // namespace lq
