// AVX2 kernels of the super-block types: dots of Q2_K..Q6_K and IQ4_XS with
// Q8_K activations, the Q8_K encoder, and Q4_K/Q6_K decoding.
//
// Each dot keeps one vector of 8 int32 per super-block: unsigned weights go
// through maddubs against the activations (16 int16 pair sums), then madd
// with the sub-block scale broadcast as int16 (8 int32). Offsets and the
// bias of the unsigned encodings (Q3_K: q - 4, Q6_K: q - 32) come from the
// activations' block sums, so the inner loop never subtracts. Every bound is
// far inside int32 (worst case Q6_K: 8 * 2 * 2 * 63 * 127 * 128 < 2^25).
#include <cstring>

#include "backends/cpu/avx2_rows.h"
#include "backends/cpu/avx2_util.h"
#include "kernels/blocks.h"

namespace lq::cpu::avx2 {
namespace {

inline uint32_t load32(const uint8_t *p) {
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

inline __m256i low_nibbles(__m256i q) { return _mm256_and_si256(q, _mm256_set1_epi8(0x0F)); }
inline __m256i high_nibbles(__m256i q) { return _mm256_and_si256(_mm256_srli_epi16(q, 4), _mm256_set1_epi8(0x0F)); }

// The 8 six-bit scales and 8 mins of Q4_K/Q5_K as int16 lanes, unpacked in
// registers from the 12-byte layout of kernels/blocks.h (word operations:
// a store and a reload of the bytes would stall on store forwarding).
struct ScalesMins {
    __m128i scales;  // 8 x int16
    __m128i mins;    // 8 x int16
};

inline ScalesMins unpack_scales_mins(const uint8_t *s) {
    const uint32_t a = load32(s), b = load32(s + 4), c = load32(s + 8);
    const uint32_t sc_lo = a & 0x3F3F3F3Fu;                                      // scales 0-3
    const uint32_t sc_hi = (c & 0x0F0F0F0Fu) | ((a >> 2) & 0x30303030u);         // scales 4-7
    const uint32_t mn_lo = b & 0x3F3F3F3Fu;                                      // mins 0-3
    const uint32_t mn_hi = ((c >> 4) & 0x0F0F0F0Fu) | ((b >> 2) & 0x30303030u);  // mins 4-7
    const __m128i packed = _mm_set_epi32(static_cast<int>(mn_hi), static_cast<int>(mn_lo), static_cast<int>(sc_hi),
                                         static_cast<int>(sc_lo));
    return {_mm_cvtepu8_epi16(packed), _mm_cvtepu8_epi16(_mm_srli_si128(packed, 8))};
}

// 8 int32 whose sum is sum_j mins[j] * (bsums[2j] + bsums[2j + 1]): the
// offsets of the 32-element sub-blocks applied through the block sums.
inline __m256i min_products32(__m128i mins, const int16_t *bsums) {
    const __m256i pairs = _mm256_set_m128i(_mm_unpackhi_epi16(mins, mins), _mm_unpacklo_epi16(mins, mins));
    return _mm256_madd_epi16(load(bsums), pairs);
}

// Four- and five-bit super-block types (Q4_K, Q5_K): `levels(c, high)`
// gives the 32 unsigned levels of chunk c's low (high = 0) or high
// sub-block. The offsets accumulate in a vector of their own, with their
// own scale, so that no horizontal sum happens per super-block.
template <class Block, class Levels>
float dot_scale_min(int64_t n, const Block *x, const BlockQ8_K *y, Levels levels) {
    __m256 acc = _mm256_setzero_ps(), acc_min = _mm256_setzero_ps();
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const ScalesMins sm = unpack_scales_mins(x[i].scales);
        const __m256i scales = _mm256_broadcastsi128_si256(sm.scales);
        __m256i isum = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int c = 0; c < 4; ++c) {
            const __m256i lo = dot_u8_pairs(levels(x[i], c, 0), load(y[i].qs + 64 * c));
            const __m256i hi = dot_u8_pairs(levels(x[i], c, 1), load(y[i].qs + 64 * c + 32));
            isum = _mm256_add_epi32(isum, _mm256_madd_epi16(lo, broadcast_lane16(scales, 2 * c)));
            isum = _mm256_add_epi32(isum, _mm256_madd_epi16(hi, broadcast_lane16(scales, 2 * c + 1)));
        }
        const float dy = y[i].d;
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * dy), _mm256_cvtepi32_ps(isum), acc);
        acc_min = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].dmin) * dy),
                                  _mm256_cvtepi32_ps(min_products32(sm.mins, y[i].bsums)), acc_min);
    }
    return hsum(_mm256_sub_ps(acc, acc_min));
}

