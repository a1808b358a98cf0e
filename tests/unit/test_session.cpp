// Session files through the C API: bit-exact round trips, and every kind of
// bad file refused with the context left as it was.
#include <doctest/doctest.h>
#include <libquant/libquant.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/hash.h"
#include "test_paths.h"

namespace {

struct Handles {
    lq_model *model = nullptr;
    lq_context *context = nullptr;
    Handles(const std::string &path, uint32_t n_ctx, uint32_t kv_type = LQ_TYPE_F16,
            uint32_t backend = LQ_BACKEND_CPU) {
        REQUIRE(lq_model_load(&model, path.c_str(), nullptr) == LQ_OK);
        lq_context_options options = LQ_CONTEXT_OPTIONS_INIT;
        options.n_ctx = n_ctx;
        options.n_threads = 2;
        options.kv_type = kv_type;
        options.backend = backend;
        REQUIRE(lq_context_create(&context, model, &options) == LQ_OK);
    }
    ~Handles() {
        lq_context_free(context);
        lq_model_free(model);
    }
    uint32_t n_past() const {
        lq_context_info info = LQ_CONTEXT_INFO_INIT;
        REQUIRE(lq_context_get_info(context, &info) == LQ_OK);
        return info.n_past;
    }
    std::vector<float> eval(const std::vector<int32_t> &tokens) const {
        std::vector<float> logits(512);
        REQUIRE(lq_context_eval(context, tokens.data(), tokens.size(), 0, logits.data(), logits.size()) == LQ_OK);
        return logits;
    }
    std::vector<uint8_t> save() const {
        size_t size = 0;
        REQUIRE(lq_context_save_session_buffer(context, nullptr, 0, &size) == LQ_ERR_BUFFER_TOO_SMALL);
        std::vector<uint8_t> bytes(size);
        REQUIRE(lq_context_save_session_buffer(context, bytes.data(), bytes.size(), &size) == LQ_OK);
        return bytes;
    }
};

std::string bundled() { return lq_test::source_path("models/stories260K.gguf"); }

std::vector<int32_t> prompt_tokens(lq_model *model, const char *text) {
    std::vector<int32_t> ids(256);
    size_t n = 0;
    REQUIRE(lq_tokenize(model, text, std::strlen(text), LQ_TOKENIZE_ADD_SPECIAL, ids.data(), ids.size(), &n) == LQ_OK);
    ids.resize(n);
    return ids;
}

const char *kText = "Once upon a time, there was a little girl named Lily. She loved to play outside in the park "
                    "with her friends and her dog.";

// Rewrites the checksum after an edit, so that a test reaches the check it means.
void reseal(std::vector<uint8_t> &bytes) {
    const uint64_t sum = lq::Hash64().update(bytes.data(), bytes.size() - 8).digest();
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
}

}  // namespace

TEST_CASE("a restored session continues bit for bit like the saved context") {
    for (uint32_t kv_type : {uint32_t(LQ_TYPE_F16), uint32_t(LQ_TYPE_F32)}) {
        CAPTURE(kv_type);
        Handles saved(bundled(), 128, kv_type);
        const std::vector<int32_t> prompt = prompt_tokens(saved.model, kText);
        REQUIRE(prompt.size() > 20);
        saved.eval(prompt);
        const std::vector<uint8_t> bytes = saved.save();

        Handles restored(bundled(), 128, kv_type);
        REQUIRE(lq_context_load_session_buffer(restored.context, bytes.data(), bytes.size()) == LQ_OK);
        CHECK(restored.n_past() == prompt.size());
        // The next token's logits are identical: the same cache, bit for bit.
        const std::vector<float> a = saved.eval({42}), b = restored.eval({42});
        CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
        // And saving the restored context gives the same cache again.
        REQUIRE(lq_context_truncate(saved.context, static_cast<uint32_t>(prompt.size())) == LQ_OK);
        REQUIRE(lq_context_truncate(restored.context, static_cast<uint32_t>(prompt.size())) == LQ_OK);
        CHECK(restored.save() == bytes);
    }
}

TEST_CASE("a session file: generation after restoring reuses the whole prompt") {
    const std::string path = lq_test::scratch_dir() + "/story.lqsession";
    lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
    g.prompt = kText;
    g.prompt_len = std::strlen(kText);
    g.temperature = 0.0f;
    g.max_tokens = 0;  // warm-up: evaluate the prompt only
    Handles first(bundled(), 128);
    lq_generate_result warm = LQ_GENERATE_RESULT_INIT;
    REQUIRE(lq_generate(first.context, &g, &warm) == LQ_OK);
    CHECK(warm.n_generated_tokens == 0);
    REQUIRE(lq_context_save_session(first.context, path.c_str()) == LQ_OK);

    g.max_tokens = 24;
    std::string expected, got;
    g.on_text = [](const char *text, size_t len, int32_t, void *user) -> int32_t {
        static_cast<std::string *>(user)->append(text, len);
        return 0;
    };
    g.user_data = &expected;
    REQUIRE(lq_generate(first.context, &g, nullptr) == LQ_OK);

    Handles second(bundled(), 128);
    REQUIRE(lq_context_load_session(second.context, path.c_str()) == LQ_OK);
    g.user_data = &got;
    lq_generate_result r = LQ_GENERATE_RESULT_INIT;
    REQUIRE(lq_generate(second.context, &g, &r) == LQ_OK);
    CHECK(r.n_reused_tokens == r.n_prompt_tokens - 1);
    CHECK(got == expected);
    CHECK(lq_context_load_session(second.context, (path + ".absent").c_str()) == LQ_ERR_IO);
}

