#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/error.h"
#include "format/gguf.h"
#include "format/gguf_writer.h"
#include "format/mapped_file.h"
#include "test_paths.h"

using namespace lq;

namespace {

bool file_exists(const std::string &path) {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
}

// Writes a copy of @p g: every metadata entry and tensor in file order.
void copy_gguf(const GgufFile &g, const std::string &path) {
    GgufWriter w(g.version());
    for (const GgufKv &kv : g.kvs()) w.set_value(kv.key, kv.value);
    for (const GgufTensor &t : g.tensors()) w.add_tensor(t.name, t.type, t.n_dims, t.ne);
    w.begin(path);
    for (const GgufTensor &t : g.tensors()) w.write_tensor_data(t.data, static_cast<size_t>(t.n_bytes));
    w.finish();
}

}  // namespace

TEST_CASE("read -> write -> read gives identical metadata and tensor bytes for every shared GGUF") {
    const char *const files[] = {
        "models/stories260K/stories260K-f32.gguf",    "models/stories260K/stories260K-q6_k.gguf",
        "models/stories260K/stories260K-q4_k_m.gguf", "models/stories260K/stories260K-tq2_0.gguf",
        "tokenizer-tests/ggml-vocab-gpt-2.gguf",      "tokenizer-tests/ggml-vocab-llama-spm.gguf",
        "tokenizer-tests/ggml-vocab-bert-bge.gguf",
    };
    for (const char *relative : files) {
        CAPTURE(relative);
        MappedFile in(lq_test::shared_path(relative), true);
        const GgufFile a = GgufFile::parse(in.data(), in.size());
        const std::string out_path = lq_test::scratch_dir() + "/roundtrip.gguf";
        copy_gguf(a, out_path);
        MappedFile out(out_path, true);
        const GgufFile b = GgufFile::parse(out.data(), out.size());

        REQUIRE(a.kvs().size() == b.kvs().size());
        for (size_t i = 0; i < a.kvs().size(); ++i) {
            CHECK(a.kvs()[i].key == b.kvs()[i].key);
            CHECK(a.kvs()[i].value.type == b.kvs()[i].value.type);
        }
        // Metadata bytes are identical: the whole header region matches.
        REQUIRE(a.data_offset() == b.data_offset());
        CHECK(std::memcmp(in.data(), out.data(), std::min<size_t>(a.data_offset(), in.size())) == 0);
        REQUIRE(a.tensors().size() == b.tensors().size());
        for (size_t i = 0; i < a.tensors().size(); ++i) {
            const GgufTensor &ta = a.tensors()[i], &tb = b.tensors()[i];
            CHECK(ta.name == tb.name);
            CHECK(ta.type == tb.type);
            CHECK(ta.offset == tb.offset);
            REQUIRE(ta.n_bytes == tb.n_bytes);
            CHECK(std::memcmp(ta.data, tb.data, static_cast<size_t>(ta.n_bytes)) == 0);
        }
        // Laid out the way the other writer lays files out: byte-identical.
        CHECK(in.size() == out.size());
        CHECK(std::memcmp(in.data(), out.data(), in.size()) == 0);
    }
}

