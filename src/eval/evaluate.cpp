#include "eval/evaluate.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.h"
#include "core/log_softmax.h"
#include "core/running_mean.h"
#include "runtime/context.h"
#include "tokenizer/vocab.h"

namespace lq {
namespace {


double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0.0;
    const size_t k = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
}

std::unique_ptr<Context> make_context(const Model &model, const EvaluateOptions &o) {
    ContextOptions c;
    c.n_ctx = o.n_ctx;
    c.n_batch = o.n_ctx;
    c.n_threads = o.n_threads;
    c.backend = o.backend;
    return std::make_unique<Context>(model, c);
}

}  // namespace

EvaluateResult evaluate(const Model &model, const std::vector<int32_t> &tokens, const EvaluateOptions &o) {
    if (o.n_ctx < 4) fail(LQ_ERR_INVALID_ARGUMENT, "n_ctx %u is too small to evaluate (at least 4)", o.n_ctx);
    if (o.stride >= o.n_ctx) fail(LQ_ERR_INVALID_ARGUMENT, "the stride %u is not below n_ctx %u", o.stride, o.n_ctx);
    const uint32_t n_vocab = model.hparams().n_vocab;
    if (o.reference && o.reference->hparams().n_vocab != n_vocab)
        fail(LQ_ERR_INVALID_ARGUMENT, "the reference model has %u tokens, the model %u", o.reference->hparams().n_vocab,
             n_vocab);
    if (tokens.size() < o.n_ctx)
        fail(LQ_ERR_INVALID_ARGUMENT, "%zu tokens are fewer than one window of %u", tokens.size(), o.n_ctx);
    for (int32_t t : tokens)
        if (t < 0 || static_cast<uint32_t>(t) >= n_vocab)
            fail(LQ_ERR_INVALID_ARGUMENT, "token %d is outside the vocabulary of %u", t, n_vocab);

    const uint64_t step = o.stride ? o.stride : o.n_ctx;
    uint32_t n_windows = static_cast<uint32_t>((tokens.size() - o.n_ctx) / step + 1);
    if (o.max_windows) n_windows = std::min(n_windows, o.max_windows);
    const uint32_t first = o.stride ? o.n_ctx - 1 - o.stride : o.n_ctx / 2;
    const Vocab *vocab = model.vocab();
    const int32_t bos = vocab && vocab->add_bos() ? vocab->special().bos : -1;

    std::unique_ptr<Context> context = make_context(model, o);
    std::unique_ptr<Context> reference = o.reference ? make_context(*o.reference, o) : nullptr;
    std::vector<float> logits(static_cast<size_t>(o.n_ctx) * n_vocab), ref_logits;
    if (reference) ref_logits.resize(logits.size());
    std::vector<int32_t> window(o.n_ctx);
    std::vector<double> lp, ref_lp, klds;
    RunningMean nll, ref_nll, kld, delta_p, delta_p_sq;
    uint64_t same_top = 0;
    for (uint32_t w = 0; w < n_windows; ++w) {
        if (o.progress && !o.progress(static_cast<float>(w) / static_cast<float>(n_windows)))
            fail(LQ_ERR_CANCELLED, "evaluation was cancelled");
        std::copy_n(tokens.begin() + static_cast<std::ptrdiff_t>(w * step), o.n_ctx, window.begin());
        if (bos >= 0) window[0] = bos;
        context->reset();
        context->decode(window.data(), o.n_ctx, logits.data(), true);
        if (reference) {
            reference->reset();
            reference->decode(window.data(), o.n_ctx, ref_logits.data(), true);
        }
        for (uint32_t i = first; i + 1 < o.n_ctx; ++i) {
            const int32_t next = window[i + 1];
            uint32_t top = 0, ref_top = 0;
            log_softmax(&logits[static_cast<size_t>(i) * n_vocab], n_vocab, lp, &top);
            nll.add(-lp[static_cast<size_t>(next)]);
            if (!reference) continue;
            log_softmax(&ref_logits[static_cast<size_t>(i) * n_vocab], n_vocab, ref_lp, &ref_top);
            ref_nll.add(-ref_lp[static_cast<size_t>(next)]);
            const double d = kl_divergence(ref_lp, lp);
            kld.add(d);
            klds.push_back(d);
            if (top == ref_top) ++same_top;
            const double dp = std::exp(lp[static_cast<size_t>(next)]) - std::exp(ref_lp[static_cast<size_t>(next)]);
            delta_p.add(dp);
            delta_p_sq.add(dp * dp);
        }
    }
    if (o.progress && !o.progress(1.0f)) fail(LQ_ERR_CANCELLED, "evaluation was cancelled");

    EvaluateResult r;
    r.n_windows = n_windows;
    r.n_scored = nll.count;
    r.perplexity = std::exp(nll.mean());
    r.perplexity_error = r.perplexity * nll.error();
    if (reference) {
        r.has_reference = true;
        r.reference_perplexity = std::exp(ref_nll.mean());
        r.reference_perplexity_error = r.reference_perplexity * ref_nll.error();
        r.kld_mean = kld.mean();
        r.kld_ci95 = 1.96 * kld.error();
        r.kld_median = quantile(klds, 0.5);
        r.kld_p99 = quantile(klds, 0.99);
        r.kld_max = klds.empty() ? 0.0 : *std::max_element(klds.begin(), klds.end());
        const double n = static_cast<double>(kld.count);
        r.same_top = n > 0 ? static_cast<double>(same_top) / n : 0.0;
        r.same_top_error = n > 1 ? std::sqrt(r.same_top * (1 - r.same_top) / (n - 1)) : 0.0;
        r.delta_p_mean = delta_p.mean();
        r.delta_p_rms = std::sqrt(delta_p_sq.mean());
    }
    return r;
}

}  // namespace lq
