// Byte-level BPE (GGUF tokenizer model "gpt2"): pre-tokenizer split, then
// rank-ordered merges inside each piece.
//
// Each piece's bytes start as one symbol each (the byte-level characters of
// byte_level.h). Then, repeatedly, the adjacent pair with the lowest merge
// rank (the leftmost on ties) is replaced by its merge result, until no
// adjacent pair has a merge rule. Symbols are token ids throughout, so a
// merge is a hash lookup of two integers.
//
// Merge rules are taken from `tokenizer.ggml.merges` ("left right" per rule,
// in rank order). A rule whose result is not a vocabulary token still
// applies (the result is a synthetic symbol); at the end a synthetic symbol
// is written as the tokens it was made of. Bytes without a token of their own
// give the unknown token, or nothing when the vocabulary has none or its
// unknown token is a control token (StarCoder names <|endoftext|>).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "format/gguf.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/token_table.h"

namespace lq {

class BpeEncoder {
public:
    /// @p merges is the `tokenizer.ggml.merges` string array. @p unknown is
    /// the unknown token id, or -1. Throws LQ_ERR_MODEL_FORMAT on malformed rules.
    BpeEncoder(const TokenTable &table, const GgufValue &merges, const PreTokenizer &pre_tokenizer, int32_t unknown);

    /// Appends the tokens of @p text (one raw-text fragment) to @p out.
    void encode(std::string_view text, std::vector<int32_t> &out) const;

    /// Number of merge rules in use.
    size_t merge_count() const { return rules_.size(); }

private:
    struct Rule {
        int32_t rank;
        int32_t result;
    };
    struct SyntheticSymbol {
        int32_t left;   // parts, or -1 for a byte without a token
        int32_t right;
        int32_t byte;   // for a byte without a token
    };

    static uint64_t pair_key(int32_t left, int32_t right) {
        return (static_cast<uint64_t>(static_cast<uint32_t>(left)) << 32) | static_cast<uint32_t>(right);
    }

    // Merge rules by symbol pair in an open-addressing table: the lookup is
    // the inner loop of BPE.
    class RuleTable {
    public:
        void reserve(size_t count);
        /// Adds a rule unless the pair has one already (the first, lowest rank wins).
        void insert(uint64_t key, Rule rule);
        const Rule *find(uint64_t key) const {
            for (size_t slot = hash(key) & mask_;; slot = (slot + 1) & mask_) {
                const Entry &e = entries_[slot];
                if (e.key == key) return &e.rule;
                if (e.key == kEmpty) return nullptr;
            }
        }
        size_t size() const { return size_; }

    private:
        static constexpr uint64_t kEmpty = ~uint64_t(0);  // no pair of valid ids has this key
        struct Entry {
            uint64_t key = kEmpty;
            Rule rule{0, 0};
        };
        static uint64_t hash(uint64_t key) { return (key * 0x9E3779B97F4A7C15ull) >> 17; }
        std::vector<Entry> entries_;
        size_t mask_ = 0;
        size_t size_ = 0;
    };
    int32_t symbol_for_text(std::string_view text) const;
    struct Scratch;
    void encode_piece(std::string_view piece, std::vector<int32_t> &out, Scratch &scratch) const;
    void emit(int32_t symbol, std::vector<int32_t> &out) const;

    const TokenTable &table_;
    const PreTokenizer &pre_tokenizer_;
    int32_t unknown_;
    bool unknown_is_text_ = false;  // unknown_ may stand for bytes without a token
    int32_t byte_symbols_[256];
    RuleTable rules_;
    // Symbols that are not vocabulary tokens get ids from table_.size() on.
    std::vector<SyntheticSymbol> synthetic_;
    std::unordered_map<std::string, int32_t> synthetic_ids_;
};

}  // namespace lq
