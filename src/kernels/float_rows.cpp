// The unquantized types F32, F16 and BF16. Each is its own dot type, as in
// the other GGUF runtimes: F16 weights meet activations rounded to F16.
// Dot products accumulate in double, so the reference is as exact as a
// float result can be and fast paths are judged against that.
#include <cstring>

#include "core/half.h"
#include "kernels/rows.h"

namespace lq {
namespace {

void f32_to_float(const void *in, float *out, int64_t n) {
    std::memcpy(out, in, static_cast<size_t>(n) * sizeof(float));
}

void f32_from_float(const float *in, void *out, int64_t n) {
    std::memcpy(out, in, static_cast<size_t>(n) * sizeof(float));
}

float f32_dot(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const float *>(weights);
    const auto *y = static_cast<const float *>(activations);
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * y[i];
    return static_cast<float>(sum);
}

void f16_to_float(const void *in, float *out, int64_t n) {
    const auto *h = static_cast<const uint16_t *>(in);
    for (int64_t i = 0; i < n; ++i) out[i] = half_to_float(h[i]);
}

void f16_from_float(const float *in, void *out, int64_t n) {
    auto *h = static_cast<uint16_t *>(out);
    for (int64_t i = 0; i < n; ++i) h[i] = float_to_half(in[i]);
}

float f16_dot(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const uint16_t *>(weights);
    const auto *y = static_cast<const uint16_t *>(activations);
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(half_to_float(x[i])) * half_to_float(y[i]);
    return static_cast<float>(sum);
}

void bf16_row_to_float(const void *in, float *out, int64_t n) {
    const auto *h = static_cast<const uint16_t *>(in);
    for (int64_t i = 0; i < n; ++i) out[i] = bf16_to_float(h[i]);
}

void bf16_from_float(const float *in, void *out, int64_t n) {
    auto *h = static_cast<uint16_t *>(out);
    for (int64_t i = 0; i < n; ++i) h[i] = float_to_bf16(in[i]);
}

float bf16_dot(int64_t n, const void *weights, const void *activations) {
    const auto *x = static_cast<const uint16_t *>(weights);
    const auto *y = static_cast<const uint16_t *>(activations);
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(bf16_to_float(x[i])) * bf16_to_float(y[i]);
    return static_cast<float>(sum);
}

// Plain types have nothing to weigh: every element is stored as is.
void f32_from_float_weighted(const float *in, void *out, int64_t n, const float *) { f32_from_float(in, out, n); }
void f16_from_float_weighted(const float *in, void *out, int64_t n, const float *) { f16_from_float(in, out, n); }
void bf16_from_float_weighted(const float *in, void *out, int64_t n, const float *) { bf16_from_float(in, out, n); }

// The "grid" of a plain type is the type itself: requantizing stores the
// value and decodes it again.
void f32_requantize(const float *in, void *out, int64_t, int64_t first, int64_t count, float *decoded) {
    f32_from_float(in + first, static_cast<float *>(out) + first, count);
    f32_to_float(static_cast<const float *>(out) + first, decoded, count);
}

void f16_requantize(const float *in, void *out, int64_t, int64_t first, int64_t count, float *decoded) {
    f16_from_float(in + first, static_cast<uint16_t *>(out) + first, count);
    f16_to_float(static_cast<const uint16_t *>(out) + first, decoded, count);
}

void bf16_requantize(const float *in, void *out, int64_t, int64_t first, int64_t count, float *decoded) {
    bf16_from_float(in + first, static_cast<uint16_t *>(out) + first, count);
    bf16_row_to_float(static_cast<const uint16_t *>(out) + first, decoded, count);
}

}  // namespace

const QuantKernels kF32Kernels = {TensorType::F32, TensorType::F32, f32_to_float, f32_from_float,
                                  f32_from_float_weighted, f32_dot, f32_requantize, f32_from_float};
const QuantKernels kF16Kernels = {TensorType::F16, TensorType::F16, f16_to_float, f16_from_float,
                                  f16_from_float_weighted, f16_dot, f16_requantize, f16_from_float};
const QuantKernels kBF16Kernels = {TensorType::BF16, TensorType::BF16, bf16_row_to_float, bf16_from_float,
                                   bf16_from_float_weighted, bf16_dot, bf16_requantize,
                                   bf16_from_float};

}  // namespace lq
