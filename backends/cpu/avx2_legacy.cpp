// AVX2 kernels of the 32-element block types: dots of Q4_0, Q5_0, Q8_0 and
// IQ4_NL with Q8_0 activations, of Q4_1 and Q5_1 with Q8_1, the Q8_0 and
// Q8_1 activation encoders, and Q4_0/Q8_0 decoding.
//
// Integer dots are exact; only the float accumulation order differs from the
// reference. The encoders and decoders are bit-identical to the reference.
#include "backends/cpu/avx2_rows.h"
#include "backends/cpu/avx2_util.h"
#include "kernels/blocks.h"

namespace lq::cpu::avx2 {
namespace {

// The sum over blocks of d_w * d_a * dot(weights, activations), where
// `weights(block)` yields the block's 32 signed weight bytes (a lambda, so
// that it inlines; a function pointer would not). Two blocks per
// iteration into two accumulators to hide the multiply-add latency.
template <class WeightBlock, class Weights>
float dot_signed_q8_0(int64_t n, const WeightBlock *x, const BlockQ8_0 *y, Weights weights) {
    const int64_t nb = n / kBlock32;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 1 < nb; i += 2) {
        const __m256i p0 = dot_i8(weights(x[i]), load(y[i].qs));
        const __m256i p1 = dot_i8(weights(x[i + 1]), load(y[i + 1].qs));
        const __m256 d0 = _mm256_set1_ps(half(x[i].d) * half(y[i].d));
        const __m256 d1 = _mm256_set1_ps(half(x[i + 1].d) * half(y[i + 1].d));
        acc0 = _mm256_fmadd_ps(d0, _mm256_cvtepi32_ps(p0), acc0);
        acc1 = _mm256_fmadd_ps(d1, _mm256_cvtepi32_ps(p1), acc1);
    }
    for (; i < nb; ++i) {
        const __m256i p = dot_i8(weights(x[i]), load(y[i].qs));
        acc0 = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * half(y[i].d)), _mm256_cvtepi32_ps(p), acc0);
    }
    return hsum(_mm256_add_ps(acc0, acc1));
}

// Q4_0 weights as signed bytes: nibble - 8.
inline __m256i q4_0_weights(const BlockQ4_0 &b) { return _mm256_sub_epi8(nibbles(b.qs), _mm256_set1_epi8(8)); }

// Q5_0 weights as signed bytes: (nibble | fifth bit << 4) - 16, computed as
// nibble - (fifth bit clear ? 16 : 0).
inline __m256i q5_0_weights(const BlockQ5_0 &b) {
    const __m256i clear = _mm256_andnot_si256(bits_to_bytes(b.qh), _mm256_set1_epi8(16));
    return _mm256_sub_epi8(nibbles(b.qs), clear);
}

// IQ4_NL weights: the codebook looked up by nibble.
inline __m256i iq4_nl_weights(const BlockIQ4_NL &b) {
    const __m128i table = _mm_loadu_si128(reinterpret_cast<const __m128i *>(kIQ4Values));
    return _mm256_shuffle_epi8(_mm256_set_m128i(table, table), nibbles(b.qs));
}

// Sum over blocks of d_w d_a dot(q_w, q_a) + m_w s_a for the unsigned
// weights (Q4_1, Q5_1) against Q8_1.
template <class WeightBlock, class Weights>
float dot_unsigned_q8_1(int64_t n, const WeightBlock *x, const BlockQ8_1 *y, Weights weights) {
    const int64_t nb = n / kBlock32;
    __m256 acc = _mm256_setzero_ps();
    float offsets = 0.0f;
    for (int64_t i = 0; i < nb; ++i) {
        const __m256i p = widen_pairs(dot_u8_pairs(weights(x[i]), load(y[i].qs)));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * half(y[i].d)), _mm256_cvtepi32_ps(p), acc);
        offsets += half(x[i].m) * half(y[i].s);
    }
    return hsum(acc) + offsets;
}

inline __m256i q4_1_weights(const BlockQ4_1 &b) { return nibbles(b.qs); }

inline __m256i q5_1_weights(const BlockQ5_1 &b) {
    const __m256i fifth = _mm256_and_si256(bits_to_bytes(b.qh), _mm256_set1_epi8(16));
    return _mm256_or_si256(nibbles(b.qs), fifth);
}

// Largest |x| of 32 floats, ignoring NaN as the reference's fmax does
// (maxps returns its second operand when the first is NaN).
inline float amax32(const float *x) {
    const __m256 sign = _mm256_set1_ps(-0.0f);
    __m256 m = _mm256_setzero_ps();
    for (int j = 0; j < 32; j += 8) m = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + j)), m);
    return hmax(m);
}

