// A small regular-expression engine over Unicode code points, made for the
// pre-tokenizer patterns of language-model vocabularies.
//
// Supported syntax (the subset those patterns use, with their meaning in
// Oniguruma / Rust regex / PCRE):
//   literals (UTF-8), '.', '^' and '$' (start and end of the searched text),
//   escapes \r \n \t \f \v \0 \xHH \x{H..} \uHHHH and escaped punctuation,
//   \s \S (White_Space), \d \D (Nd), \p{..} \P{..} \pL (general categories:
//   L, Lu, N, Nd, P, S, M, Z, C, LC, ...),
//   classes [...] / [^...] with ranges, escapes and properties inside,
//   groups (...) (?:...), case-insensitive groups (?i:...),
//   alternation |, greedy quantifiers ? * + {n} {n,} {n,m},
//   one-character lookahead (?=X) and (?!X), where X is a single literal,
//   class, escape or property (as in \s+(?!\S)).
// Anything else (backreferences, lazy or possessive quantifiers, general
// lookaround) is rejected at compile time with a message naming the
// position.
//
// Matching is leftmost-first, like the engines above: the earliest start
// wins, then the highest-priority alternative, greedy quantifiers preferring
// to take more. The matcher simulates the compiled program as a Thompson NFA
// (a Pike VM), so a search takes time linear in the text for a given
// pattern: hostile input cannot cause exponential or quadratic backtracking
// blow-ups inside one search. Empty matches are never reported.
//
// Because pre-tokenizer patterns nearly always decide within a character or
// two, find() first tries a backtracking matcher, which is several times
// faster on such patterns, under a step budget; a search that would exceed
// it is redone by the Pike VM. Both give the same matches (the tests check
// this on random input), and the budget keeps the total work linear.
//
// A compiled Regex is immutable; find() keeps its working state on the
// caller's stack or in a caller-provided scratch object, so one Regex can be
// used by any number of threads at once.
//
// Invalid UTF-8 in the searched text is treated byte by byte as U+FFFD (a
// symbol, So), so that every byte of the input is covered by some match or
// gap and nothing is lost.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "tokenizer/unicode.h"

namespace lq::regex {

/// A set of code points: ranges, whole categories and White_Space, possibly
/// negated and case-insensitive.
struct CharClass {
    std::vector<std::pair<uint32_t, uint32_t>> ranges;  // inclusive, sorted by first
    unicode::CategoryMask categories = 0;
    bool whitespace = false;      // \s
    bool not_whitespace = false;  // \S
    bool negated = false;
    bool case_insensitive = false;

    /// Membership of a code point whose category and White_Space property
    /// are already known.
    bool contains(uint32_t code_point, unicode::Category category, bool is_space) const;
    /// Membership of a code point (looks its properties up).
    bool contains(uint32_t code_point) const;

private:
    bool contains_exactly(uint32_t code_point, unicode::Category category, bool is_space) const;
};

/// One instruction of a compiled program.
struct Instruction {
    enum class Op : uint8_t {
        Char,       // consume code point `value`
        Class,      // consume a code point in classes[value]
        Any,        // consume any code point except '\n'
        Split,      // continue at `next`, and with lower priority at `alternative`
        Jump,       // continue at `next`
        TextStart,  // assert: at the start of the searched text
        TextEnd,    // assert: at the end of the searched text
        LookAhead,  // assert: next code point is (or, if `negated`, is not) in classes[value]
        Match,
    };
    Op op = Op::Match;
    bool negated = false;
    uint32_t value = 0;
    uint32_t next = 0;
    uint32_t alternative = 0;
};

/// Working memory of a search; reuse one per thread to avoid allocations.
struct Scratch {
    struct Thread {
        uint32_t pc;
        size_t start;
    };
    std::vector<Thread> current, following;
    std::vector<uint32_t> current_index, following_index;  // per instruction: stamp of the list holding it
    std::vector<uint32_t> stack;
    uint32_t stamp = 0;
    std::vector<std::pair<uint32_t, size_t>> choices;  // backtracking: (pc, position) to resume at
    /// Backtracking steps find() may still spend before it uses only the
    /// Pike VM. Callers splitting a text set it in proportion to its length.
    size_t backtrack_allowance = size_t(1) << 20;
};

class Regex {
public:
    /// Compiles @p pattern. Throws lq::Error(LQ_ERR_INVALID_ARGUMENT) naming the
    /// byte offset of the first unsupported or malformed construct.
    static Regex compile(std::string_view pattern);

    /// Finds the leftmost-first non-empty match in @p text starting at or after
    /// byte @p from. '^' and '$' refer to the start and end of @p text.
    /// Returns false when there is none; otherwise sets [*begin, *end).
    bool find(std::string_view text, size_t from, size_t *begin, size_t *end, Scratch &scratch) const;
    bool find(std::string_view text, size_t from, size_t *begin, size_t *end) const;

    /// The Pike VM alone (what find() falls back to).
    bool find_linear(std::string_view text, size_t from, size_t *begin, size_t *end, Scratch &scratch) const;

    /// The backtracking matcher alone, for at most @p max_steps steps: 1 when
    /// a match was found, 0 when there is none, -1 when the steps ran out.
    /// @p steps_used receives the steps taken.
    int find_backtracking(std::string_view text, size_t from, size_t *begin, size_t *end, Scratch &scratch,
                          size_t max_steps, size_t *steps_used) const;

    const std::string &pattern() const { return pattern_; }
    size_t program_size() const { return program_.size(); }

private:
    friend class Compiler;
    std::string pattern_;
    std::vector<Instruction> program_;
    std::vector<CharClass> classes_;
};

}  // namespace lq::regex
