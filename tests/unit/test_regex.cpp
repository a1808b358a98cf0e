// The regex engine: syntax, leftmost-first semantics, Unicode classes, and
// agreement of its two matchers (backtracking and Pike VM) on random text.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/regex.h"

using lq::regex::Regex;

namespace {

// The first match in text, as a string, or "<none>".
std::string first_match(const char *pattern, const std::string &text, size_t from = 0) {
    const Regex re = Regex::compile(pattern);
    size_t begin = 0, end = 0;
    if (!re.find(text, from, &begin, &end)) return "<none>";
    return text.substr(begin, end - begin);
}

// All matches, searching on from the end of each.
std::vector<std::string> all_matches(const char *pattern, const std::string &text) {
    const Regex re = Regex::compile(pattern);
    std::vector<std::string> out;
    size_t from = 0, begin = 0, end = 0;
    while (from < text.size() && re.find(text, from, &begin, &end)) {
        out.push_back(text.substr(begin, end - begin));
        from = end;
    }
    return out;
}

lq_status compile_status(const char *pattern) {
    try {
        Regex::compile(pattern);
        return LQ_OK;
    } catch (const lq::Error &e) {
        return e.status();
    }
}

}  // namespace

TEST_CASE("literals, classes, quantifiers") {
    CHECK(first_match("abc", "xxabcxx") == "abc");
    CHECK(first_match("a+", "baaab") == "aaa");
    CHECK(first_match("ba*", "baaab") == "baaa");
    CHECK(first_match("a{2}", "aaaa") == "aa");
    CHECK(first_match("a{2,3}", "aaaa") == "aaa");
    CHECK(first_match("a{2,}", "aaaaa") == "aaaaa");
    CHECK(first_match("[a-c]+", "xxcabz") == "cab");
    CHECK(first_match("[^a-c]+", "abxyzc") == "xyz");
    CHECK(first_match("[-a]+", "x-a-y") == "-a-");
    CHECK(first_match("[a-]+", "x-a-y") == "-a-");
    CHECK(first_match("[]a]+", "x]a]y") == "]a]");
    CHECK(first_match("\\.", "a.b") == ".");
    CHECK(first_match("[\\[\\]\\\\]+", "a[\\]b") == "[\\]");
    CHECK(first_match("\\x41\\x{1F600}", "zA\xF0\x9F\x98\x80") == "A\xF0\x9F\x98\x80");
    CHECK(first_match("\\u00e9", "caf\xC3\xA9") == "\xC3\xA9");
    CHECK(first_match("(ab)+", "xababa") == "abab");
    CHECK(first_match("(?:ab|cd){2}", "abcdab") == "abcd");
    CHECK(first_match(".+", "ab\ncd") == "ab");
}

TEST_CASE("alternation is leftmost-first, not longest") {
    CHECK(first_match("a|ab", "ab") == "a");
    CHECK(first_match("ab|a", "ab") == "ab");
    CHECK(first_match("b|ab", "ab") == "ab");  // the earliest start wins over alternative order
    CHECK(first_match("'s|'t| ?\\p{L}+", "it's") == "it");
    CHECK(all_matches("'s|'t| ?\\p{L}+", "it's") == std::vector<std::string>{"it", "'s"});
}

TEST_CASE("empty matches are never reported") {
    CHECK(first_match("a*", "bbb") == "<none>");
    CHECK(first_match("a*", "baa") == "aa");
    CHECK(first_match("x?", "abc") == "<none>");
}

TEST_CASE("anchors refer to the searched text") {
    CHECK(first_match("^a", "aa", 1) == "<none>");
    CHECK(first_match("^a", "aa") == "a");
    CHECK(first_match("\\s+$", "a  b  ") == "  ");
    CHECK(all_matches("\\s+$", "a  b  ") == std::vector<std::string>{"  "});
}

