// The tokenizer functions of the C interface: size queries and too-small
// buffers, NULL arguments, invalid ids and flags, models without a
// vocabulary, the transactional streaming push, and the frozen layout of
// lq_vocab_info.
#include <doctest/doctest.h>

#include <cstddef>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "libquant/libquant.h"
#include "test_paths.h"

namespace {

struct ModelHandle {
    lq_model *model = nullptr;
    ModelHandle(const std::string &name, uint32_t flags) {
        lq_model_options options = LQ_MODEL_OPTIONS_INIT;
        options.flags = flags;
        const std::string path = lq_test::shared_path("tokenizer-tests/ggml-vocab-" + name + ".gguf");
        REQUIRE(lq_model_load(&model, path.c_str(), &options) == LQ_OK);
    }
    ~ModelHandle() { lq_model_free(model); }
};

std::string last_error() { return lq_last_error_message(); }

}  // namespace

TEST_CASE("lq_vocab_info has a frozen, padding-free layout") {
    static_assert(offsetof(lq_vocab_info, struct_size) == 0, "layout");
    static_assert(offsetof(lq_vocab_info, tokenizer_type) == 4, "layout");
    static_assert(offsetof(lq_vocab_info, n_tokens) == 8, "layout");
    static_assert(offsetof(lq_vocab_info, bos) == 12, "layout");
    static_assert(offsetof(lq_vocab_info, fim_sep) == 68, "layout");
    static_assert(offsetof(lq_vocab_info, add_bos) == 72, "layout");
    static_assert(offsetof(lq_vocab_info, reserved) == 84, "layout");
    static_assert(offsetof(lq_vocab_info, model) == 88, "layout");
    static_assert(offsetof(lq_vocab_info, pre) == 96, "layout");
    static_assert(sizeof(lq_vocab_info) == 104, "layout");
    static_assert(sizeof(lq_tokenize_flags) == 4 && sizeof(lq_detokenize_flags) == 4 &&
                      sizeof(lq_token_attribute) == 4 && sizeof(lq_tokenizer_type) == 4,
                  "enums are 32 bits");
}

TEST_CASE("vocabulary info through the C interface") {
    ModelHandle llama("llama-spm", LQ_MODEL_VOCAB_ONLY);
    lq_vocab_info info = LQ_VOCAB_INFO_INIT;
    REQUIRE(lq_model_get_vocab_info(llama.model, &info) == LQ_OK);
    CHECK(info.tokenizer_type == LQ_TOKENIZER_SPM);
    CHECK(info.n_tokens == 32000);
    CHECK(info.bos == 1);
    CHECK(info.eos == 2);
    CHECK(info.unk == 0);
    CHECK(info.sep == -1);
    CHECK(info.add_bos == 1);
    CHECK(info.add_eos == 0);
    CHECK(info.add_space_prefix == 1);
    CHECK(std::string(info.model) == "llama");

    ModelHandle gpt2("gpt-2", LQ_MODEL_VOCAB_ONLY);
    REQUIRE(lq_model_get_vocab_info(gpt2.model, &info) == LQ_OK);
    CHECK(info.tokenizer_type == LQ_TOKENIZER_BPE);
    CHECK(std::string(info.pre) == "gpt-2");
    CHECK(info.eos == 50256);

    ModelHandle bert("bert-bge", LQ_MODEL_VOCAB_ONLY);
    REQUIRE(lq_model_get_vocab_info(bert.model, &info) == LQ_OK);
    CHECK(info.tokenizer_type == LQ_TOKENIZER_WORDPIECE);
    CHECK(info.cls == 101);
    CHECK(info.sep == 102);
    CHECK(info.mask == 103);

    // An older caller knowing only the first fields gets just those.
    struct {
        lq_vocab_info info;
        uint32_t guard;
    } old_caller;
    std::memset(&old_caller, 0xAB, sizeof old_caller);
    old_caller.info.struct_size = offsetof(lq_vocab_info, bos);
    REQUIRE(lq_model_get_vocab_info(llama.model, &old_caller.info) == LQ_OK);
    CHECK(old_caller.info.n_tokens == 32000);
    CHECK(old_caller.info.bos == static_cast<int32_t>(0xABABABAB));  // untouched

    CHECK(lq_model_get_vocab_info(nullptr, &info) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_model_get_vocab_info(llama.model, nullptr) == LQ_ERR_INVALID_ARGUMENT);
}