TEST_CASE("setters write every type and replace keys in place") {
    GgufWriter w;
    w.set_u8("u8", 250);
    w.set_i8("i8", -5);
    w.set_u16("u16", 65535);
    w.set_i16("i16", -1);
    w.set_u32("u32", 123);
    w.set_i32("i32", -123);
    w.set_u64("u64", 1ull << 40);
    w.set_i64("i64", -(1ll << 40));
    w.set_f32("f32", 0.25f);
    w.set_f64("f64", 1e300);
    w.set_bool("bool", true);
    w.set_string("str", "text");
    const float floats[3] = {1, 2, 3};
    w.set_array("floats", GgufType::FLOAT32, floats, 3);
    w.set_string_array("strings", std::vector<std::string>{"x", "", "z"});
    w.set_u32("u32", 456);  // replaces, keeps position
    CHECK(w.has("u32"));
    w.remove("i8");
    CHECK_FALSE(w.has("i8"));

    const std::vector<uint8_t> bytes = w.header_bytes();
    const GgufFile g = GgufFile::parse(bytes.data(), bytes.size());
    CHECK(g.kvs().size() == 13);
    CHECK(g.kvs()[3].key == "u32");
    CHECK(g.get_int("u32", 0) == 456);
    CHECK(g.get_int("u8", 0) == 250);
    CHECK(g.get_int("u16", 0) == 65535);
    CHECK(g.get_int("i16", 0) == -1);
    CHECK(g.get_int("i32", 0) == -123);
    CHECK(g.get_int("u64", 0) == (1ll << 40));
    CHECK(g.get_int("i64", 0) == -(1ll << 40));
    CHECK(g.get_float("f32", 0) == 0.25);
    CHECK(g.get_float("f64", 0) == 1e300);
    CHECK(g.get_bool("bool", false));
    CHECK(g.get_string("str") == "text");
    CHECK(g.get_array("floats", GgufType::FLOAT32)->float_at(2) == 3.0);
    CHECK(g.get_array("strings", GgufType::STRING)->strings[1].empty());
}

TEST_CASE("tensors are aligned, sized by type and written in order") {
    const std::string path = lq_test::scratch_dir() + "/tensors.gguf";
    GgufWriter w;
    w.set_u32("general.alignment", 64);
    const uint64_t q_shape[2] = {64, 3};
    const uint64_t f_shape[1] = {5};
    w.add_tensor("q", TensorType::Q8_0, 2, q_shape);
    w.add_tensor("f", TensorType::F32, 1, f_shape);
    CHECK(w.tensor_bytes(0) == 2 * 3 * 34);
    CHECK(w.tensor_bytes(1) == 20);
    w.begin(path);
    std::vector<uint8_t> q(204, 7), f(20, 9);
    w.write_tensor_data(q.data(), 100);  // in pieces
    w.write_tensor_data(q.data() + 100, 104);
    w.write_tensor_data(f.data(), f.size());
    w.finish();
    MappedFile file(path, true);
    const GgufFile g = GgufFile::parse(file.data(), file.size());
    CHECK(g.alignment() == 64);
    CHECK(g.find_tensor("f")->offset == 256);
    CHECK(g.find_tensor("f")->data[19] == 9);
    CHECK(g.find_tensor("q")->data[203] == 7);
}

TEST_CASE("the writer refuses bad shapes and names") {
    GgufWriter w;
    const uint64_t shape[2] = {172, 4};
    CHECK_THROWS_AS(w.add_tensor("w", TensorType::Q4_0, 2, shape), Error);  // 172 % 32 != 0
    w.add_tensor("w", TensorType::F16, 2, shape);
    CHECK_THROWS_AS(w.add_tensor("w", TensorType::F16, 2, shape), Error);  // duplicate
    CHECK_THROWS_AS(w.add_tensor("", TensorType::F16, 2, shape), Error);
    CHECK_THROWS_AS(w.add_tensor("x", TensorType::F16, 5, shape), Error);
    CHECK_THROWS_AS(w.add_tensor("y", TensorType::Q4_2_REMOVED, 2, shape), Error);
    CHECK_THROWS_AS(w.set_u32("", 1), Error);
}

TEST_CASE("a failed or abandoned write leaves an existing file untouched") {
    const std::string path = lq_test::scratch_dir() + "/keep.gguf";
    lq_test::write_file(path, "precious");
    {
        GgufWriter w;
        const uint64_t shape[1] = {4};
        w.add_tensor("t", TensorType::F32, 1, shape);
        w.begin(path);
        CHECK(file_exists(path + ".tmp"));
        CHECK_THROWS_AS(w.finish(), Error);  // tensor data missing
    }
    CHECK(lq_test::read_file(path) == "precious");
    CHECK_FALSE(file_exists(path + ".tmp"));
    {
        GgufWriter w;
        w.set_string("k", "v");
        w.begin(path);
        // destroyed without finish(): abandoned
    }
    CHECK(lq_test::read_file(path) == "precious");
    CHECK_FALSE(file_exists(path + ".tmp"));
    GgufWriter w;
    CHECK_THROWS_AS(w.begin("/nonexistent-dir/x.gguf"), Error);
}
