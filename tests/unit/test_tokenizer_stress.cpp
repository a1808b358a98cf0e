// Large and concurrent use: a 10 MB single line through every vocabulary,
// pathological runs, and many threads tokenizing with one shared model.
#include <doctest/doctest.h>

#include <chrono>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tokenizer_test_util.h"

using Ids = std::vector<int32_t>;

namespace {

constexpr size_t kTenMegabytes = 10u << 20;

// One line of mixed text (words, numbers, punctuation, CJK, emoji, no newline).
std::string long_line(size_t size) {
    static const char *const words[] = {
        "the", "quick", "brown", "fox", "1234567", "don't", "\xE4\xB8\xAD\xE6\x96\x87", "\xF0\x9F\x98\x80",
        "caf\xC3\xA9", "x=y+1;", "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82", "...", "  ", "\t"};
    std::mt19937 rng(7);
    std::string text;
    text.reserve(size + 16);
    while (text.size() < size) {
        text += words[rng() % (sizeof words / sizeof words[0])];
        text += ' ';
    }
    text.resize(size);
    // Cut back to a character boundary so the line stays valid UTF-8.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty() && static_cast<unsigned char>(text.back()) >= 0xC0) text.pop_back();
    return text;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("a 10 MB single line tokenizes and round-trips in every vocabulary") {
    const std::string text = long_line(kTenMegabytes);
    for (const std::string &name : lq_test::suite_vocabularies()) {
        CAPTURE(name);
        const lq::Vocab &vocab = lq_test::vocab(name);
        const auto start = std::chrono::steady_clock::now();
        const Ids ids = vocab.tokenize(text, true, false);
        const double elapsed = seconds_since(start);
        MESSAGE(name << ": " << ids.size() << " tokens in " << elapsed << " s");
        CHECK(ids.size() > text.size() / 20);
        CHECK(ids.size() < text.size());
        if (name != "bert-bge") CHECK(vocab.detokenize(ids.data(), ids.size(), 0) == text);
    }
}

TEST_CASE("pathological single runs: one huge word, only spaces, only digits, only newlines") {
    const size_t size = 512u << 10;
    const std::vector<std::string> runs = {std::string(size, 'a'), std::string(size, ' '), std::string(size, '7'),
                                           std::string(size, '\n'), std::string(size, '\xFF')};
    for (const std::string &name : lq_test::suite_vocabularies()) {
        const lq::Vocab &vocab = lq_test::vocab(name);
        for (const std::string &run : runs) {
            CAPTURE(name);
            CAPTURE(static_cast<int>(run[0]));
            const auto start = std::chrono::steady_clock::now();
            const Ids ids = vocab.tokenize(run, false, false);
            const double elapsed = seconds_since(start);
            size_t invalid = 0;
            for (int32_t id : ids) invalid += vocab.is_valid(id) ? 0 : 1;
            CHECK(invalid == 0);
            const bool lossless = name != "bert-bge" && !(run[0] == '\xFF' && (name == "starcoder" || name == "deepseek-coder"));
            if (lossless) CHECK(vocab.detokenize(ids.data(), ids.size(), 0) == run);
            CHECK(elapsed < 60.0);  // linear-time algorithms: seconds at most, even in sanitizer builds
        }
    }
}

TEST_CASE("many threads tokenize with one shared vocabulary and agree with one thread") {
    std::vector<std::string> texts;
    std::mt19937 rng(99);
    const std::string base = long_line(1u << 16);
    for (int i = 0; i < 24; ++i) {
        const size_t start = rng() % (base.size() / 2);
        texts.push_back(base.substr(start, 200 + rng() % 4000));
    }
    for (const std::string &name : lq_test::suite_vocabularies()) {
        const lq::Vocab &vocab = lq_test::vocab(name);
        std::vector<Ids> expected;
        for (const std::string &t : texts) expected.push_back(vocab.tokenize(t, true, true));

        constexpr int kThreads = 8;
        std::vector<int> mismatches(kThreads, 0);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int round = 0; round < 4; ++round)
                    for (size_t i = 0; i < texts.size(); ++i) {
                        const size_t index = (i + static_cast<size_t>(t)) % texts.size();
                        const Ids ids = vocab.tokenize(texts[index], true, true);
                        if (ids != expected[index]) ++mismatches[t];
                        const std::string back = vocab.detokenize(ids.data(), ids.size(), 0);
                        if (back.empty() && !texts[index].empty()) ++mismatches[t];
                    }
            });
        }
        for (std::thread &thread : threads) thread.join();
        for (int t = 0; t < kThreads; ++t) {
            CAPTURE(name);
            CHECK(mismatches[t] == 0);
        }
    }
}
