#include "tokenizer/spm.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <unordered_map>

#include "tokenizer/unicode.h"

namespace lq {
namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";  // U+2581, SentencePiece's visible space

// A run of the escaped text that is (so far) one symbol; symbols form a
// doubly linked list in text order. A merged-away symbol has length 0.
struct Symbol {
    uint32_t begin;
    uint32_t length;
    int32_t prev;
    int32_t next;
};

// A candidate merge of two adjacent symbols. `length` is the combined length
// when the candidate was made, which tells whether it is still current.
struct Candidate {
    float score;
    int32_t left;
    int32_t right;
    uint32_t length;
};

struct LowerPriority {
    bool operator()(const Candidate &a, const Candidate &b) const {
        // Higher score first; on equal scores the leftmost pair first.
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
};

}  // namespace

struct SentencePieceEncoder::Scratch {
    std::vector<Symbol> symbols;
    std::vector<Candidate> queue;  // a binary heap
};

SentencePieceEncoder::SentencePieceEncoder(const TokenTable &table, int32_t unknown)
    : table_(table), unknown_(unknown) {
    for (int byte = 0; byte < 256; ++byte) {
        char name[8];
        std::snprintf(name, sizeof name, "<0x%02X>", byte);
        int32_t id = table.find(name);
        if (id < 0 && byte < 0x80) {  // some vocabularies have plain ASCII characters instead
            const char single = static_cast<char>(byte);
            id = table.find(std::string_view(&single, 1));
        }
        byte_tokens_[byte] = id;
    }
    // Whether some token has a '▁' after another character (then words
    // cannot be merged apart).
    words_are_independent_ = true;
    for (int32_t id = 0; id < table.size() && words_are_independent_; ++id) {
        std::string_view text = table.text(id);
        while (text.compare(0, kSpaceMarker.size(), kSpaceMarker) == 0) text.remove_prefix(kSpaceMarker.size());
        if (mergeable(id) && text.find(kSpaceMarker) != std::string_view::npos) words_are_independent_ = false;
    }
}

bool SentencePieceEncoder::mergeable(int32_t id) const {
    // User-defined tokens are matched whole before this tokenizer runs.
    const uint32_t attributes = table_.attributes(id);
    return attributes == 0 || (attributes & kTokenNormal) != 0;
}

int32_t SentencePieceEncoder::lookup(std::string_view text) const {
    const int32_t id = table_.find(text);
    return id >= 0 && mergeable(id) ? id : -1;
}

void SentencePieceEncoder::emit_symbol(std::string_view text, std::vector<int32_t> &out) const {
    const int32_t id = lookup(text);
    if (id >= 0) {
        out.push_back(id);
        return;
    }
    // Byte fallback, one token per byte; without byte tokens the whole
    // symbol becomes one unknown token.
    bool all_bytes = true;
    for (unsigned char b : text) all_bytes = all_bytes && byte_tokens_[b] >= 0;
    if (all_bytes) {
        for (unsigned char b : text) out.push_back(byte_tokens_[b]);
    } else if (unknown_ >= 0) {
        out.push_back(unknown_);
    }
}

void SentencePieceEncoder::encode(std::string_view text, bool dummy_prefix, std::vector<int32_t> &out) const {
    std::string escaped;
    escaped.reserve(text.size() + text.size() / 2 + kSpaceMarker.size());
    if (dummy_prefix) escaped.append(kSpaceMarker);
    for (char c : text) {
        if (c == ' ')
            escaped.append(kSpaceMarker);
        else
            escaped += c;
    }
    Scratch scratch;
    if (!words_are_independent_) {
        encode_segment(escaped, 0, escaped.size(), out, scratch);
        return;
    }
    // No token runs from a character into a following '▁', so the text can be
    // cut before every run of '▁' that follows something else and each part
    // merged alone: same result, far smaller queues. Words repeat in longer
    // text, so the tokens of short parts are remembered and copied.
    constexpr size_t kCachedSegmentBytes = 48;
    const bool use_cache = escaped.size() > 1024;
    std::unordered_map<std::string_view, std::pair<size_t, size_t>> written;  // segment -> (first index, count)
    auto encode_cached = [&](size_t begin, size_t end) {
        const std::string_view segment(escaped.data() + begin, end - begin);
        if (!use_cache || segment.size() > kCachedSegmentBytes) {
            encode_segment(escaped, begin, end, out, scratch);
            return;
        }
        const auto it = written.find(segment);
        if (it != written.end()) {
            for (size_t i = 0; i < it->second.second; ++i) {
                const int32_t id = out[it->second.first + i];  // a copy: push_back may reallocate out
                out.push_back(id);
            }
            return;
        }
        const size_t first = out.size();
        encode_segment(escaped, begin, end, out, scratch);
        written.emplace(segment, std::make_pair(first, out.size() - first));
    };
    size_t segment_start = 0;
    for (size_t pos = 1; pos < escaped.size(); ++pos) {
        if (escaped.compare(pos, kSpaceMarker.size(), kSpaceMarker) != 0) continue;
        if (pos >= kSpaceMarker.size() &&
            escaped.compare(pos - kSpaceMarker.size(), kSpaceMarker.size(), kSpaceMarker) == 0) {
            pos += kSpaceMarker.size() - 1;  // inside a run of markers
            continue;
        }
        encode_cached(segment_start, pos);
        segment_start = pos;
        pos += kSpaceMarker.size() - 1;
    }
    encode_cached(segment_start, escaped.size());
}

void SentencePieceEncoder::encode_segment(const std::string &escaped, size_t begin, size_t end,
                                          std::vector<int32_t> &out, Scratch &scratch) const {
    std::vector<Symbol> &symbols = scratch.symbols;
    symbols.clear();
    const auto *bytes = reinterpret_cast<const unsigned char *>(escaped.data());
    for (size_t pos = begin; pos < end;) {
        const uint32_t length = unicode::decode_utf8(bytes + pos, end - pos).length;
        const auto index = static_cast<int32_t>(symbols.size());
        symbols.push_back({static_cast<uint32_t>(pos), length, index - 1, index + 1});
        pos += length;
    }
    if (symbols.empty()) return;
    symbols.back().next = -1;

    std::vector<Candidate> &queue = scratch.queue;
    queue.clear();
    auto consider = [&](int32_t left, int32_t right) {
        if (left < 0 || right < 0) return;
        const uint32_t length = symbols[left].length + symbols[right].length;
        const int32_t id = lookup(std::string_view(escaped).substr(symbols[left].begin, length));
        if (id < 0) return;
        queue.push_back({table_.score(id), left, right, length});
        std::push_heap(queue.begin(), queue.end(), LowerPriority());
    };
    for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) consider(i, i + 1);

    while (!queue.empty()) {
        std::pop_heap(queue.begin(), queue.end(), LowerPriority());
        const Candidate best = queue.back();
        queue.pop_back();
        Symbol &left = symbols[best.left];
        Symbol &right = symbols[best.right];
        // Stale when either side was merged since: the left one into its
        // own left neighbour (length 0), or the right one grew or vanished.
        if (left.length == 0 || right.length == 0 || left.length + right.length != best.length) continue;
        left.length += right.length;
        right.length = 0;
        left.next = right.next;
        if (right.next >= 0) symbols[right.next].prev = best.left;
        consider(left.prev, best.left);
        consider(best.left, left.next);
    }

    for (int32_t i = 0; i >= 0; i = symbols[i].next)
        emit_symbol(std::string_view(escaped).substr(symbols[i].begin, symbols[i].length), out);
}

}  // namespace lq
