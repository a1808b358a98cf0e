#include <immintrin.h>

#include <algorithm>
#include <cmath>

#include "backends/onednn/activations.h"

namespace lq::onednn {

float quantize_row_s8(const float *x, uint32_t k, int8_t *q) {
    const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    __m256 vmax = _mm256_setzero_ps();
    uint32_t i = 0;
    for (; i + 8 <= k; i += 8) vmax = _mm256_max_ps(vmax, _mm256_and_ps(_mm256_loadu_ps(x + i), abs_mask));
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(vmax), _mm256_extractf128_ps(vmax, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_shuffle_ps(m, m, 1));
    float amax = _mm_cvtss_f32(m);
    for (; i < k; ++i) amax = std::max(amax, std::fabs(x[i]));

    const float d = amax / 127.0f;
    const float inv = d > 0 ? 1.0f / d : 0.0f;
    const __m256 vinv = _mm256_set1_ps(inv);
    // _mm256_cvtps_epi32 rounds to nearest even, as nearbyint does in the
    // default rounding mode; |levels| <= 127, so the saturating packs are exact.
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    i = 0;
    for (; i + 32 <= k; i += 32) {
        const __m256i a = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i), vinv));
        const __m256i b = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 8), vinv));
        const __m256i c = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 16), vinv));
        const __m256i e = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + i + 24), vinv));
        // packs work within 128-bit lanes; the permute restores the order.
        const __m256i ab = _mm256_packs_epi32(a, b), ce = _mm256_packs_epi32(c, e);
        const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(ab, ce), order);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(q + i), bytes);
    }
    for (; i < k; ++i) q[i] = static_cast<int8_t>(std::nearbyint(x[i] * inv));
    return d;
}

void scale_row(const int32_t *acc, uint32_t n, float token_scale, const float *channel_scale, float *out) {
    const __m256 s = _mm256_set1_ps(token_scale);
    uint32_t j = 0;
    for (; j + 8 <= n; j += 8) {
        const __m256 a = _mm256_cvtepi32_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(acc + j)));
        _mm256_storeu_ps(out + j, _mm256_mul_ps(a, _mm256_mul_ps(s, _mm256_loadu_ps(channel_scale + j))));
    }
    for (; j < n; ++j) out[j] = static_cast<float>(acc[j]) * (token_scale * channel_scale[j]);
}

}  // namespace lq::onednn
