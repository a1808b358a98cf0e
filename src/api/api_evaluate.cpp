// lq_evaluate, lq_evaluate_text: options -> EvaluateOptions, result out.
#include <string_view>

#include "api/guard.h"
#include "api/handles.h"
#include "eval/evaluate.h"
#include "tokenizer/vocab.h"

using lq::api::guarded;
using lq::api::require;

namespace {

void run(const lq_model *model, const std::vector<int32_t> &tokens, const lq_evaluate_options *options,
         lq_evaluate_result *result) {
    lq_evaluate_options opts = LQ_EVALUATE_OPTIONS_INIT;
    lq::api::read_options(options, &opts, "lq_evaluate_options");
    lq::EvaluateOptions o;
    o.n_ctx = opts.n_ctx ? opts.n_ctx : 512;
    o.stride = opts.stride;
    o.max_windows = opts.max_windows;
    o.n_threads = opts.n_threads;
    o.backend = opts.backend;
    if (opts.reference) {
        if (!opts.reference->impl->has_weights())
            lq::fail(LQ_ERR_INVALID_ARGUMENT, "the reference model was loaded without weights");
        o.reference = opts.reference->impl.get();
    }
    o.progress = lq::api::progress_function(opts.progress, opts.progress_user_data);
    if (!model->impl->has_weights()) lq::fail(LQ_ERR_INVALID_ARGUMENT, "the model was loaded without weights");
    const lq::EvaluateResult r = lq::evaluate(*model->impl, tokens, o);
    lq_evaluate_result full = LQ_EVALUATE_RESULT_INIT;
    full.n_windows = r.n_windows;
    full.n_scored = r.n_scored;
    full.perplexity = r.perplexity;
    full.perplexity_error = r.perplexity_error;
    full.reference_perplexity = r.reference_perplexity;
    full.reference_perplexity_error = r.reference_perplexity_error;
    full.kld_mean = r.kld_mean;
    full.kld_ci95 = r.kld_ci95;
    full.kld_median = r.kld_median;
    full.kld_p99 = r.kld_p99;
    full.kld_max = r.kld_max;
    full.same_top = r.same_top;
    full.same_top_error = r.same_top_error;
    full.delta_p_mean = r.delta_p_mean;
    full.delta_p_rms = r.delta_p_rms;
    lq::api::write_output(full, result, "lq_evaluate_result");
}

}  // namespace

extern "C" {

LQ_API lq_status lq_evaluate(const lq_model *model, const int32_t *tokens, size_t n_tokens,
                             const lq_evaluate_options *options, lq_evaluate_result *result) {
    return guarded([&] {
        require(model, "model");
        require(result, "result");
        if (n_tokens) require(tokens, "tokens");
        run(model, std::vector<int32_t>(tokens, tokens + n_tokens), options, result);
    });
}

LQ_API lq_status lq_evaluate_text(const lq_model *model, const char *text, size_t length,
                                  const lq_evaluate_options *options, lq_evaluate_result *result) {
    return guarded([&] {
        require(model, "model");
        require(result, "result");
        if (length) require(text, "text");
        const lq::Vocab *vocab = model->impl->vocab();
        if (!vocab) lq::fail(LQ_ERR_UNSUPPORTED, "the model has no vocabulary to tokenize the text");
        run(model, vocab->tokenize(std::string_view(text ? text : "", length), true, false), options, result);
    });
}

}  // extern "C"