TEST_CASE("Unicode properties and \\s over all scripts") {
    CHECK(first_match("\\p{L}+", "12\xD0\x96\xD0\xB8\xE4\xB8\xAD\xE6\x96\x87!") == "\xD0\x96\xD0\xB8\xE4\xB8\xAD\xE6\x96\x87");
    CHECK(first_match("\\p{N}+", "ab\xD9\xA3\xD9\xA4" "5x") == "\xD9\xA3\xD9\xA4" "5");  // Arabic-Indic digits
    CHECK(first_match("\\p{Lu}+", "abCDe") == "CD");
    CHECK(first_match("\\p{Ll}+", "ABcdE") == "cd");
    CHECK(first_match("\\p{P}+", "a\xE3\x80\x82\xEF\xBC\x8C" "b") == "\xE3\x80\x82\xEF\xBC\x8C");  // 。，
    CHECK(first_match("\\p{S}+", "a\xE2\x82\xAC$+b") == "\xE2\x82\xAC$+");
    CHECK(first_match("\\p{M}+", "e\xCC\x81\xCC\xA3x") == "\xCC\x81\xCC\xA3");
    CHECK(first_match("\\P{L}+", "ab12cd") == "12");
    CHECK(first_match("\\pL+", "12ab") == "ab");
    CHECK(first_match("\\s+", "a\xE3\x80\x80\xC2\xA0\tb") == "\xE3\x80\x80\xC2\xA0\t");  // ideographic space, nbsp, tab
    CHECK(first_match("\\S+", " \xE2\x80\x8B ") == "\xE2\x80\x8B");  // zero-width space is not White_Space
    CHECK(first_match("[^\\s\\p{L}\\p{N}]+", "ab \xF0\x9F\x98\x80\xF0\x9F\x98\x81 c") == "\xF0\x9F\x98\x80\xF0\x9F\x98\x81");
    CHECK(first_match("\\d+", "x\xD9\xA3" "1y") == "\xD9\xA3" "1");
}

TEST_CASE("case-insensitive groups") {
    CHECK(first_match("(?i:'s|'re)", "X'S") == "'S");
    CHECK(first_match("(?i:'s|'re)", "X'rE") == "'rE");
    CHECK(first_match("(?i:abc)", "xAbC") == "AbC");
    CHECK(first_match("(?i:\\x{3C3})", "\xCE\xA3") == "\xCE\xA3");  // σ matches Σ
    CHECK(first_match("(?i:[a-c]+)", "xABCd") == "ABC");
    CHECK(first_match("'s", "'S") == "<none>");  // outside the group, case matters
}

TEST_CASE("one-character lookahead") {
    CHECK(first_match("\\s+(?!\\S)", "a   b") == "  ");  // leaves the last space to the next word
    CHECK(first_match("\\s+(?!\\S)", "a   ") == "   ");  // at the end everything matches
    CHECK(first_match("\\s+(?!\\S)", "a b") == "<none>");
    CHECK(first_match("a(?=b)", "acab") == "a");
    CHECK(all_matches("a(?=b)", "acab") == std::vector<std::string>{"a"});
    CHECK(first_match("x(?!y)", "xyxz") == "x");
}

TEST_CASE("invalid UTF-8 in the text is matched as U+FFFD, byte by byte") {
    CHECK(first_match("[^\\s\\p{L}\\p{N}]+", "ab\xFF\xC3 c") == "\xFF\xC3");
    CHECK(first_match("\\p{L}+", "\xFF" "ab") == "ab");
    CHECK(all_matches(".", "\xE2\x82") == std::vector<std::string>{"\xE2", "\x82"});
}

TEST_CASE("malformed or unsupported patterns are refused with a clear error") {
    for (const char *bad : {"(", "(a", "a)", "[a", "[b-a]", "*a", "a{3,2}", "a{", "\\", "\\1", "\\w", "a*?", "a+?",
                            "a++", "(?<n>a)", "(?=ab)", "\\p{Xx}", "\\p{L", "a{99999}", "\\x{110000}", "\\q"}) {
        CAPTURE(bad);
        CHECK(compile_status(bad) == LQ_ERR_INVALID_ARGUMENT);
    }
    try {
        Regex::compile("ab(c");
        FAIL("no error");
    } catch (const lq::Error &e) {
        CHECK(std::string(e.what()).find("at byte") != std::string::npos);
    }
}

