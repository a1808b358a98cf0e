// Parsing a pattern into a small syntax tree, and compiling the tree into the
// instruction program that regex_match.cpp runs. See regex.h for the syntax.
#include <algorithm>
#include <limits>

#include "core/error.h"
#include "core/utf8.h"
#include "tokenizer/regex.h"

namespace lq::regex {
namespace {

constexpr int kUnbounded = -1;
constexpr int kMaxRepeat = 1000;              // largest {n,m} bound accepted
constexpr size_t kMaxProgramSize = 200000;    // guards against patterns that expand enormously

struct Node {
    enum class Kind { Empty, Char, Class, Any, TextStart, TextEnd, LookAhead, Concat, Alternate, Repeat };
    Kind kind = Kind::Empty;
    uint32_t value = 0;  // code point (Char) or class index (Class, LookAhead)
    bool negated = false;
    int min = 0, max = 0;  // Repeat bounds; max kUnbounded for no limit
    std::vector<Node> children;
};

// What an escape sequence stands for: one code point, or a set of them.
struct Escape {
    bool is_code_point = true;
    uint32_t code_point = 0;
    CharClass set;
};

class Parser {
public:
    Parser(std::string_view pattern, std::vector<CharClass> &classes) : pattern_(pattern), classes_(classes) {}

    Node parse() {
        Node root = parse_alternation(false);
        if (pos_ < pattern_.size()) error("unbalanced ')'");
        return root;
    }

private:
    [[noreturn]] void error(const char *what) const {
        fail(LQ_ERR_INVALID_ARGUMENT, "regex '%.*s': %s at byte %zu", static_cast<int>(pattern_.size()),
             pattern_.data(), what, pos_);
    }

    bool at_end() const { return pos_ >= pattern_.size(); }
    char peek() const { return at_end() ? '\0' : pattern_[pos_]; }
    bool consume(char c) {
        if (peek() != c || at_end()) return false;
        ++pos_;
        return true;
    }
    bool consume(std::string_view text) {
        if (pattern_.substr(pos_, text.size()) != text) return false;
        pos_ += text.size();
        return true;
    }

    uint32_t next_code_point() {
        if (at_end()) error("unexpected end of pattern");
        const auto *p = reinterpret_cast<const unsigned char *>(pattern_.data() + pos_);
        const size_t length = utf8_sequence_length(p, pattern_.size() - pos_);
        if (length == 0) error("invalid UTF-8 in pattern");
        pos_ += length;
        return utf8_decode(p, length);
    }

    Node parse_alternation(bool case_insensitive) {
        Node first = parse_concatenation(case_insensitive);
        if (peek() != '|') return first;
        Node alternation;
        alternation.kind = Node::Kind::Alternate;
        alternation.children.push_back(std::move(first));
        while (consume('|')) alternation.children.push_back(parse_concatenation(case_insensitive));
        return alternation;
    }

    Node parse_concatenation(bool case_insensitive) {
        Node sequence;
        sequence.kind = Node::Kind::Concat;
        while (!at_end() && peek() != '|' && peek() != ')') {
            Node atom = parse_atom(case_insensitive);
            while (!at_end()) {
                int min = 0, max = 0;
                if (consume('?')) {
                    min = 0, max = 1;
                } else if (consume('*')) {
                    min = 0, max = kUnbounded;
                } else if (consume('+')) {
                    min = 1, max = kUnbounded;
                } else if (peek() == '{') {
                    parse_counted(&min, &max);
                } else {
                    break;
                }
                if (peek() == '?' || peek() == '+') error("lazy and possessive quantifiers are not supported");
                if (atom.kind == Node::Kind::TextStart || atom.kind == Node::Kind::TextEnd ||
                    atom.kind == Node::Kind::LookAhead)
                    error("quantifier after an assertion");
                Node repeat;
                repeat.kind = Node::Kind::Repeat;
                repeat.min = min;
                repeat.max = max;
                repeat.children.push_back(std::move(atom));
                atom = std::move(repeat);
            }
            sequence.children.push_back(std::move(atom));
        }
        if (sequence.children.size() == 1) return std::move(sequence.children[0]);
        if (sequence.children.empty()) sequence.kind = Node::Kind::Empty;
        return sequence;
    }

    int parse_number() {
        if (!(peek() >= '0' && peek() <= '9')) error("expected a number in {}");
        int value = 0;
        while (peek() >= '0' && peek() <= '9') {
            value = value * 10 + (pattern_[pos_++] - '0');
            if (value > kMaxRepeat) error("repetition count too large");
        }
        return value;
    }

    void parse_counted(int *min, int *max) {
        consume('{');
        *min = parse_number();
        *max = *min;
        if (consume(',')) *max = peek() == '}' ? kUnbounded : parse_number();
        if (!consume('}')) error("expected '}'");
        if (*max != kUnbounded && *max < *min) error("{n,m} with m < n");
    }

