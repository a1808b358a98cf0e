// Vocabulary behaviour beyond the reference suites: special tokens from the
// metadata, BOS/EOS, special-text parsing, end-of-generation tokens,
// WordPiece normalisation, detokenization rules and hostile input.
#include <doctest/doctest.h>

#include <algorithm>
#include <climits>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/utf8.h"
#include "tokenizer/wordpiece.h"
#include "tokenizer_test_util.h"

using Ids = std::vector<int32_t>;

namespace {

// Whether tokenize + detokenize must give back @p text exactly. WordPiece
// normalises; SentencePiece writes spaces as U+2581, so a literal U+2581 in
// the input comes back as a space (as with SentencePiece itself); StarCoder
// has no tokens for the 13 bytes that never occur in valid UTF-8 (they are
// dropped) and DeepSeek-Coder's are added tokens written as characters.
bool round_trips(const lq::Vocab &vocab, const std::string &name, const std::string &text) {
    if (name == "bert-bge") return false;
    if (vocab.kind() == lq::TokenizerKind::SentencePiece && text.find("\xE2\x96\x81") != std::string::npos)
        return false;
    if ((name == "starcoder" || name == "deepseek-coder") && !lq::is_valid_utf8(text)) return false;
    return true;
}

}  // namespace

TEST_CASE("special token ids and flags come from the metadata") {
    const lq::Vocab &llama = lq_test::vocab("llama-spm");
    CHECK(llama.kind() == lq::TokenizerKind::SentencePiece);
    CHECK(llama.n_tokens() == 32000);
    CHECK(llama.special().bos == 1);
    CHECK(llama.special().eos == 2);
    CHECK(llama.special().unknown == 0);
    CHECK(llama.add_bos());
    CHECK_FALSE(llama.add_eos());
    CHECK(llama.add_space_prefix());

    const lq::Vocab &phi3 = lq_test::vocab("phi-3");
    CHECK(phi3.special().eos == 32000);
    CHECK(phi3.special().padding == 32000);
    CHECK(phi3.special().eot == 32007);  // <|end|>, found by its text
    CHECK(phi3.is_eog(32000));
    CHECK(phi3.is_eog(32007));
    CHECK_FALSE(phi3.is_eog(1));

    const lq::Vocab &gpt2 = lq_test::vocab("gpt-2");
    CHECK(gpt2.kind() == lq::TokenizerKind::BytePairEncoding);
    CHECK(gpt2.pre_name() == "gpt-2");
    CHECK(gpt2.special().bos == 50256);
    CHECK(gpt2.special().eos == 50256);
    CHECK_FALSE(gpt2.add_bos());
    CHECK(gpt2.is_eog(50256));
    CHECK_FALSE(gpt2.is_eog(-1));
    CHECK_FALSE(gpt2.is_eog(50257));

    const lq::Vocab &starcoder = lq_test::vocab("starcoder");
    CHECK(starcoder.special().fim_prefix == 1);  // <fim_prefix>
    CHECK(starcoder.special().fim_middle == 2);
    CHECK(starcoder.special().fim_suffix == 3);
    CHECK(starcoder.special().fim_pad == 4);
    CHECK(starcoder.special().fim_repo == 5);      // <repo_name>
    CHECK(starcoder.special().fim_separator == 6);  // <file_sep>

    const lq::Vocab &deepseek = lq_test::vocab("deepseek-coder");
    CHECK(deepseek.special().bos == 32013);
    CHECK(deepseek.special().eos == 32014);
    CHECK(deepseek.special().fim_prefix == 32016);  // <｜fim▁begin｜>
    CHECK(deepseek.special().fim_suffix == 32015);  // <｜fim▁hole｜>
    CHECK(deepseek.special().fim_middle == 32017);  // <｜fim▁end｜>
    CHECK(deepseek.add_bos());

    const lq::Vocab &bert = lq_test::vocab("bert-bge");
    CHECK(bert.kind() == lq::TokenizerKind::WordPiece);
    CHECK(bert.special().cls == 101);
    CHECK(bert.special().bos == 101);
    CHECK(bert.special().separator == 102);
    CHECK(bert.special().unknown == 100);
    CHECK(bert.special().mask == 103);
    CHECK(bert.special().padding == 0);
    CHECK(bert.special().eos == -1);
}

TEST_CASE("add_special adds BOS/EOS as each vocabulary says") {
    const Ids hello_llama = lq_test::vocab("llama-spm").tokenize("Hello", true, false);
    CHECK(hello_llama == Ids{1, 15043});
    CHECK(lq_test::vocab("llama-spm").tokenize("", true, false) == Ids{1});
    CHECK(lq_test::vocab("gpt-2").tokenize("Hello", true, false) == Ids{15496});
    CHECK(lq_test::vocab("deepseek-coder").tokenize("", true, false) == Ids{32013});
    const Ids bert = lq_test::vocab("bert-bge").tokenize("Hello", true, false);
    REQUIRE(bert.size() == 3);
    CHECK(bert.front() == 101);
    CHECK(bert.back() == 102);
}

