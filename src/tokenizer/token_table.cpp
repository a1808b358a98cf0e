#include "tokenizer/token_table.h"

#include "core/error.h"

namespace lq {

uint32_t attributes_from_gguf_type(int64_t type) {
    switch (static_cast<GgufTokenType>(type)) {
    case GgufTokenType::Normal: return kTokenNormal;
    case GgufTokenType::Unknown: return kTokenUnknown;
    case GgufTokenType::Control: return kTokenControl;
    case GgufTokenType::UserDefined: return kTokenUserDefined;
    case GgufTokenType::Unused: return kTokenUnused;
    case GgufTokenType::Byte: return kTokenByte;
    default: return 0;
    }
}

TokenTable::TokenTable(const std::vector<std::string_view> &texts, std::vector<float> scores,
                       std::vector<uint32_t> attributes)
    : scores_(std::move(scores)), attributes_(std::move(attributes)) {
    if (scores_.size() != texts.size() || attributes_.size() != texts.size())
        fail(LQ_ERR_INTERNAL, "token table: %zu texts, %zu scores, %zu attributes", texts.size(), scores_.size(),
             attributes_.size());
    if (texts.size() >= static_cast<size_t>(INT32_MAX))
        fail(LQ_ERR_MODEL_FORMAT, "vocabulary of %zu tokens is too large", texts.size());
    size_t total = 0;
    for (std::string_view t : texts) total += t.size();
    if (total >= UINT32_MAX) fail(LQ_ERR_MODEL_FORMAT, "vocabulary texts are too large (%zu bytes)", total);
    arena_.reserve(total);
    offsets_.reserve(texts.size() + 1);
    offsets_.push_back(0);
    for (std::string_view t : texts) {
        arena_.append(t);
        offsets_.push_back(static_cast<uint32_t>(arena_.size()));
        if (t.size() > max_text_length_) max_text_length_ = t.size();
    }
    size_t slot_count = 16;
    while (slot_count < 2 * texts.size()) slot_count *= 2;  // at most half full
    slots_.assign(slot_count, -1);
    slot_mask_ = slot_count - 1;
    for (int32_t id = 0; id < size(); ++id) {
        const std::string_view t = text(id);
        if (t.empty()) continue;  // an empty text can never be matched
        size_t slot = hash(t) & slot_mask_;
        while (slots_[slot] >= 0 && text(slots_[slot]) != t) slot = (slot + 1) & slot_mask_;
        slots_[slot] = id;  // a later duplicate replaces the earlier one
    }
}

}  // namespace lq
