// The sampling chain that turns logits into the next token:
//   penalties (repetition, frequency, presence over the recent tokens)
//   -> top-k -> top-p -> min-p -> temperature -> draw.
// A temperature of 0 or less is greedy: the highest logit after penalties
// (the lowest id among equal ones). The random generator is libquant's own
// (core/random.h), so a seed gives the same tokens on every platform.
#pragma once

#include <cstdint>
#include <vector>

#include "core/random.h"

namespace lq {

struct SamplerParams {
    float temperature = 0.8f;
    int32_t top_k = 40;          // 0: off
    float top_p = 0.95f;         // 1: off
    float min_p = 0.05f;         // 0: off
    float repeat_penalty = 1.0f; // 1: off
    int32_t repeat_last_n = 64;  // how many recent tokens the penalties see
    float frequency_penalty = 0.0f;
    float presence_penalty = 0.0f;
    uint64_t seed = 0;
};

class Sampler {
public:
    Sampler(const SamplerParams &params, uint32_t n_vocab);

    /// Picks the next token from @p logits (n_vocab entries; modified).
    /// @p recent holds the tokens seen so far, oldest first.
    int32_t sample(float *logits, const std::vector<int32_t> &recent);

private:
    struct Candidate {
        int32_t id;
        float logit;
        float p;
    };
    void apply_penalties(float *logits, const std::vector<int32_t> &recent);

    SamplerParams params_;
    uint32_t n_vocab_;
    Random random_;
    std::vector<Candidate> candidates_;
    std::vector<uint32_t> counts_;
};

}  // namespace lq
