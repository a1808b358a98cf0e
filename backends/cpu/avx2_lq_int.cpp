// AVX2 dot product of libquant's lq_i8_row (one F32 scale, then one int8
// level per weight; docs/formats.md) with F32 activations: 32 levels per
// step widened to floats and multiplied into four running sums, the row's
// scale applied once at the end, as the reference does.
#include "backends/cpu/avx2_util.h"
#include "kernels/kernels.h"

#include <cstring>

namespace lq::cpu::avx2 {

namespace {
inline __m256 levels8(const int8_t *q) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(q))));
}
}  // namespace

float lq_i8_row_dot_f32(int64_t n, const void *w, const void *a) {
    const auto *row = static_cast<const uint8_t *>(w);
    float d;
    std::memcpy(&d, row, sizeof d);
    const auto *q = reinterpret_cast<const int8_t *>(row + sizeof d);
    const auto *x = static_cast<const float *>(a);
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps(), s2 = _mm256_setzero_ps(), s3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm256_fmadd_ps(levels8(q + i), _mm256_loadu_ps(x + i), s0);
        s1 = _mm256_fmadd_ps(levels8(q + i + 8), _mm256_loadu_ps(x + i + 8), s1);
        s2 = _mm256_fmadd_ps(levels8(q + i + 16), _mm256_loadu_ps(x + i + 16), s2);
        s3 = _mm256_fmadd_ps(levels8(q + i + 24), _mm256_loadu_ps(x + i + 24), s3);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(levels8(q + i), _mm256_loadu_ps(x + i), s0);
    float sum = hsum(_mm256_add_ps(_mm256_add_ps(s0, s1), _mm256_add_ps(s2, s3)));
    for (; i < n; ++i) sum += static_cast<float>(q[i]) * x[i];
    return sum * d;
}

}  // namespace lq::cpu::avx2
