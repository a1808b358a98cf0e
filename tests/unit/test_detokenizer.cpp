// The streaming detokenizer: characters split over tokens are held back
// until complete, and the stream equals one-shot detokenization.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/utf8.h"
#include "tokenizer/detokenizer.h"
#include "tokenizer_test_util.h"

using Ids = std::vector<int32_t>;

namespace {

const char *const kTexts[] = {
    "Hello world",
    " leading space and trailing  ",
    "\xF0\x9F\x98\x80\xF0\x9F\xA6\x99 emoji \xF0\x9F\x9A\x80",         // 😀🦙 emoji 🚀
    "\xE6\x88\x91\xE6\x83\xB3\xE5\x9C\xA8\xE5\xB7\xA5\xE4\xBD\x9C",  // 我想在工作
    "\xE1\x9E\x80\xE1\x9E\xB6\xE1\x9E\x93\xE1\x9F\x8B\xE1\x9E\x8F\xE1\x9F\x82",  // Khmer
    "mixed caf\xC3\xA9 \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 \xE2\x82\xAC" "5",
};

}  // namespace

TEST_CASE("every chunk is complete UTF-8 and the stream equals detokenize()") {
    for (const std::string &name : lq_test::suite_vocabularies()) {
        const lq::Vocab &vocab = lq_test::vocab(name);
        for (const char *text : kTexts) {
            for (uint32_t flags : {0u, static_cast<uint32_t>(lq::kDetokenizeKeepLeadingSpace),
                                   static_cast<uint32_t>(lq::kDetokenizeRenderSpecial)}) {
                const std::string shown = lq_test::escape_text(text);
                CAPTURE(name);
                CAPTURE(shown);
                CAPTURE(flags);
                const Ids ids = vocab.tokenize(text, true, false);
                lq::StreamingDetokenizer stream(vocab, flags);
                std::string streamed;
                for (int32_t id : ids) {
                    const std::string chunk = stream.push(id);
                    CHECK(lq::is_valid_utf8(chunk));
                    streamed += chunk;
                }
                CHECK(stream.pending().empty());
                streamed += stream.flush();
                CHECK(streamed == vocab.detokenize(ids.data(), ids.size(), flags));
            }
        }
    }
}

TEST_CASE("a character split over byte tokens is held back until complete") {
    const lq::Vocab &llama = lq_test::vocab("llama-spm");
    // U+1F999 (🦙) has no token of its own in this vocabulary: four byte tokens.
    const Ids ids = llama.tokenize("\xF0\x9F\xA6\x99", false, false);
    REQUIRE(ids.size() >= 4);
    lq::StreamingDetokenizer stream(llama, 0);
    std::vector<std::string> chunks;
    for (int32_t id : ids) chunks.push_back(stream.push(id));
    for (size_t i = 0; i + 1 < chunks.size(); ++i) CHECK(chunks[i].size() < 2);  // at most the prefix space
    CHECK(chunks.back().find("\xF0\x9F\xA6\x99") != std::string::npos);
    CHECK(stream.flush().empty());

    // Bytes pushed one at a time: the three-byte € comes out on its third byte.
    const int32_t byte_base = 3;  // <0x00> is id 3 in Llama vocabularies
    lq::StreamingDetokenizer bytes(llama, lq::kDetokenizeKeepLeadingSpace);
    CHECK(bytes.push(byte_base + 0xE2).empty());
    CHECK(bytes.pending() == "\xE2");
    CHECK(bytes.push(byte_base + 0x82).empty());
    CHECK(bytes.push(byte_base + 0xAC) == "\xE2\x82\xAC");
    CHECK(bytes.pending().empty());
}

TEST_CASE("bytes that cannot complete a character are passed through; flush releases the rest") {
    const lq::Vocab &llama = lq_test::vocab("llama-spm");
    const int32_t byte_base = 3;
    lq::StreamingDetokenizer stream(llama, lq::kDetokenizeKeepLeadingSpace);
    CHECK(stream.push(byte_base + 0xE2).empty());
    CHECK(stream.push(byte_base + 'A') == "\xE2" "A");  // the lead byte can no longer complete
    CHECK(stream.push(byte_base + 0xF0).empty());
    CHECK(stream.flush() == "\xF0");  // the end of the stream releases it
    CHECK(stream.flush().empty());
    CHECK(stream.push(byte_base + 0x80) == "\x80");  // a stray continuation byte is not held
}

TEST_CASE("prepare() leaves the detokenizer unchanged until commit()") {
    const lq::Vocab &gpt2 = lq_test::vocab("gpt-2");
    const Ids ids = gpt2.tokenize("\xF0\x9F\x98\x80!", false, false);
    lq::StreamingDetokenizer stream(gpt2, 0);
    lq::StreamingDetokenizer::Step step = stream.prepare(ids[0]);
    const std::string pending_before = stream.pending();
    (void)stream.prepare(ids[0]);
    CHECK(stream.pending() == pending_before);
    stream.commit(std::move(step));
    std::string all;
    for (size_t i = 1; i < ids.size(); ++i) all += stream.push(ids[i]);
    all += stream.flush();
    CHECK(all.find("!") != std::string::npos);
    CHECK_THROWS_AS(stream.push(-5), lq::Error);
    CHECK_THROWS_AS(stream.push(gpt2.n_tokens()), lq::Error);
}
