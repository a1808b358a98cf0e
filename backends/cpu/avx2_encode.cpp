// AVX2 fast weight encoders (from_float_fast) of every quantized weight
// type: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K..Q6_K, IQ4_NL, IQ4_XS. The scale choices
// are kernels/fast_search.h's, run on Avx2FastOps, so every block is byte
// for byte the reference's; only the arithmetic of each group and the bit
// packing are vectorised. Rows the fast path does not take go to the
// reference exhaustive encoder, as in the reference.
#include <cstring>

#include "backends/cpu/avx2_fast_ops.h"
#include "backends/cpu/avx2_rows.h"
#include "kernels/blocks.h"
#include "kernels/kernels.h"

namespace lq::cpu::avx2 {
namespace {

using Ops = Avx2FastOps;

// True (after encoding the row exhaustively) when the row holds a value
// the fast path does not take.
bool took_exhaustive(TensorType type, const float *in, void *blocks, int64_t n) {
    if (Ops::in_fast_range(in, n)) return false;
    quant_kernels(type)->from_float_weighted(in, blocks, n, nullptr);
    return true;
}

// 32 levels to 16 bytes: element e < 16 in the low nibble of byte e, e >= 16
// in the high nibble of byte e - 16 (only the low 4 bits of each level).
inline void pack_nibbles(const uint8_t *q, uint8_t *qs) {
    const __m128i mask = _mm_set1_epi8(0x0F);
    const __m128i low = _mm_and_si128(load128(q), mask), high = _mm_and_si128(load128(q + 16), mask);
    // Shifting 16-bit words is safe: every byte is below 16.
    _mm_storeu_si128(reinterpret_cast<__m128i *>(qs), _mm_or_si128(low, _mm_slli_epi16(high, 4)));
}

// Bit 4 of 32 levels (each below 32) as a little-endian 32-bit mask.
inline void pack_fifth_bits(const uint8_t *q, uint8_t *qh) {
    const uint32_t bits = static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_slli_epi16(load(q), 3)));
    std::memcpy(qh, &bits, 4);
}

template <class Block, class Encode>
void each_block32(const float *in, void *blocks, int64_t n, Encode encode) {
    auto *b = static_cast<Block *>(blocks);
    alignas(32) uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) encode(in + i * kBlock32, b[i], q);
}

template <class Block, class Pack>
void each_super_block(const FastSuperFormat &format, const float *in, void *blocks, int64_t n, Pack pack) {
    auto *b = static_cast<Block *>(blocks);
    FastSuperCode code;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        fast_super_block<Ops>(format, in + i * kSuperBlock, &code);
        pack(code, b[i]);
    }
}

// The 2-bit fields of 256 levels as Q2_K and Q3_K pack them: byte
// 32 h + l holds elements 128 h + 32 k + l at bits 2k, 2k + 1.
inline void pack_two_bits(const uint8_t *q, uint8_t *qs) {
    for (int h = 0; h < 2; ++h)
        for (int l = 0; l < 32; ++l) {
            const uint8_t *e = q + 128 * h + l;
            qs[32 * h + l] = static_cast<uint8_t>((e[0] & 3) | (e[32] & 3) << 2 | (e[64] & 3) << 4 | (e[96] & 3) << 6);
        }
}

// The low nibbles of 256 levels as Q4_K and Q5_K pack them.
inline void pack_k_nibbles(const uint8_t *q, uint8_t *qs) {
    for (int c = 0; c < 4; ++c)
        for (int l = 0; l < 32; ++l)
            qs[32 * c + l] = static_cast<uint8_t>((q[64 * c + l] & 0xF) | (q[64 * c + 32 + l] & 0xF) << 4);
}

inline void pack_scale_min(const int *sc, const int *mn, uint8_t *s) {
    for (int j = 0; j < 4; ++j) {
        s[j] = static_cast<uint8_t>((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
        s[j + 4] = static_cast<uint8_t>((mn[j] & 63) | ((mn[j + 4] >> 4) << 6));
        s[j + 8] = static_cast<uint8_t>((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
    }
}

}  // namespace

void q4_0_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q4_0, in, blocks, n)) return;
    each_block32<BlockQ4_0>(in, blocks, n, [](const float *x, BlockQ4_0 &b, uint8_t *q) {
        b.d = fast_scale_block<Ops>(x, 32, linear_grid(-8, 7), kScaleCandidates, 4, q);
        pack_nibbles(q, b.qs);
    });
}

void q5_0_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q5_0, in, blocks, n)) return;
    each_block32<BlockQ5_0>(in, blocks, n, [](const float *x, BlockQ5_0 &b, uint8_t *q) {
        b.d = fast_scale_block<Ops>(x, 32, linear_grid(-16, 15), kScaleCandidates, 4, q);
        pack_nibbles(q, b.qs);
        pack_fifth_bits(q, b.qh);
    });
}

void q8_0_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q8_0, in, blocks, n)) return;
    each_block32<BlockQ8_0>(in, blocks, n, [](const float *x, BlockQ8_0 &b, uint8_t *q) {
        b.d = fast_scale_block<Ops>(x, 32, linear_grid(-127, 127), kQ8Candidates, 4, q);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(b.qs), _mm256_sub_epi8(load(q), _mm256_set1_epi8(127)));
    });
}

