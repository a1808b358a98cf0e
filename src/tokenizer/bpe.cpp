#include "tokenizer/bpe.h"

#include <algorithm>

#include "core/error.h"
#include "core/log.h"
#include "tokenizer/byte_level.h"

namespace lq {
namespace {

// A symbol of the piece being merged; merged-away symbols have id kGone.
struct Symbol {
    int32_t id;
    int32_t prev;
    int32_t next;
};
constexpr int32_t kGone = -1;

struct Candidate {
    int32_t rank;
    int32_t left;      // index of the left symbol
    int32_t left_id;   // ids when the candidate was made: it is stale once
    int32_t right_id;  // either side has changed
    int32_t result;
};

// For std::push_heap (a max-heap): "a below b" when a should be merged later.
bool merges_later(const Candidate &a, const Candidate &b) {
    return a.rank > b.rank || (a.rank == b.rank && a.left > b.left);
}

}  // namespace

void BpeEncoder::RuleTable::reserve(size_t count) {
    size_t slots = 16;
    while (slots < 2 * count) slots *= 2;  // at most half full
    entries_.assign(slots, Entry());
    mask_ = slots - 1;
    size_ = 0;
}

void BpeEncoder::RuleTable::insert(uint64_t key, Rule rule) {
    if (2 * (size_ + 1) > entries_.size()) {  // keep the load low: rebuild twice as large
        std::vector<Entry> old = std::move(entries_);
        reserve(2 * (size_ + 1));
        for (const Entry &e : old)
            if (e.key != kEmpty) insert(e.key, e.rule);
    }
    size_t slot = hash(key) & mask_;
    while (entries_[slot].key != kEmpty) {
        if (entries_[slot].key == key) return;
        slot = (slot + 1) & mask_;
    }
    entries_[slot] = {key, rule};
    ++size_;
}

// Working memory reused across the pieces of one encode() call.
struct BpeEncoder::Scratch {
    std::vector<Symbol> symbols;
    std::vector<Candidate> heap;
    std::string encoded;
};

BpeEncoder::BpeEncoder(const TokenTable &table, const GgufValue &merges, const PreTokenizer &pre_tokenizer,
                       int32_t unknown)
    : table_(table), pre_tokenizer_(pre_tokenizer), unknown_(unknown) {
    // Some vocabularies name a control token (an end-of-text marker) as their
    // unknown token; input bytes must never turn into one of those.
    unknown_is_text_ = unknown_ >= 0 && !table_.has(unknown_, kTokenControl);
    auto add_synthetic = [&](const std::string &text, SyntheticSymbol symbol) {
        const auto id = static_cast<int32_t>(table_.size() + static_cast<int32_t>(synthetic_.size()));
        synthetic_.push_back(symbol);
        synthetic_ids_.emplace(text, id);
        return id;
    };
    for (int byte = 0; byte < 256; ++byte) {
        std::string text;
        byte_level::append_encoded(std::string_view(reinterpret_cast<const char *>(&byte), 1), text);
        const int32_t id = table_.find(text);
        byte_symbols_[byte] = id >= 0 ? id : add_synthetic(text, {-1, -1, byte});
    }

    size_t skipped = 0;
    rules_.reserve(merges.strings.size());
    for (size_t rank = 0; rank < merges.strings.size(); ++rank) {
        const std::string_view rule = merges.strings[rank];
        // The separator is the first space after the first character, so a
        // left part may itself be a space in vocabularies that keep spaces.
        const size_t space = rule.find(' ', 1);
        if (space == std::string_view::npos)
            fail(LQ_ERR_MODEL_FORMAT, "tokenizer.ggml.merges[%zu] '%.*s' is not two parts separated by a space", rank,
                 static_cast<int>(std::min<size_t>(rule.size(), 64)), rule.data());
        const std::string_view left_text = rule.substr(0, space);
        const std::string_view right_text = rule.substr(space + 1);
        const int32_t left = symbol_for_text(left_text);
        const int32_t right = symbol_for_text(right_text);
        if (left < 0 || right < 0) {  // a part that no text can produce: the rule never applies
            ++skipped;
            continue;
        }
        std::string joined(left_text);
        joined.append(right_text);
        int32_t result = symbol_for_text(joined);
        if (result < 0) result = add_synthetic(joined, {left, right, -1});
        rules_.insert(pair_key(left, right), Rule{static_cast<int32_t>(rank), result});  // the first rule wins
    }
    if (skipped) log(LQ_LOG_DEBUG, "BPE: %zu of %zu merge rules can never apply", skipped, merges.strings.size());
}

int32_t BpeEncoder::symbol_for_text(std::string_view text) const {
    const int32_t id = table_.find(text);
    if (id >= 0) return id;
    const auto it = synthetic_ids_.find(std::string(text));
    return it == synthetic_ids_.end() ? -1 : it->second;
}

void BpeEncoder::emit(int32_t symbol, std::vector<int32_t> &out) const {
    if (symbol < table_.size()) {
        out.push_back(symbol);
        return;
    }
    // A synthetic symbol: write its parts, left to right.
    std::vector<int32_t> stack{symbol};
    while (!stack.empty()) {
        const int32_t s = stack.back();
        stack.pop_back();
        if (s < table_.size()) {
            out.push_back(s);
            continue;
        }
        const SyntheticSymbol &parts = synthetic_[static_cast<size_t>(s - table_.size())];
        if (parts.left < 0) {  // a byte with no token (one that valid UTF-8 never has)
            if (unknown_is_text_) out.push_back(unknown_);
            continue;
        }
        stack.push_back(parts.right);
        stack.push_back(parts.left);
    }
}

void BpeEncoder::encode_piece(std::string_view piece, std::vector<int32_t> &out, Scratch &scratch) const {
    if (piece.size() == 1) {
        emit(byte_symbols_[static_cast<unsigned char>(piece[0])], out);
        return;
    }
    if (pre_tokenizer_.ignore_merges()) {
        scratch.encoded.clear();
        byte_level::append_encoded(piece, scratch.encoded);
        const int32_t id = table_.find(scratch.encoded);
        if (id >= 0 && !table_.has(id, kTokenControl | kTokenUnknown)) {
            out.push_back(id);
            return;
        }
    }

    std::vector<Symbol> &symbols = scratch.symbols;
    symbols.resize(piece.size());
    for (size_t i = 0; i < piece.size(); ++i) {
        symbols[i] = {byte_symbols_[static_cast<unsigned char>(piece[i])], static_cast<int32_t>(i) - 1,
                      static_cast<int32_t>(i) + 1};
    }
    symbols.back().next = -1;

    std::vector<Candidate> &heap = scratch.heap;
    heap.clear();
    auto consider = [&](int32_t left) {
        if (left < 0) return;
        const int32_t right = symbols[left].next;
        if (right < 0) return;
        const Rule *rule = rules_.find(pair_key(symbols[left].id, symbols[right].id));
        if (!rule) return;
        heap.push_back({rule->rank, left, symbols[left].id, symbols[right].id, rule->result});
        std::push_heap(heap.begin(), heap.end(), merges_later);
    };
    for (int32_t i = 0; i + 1 < static_cast<int32_t>(symbols.size()); ++i) consider(i);

    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), merges_later);
        const Candidate best = heap.back();
        heap.pop_back();
        Symbol &left = symbols[best.left];
        if (left.id != best.left_id || left.next < 0) continue;
        Symbol &right = symbols[left.next];
        if (right.id != best.right_id) continue;
        left.id = best.result;
        right.id = kGone;
        left.next = right.next;
        if (left.next >= 0) symbols[left.next].prev = best.left;
        consider(left.prev);
        consider(best.left);
    }

    for (int32_t i = 0; i >= 0; i = symbols[i].next) emit(symbols[i].id, out);
}

void BpeEncoder::encode(std::string_view text, std::vector<int32_t> &out) const {
    std::vector<Piece> pieces;
    pre_tokenizer_.split(text, pieces);
    Scratch scratch;
    // Words repeat a lot in longer text: remember where each short piece's
    // tokens were written and copy them instead of merging again.
    constexpr size_t kCachedPieceBytes = 32;
    const bool use_cache = pieces.size() > 64;
    std::unordered_map<std::string_view, std::pair<size_t, size_t>> written;  // piece -> (first index, count)
    for (const Piece &p : pieces) {
        const std::string_view piece = text.substr(p.first, p.second - p.first);
        if (!use_cache || piece.size() > kCachedPieceBytes) {
            encode_piece(piece, out, scratch);
            continue;
        }
        const auto it = written.find(piece);
        if (it != written.end()) {
            for (size_t i = 0; i < it->second.second; ++i) {
                const int32_t id = out[it->second.first + i];  // a copy: push_back may reallocate out
                out.push_back(id);
            }
            continue;
        }
        const size_t first = out.size();
        encode_piece(piece, out, scratch);
        written.emplace(piece, std::make_pair(first, out.size() - first));
    }
}

}  // namespace lq
