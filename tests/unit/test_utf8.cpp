#include <doctest/doctest.h>

#include "core/utf8.h"

using namespace lq;

TEST_CASE("UTF-8 validation accepts well-formed text and rejects the rest") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("plain ascii"));
    CHECK(is_valid_utf8("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x98\x80"));  // é € 😀
    CHECK(is_valid_utf8(std::string("a\0b", 3)));                           // NUL is valid UTF-8
    CHECK_FALSE(is_valid_utf8("\x80"));                                    // lone continuation
    CHECK_FALSE(is_valid_utf8("\xC3"));                                    // truncated
    CHECK_FALSE(is_valid_utf8("\xC0\xAF"));                                // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xE0\x80\xAF"));                            // overlong
    CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));                            // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));                        // above U+10FFFF
    CHECK_FALSE(is_valid_utf8("\xFF"));
}

TEST_CASE("UTF-8 encode/decode round trip over all scalar values") {
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x1000 ? 1 : 7)) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        std::string s;
        utf8_append(s, cp);
        const auto *p = reinterpret_cast<const unsigned char *>(s.data());
        REQUIRE(utf8_sequence_length(p, s.size()) == s.size());
        CHECK(utf8_decode(p, s.size()) == cp);
    }
}

TEST_CASE("incomplete tails are detected for streaming") {
    CHECK(utf8_incomplete_tail("abc") == 0);
    CHECK(utf8_incomplete_tail("ab\xC3") == 1);
    CHECK(utf8_incomplete_tail("ab\xE2\x82") == 2);
    CHECK(utf8_incomplete_tail("ab\xF0\x9F\x98") == 3);
    CHECK(utf8_incomplete_tail("ab\xF0\x9F\x98\x80") == 0);
    CHECK(utf8_incomplete_tail("\xE2\x82\xAC") == 0);
    CHECK(utf8_incomplete_tail("\x80\x80\x80") == 0);  // garbage is not held back forever
}
