// The 32-element block types: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0 (weights and
// activations) and Q8_1 (activations only). Layouts in kernels/blocks.h.
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "kernels/blocks.h"
#include "kernels/fast_ops.h"
#include "kernels/rows.h"
#include "kernels/scale_search.h"

namespace lq {
namespace {

// Element e of a block whose 32 nibbles are stored as in Q4_0.
inline int nibble(const uint8_t *qs, int e) { return e < 16 ? qs[e] & 0xF : qs[e - 16] >> 4; }

inline void set_nibble(uint8_t *qs, int e, int v) {
    uint8_t &byte = qs[e < 16 ? e : e - 16];
    byte = static_cast<uint8_t>(e < 16 ? (byte & 0xF0) | (v & 0xF) : (byte & 0x0F) | ((v & 0xF) << 4));
}

void pack_nibbles(const uint8_t *q, uint8_t *qs) {
    for (int j = 0; j < 16; ++j) qs[j] = static_cast<uint8_t>((q[j] & 0xF) | (q[j + 16] << 4));
}

// Bit 4 of element e, from the little-endian 32-bit mask qh.
inline int fifth_bit(const uint8_t *qh, int e) { return (qh[e / 8] >> (e % 8)) & 1; }

// The 32 fifth bits as one word: bit e for element e.
inline uint32_t fifth_bits(const uint8_t *qh) {
    return qh[0] | static_cast<uint32_t>(qh[1]) << 8 | static_cast<uint32_t>(qh[2]) << 16 |
           static_cast<uint32_t>(qh[3]) << 24;
}

inline void set_fifth_bit(uint8_t *qh, int e, int v) {
    qh[e / 8] = static_cast<uint8_t>((qh[e / 8] & ~(1 << (e % 8))) | (((v >> 4) & 1) << (e % 8)));
}

void pack_fifth_bits(const uint8_t *q, uint8_t *qh) {
    for (int e = 0; e < 32; ++e) set_fifth_bit(qh, e, q[e]);
}

// Calls f(block, element in block, x, decoded slot) for elements
// [first, first + count) of a row of 32-element blocks: the frame of every
// requantize function below.
template <class Block, class F>
void for_each_element(const float *in, void *blocks, int64_t first, int64_t count, float *decoded, F f) {
    auto *b = static_cast<Block *>(blocks);
    for (int64_t i = first; i < first + count; ++i) f(b[i / kBlock32], static_cast<int>(i % kBlock32), in[i], &decoded[i - first]);
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
    float buffer[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_importance(importance ? importance + i * kBlock32 : nullptr, kBlock32, buffer);
        b[i].d = settle_fp16_scale(x, w, 32, levels, fit_scale(x, w, 32, levels, q), q);
        pack_nibbles(q, b[i].qs);
    }
}

void q4_0_from_float(const float *in, void *blocks, int64_t n) { q4_0_quantize(in, blocks, n, nullptr); }

void q4_0_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return q4_0_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockQ4_0 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        b[i].d = fast_scale_block<ScalarFastOps>(in + i * kBlock32, 32, linear_grid(-8, 7), kScaleCandidates, 4, q);
        pack_nibbles(q, b[i].qs);
    }
}

void q4_0_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ4_0>(in, blocks, first, count, decoded, [](BlockQ4_0 &b, int e, float x, float *out) {
        const float d = half_to_float(b.d);
        const int k = Levels::linear(-8, 7).nearest_scaled(x, d);
        set_nibble(b.qs, e, k);
        *out = static_cast<float>(k - 8) * d;
    });
}

float q4_0_dot_q8_0(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ4_0 *>(weights);
    const auto *y = static_cast<const BlockQ8_0 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int j = 0; j < 16; ++j)  // byte j holds elements j and j + 16
            isum += ((x[i].qs[j] & 0xF) - 8) * y[i].qs[j] + ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + 16];
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
    float buffer[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_importance(importance ? importance + i * kBlock32 : nullptr, kBlock32, buffer);
        settle_fp16_affine(x, w, 32, 15, fit_scale_offset(x, w, 32, 15, false, q), &b[i].d, &b[i].m, q);
        pack_nibbles(q, b[i].qs);
    }
}

void q4_1_from_float(const float *in, void *blocks, int64_t n) { q4_1_quantize(in, blocks, n, nullptr); }

void q4_1_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return q4_1_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockQ4_1 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        fast_affine_block<ScalarFastOps>(in + i * kBlock32, 32, 15, kAffineDeltas, 4, &b[i].d, &b[i].m, q);
        pack_nibbles(q, b[i].qs);
    }
}