TEST_CASE("lq_tokenize: size query, too-small buffer, NULL arguments, flags") {
    ModelHandle model("llama-spm", LQ_MODEL_VOCAB_ONLY);
    const std::string text = "Hello world";
    size_t count = 0;
    CHECK(lq_tokenize(model.model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, nullptr, 0, &count) ==
          LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(count == 3);

    int32_t small[2] = {-7, -7};
    CHECK(lq_tokenize(model.model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, small, 2, &count) ==
          LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(count == 3);
    CHECK((small[0] == -7 && small[1] == -7));  // nothing written
    CHECK(last_error().find("too small") != std::string::npos);

    int32_t tokens[8];
    REQUIRE(lq_tokenize(model.model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, tokens, 8, &count) == LQ_OK);
    REQUIRE(count == 3);
    CHECK(tokens[0] == 1);

    // Empty text: no tokens, NULL text allowed with length 0.
    CHECK(lq_tokenize(model.model, nullptr, 0, 0, nullptr, 0, &count) == LQ_OK);
    CHECK(count == 0);
    CHECK(lq_tokenize(model.model, nullptr, 0, LQ_TOKENIZE_ADD_SPECIAL, tokens, 8, &count) == LQ_OK);
    CHECK(count == 1);

    CHECK(lq_tokenize(nullptr, "x", 1, 0, tokens, 8, &count) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_tokenize(model.model, nullptr, 3, 0, tokens, 8, &count) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_tokenize(model.model, "x", 1, 0, tokens, 8, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_tokenize(model.model, "x", 1, 0, nullptr, 8, &count) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_tokenize(model.model, "x", 1, 0x100, tokens, 8, &count) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(last_error().find("unknown flags") != std::string::npos);

    // Embedded NUL bytes are text like any other.
    const char with_nul[] = {'a', '\0', 'b'};
    REQUIRE(lq_tokenize(model.model, with_nul, 3, 0, tokens, 8, &count) == LQ_OK);
    size_t needed = 0;
    char back[16];
    REQUIRE(lq_detokenize(model.model, tokens, count, 0, back, sizeof back, &needed) == LQ_OK);
    CHECK(needed == 4);
    CHECK(std::memcmp(back, with_nul, 3) == 0);
    CHECK(back[3] == '\0');
}

TEST_CASE("lq_detokenize and lq_token_to_piece: buffers, invalid ids, flags") {
    ModelHandle model("llama-spm", LQ_MODEL_VOCAB_ONLY);
    const int32_t ids[] = {1, 15043, 3186};  // <s> Hello world
    size_t needed = 0;
    CHECK(lq_detokenize(model.model, ids, 3, 0, nullptr, 0, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(needed == 12);
    char small[4] = {'x', 'x', 'x', 'x'};
    CHECK(lq_detokenize(model.model, ids, 3, 0, small, sizeof small, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(small[0] == 'x');
    char text[64];
    REQUIRE(lq_detokenize(model.model, ids, 3, 0, text, sizeof text, &needed) == LQ_OK);
    CHECK(std::string(text) == "Hello world");
    REQUIRE(lq_detokenize(model.model, ids, 3, LQ_DETOKENIZE_RENDER_SPECIAL, text, sizeof text, &needed) == LQ_OK);
    CHECK(std::string(text) == "<s>Hello world");
    REQUIRE(lq_detokenize(model.model, ids, 3, LQ_DETOKENIZE_KEEP_LEADING_SPACE, text, sizeof text, &needed) ==
            LQ_OK);
    CHECK(std::string(text) == " Hello world");
    REQUIRE(lq_detokenize(model.model, nullptr, 0, 0, text, sizeof text, &needed) == LQ_OK);
    CHECK(needed == 1);

    const int32_t bad[] = {15043, 32000};
    CHECK(lq_detokenize(model.model, bad, 2, 0, text, sizeof text, &needed) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(last_error().find("32000") != std::string::npos);
    CHECK(lq_detokenize(model.model, nullptr, 2, 0, text, sizeof text, &needed) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_detokenize(model.model, ids, 3, 0x80, text, sizeof text, &needed) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_detokenize(model.model, ids, 3, 0, text, sizeof text, nullptr) == LQ_ERR_INVALID_ARGUMENT);

    REQUIRE(lq_token_to_piece(model.model, 15043, 0, text, sizeof text, &needed) == LQ_OK);
    CHECK(std::string(text) == " Hello");
    REQUIRE(lq_token_to_piece(model.model, 2, 0, text, sizeof text, &needed) == LQ_OK);
    CHECK(needed == 1);
    REQUIRE(lq_token_to_piece(model.model, 2, LQ_DETOKENIZE_RENDER_SPECIAL, text, sizeof text, &needed) == LQ_OK);
    CHECK(std::string(text) == "</s>");
    CHECK(lq_token_to_piece(model.model, -1, 0, text, sizeof text, &needed) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_token_to_piece(model.model, 15043, 0, text, 2, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(needed == 7);

    uint32_t attributes = 0;
    REQUIRE(lq_token_attributes(model.model, 2, &attributes) == LQ_OK);
    CHECK((attributes & LQ_TOKEN_CONTROL) != 0);
    CHECK((attributes & LQ_TOKEN_END_OF_GENERATION) != 0);
    REQUIRE(lq_token_attributes(model.model, 3, &attributes) == LQ_OK);
    CHECK(attributes == LQ_TOKEN_BYTE);
    REQUIRE(lq_token_attributes(model.model, 15043, &attributes) == LQ_OK);
    CHECK(attributes == LQ_TOKEN_NORMAL);
    CHECK(lq_token_attributes(model.model, 32000, &attributes) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_token_attributes(model.model, 1, nullptr) == LQ_ERR_INVALID_ARGUMENT);
}

TEST_CASE("a model without a vocabulary is a clear error") {
    ModelHandle metadata_only("llama-spm", LQ_MODEL_METADATA_ONLY);
    lq_vocab_info info = LQ_VOCAB_INFO_INIT;
    CHECK(lq_model_get_vocab_info(metadata_only.model, &info) == LQ_ERR_NOT_FOUND);
    CHECK(last_error().find("no vocabulary") != std::string::npos);
    size_t count = 0;
    int32_t tokens[4];
    CHECK(lq_tokenize(metadata_only.model, "x", 1, 0, tokens, 4, &count) == LQ_ERR_NOT_FOUND);
    char text[8];
    const int32_t one = 1;
    CHECK(lq_detokenize(metadata_only.model, &one, 1, 0, text, sizeof text, &count) == LQ_ERR_NOT_FOUND);
    lq_detokenizer *detokenizer = reinterpret_cast<lq_detokenizer *>(&count);
    CHECK(lq_detokenizer_create(metadata_only.model, 0, &detokenizer) == LQ_ERR_NOT_FOUND);
    CHECK(detokenizer == nullptr);
}

TEST_CASE("streaming detokenizer through the C interface") {
    ModelHandle model("llama-spm", LQ_MODEL_VOCAB_ONLY);
    lq_detokenizer *detokenizer = nullptr;
    CHECK(lq_detokenizer_create(model.model, 0x40, &detokenizer) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_detokenizer_create(model.model, 0, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    REQUIRE(lq_detokenizer_create(model.model, LQ_DETOKENIZE_KEEP_LEADING_SPACE, &detokenizer) == LQ_OK);

    const int32_t byte_base = 3;  // <0x00>
    char text[16];
    size_t needed = 0;
    REQUIRE(lq_detokenizer_push(detokenizer, byte_base + 0xE2, text, sizeof text, &needed) == LQ_OK);
    CHECK(needed == 1);  // held back: only the terminator
    REQUIRE(lq_detokenizer_push(detokenizer, byte_base + 0x82, text, sizeof text, &needed) == LQ_OK);
    CHECK(needed == 1);
    // Too small: nothing consumed, the same token can be pushed again.
    CHECK(lq_detokenizer_push(detokenizer, byte_base + 0xAC, text, 2, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(needed == 4);
    REQUIRE(lq_detokenizer_push(detokenizer, byte_base + 0xAC, text, sizeof text, &needed) == LQ_OK);
    CHECK(std::string(text) == "\xE2\x82\xAC");

    CHECK(lq_detokenizer_push(detokenizer, 99999, text, sizeof text, &needed) == LQ_ERR_INVALID_ARGUMENT);
    REQUIRE(lq_detokenizer_push(detokenizer, byte_base + 0xF0, text, sizeof text, &needed) == LQ_OK);
    CHECK(lq_detokenizer_flush(detokenizer, text, 1, &needed) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(needed == 2);
    REQUIRE(lq_detokenizer_flush(detokenizer, text, sizeof text, &needed) == LQ_OK);
    CHECK(std::string(text) == "\xF0");
    REQUIRE(lq_detokenizer_flush(detokenizer, text, sizeof text, &needed) == LQ_OK);
    CHECK(needed == 1);
    CHECK(lq_detokenizer_push(nullptr, 1, text, sizeof text, &needed) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_detokenizer_flush(detokenizer, text, sizeof text, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    lq_detokenizer_free(detokenizer);
    lq_detokenizer_free(nullptr);
}

TEST_CASE("the C interface tokenizes from many threads with one model") {
    ModelHandle model("gpt-2", LQ_MODEL_VOCAB_ONLY);
    const std::string text = "The quick brown fox jumps over the lazy dog. \xE4\xB8\xAD\xE6\x96\x87 123456";
    std::vector<int32_t> expected(64);
    size_t count = 0;
    REQUIRE(lq_tokenize(model.model, text.data(), text.size(), 0, expected.data(), expected.size(), &count) == LQ_OK);
    expected.resize(count);
    std::vector<int> failures(6, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                std::vector<int32_t> ids(64);
                size_t n = 0;
                if (lq_tokenize(model.model, text.data(), text.size(), 0, ids.data(), ids.size(), &n) != LQ_OK) {
                    ++failures[t];
                    continue;
                }
                ids.resize(n);
                if (ids != expected) ++failures[t];
                char back[256];
                size_t needed = 0;
                if (lq_detokenize(model.model, ids.data(), n, 0, back, sizeof back, &needed) != LQ_OK ||
                    std::string(back) != text)
                    ++failures[t];
            }
        });
    }
    for (std::thread &thread : threads) thread.join();
    for (int f : failures) CHECK(f == 0);
}

namespace {

std::vector<std::string> g_warnings;

void collect_warning(lq_log_level level, const char *message, void *) {
    if (level == LQ_LOG_WARN) g_warnings.emplace_back(message);
}

// Loads @p path for its vocabulary and returns the warnings the load logged.
std::vector<std::string> load_warnings(const std::string &path) {
    g_warnings.clear();
    lq_log_set_callback(collect_warning, nullptr, LQ_LOG_WARN);
    lq_model_options options = LQ_MODEL_OPTIONS_INIT;
    options.flags = LQ_MODEL_VOCAB_ONLY;
    lq_model *model = nullptr;
    const lq_status status = lq_model_load(&model, path.c_str(), &options);
    lq_log_set_callback(nullptr, nullptr, LQ_LOG_ERROR);
    CHECK(status == LQ_OK);
    lq_model_free(model);
    return g_warnings;
}

// Overwrites the u32 value of metadata key @p key in GGUF bytes.
void patch_u32(std::string &gguf, const std::string &key, uint32_t value) {
    const size_t at = gguf.find(key);
    REQUIRE(at != std::string::npos);
    uint32_t type = 0;
    std::memcpy(&type, gguf.data() + at + key.size(), 4);
    REQUIRE(type == 4);  // GGUF u32
    std::memcpy(&gguf[at + key.size() + 4], &value, 4);
}

}  // namespace

TEST_CASE("token id 0xFFFFFFFF means none and is accepted silently; other bad ids warn") {
    const std::string bundled = lq_test::source_path("models/stories260K.gguf");
    std::string bytes = lq_test::read_file(bundled);
    // The bundled model says "no separator, no padding" with 0xFFFFFFFF.
    uint32_t stored = 0;
    const std::string key = "tokenizer.ggml.padding_token_id";
    const size_t at = bytes.find(key);
    REQUIRE(at != std::string::npos);
    std::memcpy(&stored, bytes.data() + at + key.size() + 4, 4);
    REQUIRE(stored == 0xFFFFFFFFu);
    CHECK(load_warnings(bundled).empty());

    patch_u32(bytes, key, 600);  // the vocabulary has 512 tokens
    const std::string patched = lq_test::scratch_dir() + "/bad_padding.gguf";
    lq_test::write_file(patched, bytes);
    const std::vector<std::string> warnings = load_warnings(patched);
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("padding_token_id = 600 is not a token id") != std::string::npos);
}
