#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "core/error.h"
#include "format/gguf.h"
#include "format/gguf_text.h"
#include "format/mapped_file.h"
#include "gguf_bytes.h"
#include "test_paths.h"

using namespace lq;

namespace {

GgufFile parse(const std::string &bytes) {
    return GgufFile::parse(reinterpret_cast<const uint8_t *>(bytes.data()), bytes.size());
}

const char *const kSharedGgufs[] = {
    "models/stories260K/stories260K-f32.gguf",       "models/stories260K/stories260K-q6_k.gguf",
    "models/stories260K/stories260K-q4_k_m.gguf",    "models/stories260K/stories260K-tq2_0.gguf",
    "tokenizer-tests/ggml-vocab-bert-bge.gguf",      "tokenizer-tests/ggml-vocab-deepseek-coder.gguf",
    "tokenizer-tests/ggml-vocab-gpt-2.gguf",         "tokenizer-tests/ggml-vocab-llama-spm.gguf",
    "tokenizer-tests/ggml-vocab-phi-3.gguf",         "tokenizer-tests/ggml-vocab-starcoder.gguf",
};

}  // namespace

TEST_CASE("the stories260K F32 file parses with the documented metadata and tensors") {
    MappedFile file(lq_test::shared_path("models/stories260K/stories260K-f32.gguf"), true);
    const GgufFile g = GgufFile::parse(file.data(), file.size());
    CHECK(g.version() == 3);
    CHECK(g.alignment() == 32);
    CHECK(g.tensors().size() == 48);
    CHECK(g.get_string("general.architecture") == "llama");
    CHECK(g.get_int("llama.embedding_length", 0) == 64);
    CHECK(g.get_int("llama.feed_forward_length", 0) == 172);
    CHECK(g.get_int("llama.attention.head_count_kv", 0) == 4);
    CHECK(g.get_float("llama.attention.layer_norm_rms_epsilon", 0) == doctest::Approx(1e-5));
    const GgufValue *tokens = g.get_array("tokenizer.ggml.tokens", GgufType::STRING);
    REQUIRE(tokens != nullptr);
    CHECK(tokens->count == 512);
    CHECK(tokens->strings[1] == "<s>");
    const GgufValue *scores = g.get_array("tokenizer.ggml.scores", GgufType::FLOAT32);
    REQUIRE(scores != nullptr);
    CHECK(std::isfinite(scores->float_at(300)));

    const GgufTensor *ffn_down = g.find_tensor("blk.0.ffn_down.weight");
    REQUIRE(ffn_down != nullptr);
    CHECK(ffn_down->type == TensorType::F32);
    CHECK(ffn_down->n_dims == 2);
    CHECK(ffn_down->ne[0] == 172);
    CHECK(ffn_down->ne[1] == 64);
    CHECK(ffn_down->n_bytes == 172 * 64 * 4);
    CHECK(ffn_down->data == file.data() + g.data_offset() + ffn_down->offset);

    uint64_t params = 0;
    for (const GgufTensor &t : g.tensors()) params += t.n_elements;
    // 260,032 weights plus the separate output copy of the tied embedding (64 x 512).
    CHECK(params == 260032 + 64 * 512);
    CHECK(g.find_tensor("no.such.tensor") == nullptr);
    CHECK(g.find("no.such.key") == nullptr);
}

TEST_CASE("every GGUF in the shared folder parses") {
    for (const char *relative : kSharedGgufs) {
        CAPTURE(relative);
        MappedFile file(lq_test::shared_path(relative), true);
        const GgufFile g = GgufFile::parse(file.data(), file.size());
        CHECK(g.kvs().size() > 0);
        CHECK(!g.get_string("tokenizer.ggml.model").empty());
    }
}

TEST_CASE("mapped and read-into-memory views are identical") {
    const std::string path = lq_test::shared_path("models/stories260K/stories260K-q4_k_m.gguf");
    MappedFile mapped(path, true), read(path, false);
    CHECK(mapped.mapped());
    CHECK_FALSE(read.mapped());
    REQUIRE(mapped.size() == read.size());
    CHECK(std::memcmp(mapped.data(), read.data(), mapped.size()) == 0);
}

TEST_CASE("missing files are IO errors") {
    try {
        MappedFile file("/nonexistent/model.gguf", true);
        FAIL("expected an error");
    } catch (const Error &e) {
        CHECK(e.status() == LQ_ERR_IO);
        CHECK(std::string(e.what()).find("/nonexistent/model.gguf") != std::string::npos);
    }
}

TEST_CASE("typed lookups report wrong types by key name") {
    lq_test::GgufBytes b;
    b.header(0, 3).kv_u32("a.number", 7).kv_str("a.text", "hello").str("a.float").u32(6).put<float>(0.5f);
    const GgufFile g = parse(b.bytes);
    CHECK(g.get_int("a.number", 0) == 7);
    CHECK(g.get_float("a.number", 0) == 7.0);
    CHECK(g.get_float("a.float", 0) == 0.5);
    CHECK(g.get_string("a.text") == "hello");
    CHECK(g.get_int("a.missing", 42) == 42);
    try {
        g.get_string("a.number");
        FAIL("expected an error");
    } catch (const Error &e) {
        CHECK(e.status() == LQ_ERR_MODEL_FORMAT);
        CHECK(std::string(e.what()).find("a.number") != std::string::npos);
    }
    CHECK_THROWS_AS(g.get_int("a.text", 0), Error);
    CHECK_THROWS_AS(g.get_array("a.text", GgufType::STRING), Error);
}