// q = round-half-away(clamp(x * inverse, -127, 127)) for 32 floats, as the
// reference computes it: trunc(v + copysign(0.5 - 2^-25, v)) equals
// round-half-away for |v| < 2^23, since the float addition can only round
// a sum at or above the next integer up to it.
inline __m256i q8_levels(const float *x, float inverse) {
    const __m256 mul = _mm256_set1_ps(inverse);
    const __m256 lo = _mm256_set1_ps(-127.0f), hi = _mm256_set1_ps(127.0f);
    const __m256 sign = _mm256_set1_ps(-0.0f), nudge = _mm256_set1_ps(0.49999997f);
    __m256i q[4];
    for (int j = 0; j < 4; ++j) {
        const __m256 v = _mm256_min_ps(_mm256_max_ps(_mm256_mul_ps(_mm256_loadu_ps(x + 8 * j), mul), lo), hi);
        const __m256 r = _mm256_add_ps(v, _mm256_or_ps(nudge, _mm256_and_ps(v, sign)));
        q[j] = _mm256_cvttps_epi32(r);
    }
    // Pack 32 int32 to 32 int8; the packs interleave 128-bit lanes.
    const __m256i w01 = _mm256_packs_epi32(q[0], q[1]);
    const __m256i w23 = _mm256_packs_epi32(q[2], q[3]);
    const __m256i bytes = _mm256_packs_epi16(w01, w23);
    return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

// out[0..31] = q[e] * d for 32 signed bytes q, as the reference rounds it.
inline void store_scaled(__m256i q, float d, float *out) {
    const __m256 scale = _mm256_set1_ps(d);
    const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
    const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
    for (int j = 0; j < 4; ++j)
        _mm256_storeu_ps(out + 8 * j, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[j])), scale));
}

inline float q8_scale(const float *x, float *inverse) {
    const float scale = amax32(x) / 127.0f;  // never NaN: amax32 skips NaN
    const float d = scale < 65504.0f ? scale : 65504.0f;
    *inverse = d != 0.0f ? 1.0f / d : 0.0f;
    return d;
}

}  // namespace

float q4_0_dot_q8_0(int64_t n, const void *w, const void *a) {
    // Unsigned nibbles against the activations, minus 8 * their sum: one
    // instruction fewer per block than signed weights with the sign trick.
    const auto *x = static_cast<const BlockQ4_0 *>(w);
    const auto *y = static_cast<const BlockQ8_0 *>(a);
    const int64_t nb = n / kBlock32;
    const __m256i eight = _mm256_set1_epi8(8);
    auto block = [&](int64_t i) {
        const __m256i q8 = load(y[i].qs);
        const __m256i p = _mm256_sub_epi16(dot_u8_pairs(nibbles(x[i].qs), q8), dot_u8_pairs(eight, q8));
        return _mm256_cvtepi32_ps(widen_pairs(p));
    };
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 1 < nb; i += 2) {
        acc0 = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * half(y[i].d)), block(i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i + 1].d) * half(y[i + 1].d)), block(i + 1), acc1);
    }
    for (; i < nb; ++i) acc0 = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * half(y[i].d)), block(i), acc0);
    return hsum(_mm256_add_ps(acc0, acc1));
}

float q5_0_dot_q8_0(int64_t n, const void *w, const void *a) {
    return dot_signed_q8_0(n, static_cast<const BlockQ5_0 *>(w), static_cast<const BlockQ8_0 *>(a),
                           [](const BlockQ5_0 &b) { return q5_0_weights(b); });
}

float q8_0_dot_q8_0(int64_t n, const void *w, const void *a) {
    return dot_signed_q8_0(n, static_cast<const BlockQ8_0 *>(w), static_cast<const BlockQ8_0 *>(a),
                           [](const BlockQ8_0 &b) { return load(b.qs); });
}

float iq4_nl_dot_q8_0(int64_t n, const void *w, const void *a) {
    return dot_signed_q8_0(n, static_cast<const BlockIQ4_NL *>(w), static_cast<const BlockQ8_0 *>(a),
                           [](const BlockIQ4_NL &b) { return iq4_nl_weights(b); });
}

float q4_1_dot_q8_1(int64_t n, const void *w, const void *a) {
    return dot_unsigned_q8_1(n, static_cast<const BlockQ4_1 *>(w), static_cast<const BlockQ8_1 *>(a),
                             [](const BlockQ4_1 &b) { return q4_1_weights(b); });
}

float q5_1_dot_q8_1(int64_t n, const void *w, const void *a) {
    return dot_unsigned_q8_1(n, static_cast<const BlockQ5_1 *>(w), static_cast<const BlockQ8_1 *>(a),
                             [](const BlockQ5_1 &b) { return q5_1_weights(b); });
}

void q8_0_from_float(const float *in, void *blocks, int64_t n) {
    auto *b = static_cast<BlockQ8_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        float inverse;
        b[i].d = _cvtss_sh(q8_scale(x, &inverse), _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(b[i].qs), q8_levels(x, inverse));
    }
}

void q8_1_from_float(const float *in, void *blocks, int64_t n) {
    auto *b = static_cast<BlockQ8_1 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        float inverse;
        const float d = q8_scale(x, &inverse);
        const __m256i q = q8_levels(x, inverse);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(b[i].qs), q);
        const int sum = hsum_i32(_mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_set1_epi8(1), q),
                                                   _mm256_set1_epi16(1)));
        b[i].d = _cvtss_sh(d, _MM_FROUND_TO_NEAREST_INT);
        b[i].s = _cvtss_sh(static_cast<float>(sum) * d, _MM_FROUND_TO_NEAREST_INT);
    }
}

void q4_0_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ4_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) store_scaled(q4_0_weights(b[i]), half(b[i].d), out + i * kBlock32);
}

void q8_0_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ8_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) store_scaled(load(b[i].qs), half(b[i].d), out + i * kBlock32);
}

}  // namespace lq::cpu::avx2
