// The token list of a vocabulary: text, score and attributes of every token,
// and the reverse lookup from text to id. Immutable once built.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lq {

/// Attribute bits of a token. The values are those of the public
/// lq_token_attribute flags.
enum TokenAttribute : uint32_t {
    kTokenNormal = 1u << 0,       // ordinary text
    kTokenControl = 1u << 1,      // BOS, EOS, chat markers: not text
    kTokenUserDefined = 1u << 2,  // added text that is always matched whole
    kTokenByte = 1u << 3,         // SentencePiece byte fallback <0xXX>
    kTokenUnknown = 1u << 4,      // the unknown token
    kTokenUnused = 1u << 5,       // reserved, never produced
    kTokenEndOfGeneration = 1u << 6,  // ends generation (EOS, EOT, ...)
};

/// GGUF `tokenizer.ggml.token_type` values.
enum class GgufTokenType : int32_t {
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
};

/// Attribute bits for a GGUF token type (0 for undefined or unknown values).
uint32_t attributes_from_gguf_type(int64_t type);

class TokenTable {
public:
    /// Copies @p texts; @p scores and @p attributes must have the same size.
    TokenTable(const std::vector<std::string_view> &texts, std::vector<float> scores,
               std::vector<uint32_t> attributes);
    TokenTable(const TokenTable &) = delete;
    TokenTable &operator=(const TokenTable &) = delete;

    int32_t size() const { return static_cast<int32_t>(offsets_.size() - 1); }
    bool is_valid(int32_t id) const { return id >= 0 && id < size(); }

    std::string_view text(int32_t id) const {
        return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
    }
    float score(int32_t id) const { return scores_[id]; }
    uint32_t attributes(int32_t id) const { return attributes_[id]; }
    bool has(int32_t id, uint32_t attribute) const { return (attributes_[id] & attribute) != 0; }

    /// The id of the token whose text is @p text, or -1. When several tokens
    /// share a text, the last one wins (added tokens come after the base
    /// vocabulary and take precedence).
    int32_t find(std::string_view text) const {
        for (size_t slot = hash(text) & slot_mask_;; slot = (slot + 1) & slot_mask_) {
            const int32_t id = slots_[slot];
            if (id < 0) return -1;
            if (this->text(id) == text) return id;
        }
    }

    /// Length in bytes of the longest token text.
    size_t max_text_length() const { return max_text_length_; }

    /// Adds attribute bits to a token (only while the owning vocabulary is
    /// being built).
    void add_attributes(int32_t id, uint32_t bits) { attributes_[id] |= bits; }

private:
    std::string arena_;             // all texts, back to back
    std::vector<uint32_t> offsets_;  // size() + 1 entries into arena_
    std::vector<float> scores_;
    std::vector<uint32_t> attributes_;
    // Open-addressing hash index from text to id (-1 marks an empty slot):
    // lookups are the inner loop of every tokenizer, so they avoid the
    // pointer chasing of a node-based map.
    static uint64_t hash(std::string_view text) {
        uint64_t h = 0xCBF29CE484222325ull;  // FNV-1a
        for (unsigned char c : text) h = (h ^ c) * 0x100000001B3ull;
        return h ^ (h >> 29);
    }
    std::vector<int32_t> slots_;
    size_t slot_mask_ = 0;
    size_t max_text_length_ = 0;
};

}  // namespace lq
