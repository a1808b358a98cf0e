// The 32-element block types: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 (weights and
// activations) and Q8_1 (activations only). Layouts in kernels/blocks.h.
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "kernels/blocks.h"
#include "kernels/rows.h"
#include "kernels/scale_search.h"

namespace lq {
namespace {

// Element e of a block whose 32 nibbles are stored as in Q4_0.
inline int nibble(const uint8_t *qs, int e) { return e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4; }

void pack_nibbles(const uint8_t *q, uint8_t *qs) {
    for (int j = 0; j < 16; ++j) qs[j] = static_cast<uint8_t>((q[j] & 0xF) | (q[j + 16] << 4));
}

// Bit 4 of element e, from the little-endian 32-bit mask qh.
inline int fifth_bit(const uint8_t *qh, int e) { return (qh[e / 8] >> (e % 8)) & 1; }

void pack_fifth_bits(const uint8_t *q, uint8_t *qh) {
    std::memset(qh, 0, 4);
    for (int e = 0; e < 32; ++e) qh[e / 8] = static_cast<uint8_t>(qh[e / 8] | ((q[e] >> 4) << (e % 8)));
}

// Importance of block b, or nullptr.
inline const float *block_weights(const float *importance, int64_t b) {
    return importance ? importance + b * kBlock32 : nullptr;
}

// ---------------------------------------------------------------------------
// Q4_0

void q4_0_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ4_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < 32; ++e) out[i * 32 + e] = static_cast<float>(nibble(b[i].qs, e) - 8) * d;
    }
}

void q4_0_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ4_0 *>(blocks);
    const Levels levels = Levels::linear(-8, 7);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_weights(importance, i);
        b[i].d = settle_fp16_scale(x, w, 32, levels, fit_scale(x, w, 32, levels, q), q);
        pack_nibbles(q, b[i].qs);
    }
}

void q4_0_from_float(const float *in, void *blocks, int64_t n) { q4_0_quantize(in, blocks, n, nullptr); }

float q4_0_dot_q8_0(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ4_0 *>(weights);
    const auto *y = static_cast<const BlockQ8_0 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int e = 0; e < 32; ++e) isum += (nibble(x[i].qs, e) - 8) * y[i].qs[e];
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(isum);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q4_1

void q4_1_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ4_1 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        const float m = half_to_float(b[i].m);
        for (int e = 0; e < 32; ++e) out[i * 32 + e] = static_cast<float>(nibble(b[i].qs, e)) * d + m;
    }
}

void q4_1_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ4_1 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_weights(importance, i);
        settle_fp16_affine(x, w, 32, 15, fit_scale_offset(x, w, 32, 15, false, q), &b[i].d, &b[i].m, q);
        pack_nibbles(q, b[i].qs);
    }
}

void q4_1_from_float(const float *in, void *blocks, int64_t n) { q4_1_quantize(in, blocks, n, nullptr); }

float q4_1_dot_q8_1(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ4_1 *>(weights);
    const auto *y = static_cast<const BlockQ8_1 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int e = 0; e < 32; ++e) isum += nibble(x[i].qs, e) * y[i].qs[e];
        // sum_e (q_e d + m) a_e = d d_a sum q_e qa_e + m s_a
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(isum) +
               half_to_float(x[i].m) * half_to_float(y[i].s);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q5_0

inline int q5_level(const uint8_t *qs, const uint8_t *qh, int e) { return nibble(qs, e) | (fifth_bit(qh, e) << 4); }

void q5_0_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ5_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < 32; ++e) out[i * 32 + e] = static_cast<float>(q5_level(b[i].qs, b[i].qh, e) - 16) * d;
    }
}

void q5_0_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ5_0 *>(blocks);
    const Levels levels = Levels::linear(-16, 15);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_weights(importance, i);
        b[i].d = settle_fp16_scale(x, w, 32, levels, fit_scale(x, w, 32, levels, q), q);
        pack_nibbles(q, b[i].qs);
        pack_fifth_bits(q, b[i].qh);
    }
}

void q5_0_from_float(const float *in, void *blocks, int64_t n) { q5_0_quantize(in, blocks, n, nullptr); }

float q5_0_dot_q8_0(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ5_0 *>(weights);
    const auto *y = static_cast<const BlockQ8_0 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int e = 0; e < 32; ++e) isum += (q5_level(x[i].qs, x[i].qh, e) - 16) * y[i].qs[e];
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(isum);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q5_1

void q5_1_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ5_1 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        const float m = half_to_float(b[i].m);
        for (int e = 0; e < 32; ++e)
            out[i * 32 + e] = static_cast<float>(q5_level(b[i].qs, b[i].qh, e)) * d + m;
    }
}

