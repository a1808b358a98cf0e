// Small AVX2 building blocks shared by the avx2_*.cpp kernels. Include only
// from files compiled with -mavx2 -mfma -mf16c (see CMakeLists.txt): these
// instructions must never run before cpu_kernels() has checked the CPU.
#pragma once

#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "backends/cpu/avx2_rows.h"

namespace lq::cpu::avx2 {

/// Sum of the 8 floats of @p v.
inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// Sum of the 8 int32 of @p v.
inline int hsum_i32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(1, 0, 3, 2)));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, _MM_SHUFFLE(2, 3, 0, 1)));
    return _mm_cvtsi128_si32(s);
}

/// Largest of the 8 floats of @p v.
inline float hmax(__m256 v) {
    __m128 m = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    m = _mm_max_ps(m, _mm_movehl_ps(m, m));
    m = _mm_max_ss(m, _mm_movehdup_ps(m));
    return _mm_cvtss_f32(m);
}

/// One F16 value to float (exact, as every half is a float).
inline float half(uint16_t h) { return g_half_table[h]; }

/// Bit `from` of every byte of @p v moved to bit `to`, other bits cleared.
inline __m256i move_bit(__m256i v, int from, int to) {
    const __m256i mask = _mm256_set1_epi8(static_cast<char>(1 << to));
    if (from >= to) return _mm256_and_si256(_mm256_srli_epi16(v, from - to), mask);
    return _mm256_and_si256(_mm256_slli_epi16(v, to - from), mask);
}

/// Every int16 lane of each 128-bit half set to lane @p k of that half.
inline __m256i broadcast_lane16(__m256i v, int k) {
    return _mm256_shuffle_epi8(v, _mm256_set1_epi16(static_cast<int16_t>(((2 * k + 1) << 8) | (2 * k))));
}

/// 16 int16: the low half all lane @p j of @p v, the high half all lane
/// j + 1 (the scales of two 16-element sub-blocks that one 32-byte maddubs
/// result covers).
inline __m256i broadcast_pair16(__m128i v, int j) {
    const __m256i both = _mm256_broadcastsi128_si256(v);
    const __m256i pattern = _mm256_set_m128i(_mm_set1_epi16(static_cast<int16_t>(((2 * j + 3) << 8) | (2 * j + 2))),
                                             _mm_set1_epi16(static_cast<int16_t>(((2 * j + 1) << 8) | (2 * j))));
    return _mm256_shuffle_epi8(both, pattern);
}

inline __m256i load(const void *p) { return _mm256_loadu_si256(static_cast<const __m256i *>(p)); }
inline __m128i load128(const void *p) { return _mm_loadu_si128(static_cast<const __m128i *>(p)); }

/// 16 bytes of nibble pairs to 32 bytes: the low nibbles of the 16 bytes in
/// bytes 0..15, the high nibbles in bytes 16..31 (the Q4_0 element order).
inline __m256i nibbles(const uint8_t *p) {
    const __m128i packed = load128(p);
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    return _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
}

/// The 32 bits of a little-endian mask as 32 bytes: byte i is 0xFF when
/// bit i is set, 0 otherwise.
inline __m256i bits_to_bytes(const uint8_t *mask4) {
    uint32_t bits;
    std::memcpy(&bits, mask4, 4);
    // Byte i takes mask byte i / 8, then tests its bit i % 8.
    const __m256i spread = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(bits)),
                                               _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202,
                                                                 0x0101010101010101, 0x0000000000000000));
    const __m256i select = _mm256_set1_epi64x(static_cast<int64_t>(0x8040201008040201));
    return _mm256_cmpeq_epi8(_mm256_and_si256(spread, select), select);
}

/// Pairwise dot of signed bytes: 8 int32, each the sum of 4 products
/// x[i] * y[i]. |x| must stay <= 127 so that |x| fits the unsigned operand.
inline __m256i dot_i8(__m256i x, __m256i y) {
    const __m256i products = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
    return _mm256_madd_epi16(products, _mm256_set1_epi16(1));
}

/// Dot of unsigned bytes u (< 128) with signed bytes y as 16 int16 pair sums.
inline __m256i dot_u8_pairs(__m256i u, __m256i y) { return _mm256_maddubs_epi16(u, y); }

/// Sum of adjacent int16 pairs to 8 int32.
inline __m256i widen_pairs(__m256i p16) { return _mm256_madd_epi16(p16, _mm256_set1_epi16(1)); }

}  // namespace lq::cpu::avx2