void q4_1_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ4_1>(in, blocks, first, count, decoded, [](BlockQ4_1 &b, int e, float x, float *out) {
        const float d = half_to_float(b.d), m = half_to_float(b.m);
        const int k = Levels::linear(0, 15).nearest_scaled(x - m, d);
        set_nibble(b.qs, e, k);
        *out = static_cast<float>(k) * d + m;
    });
}

float q4_1_dot_q8_1(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ4_1 *>(weights);
    const auto *y = static_cast<const BlockQ8_1 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        int isum = 0;
        for (int j = 0; j < 16; ++j) isum += (x[i].qs[j] & 0xF) * y[i].qs[j] + (x[i].qs[j] >> 4) * y[i].qs[j + 16];
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
    float buffer[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_importance(importance ? importance + i * kBlock32 : nullptr, kBlock32, buffer);
        b[i].d = settle_fp16_scale(x, w, 32, levels, fit_scale(x, w, 32, levels, q), q);
        pack_nibbles(q, b[i].qs);
        pack_fifth_bits(q, b[i].qh);
    }
}

void q5_0_from_float(const float *in, void *blocks, int64_t n) { q5_0_quantize(in, blocks, n, nullptr); }

void q5_0_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return q5_0_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockQ5_0 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        b[i].d = fast_scale_block<ScalarFastOps>(in + i * kBlock32, 32, linear_grid(-16, 15), kScaleCandidates, 4, q);
        pack_nibbles(q, b[i].qs);
        pack_fifth_bits(q, b[i].qh);
    }
}

void q5_0_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ5_0>(in, blocks, first, count, decoded, [](BlockQ5_0 &b, int e, float x, float *out) {
        const float d = half_to_float(b.d);
        const int k = Levels::linear(-16, 15).nearest_scaled(x, d);
        set_nibble(b.qs, e, k);
        set_fifth_bit(b.qh, e, k);
        *out = static_cast<float>(k - 16) * d;
    });
}

float q5_0_dot_q8_0(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ5_0 *>(weights);
    const auto *y = static_cast<const BlockQ8_0 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const uint32_t qh = fifth_bits(x[i].qh);
        int isum = 0;
        for (int j = 0; j < 16; ++j) {
            const int low = (x[i].qs[j] & 0xF) | ((qh >> j) & 1) << 4;
            const int high = (x[i].qs[j] >> 4) | ((qh >> (j + 16)) & 1) << 4;
            isum += (low - 16) * y[i].qs[j] + (high - 16) * y[i].qs[j + 16];
        }
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
    float buffer[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_importance(importance ? importance + i * kBlock32 : nullptr, kBlock32, buffer);
        settle_fp16_affine(x, w, 32, 31, fit_scale_offset(x, w, 32, 31, false, q), &b[i].d, &b[i].m, q);
        pack_nibbles(q, b[i].qs);
        pack_fifth_bits(q, b[i].qh);
    }
}

void q5_1_from_float(const float *in, void *blocks, int64_t n) { q5_1_quantize(in, blocks, n, nullptr); }

void q5_1_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return q5_1_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockQ5_1 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        fast_affine_block<ScalarFastOps>(in + i * kBlock32, 32, 31, kAffineDeltas, 4, &b[i].d, &b[i].m, q);
        pack_nibbles(q, b[i].qs);
        pack_fifth_bits(q, b[i].qh);
    }
}

void q5_1_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ5_1>(in, blocks, first, count, decoded, [](BlockQ5_1 &b, int e, float x, float *out) {
        const float d = half_to_float(b.d), m = half_to_float(b.m);
        const int k = Levels::linear(0, 31).nearest_scaled(x - m, d);
        set_nibble(b.qs, e, k);
        set_fifth_bit(b.qh, e, k);
        *out = static_cast<float>(k) * d + m;
    });
}

float q5_1_dot_q8_1(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const BlockQ5_1 *>(weights);
    const auto *y = static_cast<const BlockQ8_1 *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const uint32_t qh = fifth_bits(x[i].qh);
        int isum = 0;
        for (int j = 0; j < 16; ++j) {
            const int low = (x[i].qs[j] & 0xF) | ((qh >> j) & 1) << 4;
            const int high = (x[i].qs[j] >> 4) | ((qh >> (j + 16)) & 1) << 4;
            isum += low * y[i].qs[j] + high * y[i].qs[j + 16];
        }
        sum += half_to_float(x[i].d) * half_to_float(y[i].d) * static_cast<float>(isum) +
               half_to_float(x[i].m) * half_to_float(y[i].s);
    }
    return sum;
}

