// libquant's own types (docs/formats.md), for rows that GGUF's fixed-size
// blocks do not fit and for the INT8 per-channel and grouped INT4 formats:
//
//   lq_i8_row:   | f32 d | int8 q[n] |                      x = d * q, q in [-127, 127]
//   lq_i4_gG:    groups of G elements (the last one may be shorter), each
//                | f16 d | u8 z | u8 0 | nibbles[ceil(len/2)] |   x = d * (q - z), q, z in [0, 15]
//                element 2i in the low nibble of byte i, 2i+1 in the high one.
//
// Dot products take F32 activations (dot type F32).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "kernels/rows.h"

namespace lq {
namespace {

// ---------------------------------------------------------------- INT8 rows

float i8_scale(const uint8_t *row) {
    float d;
    std::memcpy(&d, row, 4);
    return d;
}

void i8_to_float(const void *blocks, float *out, int64_t n) {
    const auto *row = static_cast<const uint8_t *>(blocks);
    const float d = i8_scale(row);
    const auto *q = reinterpret_cast<const int8_t *>(row + 4);
    for (int64_t i = 0; i < n; ++i) out[i] = d * q[i];
}

int8_t i8_level(float x, float inverse) {
    const float v = std::nearbyint(x * inverse);
    return static_cast<int8_t>(std::max(-127.0f, std::min(127.0f, v)));
}

// Weighted least squares over a few candidate scales around amax / 127,
// each refined once with the optimal scale for its levels.
void i8_from_float_weighted(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *row = static_cast<uint8_t *>(blocks);
    auto *q = reinterpret_cast<int8_t *>(row + 4);
    float amax = 0.0f;
    for (int64_t i = 0; i < n; ++i) amax = std::max(amax, std::fabs(in[i]));
    float best_d = 0.0f;
    if (amax > 0.0f) {
        double best_error = INFINITY;
        for (int step = -4; step <= 4; ++step) {
            const float d0 = amax / (127.0f + 0.5f * static_cast<float>(step));
            double numerator = 0.0, denominator = 0.0;
            for (int64_t i = 0; i < n; ++i) {
                const double w = importance ? importance[i] : 1.0;
                const int8_t l = i8_level(in[i], 1.0f / d0);
                numerator += w * in[i] * l;
                denominator += w * l * l;
            }
            const float d = denominator > 0.0 ? static_cast<float>(numerator / denominator) : d0;
            double error = 0.0;
            for (int64_t i = 0; i < n; ++i) {
                const double w = importance ? importance[i] : 1.0;
                const double e = in[i] - d * i8_level(in[i], 1.0f / d);
                error += w * e * e;
            }
            if (error < best_error) {
                best_error = error;
                best_d = d;
            }
        }
    }
    std::memcpy(row, &best_d, 4);
    const float inverse = best_d != 0.0f ? 1.0f / best_d : 0.0f;
    for (int64_t i = 0; i < n; ++i) q[i] = i8_level(in[i], inverse);
}

void i8_from_float(const float *in, void *blocks, int64_t n) { i8_from_float_weighted(in, blocks, n, nullptr); }

float i8_dot(int64_t n, const void *weights, const void *activations) {
    const auto *row = static_cast<const uint8_t *>(weights);
    const auto *q = reinterpret_cast<const int8_t *>(row + 4);
    const auto *x = static_cast<const float *>(activations);
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += q[i] * x[i];
    return sum * i8_scale(row);
}

void i8_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    auto *row = static_cast<uint8_t *>(blocks);
    auto *q = reinterpret_cast<int8_t *>(row + 4);
    const float d = i8_scale(row);
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    for (int64_t i = first; i < first + count; ++i) {
        q[i] = i8_level(in[i], inverse);
        decoded[i - first] = d * q[i];
    }
}

// --------------------------------------------------------------- INT4 groups

template <int G>
constexpr size_t group_bytes() {
    return 4 + G / 2;
}

float group_scale(const uint8_t *g) {
    uint16_t h;
    std::memcpy(&h, g, 2);
    return half_to_float(h);
}

uint8_t nibble(const uint8_t *g, int64_t i) { return (g[4 + i / 2] >> ((i & 1) * 4)) & 0x0F; }

void set_nibble(uint8_t *g, int64_t i, uint8_t q) {
    uint8_t &b = g[4 + i / 2];
    b = (i & 1) ? static_cast<uint8_t>((b & 0x0F) | (q << 4)) : static_cast<uint8_t>((b & 0xF0) | q);
}

uint8_t i4_level(float x, float inverse, int z) {
    const float v = std::nearbyint(x * inverse) + static_cast<float>(z);
    return static_cast<uint8_t>(std::max(0.0f, std::min(15.0f, v)));
}

// Weighted squared error of x with the grid (d, z).
double group_error(const float *x, const float *w, int64_t n, float d, int z) {
    const float inverse = d != 0.0f ? 1.0f / d : 0.0f;
    double error = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        const double e = x[i] - d * (i4_level(x[i], inverse, z) - z);
        error += (w ? w[i] : 1.0) * e * e;
    }
    return error;
}

