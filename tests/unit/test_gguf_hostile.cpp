// A corpus of deliberately broken GGUF files. Each must fail with
// LQ_ERR_MODEL_FORMAT and a message naming what is wrong; none may crash,
// read out of bounds (the sanitizer build checks) or throw anything else.
#include <doctest/doctest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "format/gguf.h"
#include "format/mapped_file.h"
#include "gguf_bytes.h"
#include "test_paths.h"

using namespace lq;
using lq_test::GgufBytes;

namespace {

// Parses a private heap copy sized exactly to the bytes, so any read past
// the end is caught by AddressSanitizer.
bool parses(const std::string &bytes, std::string *message = nullptr) {
    std::vector<uint8_t> copy(bytes.begin(), bytes.end());
    try {
        GgufFile::parse(copy.data(), copy.size());
        return true;
    } catch (const Error &e) {
        CHECK(e.status() == LQ_ERR_MODEL_FORMAT);
        if (message) *message = e.what();
        return false;
    }
}

void expect_rejected(const std::string &bytes, const std::string &needle) {
    std::string message;
    CHECK_FALSE_MESSAGE(parses(bytes, &message), "expected a failure mentioning '" << needle << "'");
    CHECK_MESSAGE(message.find(needle) != std::string::npos, "message: " << message);
}

// A small valid file: alignment, a string, an int array; an F32 [8] and a
// Q8_0 [32 x 2] tensor; the data ends exactly at the end of the file.
GgufBytes valid_file() {
    GgufBytes b;
    b.header(2, 3);
    b.kv_u32("general.alignment", 32);
    b.kv_str("general.name", "tiny");
    b.str("numbers").u32(9).u32(5).u64(2).put<int32_t>(1).put<int32_t>(2);
    b.tensor("a", {8}, 0, 0);
    b.tensor("b", {32, 2}, 8, 32);
    b.pad_to(32).zeros(32).zeros(68);
    return b;
}

}  // namespace

TEST_CASE("the base of the corpus is valid") { CHECK(parses(valid_file().bytes)); }

TEST_CASE("truncation at every byte fails cleanly") {
    const std::string full = valid_file().bytes;
    for (size_t length = 0; length < full.size(); ++length) {
        CAPTURE(length);
        CHECK_FALSE(parses(full.substr(0, length)));
    }
}

TEST_CASE("truncating a real model anywhere in its header and at every tensor boundary fails cleanly") {
    const std::string full = lq_test::read_file(lq_test::shared_path("models/stories260K/stories260K-q4_k_m.gguf"));
    const GgufFile g = GgufFile::parse(reinterpret_cast<const uint8_t *>(full.data()), full.size());
    for (size_t length = 0; length < g.data_offset(); length += 1) {
        CAPTURE(length);
        CHECK_FALSE(parses(full.substr(0, length)));
    }
    for (const GgufTensor &t : g.tensors()) {
        const size_t end = static_cast<size_t>(g.data_offset() + t.offset + t.n_bytes);
        CHECK_FALSE(parses(full.substr(0, end - 1)));
    }
}

TEST_CASE("hostile headers") {
    expect_rejected(GgufBytes().raw("GGML").u32(3).u64(0).u64(0).bytes, "not a GGUF file");
    expect_rejected(GgufBytes().header(0, 0, 1).bytes, "version 1");
    expect_rejected(GgufBytes().header(0, 0, 4).bytes, "unsupported GGUF version");
    expect_rejected(GgufBytes().header(0, 0, 0x03000000).bytes, "big-endian");
    expect_rejected(GgufBytes().header(0, 1ull << 60).bytes, "metadata count");
    expect_rejected(GgufBytes().header(~0ull, 0).bytes, "tensor count");
}