    Node make_class(CharClass set) {
        Node node;
        node.kind = Node::Kind::Class;
        node.value = static_cast<uint32_t>(classes_.size());
        classes_.push_back(std::move(set));
        return node;
    }

    Node make_literal(uint32_t code_point, bool case_insensitive) {
        if (case_insensitive &&
            (unicode::to_lower(code_point) != code_point || unicode::to_upper(code_point) != code_point)) {
            CharClass set;
            set.ranges.push_back({code_point, code_point});
            set.case_insensitive = true;
            return make_class(std::move(set));
        }
        Node node;
        node.kind = Node::Kind::Char;
        node.value = code_point;
        return node;
    }

    Node parse_atom(bool case_insensitive) {
        const char c = peek();
        if (c == '(') return parse_group(case_insensitive);
        if (c == '[') return make_class(parse_class(case_insensitive));
        if (c == '*' || c == '+' || c == '?' || c == '{') error("nothing to repeat");
        Node node;
        if (consume('.')) {
            node.kind = Node::Kind::Any;
            return node;
        }
        if (consume('^')) {
            node.kind = Node::Kind::TextStart;
            return node;
        }
        if (consume('$')) {
            node.kind = Node::Kind::TextEnd;
            return node;
        }
        if (consume('\\')) {
            Escape e = parse_escape();
            if (e.is_code_point) return make_literal(e.code_point, case_insensitive);
            e.set.case_insensitive = case_insensitive;
            return make_class(std::move(e.set));
        }
        return make_literal(next_code_point(), case_insensitive);
    }

    Node parse_group(bool case_insensitive) {
        consume('(');
        const std::string_view kind = pattern_.substr(pos_, 2);
        if (kind == "?=" || kind == "?!") {
            const bool negated = kind == "?!";
            pos_ += 2;
            Node inner = parse_alternation(case_insensitive);
            if (!consume(')')) error("expected ')'");
            Node look;
            look.kind = Node::Kind::LookAhead;
            look.negated = negated;
            if (inner.kind == Node::Kind::Class) {
                look.value = inner.value;
            } else if (inner.kind == Node::Kind::Char) {
                CharClass set;
                set.ranges.push_back({inner.value, inner.value});
                look.value = make_class(std::move(set)).value;
            } else {
                error("lookahead must hold a single character, class or property");
            }
            return look;
        }
        bool inner_case_insensitive = case_insensitive;
        if (consume("?i:")) {
            inner_case_insensitive = true;
        } else if (!consume("?:") && peek() == '?') {
            error("unsupported group kind");
        }
        Node inner = parse_alternation(inner_case_insensitive);
        if (!consume(')')) error("expected ')'");
        return inner;
    }

    uint32_t parse_hex(size_t min_digits, size_t max_digits) {
        uint32_t value = 0;
        size_t digits = 0;
        while (digits < max_digits && !at_end()) {
            const char c = peek();
            int d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else break;
            value = value * 16 + static_cast<uint32_t>(d);
            ++pos_;
            ++digits;
        }
        if (digits < min_digits) error("bad hexadecimal escape");
        if (value > unicode::kMaxCodePoint) error("code point above U+10FFFF");
        return value;
    }

    Escape parse_escape() {
        if (at_end()) error("pattern ends with '\\'");
        Escape e;
        const char c = pattern_[pos_];
        if (static_cast<unsigned char>(c) >= 0x80) {  // escaped non-ASCII: itself
            e.code_point = next_code_point();
            return e;
        }
        ++pos_;
        switch (c) {
        case 'r': e.code_point = '\r'; return e;
        case 'n': e.code_point = '\n'; return e;
        case 't': e.code_point = '\t'; return e;
        case 'f': e.code_point = '\f'; return e;
        case 'v': e.code_point = '\v'; return e;
        case '0': e.code_point = 0; return e;
        case 'x':
            if (consume('{')) {
                e.code_point = parse_hex(1, 6);
                if (!consume('}')) error("expected '}' after \\x{");
            } else {
                e.code_point = parse_hex(2, 2);
            }
            return e;
        case 'u': e.code_point = parse_hex(4, 4); return e;
        case 's': e.is_code_point = false; e.set.whitespace = true; return e;
        case 'S': e.is_code_point = false; e.set.not_whitespace = true; return e;
        case 'd':
            e.is_code_point = false;
            e.set.categories = unicode::mask_of(unicode::Category::Nd);
            return e;
        case 'D':
            e.is_code_point = false;
            e.set.categories = unicode::kAllCategories & ~unicode::mask_of(unicode::Category::Nd);
            return e;
        case 'p':
        case 'P': {
            std::string name;
            if (consume('{')) {
                while (!at_end() && peek() != '}') name += pattern_[pos_++];
                if (!consume('}')) error("expected '}' after \\p{");
            } else {
                if (at_end()) error("expected a property after \\p");
                name = std::string(1, pattern_[pos_++]);
            }
            const unicode::CategoryMask mask = unicode::category_mask_from_name(name);
            if (mask == 0) error("unknown Unicode property");
            e.is_code_point = false;
            e.set.categories = c == 'p' ? mask : (unicode::kAllCategories & ~mask);
            return e;
        }
        default:
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '1' && c <= '9'))
                error("unsupported escape");
            e.code_point = static_cast<unsigned char>(c);  // escaped punctuation stands for itself
            return e;
        }
    }

