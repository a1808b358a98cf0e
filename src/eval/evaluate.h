// Evaluation of a model on token sequences: perplexity, and against a
// reference model the KL divergence of its next-token distributions (mean
// with a 95 % confidence interval, median, 99th percentile), the rate at
// which the two agree on the most likely token, and the change of the
// probability given to the true next token.
//
// Windows: with stride 0, back-to-back chunks of n_ctx tokens whose second
// half is scored (the protocol of the GGUF runtimes, so perplexities
// compare); with stride s, windows of n_ctx tokens every s tokens whose last
// s predictions are scored, so each token after the first window is
// predicted once with at least n_ctx - s - 1 tokens before it. The first
// token of every window is BOS where the vocabulary adds one.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/model.h"

namespace lq {

struct EvaluateOptions {
    uint32_t n_ctx = 512;
    uint32_t stride = 0;
    uint32_t max_windows = 0;  // 0: all
    uint32_t n_threads = 0;
    uint32_t backend = LQ_BACKEND_CPU;
    const Model *reference = nullptr;
    std::function<bool(float)> progress;  // false cancels
};

struct EvaluateResult {
    uint32_t n_windows = 0;
    uint64_t n_scored = 0;
    double perplexity = 0, perplexity_error = 0;
    bool has_reference = false;
    double reference_perplexity = 0, reference_perplexity_error = 0;
    double kld_mean = 0, kld_ci95 = 0, kld_median = 0, kld_p99 = 0, kld_max = 0;
    double same_top = 0, same_top_error = 0;
    double delta_p_mean = 0, delta_p_rms = 0;
};

/// Throws LQ_ERR_INVALID_ARGUMENT for options that do not fit the tokens or
/// the models (fewer tokens than one window, a stride outside [0, n_ctx),
/// vocabularies of different sizes, a token outside the vocabulary),
/// LQ_ERR_CANCELLED when progress() says so, and what contexts throw.
EvaluateResult evaluate(const Model &model, const std::vector<int32_t> &tokens, const EvaluateOptions &options);

}  // namespace lq