TEST_CASE("hostile metadata") {
    expect_rejected(GgufBytes().header(0, 1).u64(1ull << 62).zeros(64).bytes, "string length");
    expect_rejected(GgufBytes().header(0, 1).str("").u32(4).u32(1).zeros(64).bytes, "empty key");
    expect_rejected(GgufBytes().header(0, 1).str("bad\xFFkey").u32(4).u32(1).zeros(64).bytes, "UTF-8");
    expect_rejected(GgufBytes().header(0, 1).str("overlong\xC0\xAF").u32(4).u32(1).zeros(64).bytes, "UTF-8");
    expect_rejected(GgufBytes().header(0, 1).str(std::string("nul\0key", 7)).u32(4).u32(1).zeros(64).bytes, "UTF-8");
    expect_rejected(GgufBytes().header(0, 2).kv_u32("k", 1).kv_u32("k", 2).zeros(64).bytes, "duplicate key");
    expect_rejected(GgufBytes().header(0, 1).str("k").u32(13).u32(1).zeros(64).bytes, "unknown value type");
    expect_rejected(GgufBytes().header(0, 1).str("k").u32(7).u8(2).zeros(64).bytes, "bool");
    expect_rejected(GgufBytes().header(0, 1).str("k").u32(9).u32(7).u64(2).u8(1).u8(5).zeros(64).bytes, "bool");
    expect_rejected(GgufBytes().header(0, 1).str("k").u32(9).u32(4).u64(1ull << 61).zeros(64).bytes, "array count");
    expect_rejected(GgufBytes().header(0, 1).str("k").u32(9).u32(8).u64(1ull << 40).zeros(64).bytes, "array count");
    expect_rejected(GgufBytes().header(0, 1).str("k").u32(9).u32(42).u64(1).zeros(64).bytes, "unknown value type");
    // Arrays nested deeper than any real file needs.
    GgufBytes deep;
    deep.header(0, 1).str("k").u32(9);
    for (int i = 0; i < 40; ++i) deep.u32(9).u64(1);
    deep.u32(4).u64(0);
    expect_rejected(deep.zeros(64).bytes, "nested too deeply");
    expect_rejected(GgufBytes().header(0, 1).str("general.alignment").u32(4).u32(0).zeros(64).bytes, "power of two");
    expect_rejected(GgufBytes().header(0, 1).str("general.alignment").u32(4).u32(48).zeros(64).bytes, "power of two");
    expect_rejected(GgufBytes().header(0, 1).str("general.alignment").u32(10).u64(32).zeros(64).bytes, "general.alignment");
}

TEST_CASE("hostile tensor infos") {
    auto with_tensor = [](const std::function<void(GgufBytes &)> &tensor) {
        GgufBytes b;
        b.header(1, 0);
        tensor(b);
        b.pad_to(32).zeros(1024);
        return b.bytes;
    };
    expect_rejected(with_tensor([](GgufBytes &b) { b.str("").u32(1).u64(4).u32(0).u64(0); }), "tensor name");
    expect_rejected(with_tensor([](GgufBytes &b) { b.str("\xFE").u32(1).u64(4).u32(0).u64(0); }), "tensor name");
    expect_rejected(with_tensor([](GgufBytes &b) { b.str(std::string(5000, 'n')).u32(1).u64(4).u32(0).u64(0); }),
                    "tensor name");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {1, 1, 1, 1, 1}, 0, 0); }), "more than 4");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {1ull << 40, 1ull << 40}, 0, 0); }), "overflow");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {~0ull}, 0, 0); }), "overflow");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {4}, 99, 0); }), "unknown tensor type");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {32}, 4, 0); }), "removed");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {32}, 31, 0); }), "removed");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {172}, 2, 0); }), "block size");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {4}, 0, 3); }), "not aligned");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {4}, 0, 1ull << 62); }), "past the end");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {1024}, 0, 0); }), "past the end");
    expect_rejected(with_tensor([](GgufBytes &b) { b.tensor("t", {1ull << 30, 1ull << 30}, 0, 0); }), "past the end");

    GgufBytes duplicate;
    duplicate.header(2, 0).tensor("t", {4}, 0, 0).tensor("t", {4}, 0, 32).pad_to(32).zeros(64);
    expect_rejected(duplicate.bytes, "duplicate tensor");
    GgufBytes overlap;
    overlap.header(2, 0).tensor("a", {16}, 0, 0).tensor("b", {16}, 0, 32).pad_to(32).zeros(128);
    expect_rejected(overlap.bytes, "overlap");
    GgufBytes beyond;  // header claims a data section that the file never reaches
    beyond.header(1, 0).tensor("t", {0}, 0, 0);
    expect_rejected(beyond.bytes, "beyond the end");
}

TEST_CASE("random corruption never crashes and fails only with format errors") {
    std::mt19937 rng(1234);
    const std::string small = valid_file().bytes;
    const std::string real = lq_test::read_file(lq_test::shared_path("models/stories260K/stories260K-tq2_0.gguf"));
    const GgufFile g = GgufFile::parse(reinterpret_cast<const uint8_t *>(real.data()), real.size());
    const std::string real_header = real.substr(0, static_cast<size_t>(g.data_offset()));
    int accepted = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string bytes = (round % 2) ? small : real_header;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int f = 0; f < flips; ++f) {
            const size_t at = rng() % bytes.size();
            bytes[at] = static_cast<char>(rng() % 3 == 0 ? 0xFF : rng() & 0xFF);
        }
        if (round % 5 == 0) bytes.resize(rng() % bytes.size());
        std::vector<uint8_t> copy(bytes.begin(), bytes.end());
        try {
            GgufFile::parse(copy.data(), copy.size());
            ++accepted;
        } catch (const Error &e) {
            CHECK(e.status() == LQ_ERR_MODEL_FORMAT);
        }
    }
    MESSAGE("corrupted files still accepted (harmless byte changes): " << accepted);
}
