// Pre-tokenizer splitting for every pre-tokenizer in the table, on tricky
// inputs: contractions, digit runs, CJK, emoji, mixed scripts, whitespace
// runs and newlines.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "tokenizer/pretokenizer.h"

using Pieces = std::vector<std::string>;

namespace {

Pieces split(const char *name, const std::string &text) { return lq::PreTokenizer::create(name)->split(text); }

const std::vector<std::string> &tricky_inputs() {
    static const std::vector<std::string> inputs = {
        "",
        "Hello world",
        " Hello  world   ",
        "I'm sure you'll see they've said it's 'quoted' DON'T",
        "12345678 3.14159 1,000,000",
        "\xE6\x88\x91\xE6\x83\xB3\xE5\x9C\xA8" "apple\xE5\xB7\xA5\xE4\xBD\x9C" "1314151\xE5\xA4\xA9",  // 我想在apple工作1314151天
        "\xF0\x9F\x9A\x80 (normal) \xF0\x9F\x98\xB6\xE2\x80\x8D\xF0\x9F\x8C\xAB\xEF\xB8\x8F",      // emoji with ZWJ and VS16
        "\xD0\xBD\xD0\xB5\xD1\x89\xD0\xBE \xD0\xBD\xD0\xB0 \xD0\x91\xD1\x8A\xD0\xBB\xD0\xB3\xD0\xB0\xD1\x80\xD1\x81\xD0\xBA\xD0\xB8",
        "\xE1\x9E\x80\xE1\x9E\xB6\xE1\x9E\x93\xE1\x9F\x8B",  // Khmer with combining signs
        "\n\n\n  \t\n x\r\n\r\ny",
        "    Hello\n    Hello",
        "<|im_start|>user\nHi<|im_end|>",
        "a\xFF\xFE" "b\xC3 \xE2\x82",  // invalid UTF-8
        std::string("nul\0byte", 8),
        "HelloWorld ABCdef camelCaseID",
        "<sentinel:42> IMGIMGABCZ",
        "\xE3\x80\x80\xE3\x80\x82\xEF\xBC\x8C\xE2\x80\xA6",  // ideographic space and punctuation
    };
    return inputs;
}

}  // namespace

TEST_CASE("every pre-tokenizer covers its input exactly, in order, with no empty piece") {
    // 28 regex pre-tokenizers; the 29th GGUF name, bert-bge, is BERT's own
    // split, built into WordPiece (see test_tokenizer_behaviour.cpp).
    const std::vector<std::string> names = lq::PreTokenizer::names();
    CHECK(names.size() == 28);
    for (const std::string &name : names) {
        const auto pre = lq::PreTokenizer::create(name);
        for (const std::string &text : tricky_inputs()) {
            CAPTURE(name);
            CAPTURE(text);
            const Pieces pieces = pre->split(text);
            std::string joined;
            for (const std::string &p : pieces) {
                CHECK_FALSE(p.empty());
                joined += p;
            }
            CHECK(joined == text);
        }
    }
}

TEST_CASE("the names GGUF files carry are all known") {
    for (const char *name :
         {"default", "llama3", "llama-v3", "llama-bpe", "falcon3", "gpt-2", "phi-2", "roberta-bpe", "jina-v2-code",
          "starcoder", "deepseek-coder", "deepseek-llm", "deepseek-v3", "deepseek3-llm", "falcon", "mpt", "refact",
          "qwen2", "deepseek-r1-qwen", "megrez", "olmo", "dbrx", "smaug-bpe", "smaug", "stablelm2", "command-r",
          "poro-chat", "poro", "chatglm-bpe", "chatglm", "viking", "jais", "tekken", "smollm", "codeshell", "bloom",
          "gpt3-finnish", "exaone", "chameleon", "minerva-7b", "minerva"}) {
        CAPTURE(name);
        CHECK(lq::PreTokenizer::is_known(name));
    }
    try {
        lq::PreTokenizer::create("no-such-pre");
        FAIL("no error");
    } catch (const lq::Error &e) {
        CHECK(e.status() == LQ_ERR_UNSUPPORTED);
        CHECK(std::string(e.what()).find("no-such-pre") != std::string::npos);
    }
}

TEST_CASE("gpt-2: contractions, spaces kept with the next word, digit runs") {
    CHECK(split("gpt-2", "Hello world") == Pieces{"Hello", " world"});
    CHECK(split("gpt-2", "I'm don't") == Pieces{"I", "'m", " don", "'t"});
    CHECK(split("gpt-2", "DON'T") == Pieces{"DON", "'", "T"});  // case-sensitive contractions
    CHECK(split("gpt-2", "   Hello") == Pieces{"  ", " Hello"});
    CHECK(split("gpt-2", "abc123 4567") == Pieces{"abc", "123", " 4567"});
    CHECK(split("gpt-2", "hi!!! ??") == Pieces{"hi", "!!!", " ??"});
    CHECK(split("gpt-2", "a\n\nb") == Pieces{"a", "\n", "\n", "b"});  // \s+(?!\S) leaves one newline before "b"
    CHECK(split("gpt-2", "end  ") == Pieces{"end", "  "});
    CHECK(split("gpt-2", "\xE4\xB8\xAD\xE6\x96\x87 \xD0\x96\xD0\xB8") ==
          Pieces{"\xE4\xB8\xAD\xE6\x96\x87", " \xD0\x96\xD0\xB8"});
    CHECK(split("gpt-2", "\xF0\x9F\x98\x80\xF0\x9F\x98\x81 ok") == Pieces{"\xF0\x9F\x98\x80\xF0\x9F\x98\x81", " ok"});
    CHECK(split("mpt", "I'm") == split("gpt-2", "I'm"));
}

