// The K-quants: Q2_K, Q3_K, Q4_K, Q5_K, Q6_K (256-element super-blocks with
// quantized sub-block scales) and their activation type Q8_K. Layouts in
// kernels/blocks.h; the encoders share superblock_search.h.
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "kernels/blocks.h"
#include "kernels/fast_ops.h"
#include "kernels/rows.h"
#include "kernels/scale_search.h"
#include "kernels/superblock_search.h"

namespace lq {
namespace {

// ---------------------------------------------------------------------------
// Bit unpacking, one element at a time (the layout comments in blocks.h).

// Two-bit field of element e as packed by Q2_K and Q3_K.
inline int two_bits(const uint8_t *qs, int e) {
    const int r = e % 128;
    return (qs[32 * (e / 128) + r % 32] >> (2 * (r / 32))) & 3;
}

// Four-bit field of element e as packed by Q4_K and Q5_K.
inline int four_bits(const uint8_t *qs, int e) {
    const int c = e / 64, r = e % 64;
    return r < 32 ? qs[32 * c + r] & 0xF : qs[32 * c + r - 32] >> 4;
}

inline int q3_level(const BlockQ3_K &b, int e) {  // -4..3
    return (two_bits(b.qs, e) | (((b.hmask[e % 32] >> (e / 32)) & 1) << 2)) - 4;
}

inline int q3_scale(const BlockQ3_K &b, int j) {  // -32..31
    const int low = j < 8 ? b.scales[j] & 0xF : b.scales[j - 8] >> 4;
    const int high = (b.scales[8 + j % 4] >> (2 * (j / 4))) & 3;
    return (low | (high << 4)) - 32;
}

inline int q5_level(const BlockQ5_K &b, int e) {  // 0..31
    const int c = e / 64, r = e % 64;
    return four_bits(b.qs, e) | (((b.qh[r % 32] >> (2 * c + (r >= 32))) & 1) << 4);
}

inline int q6_level(const BlockQ6_K &b, int e) {  // -32..31
    const int h = e / 128, r = e % 128, k = r / 32, l = r % 32;
    const int low = (b.ql[64 * h + l + 32 * (k & 1)] >> (4 * (k >> 1))) & 0xF;
    const int high = (b.qh[32 * h + l] >> (2 * k)) & 3;
    return (low | (high << 4)) - 32;
}

// The six-bit scale and min of sub-block j shared by Q4_K and Q5_K.
inline void scale_min(const uint8_t *s, int j, int *sc, int *mn) {
    if (j < 4) {
        *sc = s[j] & 63;
        *mn = s[j + 4] & 63;
    } else {
        *sc = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
        *mn = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}

// ---------------------------------------------------------------------------
// Bit packing, one element at a time: the inverses of the readers above.

inline void set_bits(uint8_t &byte, int shift, int width, int v) {
    const int mask = ((1 << width) - 1) << shift;
    byte = static_cast<uint8_t>((byte & ~mask) | ((v << shift) & mask));
}

inline void set_two_bits(uint8_t *qs, int e, int v) {
    const int r = e % 128;
    set_bits(qs[32 * (e / 128) + r % 32], 2 * (r / 32), 2, v);
}

inline void set_four_bits(uint8_t *qs, int e, int v) {
    const int c = e / 64, r = e % 64;
    set_bits(qs[32 * c + r % 32], r < 32 ? 0 : 4, 4, v);
}

inline void set_q3_level(BlockQ3_K &b, int e, int q) {  // q: 0..7, the level + 4
    set_two_bits(b.qs, e, q);
    set_bits(b.hmask[e % 32], e / 32, 1, q >> 2);
}

inline void set_q5_level(BlockQ5_K &b, int e, int q) {  // q: 0..31
    const int c = e / 64, r = e % 64;
    set_four_bits(b.qs, e, q);
    set_bits(b.qh[r % 32], 2 * c + (r >= 32), 1, q >> 4);
}

inline void set_q6_level(BlockQ6_K &b, int e, int q) {  // q: 0..63, the level + 32
    const int h = e / 128, r = e % 128, k = r / 32, l = r % 32;
    set_bits(b.ql[64 * h + l + 32 * (k & 1)], 4 * (k >> 1), 4, q);
    set_bits(b.qh[32 * h + l], 2 * k, 2, q >> 4);
}

void pack_scale_min(const int *sc, const int *mn, uint8_t *s) {
    for (int j = 0; j < 4; ++j) {
        s[j] = static_cast<uint8_t>((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
        s[j + 4] = static_cast<uint8_t>((mn[j] & 63) | ((mn[j + 4] >> 4) << 6));
        s[j + 8] = static_cast<uint8_t>((sc[j + 4] & 0xF) | ((mn[j + 4] & 0xF) << 4));
    }
}

// Calls f(super-block, element in it, x, decoded slot) for elements
// [first, first + count) of a row: the frame of the requantize functions.
template <class Block, class F>
void for_each_element(const float *in, void *blocks, int64_t first, int64_t count, float *decoded, F f) {
    auto *b = static_cast<Block *>(blocks);
    for (int64_t i = first; i < first + count; ++i)
        f(b[i / kSuperBlock], static_cast<int>(i % kSuperBlock), in[i], &decoded[i - first]);
}

// The importances of super-block b, sanitised into buffer (or nullptr).
inline const float *super_block_weights(const float *importance, int64_t b, float *buffer) {
    return block_importance(importance ? importance + b * kSuperBlock : nullptr, kSuperBlock, buffer);
}

// The fast encoder of a row (kernels/fast_search.h), packing each
// super-block with pack(code, block); rows it does not take go to the
// exhaustive `quantize`.
template <class Block, class Pack>
void encode_fast(const FastSuperFormat &format, const float *in, void *blocks, int64_t n,
                 void (*quantize)(const float *, void *, int64_t, const float *), Pack pack) {
    if (!ScalarFastOps::in_fast_range(in, n)) return quantize(in, blocks, n, nullptr);
    auto *b = static_cast<Block *>(blocks);
    FastSuperCode code;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        fast_super_block<ScalarFastOps>(format, in + i * kSuperBlock, &code);
        pack(code, b[i]);
    }
}

// ---------------------------------------------------------------------------
// Q2_K

constexpr SuperBlockFormat kQ2Format = {16, 16, Levels::linear(0, 3), 0, 15, 15};

void q2_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ2_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half_to_float(b[i].d), dmin = half_to_float(b[i].dmin);
        for (int e = 0; e < kSuperBlock; ++e) {
            const int s = b[i].scales[e / 16];
            const float dl = d * static_cast<float>(s & 0xF), ml = dmin * static_cast<float>(s >> 4);
            out[i * kSuperBlock + e] = dl * static_cast<float>(two_bits(b[i].qs, e)) - ml;
        }
    }
}

template <class Code>
void pack_q2_k(const Code &code, BlockQ2_K &b) {
    b.d = code.d;
    b.dmin = code.dmin;
    for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<uint8_t>(code.scale[j] | (code.min[j] << 4));
    for (int e = 0; e < kSuperBlock; ++e) set_two_bits(b.qs, e, code.q[e]);
}

void q2_k_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ2_K *>(blocks);
    SuperBlockCode code;
    float buffer[kSuperBlock];
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        quantize_super_block(kQ2Format, in + i * kSuperBlock, super_block_weights(importance, i, buffer), &code);
        pack_q2_k(code, b[i]);
    }
}