void q5_1_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ5_1 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_weights(importance, i);
        settle_fp16_affine(x, w, 32, 31, fit_scale_offset(x, w, 32, 31, false, q), &b[i].d, &b[i].m, q);
        pack_nibbles(q, b[i].qs);
        pack_fifth_bits(q, b[i].qh);
    }
}

void q5_1_from_float(const float *in, void *blocks, int64_t n) { q5_1_quantize(in, blocks, n, nullptr); }

float q5_1_dot_q8_1(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ5_1 *>(weights);
    const auto *y = static_cast<const BlockQ8_1 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int e = 0; e < 32; ++e) isum += q5_level(x[i].qs, x[i].qh, e) * y[i].qs[e];
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(isum) +
               half_to_float(x[i].m) * half_to_float(y[i].s);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q8_0 and Q8_1

// The activation rule shared with other runtimes: d = amax / 127 (stored as
// F16), q = round-half-away(x / d) computed as x * (1 / d).
float q8_scale(const float *x, float *inverse) {
    float amax = 0.0f;
    for (int e = 0; e < 32; ++e) amax = std::fmax(amax, std::fabs(x[e]));
    const float d = amax / 127.0f;
    *inverse = d != 0.0f ? 1.0f / d : 0.0f;
    return d;
}

void q8_0_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ8_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < 32; ++e) out[i * 32 + e] = static_cast<float>(b[i].qs[e]) * d;
    }
}

void q8_0_from_float(const float *in, void *blocks, int64_t n) {
    auto *b = static_cast<BlockQ8_0 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        float inverse;
        b[i].d = float_to_half(q8_scale(x, &inverse));
        for (int e = 0; e < 32; ++e) b[i].qs[e] = static_cast<int8_t>(std::round(x[e] * inverse));
    }
}

void q8_0_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ8_0 *>(blocks);
    const Levels levels = Levels::linear(-127, 127);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_weights(importance, i);
        b[i].d = settle_fp16_scale(x, w, 32, levels, fit_scale(x, w, 32, levels, q), q);
        for (int e = 0; e < 32; ++e) b[i].qs[e] = static_cast<int8_t>(q[e] - 127);
    }
}

float q8_0_dot_q8_0(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ8_0 *>(weights);
    const auto *y = static_cast<const BlockQ8_0 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int e = 0; e < 32; ++e) isum += x[i].qs[e] * y[i].qs[e];
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(isum);
    }
    return sum;
}

void q8_1_to_float(const void *blocks, float *out, int64_t n) {
    const auto *b = static_cast<const BlockQ8_1 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float d = half_to_float(b[i].d);
        for (int e = 0; e < 32; ++e) out[i * 32 + e] = static_cast<float>(b[i].qs[e]) * d;
    }
}

void q8_1_from_float(const float *in, void *blocks, int64_t n) {
    auto *b = static_cast<BlockQ8_1 *>(blocks);
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        float inverse;
        const float d = q8_scale(x, &inverse);
        int sum = 0;
        for (int e = 0; e < 32; ++e) {
            b[i].qs[e] = static_cast<int8_t>(std::round(x[e] * inverse));
            sum += b[i].qs[e];
        }
        b[i].d = float_to_half(d);
        b[i].s = float_to_half(static_cast<float>(sum) * d);
    }
}

}  // namespace

const QuantKernels kQ4_0Kernels = {TensorType::Q4_0, TensorType::Q8_0, q4_0_to_float, q4_0_from_float, q4_0_quantize,
                                   q4_0_dot_q8_0};
const QuantKernels kQ4_1Kernels = {TensorType::Q4_1, TensorType::Q8_1, q4_1_to_float, q4_1_from_float, q4_1_quantize,
                                   q4_1_dot_q8_1};
const QuantKernels kQ5_0Kernels = {TensorType::Q5_0, TensorType::Q8_0, q5_0_to_float, q5_0_from_float, q5_0_quantize,
                                   q5_0_dot_q8_0};
const QuantKernels kQ5_1Kernels = {TensorType::Q5_1, TensorType::Q8_1, q5_1_to_float, q5_1_from_float, q5_1_quantize,
                                   q5_1_dot_q8_1};
const QuantKernels kQ8_0Kernels = {TensorType::Q8_0, TensorType::Q8_0, q8_0_to_float, q8_0_from_float, q8_0_quantize,
                                   q8_0_dot_q8_0};
const QuantKernels kQ8_1Kernels = {TensorType::Q8_1, TensorType::Q8_1, q8_1_to_float, q8_1_from_float, nullptr,
                                   nullptr};

}  // namespace lq