TEST_CASE("bad sessions are refused and the context keeps its state") {
    Handles h(bundled(), 128);
    const std::vector<int32_t> prompt = prompt_tokens(h.model, kText);
    h.eval(prompt);
    const std::vector<uint8_t> good = h.save();

    Handles target(bundled(), 128);
    target.eval({1, 100, 200});
    auto refused = [&](const std::vector<uint8_t> &bytes, lq_status status, const char *words) {
        CHECK(lq_context_load_session_buffer(target.context, bytes.data(), bytes.size()) == status);
        CHECK_MESSAGE(std::strstr(lq_last_error_message(), words) != nullptr, std::string(lq_last_error_message()));
        CHECK(target.n_past() == 3);
    };
    // Truncated anywhere, or with bytes added.
    for (size_t cut : {size_t(0), size_t(7), size_t(40), good.size() / 2, good.size() - 1}) {
        CAPTURE(cut);
        refused(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut)),
                LQ_ERR_MODEL_FORMAT, cut < 56 ? "session" : "corrupt or truncated");
    }
    std::vector<uint8_t> longer = good;
    longer.push_back(0);
    refused(longer, LQ_ERR_MODEL_FORMAT, "corrupt or truncated");
    reseal(longer);
    refused(longer, LQ_ERR_MODEL_FORMAT, "trailing bytes");
    // A flipped bit anywhere after the magic.
    for (size_t at : {size_t(9), size_t(60), good.size() / 2, good.size() - 9}) {
        std::vector<uint8_t> corrupt = good;
        corrupt[at] ^= 0x10;
        refused(corrupt, LQ_ERR_MODEL_FORMAT, "corrupt");
    }
    // Not a session at all.
    refused(std::vector<uint8_t>(100, 'x'), LQ_ERR_MODEL_FORMAT, "not a libquant session");
    // A newer version.
    std::vector<uint8_t> newer = good;
    newer[8] = 2;
    reseal(newer);
    refused(newer, LQ_ERR_UNSUPPORTED, "version 2");
    // A token outside the vocabulary (a sealed but hostile file).
    std::vector<uint8_t> hostile = good;
    const int32_t bad = 9999;
    std::memcpy(hostile.data() + 56, &bad, 4);
    reseal(hostile);
    refused(hostile, LQ_ERR_MODEL_FORMAT, "outside the vocabulary");
    // A cache size that does not match the positions.
    std::vector<uint8_t> lying = good;
    uint64_t kv_bytes;
    std::memcpy(&kv_bytes, lying.data() + 48, 8);
    kv_bytes += 2;
    std::memcpy(lying.data() + 48, &kv_bytes, 8);
    reseal(lying);
    refused(lying, LQ_ERR_MODEL_FORMAT, "cache has");

    // Another model, another cache type, a context too small.
    Handles other(lq_test::shared_path("models/stories260K/stories260K-q6_k.gguf"), 128);
    CHECK(lq_context_load_session_buffer(other.context, good.data(), good.size()) == LQ_ERR_TYPE_MISMATCH);
    CHECK(std::strstr(lq_last_error_message(), "another model") != nullptr);
    Handles f32(bundled(), 128, LQ_TYPE_F32);
    CHECK(lq_context_load_session_buffer(f32.context, good.data(), good.size()) == LQ_ERR_TYPE_MISMATCH);
    Handles small(bundled(), 16);
    CHECK(lq_context_load_session_buffer(small.context, good.data(), good.size()) == LQ_ERR_CONTEXT_FULL);
    CHECK(lq_context_load_session_buffer(nullptr, good.data(), good.size()) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_context_save_session(h.context, "/nonexistent-dir/x.lqsession") == LQ_ERR_IO);
}

TEST_CASE("a backend that cannot read its cache back says so") {
    lq_backend_info info = LQ_BACKEND_INFO_INIT;
    REQUIRE(lq_backend_get_info(LQ_BACKEND_VULKAN, &info) == LQ_OK);
    if (!info.available) {
        MESSAGE("Vulkan is not available here: " << std::string(info.reason));
        return;
    }
    Handles h(bundled(), 64, LQ_TYPE_F16, LQ_BACKEND_VULKAN);
    h.eval({1, 100});
    size_t size = 0;
    CHECK(lq_context_save_session_buffer(h.context, nullptr, 0, &size) == LQ_ERR_UNSUPPORTED);
    CHECK(std::strstr(lq_last_error_message(), "cannot save") != nullptr);
}