TEST_CASE("control-token text is parsed only when asked; added tokens always") {
    const lq::Vocab &llama = lq_test::vocab("llama-spm");
    const Ids parsed = llama.tokenize("<s>Hi</s>", false, true);
    REQUIRE(parsed.size() >= 3);
    CHECK(parsed.front() == 1);
    CHECK(parsed.back() == 2);
    const Ids plain = llama.tokenize("<s>Hi</s>", false, false);
    for (int32_t id : plain) {
        CHECK(id != 1);
        CHECK(id != 2);
    }
    // Round trip in both modes (control tokens rendered when parsed).
    CHECK(llama.detokenize(plain.data(), plain.size(), 0) == "<s>Hi</s>");
    CHECK(llama.detokenize(parsed.data(), parsed.size(), lq::kDetokenizeRenderSpecial) == "<s>Hi</s>");
    CHECK(llama.detokenize(parsed.data(), parsed.size(), 0) == "Hi");

    const lq::Vocab &phi3 = lq_test::vocab("phi-3");
    const std::string chat = "<|user|>\nHello<|end|>\n<|assistant|>";
    const Ids chat_ids = phi3.tokenize(chat, false, true);
    CHECK(chat_ids.front() == 32010);
    CHECK(phi3.detokenize(chat_ids.data(), chat_ids.size(), lq::kDetokenizeRenderSpecial) == chat);
    // </s> is a user-defined token in phi-3: matched even without parsing.
    const Ids user_defined = phi3.tokenize("a</s>b", false, false);
    CHECK(std::count(user_defined.begin(), user_defined.end(), 2) == 1);
    CHECK(phi3.detokenize(user_defined.data(), user_defined.size(), 0) == "a</s>b");

    const lq::Vocab &gpt2 = lq_test::vocab("gpt-2");
    CHECK(gpt2.tokenize("<|endoftext|>", false, true) == Ids{50256});
    CHECK(gpt2.tokenize("<|endoftext|>", false, false).size() > 1);

    const lq::Vocab &bert = lq_test::vocab("bert-bge");
    const Ids bert_ids = bert.tokenize("[CLS] hi [SEP]", false, true);
    CHECK(bert_ids.front() == 101);
    CHECK(bert_ids.back() == 102);
}

TEST_CASE("WordPiece normalisation follows BERT") {
    using W = std::vector<std::string>;
    CHECK(lq::WordPieceEncoder::words("Hello, World!") == W{"hello", ",", "world", "!"});
    CHECK(lq::WordPieceEncoder::words("F\xC3\xBChrer na\xC3\xAFve") == W{"fuhrer", "naive"});  // accents stripped
    CHECK(lq::WordPieceEncoder::words("\xE6\x88\x91\xE6\x83\xB3" "abc") == W{"\xE6\x88\x91", "\xE6\x83\xB3", "abc"});
    CHECK(lq::WordPieceEncoder::words("a\tb\nc\xC2\xA0" "d") == W{"a", "b", "c", "d"});
    CHECK(lq::WordPieceEncoder::words(std::string("a\0b\x01" "c\xE2\x80\x8B" "d", 9)) == W{"abcd"});  // NUL, control, ZWSP dropped
    CHECK(lq::WordPieceEncoder::words("x\xFF\xFEy") == W{"xy"});                                  // invalid UTF-8 dropped
    CHECK(lq::WordPieceEncoder::words("$5+3=8~") == W{"$", "5", "+", "3", "=", "8", "~"});        // ASCII symbols split
    CHECK(lq::WordPieceEncoder::words("\xED\x95\x9C\xEA\xB5\xAD") ==  // 한국 decomposes into jamo
          W{"\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB\xE1\x84\x80\xE1\x85\xAE\xE1\x86\xA8"});
    // A word of more than 100 characters is unknown, as in BERT.
    const lq::Vocab &bert = lq_test::vocab("bert-bge");
    CHECK(bert.tokenize(std::string(101, 'a'), false, false) == Ids{100});
    CHECK(bert.tokenize(std::string(100, 'a'), false, false).size() > 1);
}

