// WordPiece (GGUF tokenizer model "bert"), with BERT's normalisation and
// pre-tokenization, as Hugging Face's BertNormalizer + BertPreTokenizer +
// WordPiece do it for uncased models:
//
//  1. clean: drop NUL, U+FFFD (and so every byte of invalid UTF-8) and other
//     control / format / unassigned / private-use characters; every
//     White_Space character becomes a space;
//  2. put spaces around CJK ideographs, so each is a word of its own;
//  3. strip accents: canonical decomposition (NFD), then drop non-spacing
//     marks (Mn);
//  4. lowercase (full Unicode mapping);
//  5. split into words at spaces, and make every punctuation character
//     (ASCII punctuation or Unicode P*) a word of its own;
//  6. per word, greedy longest-match-first: the longest vocabulary entry
//     that starts the word, then the longest continuation entry, and so on;
//     a word that cannot be covered, or that is longer than 100 characters,
//     becomes the unknown token.
//
// GGUF files store word-initial entries with a leading U+2581 '▁' and
// continuation entries bare (BERT's "##" prefix removed), so a word "hello"
// is looked up as "▁hello", and its continuation "llo" as "llo".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/token_table.h"

namespace lq {

class WordPieceEncoder {
public:
    /// @p unknown is the unknown token id, or -1 (then uncoverable words give nothing).
    WordPieceEncoder(const TokenTable &table, int32_t unknown);

    /// Appends the tokens of @p text (one raw-text fragment) to @p out.
    void encode(std::string_view text, std::vector<int32_t> &out) const;

    /// Steps 1 to 5 alone: the normalised words of @p text.
    static std::vector<std::string> words(std::string_view text);

private:
    void encode_word(const std::string &word, std::vector<int32_t> &out, std::string &candidate) const;

    const TokenTable &table_;
    int32_t unknown_;
};

}  // namespace lq