// The 16 signed sub-block scales of Q6_K / Q3_K as int16 lanes: `pair(h, k)`
// covers sub-blocks 8h + 2k and 8h + 2k + 1.
struct Scales16 {
    __m256i all;  // 16 x int16
    __m256i pair(int h, int k) const {
        return broadcast_pair16(h ? _mm256_extracti128_si256(all, 1) : _mm256_castsi256_si128(all), 2 * k);
    }
};

// The four 32-element groups of one 128-element half of Q6_K: levels 0..63.
inline void q6_groups(const BlockQ6_K &b, int h, __m256i *groups) {
    const __m256i mask = _mm256_set1_epi8(0x30);
    const __m256i qa = load(b.ql + 64 * h), qb = load(b.ql + 64 * h + 32);
    const __m256i qh = load(b.qh + 32 * h);
    groups[0] = _mm256_or_si256(low_nibbles(qa), _mm256_and_si256(_mm256_slli_epi16(qh, 4), mask));
    groups[1] = _mm256_or_si256(low_nibbles(qb), _mm256_and_si256(_mm256_slli_epi16(qh, 2), mask));
    groups[2] = _mm256_or_si256(high_nibbles(qa), _mm256_and_si256(qh, mask));
    groups[3] = _mm256_or_si256(high_nibbles(qb), _mm256_and_si256(_mm256_srli_epi16(qh, 2), mask));
}

// The 16 six-bit Q3_K scales from 12 bytes (kernels/blocks.h), minus 32.
inline __m128i q3_scales(const uint8_t *s) {
    const uint32_t s0 = load32(s), s1 = load32(s + 4), s2 = load32(s + 8);
    const __m128i packed = _mm_set_epi32(
        static_cast<int>(((s1 >> 4) & 0x0F0F0F0Fu) | (((s2 >> 6) & 0x03030303u) << 4)),   // 12-15
        static_cast<int>(((s0 >> 4) & 0x0F0F0F0Fu) | (((s2 >> 4) & 0x03030303u) << 4)),   // 8-11
        static_cast<int>((s1 & 0x0F0F0F0Fu) | (((s2 >> 2) & 0x03030303u) << 4)),          // 4-7
        static_cast<int>((s0 & 0x0F0F0F0Fu) | ((s2 & 0x03030303u) << 4)));                // 0-3
    return _mm_sub_epi8(packed, _mm_set1_epi8(32));
}

}  // namespace

float q4_k_dot_q8_k(int64_t n, const void *w, const void *a) {
    return dot_scale_min(n, static_cast<const BlockQ4_K *>(w), static_cast<const BlockQ8_K *>(a),
                         [](const BlockQ4_K &b, int c, int high) {
                             const __m256i q = load(b.qs + 32 * c);
                             return high ? high_nibbles(q) : low_nibbles(q);
                         });
}

float q5_k_dot_q8_k(int64_t n, const void *w, const void *a) {
    return dot_scale_min(n, static_cast<const BlockQ5_K *>(w), static_cast<const BlockQ8_K *>(a),
                         [](const BlockQ5_K &b, int c, int high) {
                             const __m256i q = load(b.qs + 32 * c);
                             const __m256i fifth = move_bit(load(b.qh), 2 * c + high, 4);
                             return _mm256_or_si256(high ? high_nibbles(q) : low_nibbles(q), fifth);
                         });
}

float q6_k_dot_q8_k(int64_t n, const void *w, const void *a) {
    const auto *x = static_cast<const BlockQ6_K *>(w);
    const auto *y = static_cast<const BlockQ8_K *>(a);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const Scales16 scales = {_mm256_cvtepi8_epi16(load128(x[i].scales))};
        __m256i isum = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int h = 0; h < 2; ++h) {
            __m256i groups[4];
            q6_groups(x[i], h, groups);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const __m256i p = dot_u8_pairs(groups[k], load(y[i].qs + 128 * h + 32 * k));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(p, scales.pair(h, k)));
            }
        }
        // The stored levels are q + 32: remove 32 * sum_j scale_j * bsum_j.
        isum = _mm256_sub_epi32(isum, _mm256_slli_epi32(_mm256_madd_epi16(load(y[i].bsums), scales.all), 5));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * y[i].d), _mm256_cvtepi32_ps(isum), acc);
    }
    return hsum(acc);
}

