// lq_generate: options -> request, tokenization of a text prompt, result.
#include <random>

#include "api/generate_request.h"
#include "api/guard.h"
#include "api/handles.h"
#include "tokenizer/vocab.h"

using lq::api::guarded;
using lq::api::require;

namespace {

uint64_t random_seed() {
    std::random_device device;
    return (static_cast<uint64_t>(device()) << 32) ^ device();
}

}  // namespace

namespace lq::api {

lq::GenerateRequest make_generate_request(const lq::Model &model, const lq_generate_options &o, bool with_prompt) {
    lq::GenerateRequest request;
    const uint32_t known = LQ_GENERATE_NO_SPECIAL | LQ_GENERATE_PARSE_SPECIAL;
    if (o.flags & ~known) lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown generate flags 0x%x", o.flags & ~known);
    if (!with_prompt) {
        if (o.prompt || o.prompt_tokens || o.n_prompt_tokens)
            lq::fail(LQ_ERR_INVALID_ARGUMENT, "this call builds the prompt itself: leave the prompt fields empty");
    } else if (o.prompt) {
        const lq::Vocab *vocab = model.vocab();
        if (!vocab) lq::fail(LQ_ERR_UNSUPPORTED, "the model has no vocabulary to tokenize the prompt");
        request.prompt = vocab->tokenize(std::string_view(o.prompt, o.prompt_len), !(o.flags & LQ_GENERATE_NO_SPECIAL),
                                         (o.flags & LQ_GENERATE_PARSE_SPECIAL) != 0);
    } else {
        if (o.n_prompt_tokens) require(o.prompt_tokens, "prompt_tokens");
        request.prompt.assign(o.prompt_tokens, o.prompt_tokens + o.n_prompt_tokens);
    }
    if (with_prompt && request.prompt.empty()) lq::fail(LQ_ERR_INVALID_ARGUMENT, "the prompt is empty");
    if (!(o.temperature == o.temperature) || !(o.top_p >= 0.0f && o.top_p <= 1.0f) ||
        !(o.min_p >= 0.0f && o.min_p <= 1.0f) || o.top_k < 0 || !(o.repeat_penalty > 0.0f) || o.repeat_last_n < -1)
        lq::fail(LQ_ERR_INVALID_ARGUMENT, "sampling options out of range");
    lq::SamplerParams &s = request.sampling;
    s.temperature = o.temperature;
    s.top_k = o.top_k;
    s.top_p = o.top_p;
    s.min_p = o.min_p;
    s.repeat_penalty = o.repeat_penalty;
    s.repeat_last_n = o.repeat_last_n;
    s.frequency_penalty = o.frequency_penalty;
    s.presence_penalty = o.presence_penalty;
    s.seed = o.seed == LQ_SEED_RANDOM ? random_seed() : o.seed;
    request.max_tokens = o.max_tokens;
    if (o.n_stop) require(o.stop, "stop");
    for (size_t i = 0; i < o.n_stop; ++i) {
        require(o.stop[i], "stop string");
        request.stop.emplace_back(o.stop[i]);
    }
    if (o.on_text) {
        const lq_token_callback callback = o.on_text;
        void *user = o.user_data;
        request.on_text = [callback, user](std::string_view text, int32_t token) {
            return callback(text.data(), text.size(), token, user) == 0;
        };
    }
    return request;
}

void run_generate(lq::Context &context, const lq::GenerateRequest &request, lq_generate_result *result) {
    const lq::GenerateResult r = lq::generate(context, request);
    if (result) {
        lq_generate_result full = LQ_GENERATE_RESULT_INIT;
        full.stop_reason = static_cast<uint32_t>(r.stop_reason);
        full.n_prompt_tokens = r.n_prompt_tokens;
        full.n_reused_tokens = r.n_reused_tokens;
        full.n_generated_tokens = r.n_generated_tokens;
        full.prompt_seconds = r.prompt_seconds;
        full.generate_seconds = r.generate_seconds;
        lq::api::write_output(full, result, "lq_generate_result");
    }
    if (r.stop_reason == lq::StopReason::Cancelled)
        lq::fail(LQ_ERR_CANCELLED, "generation was cancelled after %u tokens", r.n_generated_tokens);
}

}  // namespace lq::api

extern "C" {

LQ_API void lq_generate_options_init(lq_generate_options *options) {
    if (!options) return;
    const lq_generate_options defaults = LQ_GENERATE_OPTIONS_INIT;
    *options = defaults;
}

LQ_API lq_status lq_generate(lq_context *context, const lq_generate_options *options, lq_generate_result *result) {
    return guarded([&] {
        require(context, "context");
        require(options, "options");
        lq_generate_options opts = LQ_GENERATE_OPTIONS_INIT;
        lq::api::read_options(options, &opts, "lq_generate_options");
        lq::api::run_generate(*context->impl, lq::api::make_generate_request(context->impl->model(), opts, true),
                              result);
    });
}

}  // extern "C"
