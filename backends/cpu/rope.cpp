#include "backends/cpu/rope.h"

#include <algorithm>
#include <cmath>

namespace lq::cpu {
namespace {

constexpr float kPi = 3.14159265358979323846f;

// The dimension (pair index) at which a frequency completes n_rotations
// turns over the original context: YaRN's boundary between interpolated and
// extrapolated dimensions.
float yarn_dim(uint32_t n_rot, uint32_t n_ctx_orig, float n_rotations, float base) {
    return n_rot * std::log(n_ctx_orig / (n_rotations * 2 * kPi)) / (2 * std::log(base));
}

}  // namespace

void rope_angles(const RopeParams &rope, const float *freq_factors, uint32_t pos, float *cos_sin) {
    const uint32_t n_rot = rope.n_rot;
    const float theta_scale = std::pow(rope.freq_base, -2.0f / static_cast<float>(n_rot));
    float low = 0.0f, high = 0.0f, mscale = rope.attn_factor;
    if (rope.ext_factor != 0.0f) {
        low = std::max(0.0f, std::floor(yarn_dim(n_rot, rope.n_ctx_orig, rope.beta_fast, rope.freq_base)));
        high = std::min(static_cast<float>(n_rot - 1),
                        std::ceil(yarn_dim(n_rot, rope.n_ctx_orig, rope.beta_slow, rope.freq_base)));
        mscale *= 1.0f + 0.1f * std::log(1.0f / rope.freq_scale);
    }
    // theta_i = pos * base^(-2i/n_rot), built by repeated multiplication.
    float theta = static_cast<float>(pos);
    for (uint32_t i = 0; i < n_rot / 2; ++i) {
        const float extrapolated = theta / (freq_factors ? freq_factors[i] : 1.0f);
        const float interpolated = extrapolated * rope.freq_scale;
        float angle = interpolated;
        if (rope.ext_factor != 0.0f) {
            const float y = (static_cast<float>(i) - low) / std::max(0.001f, high - low);
            const float ramp = 1.0f - std::min(1.0f, std::max(0.0f, y));
            const float mix = ramp * rope.ext_factor;
            angle = interpolated * (1.0f - mix) + extrapolated * mix;
        }
        cos_sin[2 * i] = std::cos(angle) * mscale;
        cos_sin[2 * i + 1] = std::sin(angle) * mscale;
        theta *= theta_scale;
    }
}

void rope_apply(const RopeParams &rope, const float *cos_sin, float *head) {
    const uint32_t half = rope.n_rot / 2;
    // Normal style rotates adjacent pairs; NeoX pairs dimension i with i + n_rot/2.
    const uint32_t stride = rope.style == RopeStyle::Normal ? 1 : half;
    for (uint32_t i = 0; i < half; ++i) {
        const uint32_t a = rope.style == RopeStyle::Normal ? 2 * i : i;
        const uint32_t b = a + stride;
        const float c = cos_sin[2 * i], s = cos_sin[2 * i + 1];
        const float x0 = head[a], x1 = head[b];
        head[a] = x0 * c - x1 * s;
        head[b] = x0 * s + x1 * c;
    }
}

}  // namespace lq::cpu
