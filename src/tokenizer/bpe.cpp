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

// Working memory reused across the pieces of one encode() call.
struct BpeEncoder::Scratch {
    std::vector<Symbol> symbols;
    std::vector<Candidate> heap;
    std::string encoded;
};

BpeEncoder::BpeEncoder(const TokenTable &table, const GgufValue &merges, const PreTokenizer &pre_tokenizer,
                       int32_t unknown)
    : table_(table), pre_tokenizer_(pre_tokenizer), unknown_(unknown) {
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
        rules_.emplace(pair_key(left, right), Rule{static_cast<int32_t>(rank), result});  // first rule wins
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
        if (parts.left < 0) {  // a byte with no token
            if (unknown_ >= 0) out.push_back(unknown_);
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
        const auto it = rules_.find(pair_key(symbols[left].id, symbols[right].id));
        if (it == rules_.end()) return;
        heap.push_back({it->second.rank, left, symbols[left].id, symbols[right].id, it->second.result});
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
    for (const Piece &p : pieces) encode_piece(text.substr(p.first, p.second - p.first), out, scratch);
}

}  // namespace lq
