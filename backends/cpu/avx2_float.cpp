// AVX2 kernels of the unquantized types: F32, F16 and BF16 dots (FMA into
// four accumulators of 8 floats), F16/BF16 decoding, and the F16/BF16
// encoders used for activations. Rows may have any length; the last
// n % 32 (or % 8) elements take the scalar path.
//
// Encoders and decoders are bit-identical to core/half.h (F16C rounds to
// nearest even and quiets NaN exactly as float_to_half does; the BF16 rule
// is restated below); dots differ from the double-precision reference by
// float summation only.
#include "backends/cpu/avx2_rows.h"
#include "backends/cpu/avx2_util.h"

namespace lq::cpu::avx2 {
namespace {

// Scalar conversions for the row tails, local to this file (see avx2_rows.h).
float f16_scalar(uint16_t h) { return g_half_table[h]; }
uint16_t to_f16_scalar(float f) { return static_cast<uint16_t>(_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT)); }

float bf16_scalar(uint16_t b) {
    const uint32_t u = static_cast<uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

// Round to nearest even; NaN stays NaN (quiet), as core/half.h.
uint16_t to_bf16_scalar(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u) return static_cast<uint16_t>((u >> 16) | 0x40u);
    return static_cast<uint16_t>((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
}

// Eight BF16 values to floats: the 16 bits become the top of each float.
inline __m256 bf16x8(const uint16_t *p) {
    const __m256i wide = _mm256_cvtepu16_epi32(load128(p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

inline __m256 f16x8(const uint16_t *p) { return _mm256_cvtph_ps(load128(p)); }

inline __m256 f32x8(const float *p) { return _mm256_loadu_ps(p); }

// Dot over n elements; Load turns 8 elements at p + i into floats and
// Scalar one element (both lambdas: function pointers would not inline).
template <class T, class Load, class Scalar>
float dot(int64_t n, const T *x, const T *y, Load load8, Scalar scalar) {
    // Four independent accumulators (named, so that they stay in registers)
    // cover the latency of the multiply-adds.
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    __m256 acc2 = _mm256_setzero_ps(), acc3 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        acc0 = _mm256_fmadd_ps(load8(x + i), load8(y + i), acc0);
        acc1 = _mm256_fmadd_ps(load8(x + i + 8), load8(y + i + 8), acc1);
        acc2 = _mm256_fmadd_ps(load8(x + i + 16), load8(y + i + 16), acc2);
        acc3 = _mm256_fmadd_ps(load8(x + i + 24), load8(y + i + 24), acc3);
    }
    for (; i + 8 <= n; i += 8) acc0 = _mm256_fmadd_ps(load8(x + i), load8(y + i), acc0);
    float sum = hsum(_mm256_add_ps(_mm256_add_ps(acc0, acc1), _mm256_add_ps(acc2, acc3)));
    for (; i < n; ++i) sum += scalar(x[i]) * scalar(y[i]);
    return sum;
}

}  // namespace

float f32_dot(int64_t n, const void *w, const void *a) {
    return dot(n, static_cast<const float *>(w), static_cast<const float *>(a), [](const float *p) { return f32x8(p); },
               [](float v) { return v; });
}

float f16_dot(int64_t n, const void *w, const void *a) {
    return dot(n, static_cast<const uint16_t *>(w), static_cast<const uint16_t *>(a),
               [](const uint16_t *p) { return f16x8(p); }, [](uint16_t v) { return f16_scalar(v); });
}

float bf16_dot(int64_t n, const void *w, const void *a) {
    return dot(n, static_cast<const uint16_t *>(w), static_cast<const uint16_t *>(a),
               [](const uint16_t *p) { return bf16x8(p); }, [](uint16_t v) { return bf16_scalar(v); });
}

void f16_to_float(const void *in, float *out, int64_t n) {
    const auto *h = static_cast<const uint16_t *>(in);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, f16x8(h + i));
    for (; i < n; ++i) out[i] = f16_scalar(h[i]);
}

void bf16_to_float(const void *in, float *out, int64_t n) {
    const auto *h = static_cast<const uint16_t *>(in);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(out + i, bf16x8(h + i));
    for (; i < n; ++i) out[i] = bf16_scalar(h[i]);
}

void f16_from_float(const float *in, void *out, int64_t n) {
    auto *h = static_cast<uint16_t *>(out);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128(reinterpret_cast<__m128i *>(h + i), _mm256_cvtps_ph(_mm256_loadu_ps(in + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; ++i) h[i] = to_f16_scalar(in[i]);
}

void bf16_from_float(const float *in, void *out, int64_t n) {
    auto *h = static_cast<uint16_t *>(out);
    int64_t i = 0;
    const __m256i abs_mask = _mm256_set1_epi32(0x7FFFFFFF), infinity = _mm256_set1_epi32(0x7F800000);
    const __m256i one = _mm256_set1_epi32(1), bias = _mm256_set1_epi32(0x7FFF), quiet = _mm256_set1_epi32(0x40);
    for (; i + 16 <= n; i += 16) {
        __m256i half_words[2];
        for (int j = 0; j < 2; ++j) {
            const __m256i u = _mm256_castps_si256(_mm256_loadu_ps(in + i + 8 * j));
            // Round to nearest even: add 0x7FFF plus the lowest kept bit.
            const __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(u, 16), one);
            const __m256i rounded = _mm256_srli_epi32(_mm256_add_epi32(u, _mm256_add_epi32(bias, lsb)), 16);
            const __m256i nan = _mm256_cmpgt_epi32(_mm256_and_si256(u, abs_mask), infinity);
            const __m256i quieted = _mm256_or_si256(_mm256_srli_epi32(u, 16), quiet);
            half_words[j] = _mm256_blendv_epi8(rounded, quieted, nan);
        }
        // Pack 16 values (< 65536) to 16 bits; packus interleaves 128-bit lanes.
        const __m256i packed = _mm256_packus_epi32(half_words[0], half_words[1]);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(h + i), _mm256_permute4x64_epi64(packed, 0xD8));
    }
    for (; i < n; ++i) h[i] = to_bf16_scalar(in[i]);
}

}  // namespace lq::cpu::avx2