void q2_k_from_float(const float *in, void *blocks, int64_t n) { q2_k_quantize(in, blocks, n, nullptr); }

void q2_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    encode_fast<BlockQ2_K>(kFastQ2K, in, blocks, n, q2_k_quantize, pack_q2_k<FastSuperCode>);
}

void q2_k_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ2_K>(in, blocks, first, count, decoded, [](BlockQ2_K &b, int e, float x, float *out) {
        const int s = b.scales[e / 16];
        const float dl = half_to_float(b.d) * static_cast<float>(s & 0xF);
        const float ml = half_to_float(b.dmin) * static_cast<float>(s >> 4);
        const int q = kQ2Format.levels.nearest_scaled(x + ml, dl);
        set_two_bits(b.qs, e, q);
        *out = dl * static_cast<float>(q) - ml;
    });
}

float q2_k_dot_q8_k(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ2_K *>(weights);
    const auto *y = static_cast<const BlockQ8_K *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        int scaled = 0, offsets = 0;
        // In layout order: 32 bytes per 128 elements, each byte holding the
        // element at l + 32 k in bits 2k, 2k + 1; sub-blocks of 16.
        for (int j = 0; j < 16; ++j) {
            const uint8_t *q = x[i].qs + 32 * (j / 8) + 16 * (j % 2);
            const int shift = 2 * ((j % 8) / 2);
            int isum = 0;
            for (int l = 0; l < 16; ++l) isum += ((q[l] >> shift) & 3) * y[i].qs[16 * j + l];
            scaled += (x[i].scales[j] & 0xF) * isum;
            offsets += (x[i].scales[j] >> 4) * y[i].bsums[j];
        }
        sum += y[i].d * (half_to_float(x[i].d) * static_cast<float>(scaled) -
                         half_to_float(x[i].dmin) * static_cast<float>(offsets));
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q3_K

constexpr SuperBlockFormat kQ3Format = {16, 16, Levels::linear(-4, 3), -32, 31, 0};

void q3_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ3_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < kSuperBlock; ++e) {
            const float dl = d * static_cast<float>(q3_scale(b[i], e / 16));
            out[i * kSuperBlock + e] = dl * static_cast<float>(q3_level(b[i], e));
        }
    }
}

