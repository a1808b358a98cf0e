// Whole forward passes on the Vulkan device (lavapipe in CI) against the
// CPU backend, through the public API as applications use it: logits of
// real model files, greedy transcripts, prompts split over batches, several
// contexts on one model from several threads, and cancellation mid-prompt.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "backend_test_util.h"
#include "libquant/libquant.h"
#include "model/synth.h"
#include "test_paths.h"

namespace {

using lq_test::relative_error;

bool vulkan_available() {
    for (size_t i = 0; i < lq_backend_count(); ++i) {
        lq_backend_info b = LQ_BACKEND_INFO_INIT;
        if (lq_backend_get_info(i, &b) == LQ_OK && b.backend == LQ_BACKEND_VULKAN) {
            if (!b.available) MESSAGE("vulkan backend unavailable: " << b.reason);
            return b.available != 0;
        }
    }
    return false;
}

lq_model *load(const std::string &file) {
    lq_model *model = nullptr;
    const std::string path = lq_test::shared_path("models/stories260K/" + file);
    REQUIRE_MESSAGE(lq_model_load(&model, path.c_str(), nullptr) == LQ_OK, lq_last_error_message());
    return model;
}

lq_context *context(const lq_model *model, uint32_t backend, uint32_t n_batch = 512,
                    uint32_t kv_type = LQ_TYPE_F16) {
    lq_context_options o = LQ_CONTEXT_OPTIONS_INIT;
    o.kv_type = kv_type;
    o.backend = backend;
    o.n_ctx = 256;
    o.n_batch = n_batch;
    o.n_threads = 2;
    lq_context *c = nullptr;
    REQUIRE_MESSAGE(lq_context_create(&c, model, &o) == LQ_OK, lq_last_error_message());
    return c;
}

std::vector<int32_t> tokens_of(const lq_model *model, const char *text) {
    std::vector<int32_t> t(512);
    size_t n = 0;
    REQUIRE(lq_tokenize(model, text, std::strlen(text), LQ_TOKENIZE_ADD_SPECIAL, t.data(), t.size(), &n) == LQ_OK);
    t.resize(n);
    return t;
}

// Every token's logits for @p tokens, evaluated @p per_call tokens at a time.
std::vector<float> logits_of(lq_context *c, const std::vector<int32_t> &tokens, size_t n_vocab, size_t per_call) {
    std::vector<float> out(tokens.size() * n_vocab);
    for (size_t i = 0; i < tokens.size(); i += per_call) {
        const size_t n = std::min(per_call, tokens.size() - i);
        REQUIRE_MESSAGE(lq_context_eval(c, &tokens[i], n, LQ_EVAL_ALL_LOGITS, &out[i * n_vocab], n * n_vocab) == LQ_OK,
                        lq_last_error_message());
    }
    return out;
}

size_t n_vocab_of(const lq_model *model) {
    lq_model_info mi = LQ_MODEL_INFO_INIT;
    REQUIRE(lq_model_get_info(model, &mi) == LQ_OK);
    return mi.n_vocab;
}

// With an F32 cache on both, the device's logits equal the CPU's up to
// summation order: in one batch, and with the prompt @p per_call tokens at a time.
void check_f32_cache_logits(const lq_model *model, const std::vector<int32_t> &tokens, size_t per_call) {
    const size_t n_vocab = n_vocab_of(model);
    lq_context *cpu = context(model, LQ_BACKEND_CPU, 512, LQ_TYPE_F32);
    lq_context *gpu = context(model, LQ_BACKEND_VULKAN, 512, LQ_TYPE_F32);
    const std::vector<float> ref = logits_of(cpu, tokens, n_vocab, tokens.size());
    CHECK(relative_error(logits_of(gpu, tokens, n_vocab, tokens.size()), ref) <= 1e-4);
    REQUIRE(lq_context_reset(gpu) == LQ_OK);
    CHECK(relative_error(logits_of(gpu, tokens, n_vocab, per_call), ref) <= 1e-4);
    lq_context_free(cpu);
    lq_context_free(gpu);
}

int32_t append_text(const char *text, size_t length, int32_t, void *user) {
    static_cast<std::string *>(user)->append(text, length);
    return 0;
}

// Greedy continuation of @p prompt; "<failed: message>" on an error.
std::string greedy(lq_context *c, const char *prompt, int32_t n) {
    lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
    g.prompt = prompt;
    g.prompt_len = std::strlen(prompt);
    g.max_tokens = n;
    g.temperature = 0.0f;
    std::string text;
    g.on_text = append_text;
    g.user_data = &text;
    if (lq_generate(c, &g, nullptr) != LQ_OK) return std::string("<failed: ") + lq_last_error_message() + ">";
    return text;
}

const char *kText = "Once upon a time, there was a little girl named Lily. She loved to play outside in the sun. "
                    "One day, she saw a big red ball in the park and ran to get it.";

}  // namespace