void q4_1_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q4_1, in, blocks, n)) return;
    each_block32<BlockQ4_1>(in, blocks, n, [](const float *x, BlockQ4_1 &b, uint8_t *q) {
        fast_affine_block<Ops>(x, 32, 15, kAffineDeltas, 4, &b.d, &b.m, q);
        pack_nibbles(q, b.qs);
    });
}

void q5_1_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q5_1, in, blocks, n)) return;
    each_block32<BlockQ5_1>(in, blocks, n, [](const float *x, BlockQ5_1 &b, uint8_t *q) {
        fast_affine_block<Ops>(x, 32, 31, kAffineDeltas, 4, &b.d, &b.m, q);
        pack_nibbles(q, b.qs);
        pack_fifth_bits(q, b.qh);
    });
}

void iq4_nl_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::IQ4_NL, in, blocks, n)) return;
    each_block32<BlockIQ4_NL>(in, blocks, n, [](const float *x, BlockIQ4_NL &b, uint8_t *q) {
        b.d = fast_scale_block<Ops>(x, 32, kIQ4Grid, kScaleCandidates, 4, q);
        pack_nibbles(q, b.qs);  // codebook indices, nibbled as Q4_0
    });
}

void iq4_xs_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::IQ4_XS, in, blocks, n)) return;
    each_super_block<BlockIQ4_XS>(kFastIQ4XS, in, blocks, n, [](const FastSuperCode &c, BlockIQ4_XS &b) {
        b.d = c.d;
        set_iq4_xs_scales(c.scale, b);
        for (int j = 0; j < 8; ++j) pack_nibbles(c.q + 32 * j, b.qs + 16 * j);
    });
}

void q2_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q2_K, in, blocks, n)) return;
    each_super_block<BlockQ2_K>(kFastQ2K, in, blocks, n, [](const FastSuperCode &c, BlockQ2_K &b) {
        b.d = c.d;
        b.dmin = c.dmin;
        for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<uint8_t>(c.scale[j] | (c.min[j] << 4));
        pack_two_bits(c.q, b.qs);
    });
}

void q3_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q3_K, in, blocks, n)) return;
    each_super_block<BlockQ3_K>(kFastQ3K, in, blocks, n, [](const FastSuperCode &c, BlockQ3_K &b) {
        b.d = c.d;
        std::memset(b.scales, 0, sizeof b.scales);
        for (int j = 0; j < 16; ++j) {
            const int v = c.scale[j] + 32;  // 0..63
            b.scales[j % 8] = static_cast<uint8_t>(b.scales[j % 8] | ((v & 0xF) << (j < 8 ? 0 : 4)));
            b.scales[8 + j % 4] = static_cast<uint8_t>(b.scales[8 + j % 4] | ((v >> 4) << (2 * (j / 4))));
        }
        pack_two_bits(c.q, b.qs);  // levels 0..7: bits 0-1 here, bit 2 in hmask
        for (int l = 0; l < 32; ++l) {
            int mask = 0;
            for (int k = 0; k < 8; ++k) mask |= ((c.q[32 * k + l] >> 2) & 1) << k;
            b.hmask[l] = static_cast<uint8_t>(mask);
        }
    });
}

void q4_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q4_K, in, blocks, n)) return;
    each_super_block<BlockQ4_K>(kFastQ4K, in, blocks, n, [](const FastSuperCode &c, BlockQ4_K &b) {
        b.d = c.d;
        b.dmin = c.dmin;
        pack_scale_min(c.scale, c.min, b.scales);
        pack_k_nibbles(c.q, b.qs);
    });
}

void q5_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q5_K, in, blocks, n)) return;
    each_super_block<BlockQ5_K>(kFastQ5K, in, blocks, n, [](const FastSuperCode &c, BlockQ5_K &b) {
        b.d = c.d;
        b.dmin = c.dmin;
        pack_scale_min(c.scale, c.min, b.scales);
        pack_k_nibbles(c.q, b.qs);
        // Bit 4 of element 64 c + 32 h + l is bit 2 c + h of qh[l].
        for (int l = 0; l < 32; ++l) {
            int bits = 0;
            for (int k = 0; k < 8; ++k) bits |= ((c.q[32 * k + l] >> 4) & 1) << k;
            b.qh[l] = static_cast<uint8_t>(bits);
        }
    });
}

void q6_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (took_exhaustive(TensorType::Q6_K, in, blocks, n)) return;
    each_super_block<BlockQ6_K>(kFastQ6K, in, blocks, n, [](const FastSuperCode &c, BlockQ6_K &b) {
        b.d = c.d;
        for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<int8_t>(c.scale[j]);
        // Element 128 h + 32 k + l: low nibble in ql[64 h + 32 (k & 1) + l]
        // (high half of the byte for k >= 2), bits 4-5 at 2k of qh[32 h + l].
        for (int h = 0; h < 2; ++h)
            for (int l = 0; l < 32; ++l) {
                const uint8_t *e = c.q + 128 * h + l;
                b.ql[64 * h + l] = static_cast<uint8_t>((e[0] & 0xF) | (e[64] & 0xF) << 4);
                b.ql[64 * h + 32 + l] = static_cast<uint8_t>((e[32] & 0xF) | (e[96] & 0xF) << 4);
                b.qh[32 * h + l] = static_cast<uint8_t>((e[0] >> 4) | (e[32] >> 4) << 2 | (e[64] >> 4) << 4 | (e[96] >> 4) << 6);
            }
    });
}

}  // namespace lq::cpu::avx2