template <class Code>
void pack_q3_k(const Code &code, BlockQ3_K &b) {
    b.d = code.d;
    std::memset(b.scales, 0, sizeof b.scales);
    for (int j = 0; j < 16; ++j) {
        const int v = code.scale[j] + 32;  // 0..63
        b.scales[j % 8] = static_cast<uint8_t>(b.scales[j % 8] | ((v & 0xF) << (j < 8 ? 0 : 4)));
        b.scales[8 + j % 4] = static_cast<uint8_t>(b.scales[8 + j % 4] | ((v >> 4) << (2 * (j / 4))));
    }
    // code.q holds level indices 0..7 (the level + 4).
    for (int e = 0; e < kSuperBlock; ++e) set_q3_level(b, e, code.q[e]);
}

void q3_k_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ3_K *>(blocks);
    SuperBlockCode code;
    float buffer[kSuperBlock];
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        quantize_super_block(kQ3Format, in + i * kSuperBlock, super_block_weights(importance, i, buffer), &code);
        pack_q3_k(code, b[i]);
    }
}

void q3_k_from_float(const float *in, void *blocks, int64_t n) { q3_k_quantize(in, blocks, n, nullptr); }

void q3_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    encode_fast<BlockQ3_K>(kFastQ3K, in, blocks, n, q3_k_quantize, pack_q3_k<FastSuperCode>);
}

void q3_k_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ3_K>(in, blocks, first, count, decoded, [](BlockQ3_K &b, int e, float x, float *out) {
        const float dl = half_to_float(b.d) * static_cast<float>(q3_scale(b, e / 16));
        const int q = kQ3Format.levels.nearest_scaled(x, dl);
        set_q3_level(b, e, q);
        *out = dl * static_cast<float>(q - 4);
    });
}

float q3_k_dot_q8_k(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ3_K *>(weights);
    const auto *y = static_cast<const BlockQ8_K *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        int scaled = 0;
        for (int j = 0; j < 16; ++j) {  // as Q2_K, plus bit 2 from hmask
            const int first = 16 * j;
            const uint8_t *q = x[i].qs + 32 * (j / 8) + 16 * (j % 2);
            const uint8_t *hm = x[i].hmask + first % 32;
            const int shift = 2 * ((j % 8) / 2), hbit = first / 32;
            int isum = 0;
            for (int l = 0; l < 16; ++l)
                isum += (((q[l] >> shift) & 3) | ((hm[l] >> hbit) & 1) << 2) * y[i].qs[first + l];
            // Levels are stored + 4: the block sum of the activations removes it.
            scaled += q3_scale(x[i], j) * (isum - 4 * y[i].bsums[j]);
        }
        sum += half_to_float(x[i].d) * y[i].d * static_cast<float>(scaled);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q4_K

constexpr SuperBlockFormat kQ4Format = {8, 32, Levels::linear(0, 15), 0, 63, 63};

void q4_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ4_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half_to_float(b[i].d), dmin = half_to_float(b[i].dmin);
        for (int j = 0; j < 8; ++j) {
            int sc, mn;
            scale_min(b[i].scales, j, &sc, &mn);
            const float dl = d * static_cast<float>(sc), ml = dmin * static_cast<float>(mn);
            for (int l = 0; l < 32; ++l)
                out[i * kSuperBlock + 32 * j + l] = dl * static_cast<float>(four_bits(b[i].qs, 32 * j + l)) - ml;
        }
    }
}