TEST_CASE("detokenization: leading space, special tokens, exact bytes") {
    const lq::Vocab &llama = lq_test::vocab("llama-spm");
    const Ids ids = llama.tokenize("Hello world", true, false);
    CHECK(llama.detokenize(ids.data(), ids.size(), 0) == "Hello world");
    CHECK(llama.detokenize(ids.data(), ids.size(), lq::kDetokenizeKeepLeadingSpace) == " Hello world");
    CHECK(llama.detokenize(ids.data(), ids.size(), lq::kDetokenizeRenderSpecial) == "<s>Hello world");
    CHECK(llama.token_to_piece(15043, false) == " Hello");
    CHECK(llama.token_to_piece(1, false).empty());
    CHECK(llama.token_to_piece(1, true) == "<s>");
    CHECK(llama.token_to_piece(3, false) == std::string(1, '\0'));  // <0x00>
    CHECK(llama.token_to_piece(3 + 0xE2, false) == "\xE2");        // a byte token: part of a character

    const lq::Vocab &gpt2 = lq_test::vocab("gpt-2");
    CHECK(gpt2.token_to_piece(220, false) == " ");    // 'Ġ'
    CHECK(gpt2.token_to_piece(198, false) == "\n");   // 'Ċ'
    CHECK(gpt2.token_to_piece(50256, false).empty());
    CHECK(gpt2.token_to_piece(50256, true) == "<|endoftext|>");

    const lq::Vocab &bert = lq_test::vocab("bert-bge");
    const Ids words = bert.tokenize("Hello world", false, false);
    CHECK(bert.detokenize(words.data(), words.size(), 0) == "hello world");
}

TEST_CASE("invalid token ids are a clear error") {
    for (const std::string &name : lq_test::suite_vocabularies()) {
        const lq::Vocab &vocab = lq_test::vocab(name);
        for (int32_t bad : {-1, vocab.n_tokens(), INT32_MAX, INT32_MIN}) {
            CAPTURE(name);
            CAPTURE(bad);
            try {
                vocab.detokenize(&bad, 1, 0);
                FAIL("no error");
            } catch (const lq::Error &e) {
                CHECK(e.status() == LQ_ERR_INVALID_ARGUMENT);
                CHECK(std::string(e.what()).find(std::to_string(bad)) != std::string::npos);
            }
            CHECK_THROWS_AS(vocab.token_to_piece(bad, true), lq::Error);
        }
    }
}

TEST_CASE("hostile input: empty, NUL bytes, invalid UTF-8, control characters") {
    const std::vector<std::string> inputs = {
        "",
        std::string(1, '\0'),
        std::string("a\0b\0\0c", 6),
        "\xFF",
        "\xC3",
        "abc\xE2\x82",
        "\x80\x80\x80 x \xC0\xAF \xED\xA0\x80 \xF4\x90\x80\x80",
        "\xF0\x9F\x98",
        "\x01\x02\x1B[31mred\x1B[0m\x7F",
        "\xEF\xBB\xBF" "bom",
        "  \t\n\r\n  ",
        "\xE2\x96\x81\xE2\x96\x81 literal markers",
        "\xC4\xA0\xC4\x8A byte-level look-alikes",
        "<0x41><unk></s>[UNK]##ing",
    };
    for (const std::string &name : lq_test::suite_vocabularies()) {
        const lq::Vocab &vocab = lq_test::vocab(name);
        for (const std::string &text : inputs) {
            CAPTURE(name);
            CAPTURE(lq_test::escape_text(text));
            for (bool parse_special : {false, true}) {
                const Ids ids = vocab.tokenize(text, false, parse_special);
                for (int32_t id : ids) CHECK(vocab.is_valid(id));
                const std::string back = vocab.detokenize(ids.data(), ids.size(), lq::kDetokenizeRenderSpecial);
                if (round_trips(vocab, name, text)) CHECK(back == text);
                // Ordinary input never turns into control tokens (other than
                // the unknown token, which BERT vocabularies mark as control).
                if (!parse_special)
                    for (int32_t id : ids)
                        if (id != vocab.special().unknown) CHECK_FALSE(vocab.tokens().has(id, lq::kTokenControl));
            }
            if (text.empty()) CHECK(vocab.tokenize(text, false, false).empty());
        }
    }
}

TEST_CASE("invalid UTF-8 has a defined result per tokenizer") {
    const std::string text = "a\xFF" "b";
    const lq::Vocab &llama = lq_test::vocab("llama-spm");
    const Ids spm = llama.tokenize(text, false, false);
    CHECK(std::find(spm.begin(), spm.end(), 3 + 0xFF) != spm.end());  // <0xFF> byte fallback
    const lq::Vocab &gpt2 = lq_test::vocab("gpt-2");
    const Ids bpe = gpt2.tokenize(text, false, false);
    CHECK(gpt2.detokenize(bpe.data(), bpe.size(), 0) == text);  // the byte itself, not U+FFFD
    const lq::Vocab &bert = lq_test::vocab("bert-bge");
    CHECK(bert.tokenize(text, false, false) == bert.tokenize("ab", false, false));  // dropped like U+FFFD
}