// ---------------------------------------------------------------------------
// Q8_0 and Q8_1

// The activation rule shared with other runtimes: d = amax / 127 (stored as
// F16), q = round-half-away(x / d) computed as x * (1 / d). One addition:
// a d beyond the F16 range saturates to the largest half (other runtimes
// store infinity there and decode NaN); the clamp of x / d below is then
// what keeps q in range, and never binds otherwise.
float q8_scale(const float *x, float *inverse) {
    float amax = 0.0f;
    for (int e = 0; e < 32; ++e) amax = std::fmax(amax, std::fabs(x[e]));
    const float d = std::fmin(amax / 127.0f, 65504.0f);
    *inverse = d != 0.0f ? 1.0f / d : 0.0f;
    return d;
}

inline int8_t q8_level(float x, float inverse) {
    return static_cast<int8_t>(std::round(std::fmin(127.0f, std::fmax(-127.0f, x * inverse))));
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
        for (int e = 0; e < 32; ++e) b[i].qs[e] = q8_level(x[e], inverse);
    }
}

void q8_0_quantize(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *b = static_cast<BlockQ8_0 *>(blocks);
    const Levels levels = Levels::linear(-127, 127);
    uint8_t q[32];
    float buffer[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        const float *x = in + i * kBlock32;
        const float *w = block_importance(importance ? importance + i * kBlock32 : nullptr, kBlock32, buffer);
        b[i].d = settle_fp16_scale(x, w, 32, levels, fit_scale(x, w, 32, levels, q), q);
        for (int e = 0; e < 32; ++e) b[i].qs[e] = static_cast<int8_t>(q[e] - 127);
    }
}

void q8_0_from_float_fast(const float *in, void *blocks, int64_t n) {
    if (!ScalarFastOps::in_fast_range(in, n)) return q8_0_quantize(in, blocks, n, nullptr);
    auto *b = static_cast<BlockQ8_0 *>(blocks);
    uint8_t q[32];
    for (int64_t i = 0; i < n / kBlock32; ++i) {
        b[i].d = fast_scale_block<ScalarFastOps>(in + i * kBlock32, 32, linear_grid(-127, 127), kQ8Candidates, 4, q);
        for (int e = 0; e < 32; ++e) b[i].qs[e] = static_cast<int8_t>(q[e] - 127);
    }
}

void q8_0_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    for_each_element<BlockQ8_0>(in, blocks, first, count, decoded, [](BlockQ8_0 &b, int e, float x, float *out) {
        const float d = half_to_float(b.d);
        b.qs[e] = static_cast<int8_t>(Levels::linear(-127, 127).nearest_scaled(x, d) - 127);
        *out = static_cast<float>(b.qs[e]) * d;
    });
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
            b[i].qs[e] = q8_level(x[e], inverse);
            sum += b[i].qs[e];
        }
        b[i].d = float_to_half(d);
        b[i].s = float_to_half(static_cast<float>(sum) * d);
    }
}

}  // namespace

const QuantKernels kQ4_0Kernels = {TensorType::Q4_0, TensorType::Q8_0, q4_0_to_float, q4_0_from_float, q4_0_quantize,
                                   q4_0_dot_q8_0, q4_0_requantize, q4_0_from_float_fast};
const QuantKernels kQ4_1Kernels = {TensorType::Q4_1, TensorType::Q8_1, q4_1_to_float, q4_1_from_float, q4_1_quantize,
                                   q4_1_dot_q8_1, q4_1_requantize, q4_1_from_float_fast};
const QuantKernels kQ5_0Kernels = {TensorType::Q5_0, TensorType::Q8_0, q5_0_to_float, q5_0_from_float, q5_0_quantize,
                                   q5_0_dot_q8_0, q5_0_requantize, q5_0_from_float_fast};
const QuantKernels kQ5_1Kernels = {TensorType::Q5_1, TensorType::Q8_1, q5_1_to_float, q5_1_from_float, q5_1_quantize,
                                   q5_1_dot_q8_1, q5_1_requantize, q5_1_from_float_fast};
const QuantKernels kQ8_0Kernels = {TensorType::Q8_0, TensorType::Q8_0, q8_0_to_float, q8_0_from_float, q8_0_quantize,
                                   q8_0_dot_q8_0, q8_0_requantize, q8_0_from_float_fast};
const QuantKernels kQ8_1Kernels = {TensorType::Q8_1, TensorType::Q8_1, q8_1_to_float, q8_1_from_float, nullptr,
                                   nullptr, nullptr, nullptr};

}  // namespace lq