float q3_k_dot_q8_k(int64_t n, const void *w, const void *a) {
    const auto *x = static_cast<const BlockQ3_K *>(w);
    const auto *y = static_cast<const BlockQ8_K *>(a);
    const __m256i mask2 = _mm256_set1_epi8(3);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const Scales16 scales = {_mm256_cvtepi8_epi16(q3_scales(x[i].scales))};
        const __m256i hmask = load(x[i].hmask);
        __m256i isum = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int h = 0; h < 2; ++h) {
            const __m256i q2 = load(x[i].qs + 32 * h);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const __m256i low = _mm256_and_si256(_mm256_srli_epi16(q2, 2 * k), mask2);
                const __m256i level = _mm256_or_si256(low, move_bit(hmask, 4 * h + k, 2));  // 0..7
                const __m256i p = dot_u8_pairs(level, load(y[i].qs + 128 * h + 32 * k));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(p, scales.pair(h, k)));
            }
        }
        // The levels are q + 4: remove 4 * sum_j scale_j * bsum_j.
        isum = _mm256_sub_epi32(isum, _mm256_slli_epi32(_mm256_madd_epi16(load(y[i].bsums), scales.all), 2));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * y[i].d), _mm256_cvtepi32_ps(isum), acc);
    }
    return hsum(acc);
}

float q2_k_dot_q8_k(int64_t n, const void *w, const void *a) {
    const auto *x = static_cast<const BlockQ2_K *>(w);
    const auto *y = static_cast<const BlockQ8_K *>(a);
    const __m256i mask2 = _mm256_set1_epi8(3);
    const __m128i mask4 = _mm_set1_epi8(0x0F);
    __m256 acc = _mm256_setzero_ps(), acc_min = _mm256_setzero_ps();
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const __m128i packed = load128(x[i].scales);
        const Scales16 scales = {_mm256_cvtepu8_epi16(_mm_and_si128(packed, mask4))};
        const __m256i mins = _mm256_cvtepu8_epi16(_mm_and_si128(_mm_srli_epi16(packed, 4), mask4));
        __m256i isum = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int h = 0; h < 2; ++h) {
            const __m256i q2 = load(x[i].qs + 32 * h);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const __m256i level = _mm256_and_si256(_mm256_srli_epi16(q2, 2 * k), mask2);
                const __m256i p = dot_u8_pairs(level, load(y[i].qs + 128 * h + 32 * k));
                isum = _mm256_add_epi32(isum, _mm256_madd_epi16(p, scales.pair(h, k)));
            }
        }
        const float dy = y[i].d;
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * dy), _mm256_cvtepi32_ps(isum), acc);
        acc_min = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].dmin) * dy),
                                  _mm256_cvtepi32_ps(_mm256_madd_epi16(load(y[i].bsums), mins)), acc_min);
    }
    return hsum(_mm256_sub_ps(acc, acc_min));
}

float iq4_xs_dot_q8_k(int64_t n, const void *w, const void *a) {
    const auto *x = static_cast<const BlockIQ4_XS *>(w);
    const auto *y = static_cast<const BlockQ8_K *>(a);
    const __m128i table128 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(kIQ4Values));
    const __m256i table = _mm256_set_m128i(table128, table128);
    const __m256i shifts = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
    __m256 acc = _mm256_setzero_ps();
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        // The 8 six-bit scales: low nibbles from scales_l (even j low, odd
        // j high), bits 4-5 from scales_h; minus 32; as int16 lanes.
        const __m128i low_bytes = _mm_cvtsi32_si128(static_cast<int>(load32(x[i].scales_l)));
        const __m128i low = _mm_and_si128(_mm_unpacklo_epi8(low_bytes, _mm_srli_epi16(low_bytes, 4)), _mm_set1_epi8(0x0F));
        const __m256i high = _mm256_and_si256(_mm256_srlv_epi32(_mm256_set1_epi32(x[i].scales_h), shifts),
                                              _mm256_set1_epi32(3));
        const __m256i ls32 = _mm256_sub_epi32(_mm256_or_si256(_mm256_cvtepu8_epi32(low), _mm256_slli_epi32(high, 4)),
                                              _mm256_set1_epi32(32));
        const __m128i ls16 = _mm_packs_epi32(_mm256_castsi256_si128(ls32), _mm256_extracti128_si256(ls32, 1));
        const __m256i scales = _mm256_broadcastsi128_si256(ls16);
        __m256i isum = _mm256_setzero_si256();
#pragma GCC unroll 8
        for (int j = 0; j < 8; ++j) {
            const __m256i v = _mm256_shuffle_epi8(table, nibbles(x[i].qs + 16 * j));
            const __m256i q8 = load(y[i].qs + 32 * j);
            const __m256i p = _mm256_maddubs_epi16(_mm256_sign_epi8(v, v), _mm256_sign_epi8(q8, v));
            isum = _mm256_add_epi32(isum, _mm256_madd_epi16(p, broadcast_lane16(scales, j)));
        }
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(x[i].d) * y[i].d), _mm256_cvtepi32_ps(isum), acc);
    }
    return hsum(acc);
}