template <class Code>
void pack_q4_k(const Code &code, BlockQ4_K &b) {
    b.d = code.d;
    b.dmin = code.dmin;
    pack_scale_min(code.scale, code.min, b.scales);
    for (int e = 0; e < kSuperBlock; ++e) set_four_bits(b.qs, e, code.q[e]);
}

void q4_k_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ4_K *>(blocks);
    SuperBlockCode code;
    float buffer[kSuperBlock];
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        quantize_super_block(kQ4Format, in + i * kSuperBlock, super_block_weights(importance, i, buffer), &code);
        pack_q4_k(code, b[i]);
    }
}

void q4_k_from_float(const float *in, void *blocks, int64_t n) { q4_k_quantize(in, blocks, n, nullptr); }

void q4_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    encode_fast<BlockQ4_K>(kFastQ4K, in, blocks, n, q4_k_quantize, pack_q4_k<FastSuperCode>);
}

void q4_k_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ4_K>(in, blocks, first, count, decoded, [](BlockQ4_K &b, int e, float x, float *out) {
        int sc, mn;
        scale_min(b.scales, e / 32, &sc, &mn);
        const float dl = half_to_float(b.d) * static_cast<float>(sc), ml = half_to_float(b.dmin) * static_cast<float>(mn);
        const int q = kQ4Format.levels.nearest_scaled(x + ml, dl);
        set_four_bits(b.qs, e, q);
        *out = dl * static_cast<float>(q) - ml;
    });
}

float q4_k_dot_q8_k(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ4_K *>(weights);
    const auto *y = static_cast<const BlockQ8_K *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        int scaled = 0, offsets = 0;
        for (int c = 0; c < 4; ++c) {  // 64 elements: sub-blocks 2c (low nibbles) and 2c + 1 (high)
            int low = 0, high = 0;
            for (int l = 0; l < 32; ++l) {
                low += (x[i].qs[32 * c + l] & 0xF) * y[i].qs[64 * c + l];
                high += (x[i].qs[32 * c + l] >> 4) * y[i].qs[64 * c + 32 + l];
            }
            int sc, mn;
            scale_min(x[i].scales, 2 * c, &sc, &mn);
            scaled += sc * low;
            offsets += mn * (y[i].bsums[4 * c] + y[i].bsums[4 * c + 1]);
            scale_min(x[i].scales, 2 * c + 1, &sc, &mn);
            scaled += sc * high;
            offsets += mn * (y[i].bsums[4 * c + 2] + y[i].bsums[4 * c + 3]);
        }
        sum += y[i].d * (half_to_float(x[i].d) * static_cast<float>(scaled) -
                         half_to_float(x[i].dmin) * static_cast<float>(offsets));
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q5_K

constexpr SuperBlockFormat kQ5Format = {8, 32, Levels::linear(0, 31), 0, 63, 63};

void q5_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ5_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half_to_float(b[i].d), dmin = half_to_float(b[i].dmin);
        for (int j = 0; j < 8; ++j) {
            int sc, mn;
            scale_min(b[i].scales, j, &sc, &mn);
            const float dl = d * static_cast<float>(sc), ml = dmin * static_cast<float>(mn);
            for (int l = 0; l < 32; ++l)
                out[i * kSuperBlock + 32 * j + l] = dl * static_cast<float>(q5_level(b[i], 32 * j + l)) - ml;
        }
    }
}