TEST_CASE("llama3: case-insensitive contractions, numbers in threes, newlines together") {
    CHECK(split("llama3", "I'M here") == Pieces{"I", "'M", " here"});
    CHECK(split("llama3", "1234567") == Pieces{"123", "456", "7"});
    CHECK(split("llama3", "hello\n\nworld") == Pieces{"hello", "\n\n", "world"});
    CHECK(split("llama3", "  hi") == Pieces{" ", " hi"});
    CHECK(split("llama3", "$hello") == Pieces{"$hello"});  // one leading non-letter joins the word
    CHECK(split("llama3", "x = 1;\n") == Pieces{"x", " =", " ", "1", ";\n"});
    CHECK(split("llama3", " \n\n x") == Pieces{" \n\n", " x"});
    CHECK(split("llama3", "\xE6\x88\x91\xE6\x83\xB3" "abc") == Pieces{"\xE6\x88\x91\xE6\x83\xB3" "abc"});
    CHECK(split("dbrx", "1234") == split("llama3", "1234"));
}

TEST_CASE("qwen2 and stablelm2: every digit alone") {
    CHECK(split("qwen2", "x123") == Pieces{"x", "1", "2", "3"});
    CHECK(split("qwen2", "it'S") == Pieces{"it", "'S"});
    CHECK(split("stablelm2", "42") == Pieces{"4", "2"});
}

TEST_CASE("starcoder family: digits first split apart") {
    CHECK(split("starcoder", "abc123 456") == Pieces{"abc", "1", "2", "3", " ", "4", "5", "6"});
    CHECK(split("refact", "v2") == Pieces{"v", "2"});
    CHECK(split("smollm", "I'm 7") == Pieces{"I", "'m", " ", "7"});
}

TEST_CASE("deepseek-coder: letters, punctuation, CJK and single digits") {
    CHECK(split("deepseek-coder", "Hello, world!\n") == Pieces{"Hello", ",", " world", "!", "\n"});
    CHECK(split("deepseek-coder", "x=12") == Pieces{"x", "=", "1", "2"});
    CHECK(split("deepseek-coder", "\xE4\xB8\xAD\xE6\x96\x87" "ab") == Pieces{"\xE4\xB8\xAD\xE6\x96\x87", "ab"});
}

TEST_CASE("deepseek-llm and deepseek-v3") {
    CHECK(split("deepseek-llm", "Hello world\n") == Pieces{"Hello", " world", "\n"});
    CHECK(split("deepseek-llm", "abc 123") == Pieces{"abc", " ", "123"});
    CHECK(split("deepseek3-llm", "1234567") == Pieces{"123", "456", "7"});
    CHECK(split("deepseek3-llm", "\xE4\xB8\xAD\xE3\x81\x82x") == Pieces{"\xE4\xB8\xAD\xE3\x81\x82", "x"});
    CHECK(split("deepseek3-llm", ".Net and") == Pieces{".Net", " and"});
}

TEST_CASE("falcon and the default pre-tokenizer isolate punctuation runs") {
    CHECK(split("falcon", "a+=b") == Pieces{"a", "+=", "b"});
    CHECK(split("default", "f(x) = 1234") == Pieces{"f", "(", "x", ")", " ", "=", " ", "123", "4"});
}

TEST_CASE("bloom, poro, gpt3-finnish and viking split at spaces and sentence punctuation") {
    CHECK(split("bloom", "Hello, world!") == Pieces{"Hello", ",", " world", "!"});
    // '(', '|' and ')' are literal members of the excluded class; adjacent unmatched text is one piece.
    CHECK(split("poro", "a (b) c|d") == Pieces{"a", " (", "b", ")", " c", "|", "d"});
    CHECK(split("gpt3-finnish", "x\xE3\x80\x82y") == Pieces{"x", "\xE3\x80\x82", "y"});
    CHECK(split("viking", "ab12") == Pieces{"ab", "1", "2"});
}

TEST_CASE("tekken splits words at case changes") {
    CHECK(split("tekken", "HelloWorld") == Pieces{"Hello", "World"});
    CHECK(split("tekken", "helloWORLD") == Pieces{"hello", "WORLD"});
    CHECK(split("tekken", "ABCdef") == Pieces{"ABCdef"});
    CHECK(split("tekken", "a/b\n") == Pieces{"a", "/b", "\n"});
    CHECK(split("tekken", "x 12") == Pieces{"x", " ", "1", "2"});
}

TEST_CASE("chameleon: image tokens, tabs and newlines, digits and punctuation apart") {
    // Like every pattern list, later patterns split the earlier matches again,
    // so a sentinel's digits and punctuation still come apart (the special
    // token matcher keeps real sentinel tokens whole before this runs).
    CHECK(split("chameleon", "<sentinel:42>ab") == Pieces{"<", "sentinel", ":", "4", "2", ">", "ab"});
    CHECK(split("chameleon", "IMGIMGABCZ") == Pieces{"IMGIMGABCZ"});
    CHECK(split("chameleon", "a\tb") == Pieces{"a", "\t", "b"});
    CHECK(split("chameleon", "x: 12") == Pieces{"x", ":", " ", "1", "2"});
}

TEST_CASE("a long single line splits in linear time") {
    std::string text;
    for (int i = 0; i < 50000; ++i) text += "word, 123 \xE4\xB8\xAD ";
    for (const std::string &name : lq::PreTokenizer::names()) {
        CAPTURE(name);
        const Pieces pieces = split(name.c_str(), text);
        size_t total = 0;
        for (const std::string &p : pieces) total += p.size();
        CHECK(total == text.size());
    }
}