void q8_k_from_float(const float *in, void *blocks, int64_t n) {
    auto *b = static_cast<BlockQ8_K *>(blocks);
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float *x = in + i * kSuperBlock;
        __m256 m = _mm256_setzero_ps();
        for (int e = 0; e < kSuperBlock; e += 8) m = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + e)), m);
        const float amax = hmax(m);
        if (amax == 0.0f) {
            std::memset(&b[i], 0, sizeof b[i]);
            continue;
        }
        // The first value of largest magnitude carries the sign.
        const __m256 target = _mm256_set1_ps(amax);
        int first = 0;
        for (int e = 0; e < kSuperBlock; e += 8) {
            const int hits = _mm256_movemask_ps(_mm256_cmp_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + e)), target, _CMP_EQ_OQ));
            if (hits) {
                first = e + __builtin_ctz(static_cast<unsigned>(hits));
                break;
            }
        }
        const float iscale = -127.0f / x[first];
        const __m256 mul = _mm256_set1_ps(iscale);
        const __m256i top = _mm256_set1_epi32(127);
        for (int g = 0; g < 8; ++g) {  // 32 values per step
            __m256i q[4];
            for (int j = 0; j < 4; ++j)  // cvtps rounds to nearest even, as the reference
                q[j] = _mm256_min_epi32(_mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 32 * g + 8 * j), mul)), top);
            b[i].bsums[2 * g] = static_cast<int16_t>(hsum_i32(_mm256_add_epi32(q[0], q[1])));
            b[i].bsums[2 * g + 1] = static_cast<int16_t>(hsum_i32(_mm256_add_epi32(q[2], q[3])));
            const __m256i bytes = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
            _mm256_storeu_si256(reinterpret_cast<__m256i *>(b[i].qs + 32 * g),
                                _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7)));
        }
        b[i].d = 1.0f / iscale;
    }
}

void q4_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ4_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const ScalesMins sm = unpack_scales_mins(b[i].scales);
        alignas(16) int16_t scale[8], min[8];
        _mm_store_si128(reinterpret_cast<__m128i *>(scale), sm.scales);
        _mm_store_si128(reinterpret_cast<__m128i *>(min), sm.mins);
        const float d = half(b[i].d), dmin = half(b[i].dmin);
        for (int c = 0; c < 4; ++c) {
            const __m256i q = load(b[i].qs + 32 * c);
            const __m256i halves[2] = {low_nibbles(q), high_nibbles(q)};
            for (int s = 0; s < 2; ++s) {
                const int j = 2 * c + s;
                // (d * scale) * q - (dmin * min): the reference's two roundings.
                const __m256 dl = _mm256_set1_ps(d * static_cast<float>(scale[j]));
                const __m256 ml = _mm256_set1_ps(dmin * static_cast<float>(min[j]));
                const __m128i lo = _mm256_castsi256_si128(halves[s]), hi = _mm256_extracti128_si256(halves[s], 1);
                const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
                for (int p = 0; p < 4; ++p) {
                    const __m256 v = _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(parts[p]));
                    _mm256_storeu_ps(out + i * kSuperBlock + 32 * j + 8 * p, _mm256_sub_ps(_mm256_mul_ps(dl, v), ml));
                }
            }
        }
    }
}

void q6_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ6_K *>(blocks);
    const __m256i bias = _mm256_set1_epi8(32);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half(b[i].d);
        for (int h = 0; h < 2; ++h) {
            __m256i groups[4];
            q6_groups(b[i], h, groups);
#pragma GCC unroll 4
            for (int k = 0; k < 4; ++k) {
                const __m256i q = _mm256_sub_epi8(groups[k], bias);  // -32..31
                const __m128i lo = _mm256_castsi256_si128(q), hi = _mm256_extracti128_si256(q, 1);
                const __m128i parts[4] = {lo, _mm_srli_si128(lo, 8), hi, _mm_srli_si128(hi, 8)};
                for (int p = 0; p < 4; ++p) {
                    const int e = 128 * h + 32 * k + 8 * p;
                    const __m256 dl = _mm256_set1_ps(d * static_cast<float>(b[i].scales[e / 16]));
                    const __m256 v = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(parts[p]));
                    _mm256_storeu_ps(out + i * kSuperBlock + e, _mm256_mul_ps(dl, v));
                }
            }
        }
    }
}

}  // namespace lq::cpu::avx2