template <class Code>
void pack_q5_k(const Code &code, BlockQ5_K &b) {
    b.d = code.d;
    b.dmin = code.dmin;
    pack_scale_min(code.scale, code.min, b.scales);
    for (int e = 0; e < kSuperBlock; ++e) set_q5_level(b, e, code.q[e]);
}

void q5_k_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ5_K *>(blocks);
    SuperBlockCode code;
    float buffer[kSuperBlock];
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        quantize_super_block(kQ5Format, in + i * kSuperBlock, super_block_weights(importance, i, buffer), &code);
        pack_q5_k(code, b[i]);
    }
}

void q5_k_from_float(const float *in, void *blocks, int64_t n) { q5_k_quantize(in, blocks, n, nullptr); }

void q5_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    encode_fast<BlockQ5_K>(kFastQ5K, in, blocks, n, q5_k_quantize, pack_q5_k<FastSuperCode>);
}

void q5_k_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ5_K>(in, blocks, first, count, decoded, [](BlockQ5_K &b, int e, float x, float *out) {
        int sc, mn;
        scale_min(b.scales, e / 32, &sc, &mn);
        const float dl = half_to_float(b.d) * static_cast<float>(sc), ml = half_to_float(b.dmin) * static_cast<float>(mn);
        const int q = kQ5Format.levels.nearest_scaled(x + ml, dl);
        set_q5_level(b, e, q);
        *out = dl * static_cast<float>(q) - ml;
    });
}

float q5_k_dot_q8_k(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ5_K *>(weights);
    const auto *y = static_cast<const BlockQ8_K *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        int scaled = 0, offsets = 0;
        for (int j = 0; j < 8; ++j) {  // as Q4_K, plus bit 4 from qh
            const uint8_t *q = x[i].qs + 32 * (j / 2);
            const int shift = 4 * (j % 2);
            int sc, mn, isum = 0;
            scale_min(x[i].scales, j, &sc, &mn);
            for (int l = 0; l < 32; ++l)
                isum += (((q[l] >> shift) & 0xF) | ((x[i].qh[l] >> j) & 1) << 4) * y[i].qs[32 * j + l];
            scaled += sc * isum;
            offsets += mn * (y[i].bsums[2 * j] + y[i].bsums[2 * j + 1]);
        }
        sum += y[i].d * (half_to_float(x[i].d) * static_cast<float>(scaled) -
                         half_to_float(x[i].dmin) * static_cast<float>(offsets));
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q6_K

constexpr SuperBlockFormat kQ6Format = {16, 16, Levels::linear(-32, 31), -128, 127, 0};

void q6_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ6_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < kSuperBlock; ++e) {
            const float dl = d * static_cast<float>(b[i].scales[e / 16]);
            out[i * kSuperBlock + e] = dl * static_cast<float>(q6_level(b[i], e));
        }
    }
}

template <class Code>
void pack_q6_k(const Code &code, BlockQ6_K &b) {
    b.d = code.d;
    for (int j = 0; j < 16; ++j) b.scales[j] = static_cast<int8_t>(code.scale[j]);
    // code.q is the level index 0..63 = the stored 6-bit value.
    for (int e = 0; e < kSuperBlock; ++e) set_q6_level(b, e, code.q[e]);
}

void q6_k_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ6_K *>(blocks);
    SuperBlockCode code;
    float buffer[kSuperBlock];
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        quantize_super_block(kQ6Format, in + i * kSuperBlock, super_block_weights(importance, i, buffer), &code);
        pack_q6_k(code, b[i]);
    }
}

void q6_k_from_float(const float *in, void *blocks, int64_t n) { q6_k_quantize(in, blocks, n, nullptr); }

void q6_k_from_float_fast(const float *in, void *blocks, int64_t n) {
    encode_fast<BlockQ6_K>(kFastQ6K, in, blocks, n, q6_k_quantize, pack_q6_k<FastSuperCode>);
}

void q6_k_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ6_K>(in, blocks, first, count, decoded, [](BlockQ6_K &b, int e, float x, float *out) {
        const float dl = half_to_float(b.d) * static_cast<float>(b.scales[e / 16]);
        const int q = kQ6Format.levels.nearest_scaled(x, dl);
        set_q6_level(b, e, q);
        *out = dl * static_cast<float>(q - 32);
    });
}

