#include "runtime/sampler.h"

#include <algorithm>
#include <cmath>

namespace lq {

Sampler::Sampler(const SamplerParams &params, uint32_t n_vocab)
    : params_(params), n_vocab_(n_vocab), random_(params.seed) {
    candidates_.reserve(n_vocab);
}

void Sampler::apply_penalties(float *logits, const std::vector<int32_t> &recent) {
    const bool any = params_.repeat_penalty != 1.0f || params_.frequency_penalty != 0.0f ||
                     params_.presence_penalty != 0.0f;
    if (!any || params_.repeat_last_n == 0 || recent.empty()) return;
    const size_t window = params_.repeat_last_n < 0 ? recent.size()
                                                    : std::min(recent.size(), static_cast<size_t>(params_.repeat_last_n));
    if (counts_.size() != n_vocab_) counts_.assign(n_vocab_, 0);
    for (size_t i = recent.size() - window; i < recent.size(); ++i)
        if (recent[i] >= 0 && static_cast<uint32_t>(recent[i]) < n_vocab_) ++counts_[static_cast<size_t>(recent[i])];
    for (size_t i = recent.size() - window; i < recent.size(); ++i) {
        const int32_t id = recent[i];
        if (id < 0 || static_cast<uint32_t>(id) >= n_vocab_) continue;
        uint32_t &count = counts_[static_cast<size_t>(id)];
        if (count == 0) continue;  // already penalised
        float &logit = logits[id];
        // Repetition penalty divides positive logits and multiplies negative
        // ones, so it always makes the token less likely.
        logit = logit > 0 ? logit / params_.repeat_penalty : logit * params_.repeat_penalty;
        logit -= static_cast<float>(count) * params_.frequency_penalty + params_.presence_penalty;
        count = 0;
    }
}

int32_t Sampler::sample(float *logits, const std::vector<int32_t> &recent) {
    apply_penalties(logits, recent);

    if (params_.temperature <= 0.0f) {
        int32_t best = 0;
        for (uint32_t i = 1; i < n_vocab_; ++i)
            if (logits[i] > logits[best]) best = static_cast<int32_t>(i);
        return best;
    }

    candidates_.resize(n_vocab_);
    for (uint32_t i = 0; i < n_vocab_; ++i) candidates_[i] = Candidate{static_cast<int32_t>(i), logits[i], 0.0f};
    auto by_logit = [](const Candidate &a, const Candidate &b) {
        return a.logit > b.logit || (a.logit == b.logit && a.id < b.id);
    };
    size_t n = candidates_.size();
    if (params_.top_k > 0 && static_cast<size_t>(params_.top_k) < n) {
        n = static_cast<size_t>(params_.top_k);
        std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(n), candidates_.end(),
                          by_logit);
    } else {
        std::sort(candidates_.begin(), candidates_.end(), by_logit);
    }

    // Probabilities of the remaining candidates (sorted, highest first).
    auto softmax = [&](float temperature) {
        const float max_logit = candidates_[0].logit;
        double sum = 0.0;
        for (size_t i = 0; i < n; ++i) {
            candidates_[i].p = std::exp((candidates_[i].logit - max_logit) / temperature);
            sum += candidates_[i].p;
        }
        for (size_t i = 0; i < n; ++i) candidates_[i].p = static_cast<float>(candidates_[i].p / sum);
    };
    softmax(1.0f);
    if (params_.top_p < 1.0f) {
        double cumulative = 0.0;
        size_t keep = n;
        for (size_t i = 0; i < n; ++i) {
            cumulative += candidates_[i].p;
            if (cumulative >= params_.top_p) {
                keep = i + 1;
                break;
            }
        }
        n = keep;
    }
    if (params_.min_p > 0.0f) {
        const float threshold = candidates_[0].p * params_.min_p;
        size_t keep = 1;
        while (keep < n && candidates_[keep].p >= threshold) ++keep;
        n = keep;
    }
    softmax(params_.temperature);

    double r = random_.uniform();
    for (size_t i = 0; i < n; ++i) {
        r -= candidates_[i].p;
        if (r < 0.0) return candidates_[i].id;
    }
    return candidates_[n - 1].id;
}

}  // namespace lq
