// The non-linear 4-bit types: IQ4_NL (32-element blocks, one F16 scale) and
// IQ4_XS (256-element super-blocks, 6-bit sub-block scales). Both map each
// element to one of the 16 codebook values kIQ4Values. Layouts in
// kernels/blocks.h.
#include <cstring>

#include "core/half.h"
#include "kernels/blocks.h"
#include "kernels/fast_ops.h"
#include "kernels/rows.h"
#include "kernels/scale_search.h"
#include "kernels/superblock_search.h"

namespace lq {
namespace {

constexpr Levels kCodebook = Levels::codebook(kIQ4Values, 16);

// Codebook index of element e (0..31) of a 32-element group of nibbles.
inline int index_of(const uint8_t *qs, int e) { return e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4; }

inline void set_index(uint8_t *qs, int e, int v) {
    uint8_t &byte = qs[e < 16 ? e : e - 16];
    byte = static_cast<uint8_t>(e < 16 ? (byte & 0xF0) | v : (byte & 0x0F) | (v << 4));
}

void pack_indices(const uint8_t *q, uint8_t *qs) {
    for (int j = 0; j < 16; ++j) qs[j] = static_cast<uint8_t>(q[j] | (q[j + 16] << 4));
}

// Dot of 32 codebook indices with 32 Q8 activations, in integers.
inline int codebook_dot(const uint8_t *qs, const int8_t *a) {
    int isum = 0;
    for (int j = 0; j < 16; ++j) isum += kIQ4Values[qs[j] & 0xF] * a[j] + kIQ4Values[qs[j] >> 4] * a[j + 16];
    return isum;
}

// ---------------------------------------------------------------------------
// IQ4_NL

void iq4_nl_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockIQ4_NL *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < 32; ++e) out[i * 32 + e] = d * static_cast<float>(kIQ4Values[index_of(b[i].qs, e)]);
    }
}

void iq4_nl_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockIQ4_NL *>(blocks);
    uint8_t q[32];
    float buffer[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_importance(importance ? importance + i * kBlock32 : nullptr, kBlock32, buffer);
        b[i].d = settle_fp16_scale(x, w, 32, kCodebook, fit_scale(x, w, 32, kCodebook, q), q);
        pack_indices(q, b[i].qs);
    }
}

void iq4_nl_from_float(const float *in, void *blocks, int64_t n) { iq4_nl_quantize(in, blocks, n, nullptr); }

void iq4_nl_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return iq4_nl_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockIQ4_NL *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        b[i].d = fast_scale_block<ScalarFastOps>(in + i * kBlock32, 32, kIQ4Grid, kScaleCandidates, 4, q);
        pack_indices(q, b[i].qs);
    }
}

void iq4_nl_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    auto *b = static_cast<BlockIQ4_NL *>(blocks);
    for (int64_t i = first; i < first + count; ++i) {
        BlockIQ4_NL &block = b[i / kBlock32];
        const int e = static_cast<int>(i % kBlock32);
        const float d = half_to_float(block.d);
        const int k = kCodebook.nearest_scaled(in[i], d);
        set_index(block.qs, e, k);
        decoded[i - first] = d * static_cast<float>(kIQ4Values[k]);
    }
}

float iq4_nl_dot_q8_0(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockIQ4_NL *>(weights);
    const auto *y = static_cast<const BlockQ8_0 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i)
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(codebook_dot(x[i].qs, y[i].qs));
    return sum;
}

// ---------------------------------------------------------------------------
// IQ4_XS

constexpr SuperBlockFormat kXSFormat = {8, 32, kCodebook, -32, 31, 0};

inline int xs_scale(const BlockIQ4_XS &b, int j) {  // -32..31
    const int low = (b.scales_l[j / 2] >> (4 * (j % 2))) & 0xF;
    const int high = (b.scales_h >> (2 * j)) & 3;
    return (low | (high << 4)) - 32;
}

void iq4_xs_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockIQ4_XS *>(blocks);
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float d = half_to_float(b[i].d);
        for (int j = 0; j < 8; ++j) {
            const float dl = d * static_cast<float>(xs_scale(b[i], j));
            for (int e = 0; e < 32; ++e)
                out[i * kSuperBlock + 32 * j + e] = dl * static_cast<float>(kIQ4Values[index_of(b[i].qs + 16 * j, e)]);
        }
    }
}

template <class Code>
void pack_iq4_xs(const Code &code, BlockIQ4_XS &b) {
    b.d = code.d;
    set_iq4_xs_scales(code.scale, b);
    for (int j = 0; j < 8; ++j) pack_indices(code.q + 32 * j, b.qs + 16 * j);
}

void iq4_xs_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockIQ4_XS *>(blocks);
    SuperBlockCode code;
    float buffer[kSuperBlock];
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        const float *w = block_importance(importance ? importance + i * kSuperBlock : nullptr, kSuperBlock, buffer);
        quantize_super_block(kXSFormat, in + i * kSuperBlock, w, &code);
        pack_iq4_xs(code, b[i]);
    }
}

void iq4_xs_from_float(const float *in, void *blocks, int64_t n) { iq4_xs_quantize(in, blocks, n, nullptr); }

void iq4_xs_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return iq4_xs_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockIQ4_XS *>(blocks);
    FastSuperCode code;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        fast_super_block<ScalarFastOps>(kFastIQ4XS, in + i * kSuperBlock, &code);
        pack_iq4_xs(code, b[i]);
    }
}

void iq4_xs_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    auto *b = static_cast<BlockIQ4_XS *>(blocks);
    for (int64_t i = first; i < first + count; ++i) {
        BlockIQ4_XS &block = b[i / kSuperBlock];
        const int e = static_cast<int>(i % kSuperBlock), j = e / 32;
        const float dl = half_to_float(block.d) * static_cast<float>(xs_scale(block, j));
        const int k = kCodebook.nearest_scaled(in[i], dl);
        set_index(block.qs + 16 * j, e % 32, k);
        decoded[i - first] = dl * static_cast<float>(kIQ4Values[k]);
    }
}

float iq4_xs_dot_q8_k(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockIQ4_XS *>(weights);
    const auto *y = static_cast<const BlockQ8_K *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kSuperBlock; ++i) {
        int scaled = 0;
        for (int j = 0; j < 8; ++j) scaled += xs_scale(x[i], j) * codebook_dot(x[i].qs + 16 * j, y[i].qs + 32 * j);
        sum += half_to_float(x[i].d) * y[i].d * static_cast<float>(scaled);
    }
    return sum;
}

}  // namespace

const QuantKernels kIQ4_NLKernels = {TensorType::IQ4_NL, TensorType::Q8_0, iq4_nl_to_float, iq4_nl_from_float,
                                     iq4_nl_quantize, iq4_nl_dot_q8_0, iq4_nl_requantize, iq4_nl_from_float_fast};
const QuantKernels kIQ4_XSKernels = {TensorType::IQ4_XS, TensorType::Q8_K, iq4_xs_to_float, iq4_xs_from_float,
                                     iq4_xs_quantize, iq4_xs_dot_q8_k, iq4_xs_requantize, iq4_xs_from_float_fast};

}  // namespace lq