TEST_CASE("a hostile long input stays linear") {
    // \s+$ over spaces that end in a letter: a naive backtracker is quadratic.
    const std::string text = std::string(200000, ' ') + "x";
    CHECK(first_match("\\s+$", text) == "<none>");
    const std::string many = std::string(300000, 'a');
    CHECK(first_match("a*b|a", many) == "a");
}

namespace {

// Random text over characters that exercise the pre-tokenizer patterns.
std::string random_text(std::mt19937 &rng, size_t length) {
    static const std::vector<std::string> alphabet = {
        "a", "B", "z", "Q", "'", "s", "t", "l", "L", "e", "r", "v", "d", "m", "0", "7", " ", " ", " ", "\n", "\r",
        "\t", ".", ",", "!", "?", "$", "<", "|", "~", "`", "/", "-", "_", "(", ")", "[",
        "\xC3\xA9",          // é
        "\xD0\x96",          // Ж
        "\xE4\xB8\xAD",      // 中
        "\xE3\x81\x82",      // あ
        "\xEA\xB0\x80",      // 가
        "\xD9\xA3",          // ٣
        "\xCC\x81",          // combining acute
        "\xE2\x80\xA6",      // …
        "\xE3\x80\x82",      // 。
        "\xEF\xBC\x8C",      // ，
        "\xE3\x80\x80",      // ideographic space
        "\xC2\xA0",          // nbsp
        "\xF0\x9F\x98\x80",  // 😀
        "\xE2\x80\x8D",      // zero-width joiner
        "\xFF",              // invalid byte
        "\xE2\x82",          // truncated sequence
    };
    std::uniform_int_distribution<size_t> pick(0, alphabet.size() - 1);
    std::string text;
    while (text.size() < length) text += alphabet[pick(rng)];
    return text;
}

}  // namespace

TEST_CASE("backtracking and Pike VM agree on every pre-tokenizer pattern") {
    std::mt19937 rng(1234);
    // Patterns are reached through the pre-tokenizer table; the check runs
    // both matchers from every start position of random texts.
    std::vector<std::string> patterns = {
        R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)",
        R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
        R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
        R"( ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{0964}\x{06D4}\x{060C})]+)",
        R"(\s+$)", R"(\s?\p{L}+)", R"(\s?\p{P}+)", R"(\p{N}{1,3})", R"([\p{P}\$\+<=>\^~\|]+)",
        R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)",
        R"(([\t\n]|    |  ))", R"((IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z)", R"(a*b|a)", R"((a|ab)(c|bcd)(d*))",
    };
    lq::regex::Scratch scratch;
    size_t comparisons = 0;
    for (const std::string &pattern : patterns) {
        const Regex re = Regex::compile(pattern);
        for (int round = 0; round < 60; ++round) {
            const std::string text = random_text(rng, 1 + rng() % 40);
            for (size_t from = 0; from < text.size(); ++from) {
                size_t b1 = 0, e1 = 0, b2 = 0, e2 = 0, used = 0;
                const int backtracked = re.find_backtracking(text, from, &b1, &e1, scratch, SIZE_MAX, &used);
                const bool linear = re.find_linear(text, from, &b2, &e2, scratch);
                CAPTURE(pattern);
                CAPTURE(text);
                CAPTURE(from);
                REQUIRE(backtracked == (linear ? 1 : 0));
                if (linear) {
                    CHECK(b1 == b2);
                    CHECK(e1 == e2);
                }
                ++comparisons;
            }
        }
    }
    MESSAGE(comparisons << " searches compared");
}
