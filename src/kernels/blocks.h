// Block layouts of the quantized GGUF types, byte for byte as they lie in a
// file. Every struct is packed by construction (only uint8_t/uint16_t/float
// members in an order with no padding) and its size is pinned by a
// static_assert to the type table in core/types.cpp.
//
// Conventions used in the comments:
//   - "F16" is an IEEE half stored as uint16_t (little-endian in the file).
//   - Element e of a block is the e-th float of the row segment it encodes.
//   - "nibble lo/hi" of byte b is b & 0xF / b >> 4.
//   - A value is what to_float produces; the order of the float operations
//     written there is part of the format (other runtimes dequantize with the
//     same operations, so results are bit-identical).
#pragma once

#include <cstdint>

namespace lq {

/// Elements per block of the 32-element ("legacy") types and of IQ4_NL.
constexpr int kBlock32 = 32;
/// Elements per super-block of the K-quants and IQ4_XS.
constexpr int kSuperBlock = 256;

// ---------------------------------------------------------------------------
// 32-element blocks.

/// Q4_0, 4.5 bits per weight. value(e) = (q(e) - 8) * d, q in 0..15.
/// q(e) for e < 16 is nibble lo of qs[e]; for e >= 16 nibble hi of qs[e - 16].
struct BlockQ4_0 {
    uint16_t d;       // F16 scale
    uint8_t qs[16];  // 32 nibbles
};

/// Q4_1, 5 bits per weight. value(e) = q(e) * d + m, q in 0..15, nibbles as Q4_0.
struct BlockQ4_1 {
    uint16_t d;       // F16 scale
    uint16_t m;       // F16 offset (the value of level 0)
    uint8_t qs[16];  // 32 nibbles
};

/// Q5_0, 5.5 bits per weight. value(e) = (q(e) - 16) * d, q in 0..31.
/// The low 4 bits of q(e) are nibbled as in Q4_0; bit 4 of q(e) is bit e of
/// the little-endian uint32 in qh.
struct BlockQ5_0 {
    uint16_t d;       // F16 scale
    uint8_t qh[4];   // 32 fifth bits, one per element
    uint8_t qs[16];  // 32 low nibbles
};

/// Q5_1, 6 bits per weight. value(e) = q(e) * d + m, q in 0..31, bits as Q5_0.
struct BlockQ5_1 {
    uint16_t d;       // F16 scale
    uint16_t m;       // F16 offset
    uint8_t qh[4];   // 32 fifth bits
    uint8_t qs[16];  // 32 low nibbles
};

/// Q8_0, 8.5 bits per weight; also the activation type of Q4_0, Q5_0, Q8_0
/// and IQ4_NL. value(e) = qs[e] * d.
struct BlockQ8_0 {
    uint16_t d;      // F16 scale
    int8_t qs[32];  // one signed byte per element
};

/// Q8_1, activation type of Q4_1 and Q5_1. value(e) = qs[e] * d.
/// s = d * sum(qs) (computed with the unrounded float d, then stored as F16)
/// lets a dot product apply the weights' offset without touching qs.
struct BlockQ8_1 {
    uint16_t d;      // F16 scale
    uint16_t s;      // F16 d * sum of qs
    int8_t qs[32];
};

/// IQ4_NL, 4.5 bits per weight. value(e) = d * kIQ4Values[q(e)], with q(e)
/// nibbled as in Q4_0. The 16 levels are non-uniform (denser near zero).
struct BlockIQ4_NL {
    uint16_t d;       // F16 scale
    uint8_t qs[16];  // 32 nibbles: indices into kIQ4Values
};

/// The IQ4_NL / IQ4_XS codebook, ascending; a fact of the format.
constexpr int8_t kIQ4Values[16] = {-127, -104, -83, -65, -49, -35, -22, -10, 1, 13, 25, 38, 53, 69, 89, 113};

// ---------------------------------------------------------------------------
// 256-element super-blocks. Sub-block j covers elements [j*size, (j+1)*size).

/// Q2_K, 2.625 bits per weight: 16 sub-blocks of 16.
/// value(e) = (d * sc(j)) * q(e) - (dmin * mn(j)), q in 0..3, j = e / 16,
/// sc(j) = scales[j] & 0xF, mn(j) = scales[j] >> 4.
/// q(e): with h = e / 128, r = e % 128, the byte qs[32*h + r % 32] holds
/// q at bits 2*(r / 32) .. 2*(r / 32) + 1.
struct BlockQ2_K {
    uint8_t scales[16];  // per sub-block: lo nibble scale, hi nibble min
    uint8_t qs[64];      // 2-bit quants, 4 per byte
    uint16_t d;          // F16 super-scale of the scales
    uint16_t dmin;       // F16 super-scale of the mins
};

/// Q3_K, 3.4375 bits per weight: 16 sub-blocks of 16, no offset.
/// value(e) = (d * (sc(j) - 32)) * (q(e) - 4), q in 0..7, j = e / 16.
/// Bits 0-1 of q(e) are packed as Q2_K's qs. Bit 2 of q(e) is bit e / 32 of
/// hmask[e % 32]. sc(j) is 6 bits: bits 0-3 are nibble lo of scales[j] for
/// j < 8 and nibble hi of scales[j - 8] for j >= 8; bits 4-5 are bits
/// 2*(j / 4) .. 2*(j / 4) + 1 of scales[8 + j % 4].
struct BlockQ3_K {
    uint8_t hmask[32];   // bit 2 of each quant
    uint8_t qs[64];      // bits 0-1 of each quant
    uint8_t scales[12];  // 16 six-bit scales, biased by 32
    uint16_t d;          // F16 super-scale
};

/// Shared by Q4_K and Q5_K: 8 six-bit scales sc(j) and 8 six-bit mins mn(j)
/// in 12 bytes. For j < 4: sc = s[j] & 63, mn = s[j + 4] & 63. For j >= 4:
/// sc = (s[j + 4] & 0xF) | (s[j - 4] >> 6) << 4, mn = (s[j + 4] >> 4) | (s[j] >> 6) << 4.
constexpr int kScaleMinBytes = 12;

/// Q4_K, 4.5 bits per weight: 8 sub-blocks of 32.
/// value(e) = (d * sc(j)) * q(e) - (dmin * mn(j)), q in 0..15, j = e / 32.
/// q(e): with c = e / 64, r = e % 64: nibble lo of qs[32*c + r] for r < 32,
/// nibble hi of qs[32*c + r - 32] otherwise.
struct BlockQ4_K {
    uint16_t d;                       // F16 super-scale of the scales
    uint16_t dmin;                    // F16 super-scale of the mins
    uint8_t scales[kScaleMinBytes];  // see kScaleMinBytes
    uint8_t qs[128];                 // low 4 bits of each quant
};

/// Q5_K, 5.5 bits per weight: as Q4_K with q in 0..31. Bit 4 of q(e) is bit
/// 2*c + (r >= 32) of qh[r % 32] (c, r as in Q4_K).
struct BlockQ5_K {
    uint16_t d;
    uint16_t dmin;
    uint8_t scales[kScaleMinBytes];
    uint8_t qh[32];   // bit 4 of each quant
    uint8_t qs[128];  // bits 0-3 of each quant, packed as Q4_K
};

/// Q6_K, 6.5625 bits per weight: 16 sub-blocks of 16, no offset.
/// value(e) = (d * scales[j]) * (q(e) - 32), q in 0..63, j = e / 16.
/// With h = e / 128, r = e % 128, k = r / 32, l = r % 32: bits 0-3 of q(e)
/// are nibble (k >= 2 ? hi : lo) of ql[64*h + l + 32*(k & 1)], bits 4-5 are
/// bits 2*k .. 2*k + 1 of qh[32*h + l].
struct BlockQ6_K {
    uint8_t ql[128];    // bits 0-3 of each quant
    uint8_t qh[64];     // bits 4-5 of each quant
    int8_t scales[16];  // signed 8-bit sub-block scales
    uint16_t d;         // F16 super-scale
};

/// IQ4_XS, 4.25 bits per weight: 8 sub-blocks of 32 with the IQ4 codebook.
/// value(e) = (d * (ls(j) - 32)) * kIQ4Values[q(e)], j = e / 32.
/// ls(j) is 6 bits: nibble (j odd ? hi : lo) of scales_l[j / 2], and bits
/// 4-5 from bits 2*j .. 2*j + 1 of scales_h. q(e): with r = e % 32, nibble
/// lo of qs[16*j + r] for r < 16, nibble hi of qs[16*j + r - 16] otherwise.
struct BlockIQ4_XS {
    uint16_t d;           // F16 super-scale
    uint16_t scales_h;    // bits 4-5 of the 8 sub-block scales
    uint8_t scales_l[4];  // bits 0-3 of the 8 sub-block scales
    uint8_t qs[128];      // codebook indices
};

namespace {  // internal linkage: this header is also compiled with -mavx2

/// Stores the 8 signed sub-block scales (-32..31) of an IQ4_XS block.
template <class Scales>
inline void set_iq4_xs_scales(const Scales &scale, BlockIQ4_XS &b) {
    b.scales_h = 0;
    for (uint8_t &s : b.scales_l) s = 0;
    for (int j = 0; j < 8; ++j) {
        const int v = scale[j] + 32;  // 0..63
        b.scales_l[j / 2] = static_cast<uint8_t>(b.scales_l[j / 2] | ((v & 0xF) << (4 * (j % 2))));
        b.scales_h = static_cast<uint16_t>(b.scales_h | ((v >> 4) << (2 * j)));
    }
}

}  // namespace

/// Q8_K, the activation type of every K-quant and IQ4_XS (never stored in
/// files). value(e) = d * qs[e]; bsums[g] = sum of qs[16*g .. 16*g + 15],
/// which dot products with an offset (Q2_K, Q4_K, Q5_K) use to apply it.
struct BlockQ8_K {
    float d;            // F32 scale (may be negative)
    int8_t qs[256];
    int16_t bsums[16];  // sums of each 16 quants
};

static_assert(sizeof(BlockQ4_0) == 18, "q4_0 block");
static_assert(sizeof(BlockQ4_1) == 20, "q4_1 block");
static_assert(sizeof(BlockQ5_0) == 22, "q5_0 block");
static_assert(sizeof(BlockQ5_1) == 24, "q5_1 block");
static_assert(sizeof(BlockQ8_0) == 34, "q8_0 block");
static_assert(sizeof(BlockQ8_1) == 36, "q8_1 block");
static_assert(sizeof(BlockIQ4_NL) == 18, "iq4_nl block");
static_assert(sizeof(BlockQ2_K) == 84, "q2_K block");
static_assert(sizeof(BlockQ3_K) == 110, "q3_K block");
static_assert(sizeof(BlockQ4_K) == 144, "q4_K block");
static_assert(sizeof(BlockQ5_K) == 176, "q5_K block");
static_assert(sizeof(BlockQ6_K) == 210, "q6_K block");
static_assert(sizeof(BlockIQ4_XS) == 136, "iq4_xs block");
static_assert(sizeof(BlockQ8_K) == 292, "q8_K block");

}  // namespace lq