float q6_k_dot_q8_k(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ6_K *>(weights);
    const auto *y = static_cast<const BlockQ8_K *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        int scaled = 0;
        for (int j = 0; j < 16; ++j) {
            // Sub-block j: half h, group k (of 32), elements l0..l0+15 in it.
            const int h = j / 8, k = (j % 8) / 2, l0 = 16 * (j % 2);
            const uint8_t *ql = x[i].ql + 64 * h + 32 * (k & 1) + l0;
            const uint8_t *qh = x[i].qh + 32 * h + l0;
            const int low_shift = 4 * (k >> 1), high_shift = 2 * k;
            int isum = 0;
            for (int l = 0; l < 16; ++l)
                isum += (((ql[l] >> low_shift) & 0xF) | ((qh[l] >> high_shift) & 3) << 4) * y[i].qs[16 * j + l];
            // Levels are stored + 32: the block sum of the activations removes it.
            scaled += x[i].scales[j] * (isum - 32 * y[i].bsums[j]);
        }
        sum += half_to_float(x[i].d) * y[i].d * static_cast<float>(scaled);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q8_K: the activation rule shared with other runtimes. The value of largest
// magnitude (the first, on ties) maps to -127, so d = -max / 127 carries the
// sign; q = round-half-even(x * (-127 / max)), at most 127.

void q8_k_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ8_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i)
        for (int e = 0; e < kSuperBlock; ++e) out[i * kSuperBlock + e] = b[i].d * static_cast<float>(b[i].qs[e]);
}

void q8_k_from_float(const float *in, void *blocks, int64_t n) {
    auto *b = static_cast<BlockQ8_K *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float *x = in + i * kSuperBlock;
        float amax = 0.0f, max = 0.0f;
        for (int e = 0; e < kSuperBlock; ++e) {
            if (std::fabs(x[e]) > amax) {
                amax = std::fabs(x[e]);
                max = x[e];
            }
        }
        if (amax == 0.0f) {
            std::memset(&b[i], 0, sizeof b[i]);
            continue;
        }
        const float iscale = -127.0f / max;
        for (int e = 0; e < kSuperBlock; ++e) {
            const float v = std::nearbyint(iscale * x[e]);
            b[i].qs[e] = static_cast<int8_t>(v < 127.0f ? v : 127.0f);
        }
        for (int g = 0; g < 16; ++g) {
            int sum = 0;
            for (int l = 0; l < 16; ++l) sum += b[i].qs[16 * g + l];
            b[i].bsums[g] = static_cast<int16_t>(sum);
        }
        b[i].d = 1.0f / iscale;
    }
}

}  // namespace

const QuantKernels kQ2_KKernels = {TensorType::Q2_K, TensorType::Q8_K, q2_k_to_float, q2_k_from_float, q2_k_quantize,
                                   q2_k_dot_q8_k, q2_k_requantize, q2_k_from_float_fast};
const QuantKernels kQ3_KKernels = {TensorType::Q3_K, TensorType::Q8_K, q3_k_to_float, q3_k_from_float, q3_k_quantize,
                                   q3_k_dot_q8_k, q3_k_requantize, q3_k_from_float_fast};
const QuantKernels kQ4_KKernels = {TensorType::Q4_K, TensorType::Q8_K, q4_k_to_float, q4_k_from_float, q4_k_quantize,
                                   q4_k_dot_q8_k, q4_k_requantize, q4_k_from_float_fast};
const QuantKernels kQ5_KKernels = {TensorType::Q5_K, TensorType::Q8_K, q5_k_to_float, q5_k_from_float, q5_k_quantize,
                                   q5_k_dot_q8_k, q5_k_requantize, q5_k_from_float_fast};
const QuantKernels kQ6_KKernels = {TensorType::Q6_K, TensorType::Q8_K, q6_k_to_float, q6_k_from_float, q6_k_quantize,
                                   q6_k_dot_q8_k, q6_k_requantize, q6_k_from_float_fast};
const QuantKernels kQ8_KKernels = {TensorType::Q8_K, TensorType::Q8_K, q8_k_to_float, q8_k_from_float, nullptr,
                                   nullptr, nullptr, nullptr};

}  // namespace lq
