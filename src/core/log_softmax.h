// Next-token distributions from logits, in double: the log-softmax of a row
// and the KL divergence between two such rows (header-only: the lq tool
// shares it).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace lq {

/// log(sum exp(logits)) of one row, computed as max + log(sum exp(l - max));
/// @p argmax receives the first largest logit's index.
inline double log_normaliser(const float *logits, uint32_t n, uint32_t *argmax) {
    uint32_t best = 0;
    for (uint32_t i = 1; i < n; ++i)
        if (logits[i] > logits[best]) best = i;
    double sum = 0.0;
    for (uint32_t i = 0; i < n; ++i) sum += std::exp(static_cast<double>(logits[i]) - logits[best]);
    *argmax = best;
    return logits[best] + std::log(sum);
}

/// The row as log-probabilities.
inline void log_softmax(const float *logits, uint32_t n, std::vector<double> &out, uint32_t *argmax) {
    const double normaliser = log_normaliser(logits, n, argmax);
    out.resize(n);
    for (uint32_t i = 0; i < n; ++i) out[i] = logits[i] - normaliser;
}

/// KL(p || q) of two rows of log-probabilities, in nats; never negative
/// (rounding can leave a tiny negative sum for identical rows).
inline double kl_divergence(const std::vector<double> &p_log, const std::vector<double> &q_log) {
    double d = 0.0;
    for (size_t v = 0; v < p_log.size(); ++v) d += std::exp(p_log[v]) * (p_log[v] - q_log[v]);
    return std::max(d, 0.0);
}

}  // namespace lq