TEST_CASE("the Vulkan device runs whole models as the CPU does") {
    if (!vulkan_available()) return;
    struct Case {
        const char *file;
        double tolerance;  // of the logits, relative to the largest
    };
    // F32 weights: the CPU also rounds the query and the attention
    // probabilities to F16 for its dot products with the F16 cache, the
    // device keeps them in F32 (the F32-cache case below is exact up to
    // summation order). K-quants: the CPU rounds the activations to 8 bits
    // for its dot products, the device keeps F32.
    for (const Case &k : {Case{"stories260K-f32.gguf", 2e-3}, Case{"stories260K-q4_k_m.gguf", 0.03},
                          Case{"stories260K-q6_k.gguf", 0.03}}) {
        lq_model *model = load(k.file);
        const std::vector<int32_t> tokens = tokens_of(model, kText);
        const size_t n_vocab = n_vocab_of(model);

        lq_context *cpu = context(model, LQ_BACKEND_CPU);
        lq_context *gpu = context(model, LQ_BACKEND_VULKAN);
        const std::vector<float> ref = logits_of(cpu, tokens, n_vocab, tokens.size());
        const std::vector<float> one_batch = logits_of(gpu, tokens, n_vocab, tokens.size());
        INFO(std::string(k.file));
        CHECK(relative_error(one_batch, ref) <= k.tolerance);

        // The same prompt in pieces (1, then 7 at a time): the cache carries
        // over between batches, the matrix-vector and tiled shaders agree
        // (up to F16 roundings of the cache that summation order can flip).
        REQUIRE(lq_context_reset(gpu) == LQ_OK);
        std::vector<float> pieces = logits_of(gpu, {tokens[0]}, n_vocab, 1);
        const std::vector<int32_t> rest(tokens.begin() + 1, tokens.end());
        const std::vector<float> more = logits_of(gpu, rest, n_vocab, 7);
        pieces.insert(pieces.end(), more.begin(), more.end());
        CHECK(relative_error(pieces, one_batch) <= 1e-3);

        REQUIRE(lq_context_reset(cpu) == LQ_OK);
        REQUIRE(lq_context_reset(gpu) == LQ_OK);
        CHECK(greedy(gpu, "Once upon a time", 48) == greedy(cpu, "Once upon a time", 48));
        lq_context_free(cpu);
        lq_context_free(gpu);
        lq_model_free(model);
    }
}

TEST_CASE("contexts on one model run on the device from several threads at once") {
    if (!vulkan_available()) return;
    lq_model *model = load("stories260K-q4_k_m.gguf");
    const char *prompts[] = {"Once upon a time", "The little dog", "Tom and Sue went", "A big red ball"};
    std::vector<std::string> sequential;
    {
        lq_context *c = context(model, LQ_BACKEND_VULKAN);
        for (const char *p : prompts) {
            REQUIRE(lq_context_reset(c) == LQ_OK);
            sequential.push_back(greedy(c, p, 24));
        }
        lq_context_free(c);
    }
    std::vector<std::string> parallel(4);
    std::vector<lq_context *> contexts;
    for (int i = 0; i < 4; ++i) contexts.push_back(context(model, LQ_BACKEND_VULKAN));
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] { parallel[i] = greedy(contexts[i], prompts[i], 24); });
    }
    for (std::thread &t : threads) t.join();
    for (int i = 0; i < 4; ++i) {
        CHECK(parallel[i] == sequential[i]);
        lq_context_free(contexts[i]);
    }
    lq_model_free(model);
}

