// Finding special tokens in raw text before the tokenizer proper runs.
//
// User-defined tokens (added vocabulary such as '<|im_start|>' in some
// models, or single characters a vocabulary wants kept whole) are always
// matched in the text, as Hugging Face tokenizers do with added tokens.
// Control and unknown tokens ('<s>', '<|eot_id|>', '[CLS]') are matched only
// when the caller asks for special-text parsing: by default their text is
// tokenized like any other text, so user input cannot forge them.
//
// Matching is leftmost-longest: scanning from the start, the longest special
// token at the earliest position wins.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "tokenizer/token_table.h"

namespace lq {

/// A part of the input: either raw text [begin, end) or one special token.
struct Fragment {
    size_t begin = 0;
    size_t end = 0;
    int32_t token = -1;  // >= 0 for a special token, -1 for raw text
};

class SpecialTokenMatcher {
public:
    explicit SpecialTokenMatcher(const TokenTable &table);

    /// Splits @p text into raw-text fragments and special tokens, in order.
    /// Raw fragments are never empty.
    void partition(std::string_view text, bool parse_special, std::vector<Fragment> &out) const;

    /// Number of tokens that can be matched (with parse_special on).
    size_t size() const { return count_; }

private:
    struct Candidate {
        std::string_view text;
        int32_t id;
        bool always;  // user-defined: matched even without parse_special
    };
    // Candidates grouped by their first byte, longest first.
    std::array<std::vector<Candidate>, 256> by_first_byte_;
    std::array<bool, 256> starts_any_{};
    std::array<bool, 256> starts_always_{};
    size_t count_ = 0;
};

}  // namespace lq