    static void merge_into(CharClass &target, const CharClass &part) {
        target.ranges.insert(target.ranges.end(), part.ranges.begin(), part.ranges.end());
        target.categories |= part.categories;
        target.whitespace = target.whitespace || part.whitespace;
        target.not_whitespace = target.not_whitespace || part.not_whitespace;
    }

    CharClass parse_class(bool case_insensitive) {
        consume('[');
        CharClass set;
        set.case_insensitive = case_insensitive;
        set.negated = consume('^');
        bool first = true;
        for (;;) {
            if (at_end()) error("unterminated character class");
            if (peek() == ']' && !first) {
                ++pos_;
                break;
            }
            first = false;
            uint32_t low;
            if (consume('\\')) {
                Escape e = parse_escape();
                if (!e.is_code_point) {
                    merge_into(set, e.set);
                    continue;
                }
                low = e.code_point;
            } else {
                low = next_code_point();
            }
            uint32_t high = low;
            if (peek() == '-' && pos_ + 1 < pattern_.size() && pattern_[pos_ + 1] != ']') {
                ++pos_;
                if (consume('\\')) {
                    Escape e = parse_escape();
                    if (!e.is_code_point) error("a range cannot end with a class escape");
                    high = e.code_point;
                } else {
                    high = next_code_point();
                }
                if (high < low) error("range out of order");
            }
            set.ranges.push_back({low, high});
        }
        std::sort(set.ranges.begin(), set.ranges.end());
        return set;
    }

    std::string_view pattern_;
    std::vector<CharClass> &classes_;
    size_t pos_ = 0;
};

}  // namespace

// Turns the syntax tree into instructions. Every instruction but Split and
// Jump continues at the next one; the program ends with Match.
class Compiler {
public:
    explicit Compiler(Regex &regex) : program_(regex.program_) {}

    void compile(const Node &root) {
        emit_node(root);
        emit(Instruction::Op::Match);
    }

private:
    uint32_t here() const { return static_cast<uint32_t>(program_.size()); }

    uint32_t emit(Instruction::Op op, uint32_t value = 0, bool negated = false) {
        if (program_.size() >= kMaxProgramSize) fail(LQ_ERR_INVALID_ARGUMENT, "regex: compiled program too large");
        Instruction ins;
        ins.op = op;
        ins.value = value;
        ins.negated = negated;
        ins.next = here() + 1;
        program_.push_back(ins);
        return here() - 1;
    }

    void emit_node(const Node &node) {
        using Kind = Node::Kind;
        using Op = Instruction::Op;
        switch (node.kind) {
        case Kind::Empty: break;
        case Kind::Char: emit(Op::Char, node.value); break;
        case Kind::Class: emit(Op::Class, node.value); break;
        case Kind::Any: emit(Op::Any); break;
        case Kind::TextStart: emit(Op::TextStart); break;
        case Kind::TextEnd: emit(Op::TextEnd); break;
        case Kind::LookAhead: emit(Op::LookAhead, node.value, node.negated); break;
        case Kind::Concat:
            for (const Node &child : node.children) emit_node(child);
            break;
        case Kind::Alternate: {
            std::vector<uint32_t> jumps;
            for (size_t i = 0; i + 1 < node.children.size(); ++i) {
                const uint32_t split = emit(Op::Split);
                emit_node(node.children[i]);
                jumps.push_back(emit(Op::Jump));
                program_[split].alternative = here();
            }
            emit_node(node.children.back());
            for (uint32_t jump : jumps) program_[jump].next = here();
            break;
        }
        case Kind::Repeat: {
            const Node &body = node.children[0];
            for (int i = 0; i < node.min; ++i) emit_node(body);
            if (node.max == kUnbounded) {
                const uint32_t loop = emit(Op::Split);
                emit_node(body);
                const uint32_t back = emit(Op::Jump);
                program_[back].next = loop;
                program_[loop].alternative = here();
            } else {
                // x{0,k} as (x(x(...)?)?)?: failing one optional copy skips the rest.
                std::vector<uint32_t> splits;
                for (int i = node.min; i < node.max; ++i) {
                    splits.push_back(emit(Op::Split));
                    emit_node(body);
                }
                for (uint32_t split : splits) program_[split].alternative = here();
            }
            break;
        }
        }
    }

    std::vector<Instruction> &program_;
};

Regex Regex::compile(std::string_view pattern) {
    Regex regex;
    regex.pattern_ = std::string(pattern);
    Parser parser(pattern, regex.classes_);
    const Node root = parser.parse();
    Compiler(regex).compile(root);
    return regex;
}

}  // namespace lq::regex