// Chooses (d, z) for one group: the range fit, then a sweep of scales and
// zero points, each candidate's scale refined by least squares for its levels.
void encode_group(const float *x, const float *w, int64_t n, uint8_t *g) {
    float lo = x[0], hi = x[0];
    for (int64_t i = 1; i < n; ++i) {
        lo = std::min(lo, x[i]);
        hi = std::max(hi, x[i]);
    }
    lo = std::min(lo, 0.0f);  // the grid always holds zero exactly
    hi = std::max(hi, 0.0f);
    float best_d = 0.0f;
    int best_z = 0;
    if (hi > lo) {
        double best_error = INFINITY;
        for (int step = -6; step <= 6; ++step) {
            const float d0 = (hi - lo) / (15.0f + 0.25f * static_cast<float>(step));
            const int z_centre = static_cast<int>(std::nearbyint(-lo / d0));
            for (int z = std::max(0, z_centre - 1); z <= std::min(15, z_centre + 1); ++z) {
                // Refine the scale for the levels this (d0, z) gives.
                double numerator = 0.0, denominator = 0.0;
                for (int64_t i = 0; i < n; ++i) {
                    const double wi = w ? w[i] : 1.0;
                    const int l = i4_level(x[i], 1.0f / d0, z) - z;
                    numerator += wi * x[i] * l;
                    denominator += wi * l * l;
                }
                const float d_fit = denominator > 0.0 ? static_cast<float>(numerator / denominator) : d0;
                for (float d : {d0, d_fit}) {
                    if (!(d > 0.0f)) continue;
                    const float d_stored = half_to_float(float_to_half(d));
                    const double error = group_error(x, w, n, d_stored, z);
                    if (error < best_error) {
                        best_error = error;
                        best_d = d_stored;
                        best_z = z;
                    }
                }
            }
        }
    }
    const uint16_t h = float_to_half(best_d);
    std::memcpy(g, &h, 2);
    g[2] = static_cast<uint8_t>(best_z);
    g[3] = 0;
    std::memset(g + 4, 0, static_cast<size_t>((n + 1) / 2));
    const float inverse = best_d != 0.0f ? 1.0f / best_d : 0.0f;
    for (int64_t i = 0; i < n; ++i) set_nibble(g, i, i4_level(x[i], inverse, best_z));
}

template <int G>
void i4_to_float(const void *blocks, float *out, int64_t n) {
    const auto *g = static_cast<const uint8_t *>(blocks);
    for (int64_t start = 0; start < n; start += G, g += group_bytes<G>()) {
        const int64_t len = std::min<int64_t>(G, n - start);
        const float d = group_scale(g);
        const int z = g[2];
        for (int64_t i = 0; i < len; ++i) out[start + i] = d * static_cast<float>(nibble(g, i) - z);
    }
}

template <int G>
void i4_from_float_weighted(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *g = static_cast<uint8_t *>(blocks);
    for (int64_t start = 0; start < n; start += G, g += group_bytes<G>()) {
        const int64_t len = std::min<int64_t>(G, n - start);
        encode_group(in + start, importance ? importance + start : nullptr, len, g);
    }
}

template <int G>
void i4_from_float(const float *in, void *blocks, int64_t n) {
    i4_from_float_weighted<G>(in, blocks, n, nullptr);
}

template <int G>
float i4_dot(int64_t n, const void *weights, const void *activations) {
    const auto *g = static_cast<const uint8_t *>(weights);
    const auto *x = static_cast<const float *>(activations);
    float total = 0.0f;
    for (int64_t start = 0; start < n; start += G, g += group_bytes<G>()) {
        const int64_t len = std::min<int64_t>(G, n - start);
        const int z = g[2];
        float sum = 0.0f;
        for (int64_t i = 0; i < len; ++i) sum += static_cast<float>(nibble(g, i) - z) * x[start + i];
        total += group_scale(g) * sum;
    }
    return total;
}

template <int G>
void i4_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    auto *base = static_cast<uint8_t *>(blocks);
    for (int64_t i = first; i < first + count; ++i) {
        uint8_t *g = base + static_cast<size_t>(i / G) * group_bytes<G>();
        const float d = group_scale(g);
        const int z = g[2];
        const uint8_t q = i4_level(in[i], d != 0.0f ? 1.0f / d : 0.0f, z);
        set_nibble(g, i % G, q);
        decoded[i - first] = d * static_cast<float>(q - z);
    }
}

}  // namespace

// Their encoders already try only a handful of candidate scales: the fast
// path is the same.
const QuantKernels kLqI8RowKernels = {TensorType::LQ_I8_ROW, TensorType::F32, i8_to_float, i8_from_float,
                                      i8_from_float_weighted, i8_dot, i8_requantize, i8_from_float};

#define LQ_I4_ROW(G, TYPE)                                                                             \
    const QuantKernels kLqI4G##G##Kernels = {TensorType::TYPE, TensorType::F32, i4_to_float<G>,        \
                                             i4_from_float<G>, i4_from_float_weighted<G>, i4_dot<G>, \
                                             i4_requantize<G>, i4_from_float<G>};
LQ_I4_ROW(32, LQ_I4_G32)
LQ_I4_ROW(64, LQ_I4_G64)
LQ_I4_ROW(128, LQ_I4_G128)
#undef LQ_I4_ROW

}  // namespace lq