TEST_CASE("every metadata value type parses, nested arrays included") {
    lq_test::GgufBytes b;
    b.header(0, 14);
    b.str("u8").u32(0).u8(200);
    b.str("i8").u32(1).put<int8_t>(-100);
    b.str("u16").u32(2).put<uint16_t>(60000);
    b.str("i16").u32(3).put<int16_t>(-30000);
    b.str("u32").u32(4).u32(4000000000u);
    b.str("i32").u32(5).put<int32_t>(-2000000000);
    b.str("f32").u32(6).put<float>(1.5f);
    b.str("bool").u32(7).u8(1);
    b.str("string").u32(8).str("\xC3\xA9t\xC3\xA9");
    b.str("u64").u32(10).u64(18000000000000000000ull);
    b.str("i64").u32(11).put<int64_t>(-9000000000000000000ll);
    b.str("f64").u32(12).put<double>(-2.25);
    b.str("ints").u32(9).u32(5).u64(3).put<int32_t>(1).put<int32_t>(-2).put<int32_t>(3);
    // [[ "a", "b" ], [ "c" ]]: an array of arrays of strings.
    b.str("nested").u32(9).u32(9).u64(2).u32(8).u64(2).str("a").str("b").u32(8).u64(1).str("c");
    const GgufFile g = parse(b.bytes);
    CHECK(g.get_int("u8", 0) == 200);
    CHECK(g.get_int("i8", 0) == -100);
    CHECK(g.get_int("u16", 0) == 60000);
    CHECK(g.get_int("i16", 0) == -30000);
    CHECK(g.get_int("u32", 0) == 4000000000ll);
    CHECK(g.get_int("i32", 0) == -2000000000);
    CHECK(g.get_float("f32", 0) == 1.5);
    CHECK(g.get_bool("bool", false));
    CHECK(g.get_string("string") == "\xC3\xA9t\xC3\xA9");
    CHECK(g.get_int("i64", 0) == -9000000000000000000ll);
    CHECK(g.get_float("f64", 0) == -2.25);
    int64_t out;
    CHECK_FALSE(g.find("u64")->to_int(&out));  // above INT64_MAX
    CHECK(g.find("u64")->scalar.u == 18000000000000000000ull);
    const GgufValue *ints = g.get_array("ints", GgufType::INT32);
    REQUIRE(ints);
    CHECK(ints->int_at(1) == -2);
    const GgufValue *nested = g.find("nested");
    REQUIRE(nested);
    REQUIRE(nested->arrays.size() == 2);
    CHECK(nested->arrays[0].strings[1] == "b");
    CHECK(nested->arrays[1].strings[0] == "c");
    CHECK(gguf_value_text(*nested) == "[[\"a\",\"b\"],[\"c\"]]");
    CHECK(gguf_value_text(*ints) == "[1,-2,3]");
    CHECK(gguf_value_text(*g.find("string")) == "\xC3\xA9t\xC3\xA9");
    CHECK(gguf_value_json(*g.find("string")) == "\"\xC3\xA9t\xC3\xA9\"");
    CHECK(gguf_value_text(*g.find("bool")) == "true");
    CHECK(gguf_value_text(*g.find("u64")) == "18000000000000000000");
}

TEST_CASE("version 2 files parse like version 3") {
    lq_test::GgufBytes b;
    b.header(1, 1, 2).kv_u32("general.alignment", 32).tensor("w", {32, 2}, 0, 0).pad_to(32).zeros(256);
    const GgufFile g = parse(b.bytes);
    CHECK(g.version() == 2);
    CHECK(g.tensors()[0].n_bytes == 256);
}

TEST_CASE("custom alignment places the data section and is enforced on offsets") {
    lq_test::GgufBytes b;
    b.header(2, 1).kv_u32("general.alignment", 64).tensor("a", {8}, 0, 0).tensor("b", {8}, 0, 64).pad_to(64).zeros(96);
    const GgufFile g = parse(b.bytes);
    CHECK(g.alignment() == 64);
    CHECK(g.data_offset() % 64 == 0);
    CHECK(g.find_tensor("b")->data - g.find_tensor("a")->data == 64);
}

TEST_CASE("float array elements read as integers saturate instead of overflowing") {
    lq_test::GgufBytes b;
    b.header(0, 1).str("floats").u32(9).u32(6).u64(4).put<float>(1e31f).put<float>(-1e31f).put<float>(NAN).put<float>(-2.75f);
    const GgufFile g = parse(b.bytes);
    const GgufValue *v = g.find("floats");
    REQUIRE(v);
    CHECK(v->int_at(0) == INT64_MAX);
    CHECK(v->int_at(1) == INT64_MIN);
    CHECK(v->int_at(2) == 0);
    CHECK(v->int_at(3) == -2);
}
