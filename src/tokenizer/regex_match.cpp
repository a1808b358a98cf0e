// Running a compiled regex: a Pike VM (breadth-first simulation of the NFA
// with threads kept in priority order), which gives leftmost-first results in
// time linear in the text. See regex.h.
#include <algorithm>
#include <utility>

#include "tokenizer/regex.h"

namespace lq::regex {
namespace {

// What the matcher knows about the code point at a position.
struct Position {
    uint32_t code_point = 0;
    unicode::Category category = unicode::Category::Cn;
    bool is_space = false;
    uint32_t length = 0;  // bytes; 0 at the end of the text
    bool at_end = true;
};

Position read_position(std::string_view text, size_t pos) {
    Position p;
    if (pos >= text.size()) return p;
    const unicode::Decoded d =
        unicode::decode_utf8(reinterpret_cast<const unsigned char *>(text.data()) + pos, text.size() - pos);
    p.code_point = d.code_point;
    p.category = unicode::category(d.code_point);
    p.is_space = unicode::is_whitespace(d.code_point);
    p.length = d.length;
    p.at_end = false;
    return p;
}

// A thread list for one text position: threads in priority order plus a
// "visited" stamp per instruction, so each instruction enters the list once.
struct ThreadList {
    std::vector<Scratch::Thread> *threads;
    std::vector<uint32_t> *visited;
    uint32_t stamp;
};

}  // namespace

bool CharClass::contains_exactly(uint32_t code_point, unicode::Category category, bool is_space) const {
    if (categories & unicode::mask_of(category)) return true;
    if (whitespace && is_space) return true;
    if (not_whitespace && !is_space) return true;
    for (const auto &range : ranges) {
        if (code_point < range.first) break;  // sorted by first
        if (code_point <= range.second) return true;
    }
    return false;
}

bool CharClass::contains(uint32_t code_point, unicode::Category category, bool is_space) const {
    bool found = contains_exactly(code_point, category, is_space);
    if (!found && case_insensitive) {
        // Simple case folding: a character matches when its other-case forms do.
        for (uint32_t variant : {unicode::to_lower(code_point), unicode::to_upper(code_point)}) {
            if (variant != code_point &&
                contains_exactly(variant, unicode::category(variant), unicode::is_whitespace(variant))) {
                found = true;
                break;
            }
        }
    }
    return found != negated;
}

bool CharClass::contains(uint32_t code_point) const {
    return contains(code_point, unicode::category(code_point), unicode::is_whitespace(code_point));
}

bool Regex::find(std::string_view text, size_t from, size_t *begin, size_t *end) const {
    Scratch scratch;
    return find(text, from, begin, end, scratch);
}

bool Regex::find(std::string_view text, size_t from, size_t *begin, size_t *end, Scratch &scratch) const {
    // One search may use at most this many backtracking steps, which also
    // bounds the choice stack.
    constexpr size_t kMaxStepsPerSearch = size_t(1) << 16;
    if (scratch.backtrack_allowance > 0) {
        size_t used = 0;
        const int found = find_backtracking(text, from, begin, end, scratch,
                                            std::min(kMaxStepsPerSearch, scratch.backtrack_allowance), &used);
        scratch.backtrack_allowance -= std::min(used, scratch.backtrack_allowance);
        if (found >= 0) return found == 1;
    }
    return find_linear(text, from, begin, end, scratch);
}

int Regex::find_backtracking(std::string_view text, size_t from, size_t *begin, size_t *end, Scratch &scratch,
                             size_t max_steps, size_t *steps_used) const {
    using Op = Instruction::Op;
    std::vector<std::pair<uint32_t, size_t>> &choices = scratch.choices;
    size_t steps = 0;
    size_t start = from;
    for (;;) {
        // One anchored attempt at `start`: follow the preferred branch,
        // resuming at the latest choice point on failure.
        choices.clear();
        uint32_t pc = 0;
        size_t pos = start;
        for (;;) {
            if (++steps > max_steps) {
                *steps_used = steps;
                return -1;
            }
            const Instruction &ins = program_[pc];
            bool failed = false;
            switch (ins.op) {
            case Op::Split:
                choices.emplace_back(ins.alternative, pos);
                pc = ins.next;
                continue;
            case Op::Jump: pc = ins.next; continue;
            case Op::TextStart: failed = pos != 0; break;
            case Op::TextEnd: failed = pos != text.size(); break;
            case Op::Match:
                if (pos > start) {  // empty matches are not reported
                    *begin = start;
                    *end = pos;
                    *steps_used = steps;
                    return 1;
                }
                failed = true;
                break;
            default: {
                const Position at = read_position(text, pos);
                bool in_class = false;
                if (!at.at_end) {
                    if (ins.op == Op::Char) in_class = at.code_point == ins.value;
                    else if (ins.op == Op::Any) in_class = at.code_point != '\n';
                    else in_class = classes_[ins.value].contains(at.code_point, at.category, at.is_space);
                }
                if (ins.op == Op::LookAhead) {
                    failed = in_class == ins.negated;
                } else {
                    failed = !in_class;
                    pos += at.length;
                }
                break;
            }
            }
            if (!failed) {
                pc = ins.next;
                continue;
            }
            if (choices.empty()) break;
            pc = choices.back().first;
            pos = choices.back().second;
            choices.pop_back();
        }
        if (start >= text.size()) break;
        start += read_position(text, start).length;
    }
    *steps_used = steps;
    return 0;
}

bool Regex::find_linear(std::string_view text, size_t from, size_t *begin, size_t *end, Scratch &scratch) const {
    using Op = Instruction::Op;
    const size_t size = program_.size();
    if (scratch.current_index.size() != size) {
        scratch.current_index.assign(size, 0);
        scratch.following_index.assign(size, 0);
    }
    // Stamps only grow, so marks left by earlier searches never look current.
    auto fresh_stamp = [&]() {
        if (++scratch.stamp == 0) {  // wrapped: forget every old mark
            std::fill(scratch.current_index.begin(), scratch.current_index.end(), 0);
            std::fill(scratch.following_index.begin(), scratch.following_index.end(), 0);
            scratch.stamp = 1;
        }
        return scratch.stamp;
    };

    ThreadList current{&scratch.current, &scratch.current_index, fresh_stamp()};
    ThreadList following{&scratch.following, &scratch.following_index, fresh_stamp()};
    current.threads->clear();
    following.threads->clear();

    // Follows Split, Jump and assertions from pc (in priority order) and adds
    // every consuming instruction and Match reached to the list.
    auto add_thread = [&](ThreadList &list, uint32_t pc, size_t pos, const Position &at, size_t start) {
        std::vector<uint32_t> &stack = scratch.stack;
        stack.clear();
        stack.push_back(pc);
        while (!stack.empty()) {
            const uint32_t p = stack.back();
            stack.pop_back();
            if ((*list.visited)[p] == list.stamp) continue;
            (*list.visited)[p] = list.stamp;
            const Instruction &ins = program_[p];
            switch (ins.op) {
            case Op::Jump: stack.push_back(ins.next); break;
            case Op::Split:
                stack.push_back(ins.alternative);  // popped after everything reachable from `next`
                stack.push_back(ins.next);
                break;
            case Op::TextStart:
                if (pos == 0) stack.push_back(ins.next);
                break;
            case Op::TextEnd:
                if (at.at_end) stack.push_back(ins.next);
                break;
            case Op::LookAhead: {
                const bool in_class =
                    !at.at_end && classes_[ins.value].contains(at.code_point, at.category, at.is_space);
                if (in_class != ins.negated) stack.push_back(ins.next);
                break;
            }
            default: list.threads->push_back({p, start}); break;
            }
        }
    };

    bool matched = false;
    size_t pos = from;
    Position here = read_position(text, pos);
    for (;;) {
        if (!matched) add_thread(current, 0, pos, here, pos);  // a new start has the lowest priority
        if (current.threads->empty()) {
            if (matched || here.at_end) break;
            pos += here.length;
            here = read_position(text, pos);
            current.stamp = fresh_stamp();
            continue;
        }
        const Position next = here.at_end ? here : read_position(text, pos + here.length);
        const size_t next_pos = pos + here.length;
        following.stamp = fresh_stamp();
        following.threads->clear();
        for (const Scratch::Thread &thread : *current.threads) {
            const Instruction &ins = program_[thread.pc];
            bool step = false;
            bool cut = false;
            switch (ins.op) {
            case Op::Match:
                if (thread.start < pos) {  // empty matches are not reported
                    matched = true;
                    *begin = thread.start;
                    *end = pos;
                    cut = true;  // threads after this one have lower priority: they can no longer win
                }
                break;
            case Op::Char: step = !here.at_end && here.code_point == ins.value; break;
            case Op::Class:
                step = !here.at_end && classes_[ins.value].contains(here.code_point, here.category, here.is_space);
                break;
            case Op::Any: step = !here.at_end && here.code_point != '\n'; break;
            default: break;
            }
            if (cut) break;
            if (step) add_thread(following, ins.next, next_pos, next, thread.start);
        }
        if (here.at_end) break;
        std::swap(current, following);
        following.threads->clear();
        pos = next_pos;
        here = next;
    }
    return matched;
}

}  // namespace lq::regex
