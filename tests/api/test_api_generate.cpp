// Generation through the C interface: four contexts on one shared model at
// once give the same outputs as the same requests run one after another;
// errors (prompt longer than the context, NULLs, cancellation) are statuses.
#include <libquant/libquant.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "api_check.h"

namespace {

int32_t append_text(const char *text, size_t length, int32_t, void *user) {
    static_cast<std::string *>(user)->append(text, length);
    return 0;
}

struct Request {
    const char *prompt;
    float temperature;
    uint64_t seed;
};

const Request kRequests[4] = {
    {"Once upon a time", 0.0f, 1},
    {"Lily and Tom went to the park", 0.0f, 1},
    {"The little dog", 0.8f, 1234},
    {"One day, a bird", 1.0f, 99},
};

std::string run(const lq_model *model, const Request &r, uint32_t threads) {
    lq_context_options options = LQ_CONTEXT_OPTIONS_INIT;
    options.n_threads = threads;
    lq_context *context = nullptr;
    if (lq_context_create(&context, model, &options) != LQ_OK) return "<create failed>";
    lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
    g.prompt = r.prompt;
    g.prompt_len = std::strlen(r.prompt);
    g.max_tokens = 48;
    g.temperature = r.temperature;
    g.seed = r.seed;
    std::string text;
    g.on_text = append_text;
    g.user_data = &text;
    lq_generate_result result = LQ_GENERATE_RESULT_INIT;
    const lq_status status = lq_generate(context, &g, &result);
    lq_context_free(context);
    if (status != LQ_OK) return std::string("<generate failed: ") + lq_last_error_message() + ">";
    return text;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc != 4) {
        std::fprintf(stderr, "usage: %s MODEL.gguf GPT2_VOCAB.gguf SCRATCH_DIR\n", argv[0]);
        return 2;
    }
    lq_model *model = nullptr;
    CHECK(lq_model_load(&model, argv[1], nullptr) == LQ_OK);
    if (!model) return 1;

