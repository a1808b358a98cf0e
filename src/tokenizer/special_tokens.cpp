#include "tokenizer/special_tokens.h"

#include <algorithm>
#include <cstring>

namespace lq {

SpecialTokenMatcher::SpecialTokenMatcher(const TokenTable &table) {
    for (int32_t id = 0; id < table.size(); ++id) {
        const uint32_t attributes = table.attributes(id);
        const bool always = (attributes & kTokenUserDefined) != 0;
        if (!always && !(attributes & (kTokenControl | kTokenUnknown))) continue;
        const std::string_view text = table.text(id);
        if (text.empty()) continue;
        const auto first = static_cast<unsigned char>(text[0]);
        by_first_byte_[first].push_back({text, id, always});
        starts_any_[first] = true;
        if (always) starts_always_[first] = true;
        ++count_;
    }
    for (auto &group : by_first_byte_) {
        // Longest first; equal lengths by id so the order is deterministic.
        std::stable_sort(group.begin(), group.end(), [](const Candidate &a, const Candidate &b) {
            return a.text.size() != b.text.size() ? a.text.size() > b.text.size() : a.id < b.id;
        });
    }
}

void SpecialTokenMatcher::partition(std::string_view text, bool parse_special, std::vector<Fragment> &out) const {
    out.clear();
    const std::array<bool, 256> &starts = parse_special ? starts_any_ : starts_always_;
    size_t raw_start = 0;
    size_t pos = 0;
    while (pos < text.size()) {
        const auto byte = static_cast<unsigned char>(text[pos]);
        const Candidate *found = nullptr;
        if (starts[byte]) {
            for (const Candidate &c : by_first_byte_[byte]) {
                if (!parse_special && !c.always) continue;
                if (c.text.size() <= text.size() - pos && std::memcmp(c.text.data(), text.data() + pos, c.text.size()) == 0) {
                    found = &c;
                    break;
                }
            }
        }
        if (!found) {
            ++pos;
            continue;
        }
        if (pos > raw_start) out.push_back({raw_start, pos, -1});
        out.push_back({pos, pos + found->text.size(), found->id});
        pos += found->text.size();
        raw_start = pos;
    }
    if (pos > raw_start) out.push_back({raw_start, pos, -1});
}

}  // namespace lq