TEST_CASE("a cancelled prompt on the device leaves the context usable") {
    if (!vulkan_available()) return;
    lq_model *model = load("stories260K-f32.gguf");
    const std::vector<int32_t> tokens = tokens_of(model, kText);
    const size_t n_vocab = n_vocab_of(model);
    lq_context *gpu = context(model, LQ_BACKEND_VULKAN, 8);
    const std::vector<float> before = logits_of(gpu, tokens, n_vocab, tokens.size());
    REQUIRE(lq_context_reset(gpu) == LQ_OK);
    // Cancelled before it starts: nothing is kept.
    REQUIRE(lq_context_cancel(gpu) == LQ_OK);
    std::vector<float> logits(tokens.size() * n_vocab);
    CHECK(lq_context_eval(gpu, tokens.data(), tokens.size(), LQ_EVAL_ALL_LOGITS, logits.data(), logits.size()) ==
          LQ_ERR_CANCELLED);
    lq_context_info info = LQ_CONTEXT_INFO_INIT;
    REQUIRE(lq_context_get_info(gpu, &info) == LQ_OK);
    CHECK(info.n_past == 0);
    // Then the same prompt again gives the same logits.
    const std::vector<float> after = logits_of(gpu, tokens, n_vocab, tokens.size());
    CHECK(relative_error(after, before) == 0.0);
    lq_context_free(gpu);
    lq_model_free(model);
}

TEST_CASE("with an F32 cache the device's logits equal the CPU's up to summation order") {
    if (!vulkan_available()) return;
    lq_model *model = load("stories260K-f32.gguf");
    check_f32_cache_logits(model, tokens_of(model, kText), 5);
    lq_model_free(model);
}

TEST_CASE("qwen2 (biases, NeoX RoPE) and phi3 (fused projections) run on the device as on the CPU") {
    if (!vulkan_available()) return;
    for (const char *preset : {"tiny-qwen2", "tiny-phi3"}) {
        lq::SynthOptions synth;
        synth.preset = preset;
        synth.vocab_path = lq_test::shared_path("tokenizer-tests/ggml-vocab-llama-spm.gguf");
        synth.matrix_type = lq::TensorType::F32;
        synth.seed = 11;
        synth.std = 0.08f;  // large enough that the layers change the logits
        const std::string path = lq_test::scratch_dir() + "/vulkan-" + preset + ".gguf";
        lq::synth_model(path, synth);
        lq_model *model = nullptr;
        REQUIRE_MESSAGE(lq_model_load(&model, path.c_str(), nullptr) == LQ_OK, lq_last_error_message());
        INFO(std::string(preset));
        check_f32_cache_logits(model, tokens_of(model, kText), 6);
        lq_model_free(model);
    }
}

TEST_CASE("a context too large for the device is refused with the sizes, not a crash") {
    if (!vulkan_available()) return;
    lq_model *model = load("stories260K-f32.gguf");
    lq_context_options o = LQ_CONTEXT_OPTIONS_INIT;
    o.backend = LQ_BACKEND_VULKAN;
    o.n_ctx = 1u << 20;
    o.n_batch = 1u << 20;  // activations of a million tokens per pass: 256 MiB per slot
    lq_context *c = nullptr;
    const lq_status s = lq_context_create(&c, model, &o);
    if (s == LQ_OK) {
        // A device whose bindings are large enough may accept it; it must work.
        const int32_t token = 1;
        std::vector<float> logits(512);
        CHECK(lq_context_eval(c, &token, 1, 0, logits.data(), logits.size()) == LQ_OK);
        lq_context_free(c);
    } else {
        CHECK((s == LQ_ERR_UNSUPPORTED || s == LQ_ERR_OOM || s == LQ_ERR_INVALID_ARGUMENT));
        MESSAGE("refused: " << std::string(lq_last_error_message()));
        CHECK(std::strlen(lq_last_error_message()) > 0);
        CHECK(c == nullptr);
    }
    lq_model_free(model);
}