    std::string sequential[4], concurrent[4];
    for (int i = 0; i < 4; ++i) sequential[i] = run(model, kRequests[i], 1);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) threads.emplace_back([&, i] { concurrent[i] = run(model, kRequests[i], 2); });
    for (std::thread &t : threads) t.join();
    for (int i = 0; i < 4; ++i) {
        CHECK(sequential[i].size() > 40);
        CHECK(sequential[i] == concurrent[i]);
        if (sequential[i] != concurrent[i])
            std::fprintf(stderr, "request %d:\n  sequential: %s\n  concurrent: %s\n", i, sequential[i].c_str(),
                         concurrent[i].c_str());
    }

    // Errors come back as statuses.
    lq_context_options small = LQ_CONTEXT_OPTIONS_INIT;
    small.n_ctx = 8;
    lq_context *context = nullptr;
    CHECK(lq_context_create(&context, model, &small) == LQ_OK);
    lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
    const std::string long_prompt = "Once upon a time there was a girl who liked to play in the park every day";
    g.prompt = long_prompt.c_str();
    g.prompt_len = long_prompt.size();
    CHECK(lq_generate(context, &g, nullptr) == LQ_ERR_CONTEXT_FULL);
    CHECK(lq_generate(context, nullptr, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_generate(nullptr, &g, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    g.prompt = "";
    g.prompt_len = 0;
    g.flags = LQ_GENERATE_NO_SPECIAL;
    CHECK(lq_generate(context, &g, nullptr) == LQ_ERR_INVALID_ARGUMENT);  // empty prompt
    g.flags = 1u << 20;
    CHECK(lq_generate(context, &g, nullptr) == LQ_ERR_INVALID_ARGUMENT);  // unknown flag
    const int32_t bad_token = 100000;
    float logits[512];
    CHECK(lq_context_eval(context, &bad_token, 1, 0, logits, 512) == LQ_ERR_INVALID_ARGUMENT);
    const int32_t good_token = 300;
    CHECK(lq_context_eval(context, &good_token, 1, 0, logits, 10) == LQ_ERR_BUFFER_TOO_SMALL);
    CHECK(lq_context_eval(context, &good_token, 1, 0, logits, 512) == LQ_OK);
    lq_context_info info = LQ_CONTEXT_INFO_INIT;
    CHECK(lq_context_get_info(context, &info) == LQ_OK);
    CHECK(info.n_ctx == 8 && info.n_past == 1 && info.n_vocab == 512);
    CHECK(lq_context_truncate(context, 5) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(lq_context_reset(context) == LQ_OK);
    lq_context_free(context);

    // Unavailable backends are refused with the reason lq_backend_get_info
    // gives; LQ_BACKEND_AUTO picks an available one and reports which.
    for (size_t i = 0; i < lq_backend_count(); ++i) {
        lq_backend_info b = LQ_BACKEND_INFO_INIT;
        CHECK(lq_backend_get_info(i, &b) == LQ_OK);
        lq_context_options explicit_backend = LQ_CONTEXT_OPTIONS_INIT;
        explicit_backend.n_ctx = 16;
        explicit_backend.backend = b.backend;
        const lq_status s = lq_context_create(&context, model, &explicit_backend);
        std::fprintf(stderr, "backend %s: %s\n", b.name, s == LQ_OK ? "created" : lq_last_error_message());
        if (b.available) {
            CHECK(s == LQ_OK);
            if (s != LQ_OK) continue;
            lq_context_info ci = LQ_CONTEXT_INFO_INIT;
            CHECK(lq_context_get_info(context, &ci) == LQ_OK);
            CHECK(ci.backend == b.backend);
            CHECK(lq_context_eval(context, &good_token, 1, 0, logits, 512) == LQ_OK);
        } else {
            CHECK(s == LQ_ERR_UNSUPPORTED);
            CHECK(context == nullptr);
            CHECK(std::strstr(lq_last_error_message(), b.reason) != nullptr);
            CHECK(std::strstr(lq_last_error_message(), b.name) != nullptr);
        }
        lq_context_free(context);
        context = nullptr;
    }
    lq_context_options automatic = LQ_CONTEXT_OPTIONS_INIT;
    automatic.n_ctx = 16;
    automatic.backend = LQ_BACKEND_AUTO;
    CHECK(lq_context_create(&context, model, &automatic) == LQ_OK);
    if (context) {
        lq_context_info ci = LQ_CONTEXT_INFO_INIT;
        CHECK(lq_context_get_info(context, &ci) == LQ_OK);
        CHECK(ci.backend != LQ_BACKEND_AUTO);
        lq_backend_info chosen = LQ_BACKEND_INFO_INIT;
        for (size_t i = 0; i < lq_backend_count(); ++i) {
            lq_backend_info b = LQ_BACKEND_INFO_INIT;
            CHECK(lq_backend_get_info(i, &b) == LQ_OK);
            if (b.backend == ci.backend) chosen = b;
        }
        CHECK(chosen.available == 1);
    }
    lq_context_free(context);
    context = nullptr;
    // LQ_BACKEND_AUTO never takes the oneDNN backend for a model in F32, nor
    // for this one in INT8: at n_embd 64 its per-product overhead makes
    // generation slower than the CPU's (backends/onednn/auto_choice.h; the
    // rule itself is tested in tests/backend).
    CHECK(lq_context_create(&context, model, &automatic) == LQ_OK);
    if (context) {
        lq_context_info ci = LQ_CONTEXT_INFO_INIT;
        CHECK(lq_context_get_info(context, &ci) == LQ_OK);
        CHECK(ci.backend != LQ_BACKEND_ONEDNN);
    }
    lq_context_free(context);
    context = nullptr;
    // (lq-int8-row: every matrix INT8 with one scale per row, even the
    // 172-wide ones that Q8_0's blocks of 32 do not fit.)
    const std::string int8_path = std::string(argv[3]) + "/api-generate-int8-row.gguf";
    lq_quantize_options int8_row = LQ_QUANTIZE_OPTIONS_INIT;
    int8_row.target = "lq-int8-row";
    CHECK(lq_quantize(argv[1], int8_path.c_str(), &int8_row) == LQ_OK);
    lq_model *int8_model = nullptr;
    CHECK(lq_model_load(&int8_model, int8_path.c_str(), nullptr) == LQ_OK);
    CHECK(lq_context_create(&context, int8_model, &automatic) == LQ_OK);
    if (context) {
        lq_context_info ci = LQ_CONTEXT_INFO_INIT;
        CHECK(lq_context_get_info(context, &ci) == LQ_OK);
        std::fprintf(stderr, "auto on lq-int8-row: backend %d\n", static_cast<int>(ci.backend));
        CHECK(ci.backend != LQ_BACKEND_ONEDNN);
        CHECK(lq_context_eval(context, &good_token, 1, 0, logits, 512) == LQ_OK);
    }
    lq_context_free(context);
    context = nullptr;
    lq_model_free(int8_model);
    std::remove(int8_path.c_str());

    lq_context_options unknown = LQ_CONTEXT_OPTIONS_INIT;
    unknown.backend = 77;
    CHECK(lq_context_create(&context, model, &unknown) == LQ_ERR_INVALID_ARGUMENT);
    CHECK(std::strstr(lq_last_error_message(), "77") != nullptr);
    lq_context_options bad = LQ_CONTEXT_OPTIONS_INIT;
    bad.kv_type = 99;
    CHECK(lq_context_create(&context, model, &bad) == LQ_ERR_INVALID_ARGUMENT);

    // Memory that cannot be had is a status, not an abort.
    lq_context_options huge = LQ_CONTEXT_OPTIONS_INIT;
    huge.n_ctx = 0xFFFFFF00u;
    CHECK(lq_context_create(&context, model, &huge) == LQ_ERR_OOM);
    CHECK(context == nullptr);

    // Cancellation from another thread ends a long generation.
    lq_context_options options = LQ_CONTEXT_OPTIONS_INIT;
    options.n_ctx = 512;
    CHECK(lq_context_create(&context, model, &options) == LQ_OK);
    g = LQ_GENERATE_OPTIONS_INIT;
    g.prompt = "Once upon a time";
    g.prompt_len = std::strlen(g.prompt);
    g.max_tokens = -1;
    g.temperature = 0.0f;
    std::atomic<bool> done{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (!done.load()) lq_context_cancel(context);
    });
    const lq_status cancelled = lq_generate(context, &g, nullptr);
    done.store(true);
    canceller.join();
    CHECK(cancelled == LQ_ERR_CANCELLED || cancelled == LQ_OK);

    // A request made while nothing runs cancels the next call, unless withdrawn;
    // the result says so.
    g.max_tokens = 4;
    CHECK(lq_context_cancel(context) == LQ_OK);
    lq_generate_result stopped = LQ_GENERATE_RESULT_INIT;
    stopped.stop_reason = 99;
    CHECK(lq_generate(context, &g, &stopped) == LQ_ERR_CANCELLED);
    CHECK(stopped.stop_reason == LQ_STOP_CANCELLED);
    CHECK(stopped.n_generated_tokens == 0);
    CHECK(stopped.n_prompt_tokens > 0);
    CHECK(lq_generate(context, &g, nullptr) == LQ_OK);
    CHECK(lq_context_cancel(context) == LQ_OK);
    CHECK(lq_context_clear_cancel(context) == LQ_OK);
    CHECK(lq_generate(context, &g, nullptr) == LQ_OK);
    CHECK(lq_context_clear_cancel(nullptr) == LQ_ERR_INVALID_ARGUMENT);
    lq_context_free(context);

    lq_model_free(model);

    // Unknown architectures are refused, naming them; vocab-only loads work.
    lq_model *other = nullptr;
    CHECK(lq_model_load(&other, argv[2], nullptr) == LQ_ERR_UNSUPPORTED);
    CHECK(std::strstr(lq_last_error_message(), "gpt2") != nullptr);
    lq_model_options vocab_only = LQ_MODEL_OPTIONS_INIT;
    vocab_only.flags = LQ_MODEL_VOCAB_ONLY;
    CHECK(lq_model_load(&other, argv[2], &vocab_only) == LQ_OK);
    lq_context *no_weights = nullptr;
    CHECK(lq_context_create(&no_weights, other, nullptr) == LQ_ERR_INVALID_ARGUMENT);
    lq_model_free(other);

    if (failures) std::fprintf(stderr, "%d check(s) failed\n", failures);
    return failures;
}
