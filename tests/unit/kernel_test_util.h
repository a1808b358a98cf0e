// Helpers shared by the kernel tests: deterministic random rows, encoding
// and decoding whole rows through a kernel row, and error measures.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/random.h"
#include "core/types.h"
#include "kernels/kernels.h"

namespace kernel_test {

/// The weight types that have every kernel.
constexpr lq::TensorType kWeightTypes[] = {
    lq::TensorType::F32,  lq::TensorType::F16,  lq::TensorType::BF16, lq::TensorType::Q4_0,   lq::TensorType::Q4_1,
    lq::TensorType::Q5_0, lq::TensorType::Q5_1, lq::TensorType::Q8_0, lq::TensorType::Q2_K,   lq::TensorType::Q3_K,
    lq::TensorType::Q4_K, lq::TensorType::Q5_K, lq::TensorType::Q6_K, lq::TensorType::IQ4_NL, lq::TensorType::IQ4_XS,
};

/// The activation (dot) types.
constexpr lq::TensorType kActivationTypes[] = {lq::TensorType::Q8_0, lq::TensorType::Q8_1, lq::TensorType::Q8_K};

inline std::vector<float> normal_row(size_t n, uint64_t seed, float scale = 1.0f) {
    lq::Random rng(seed);
    std::vector<float> v(n);
    for (float &x : v) x = static_cast<float>(rng.normal()) * scale;
    return v;
}

/// Positive importances spread over two orders of magnitude (log-normal),
/// like the per-column activation energies of a real model.
inline std::vector<float> importance_row(size_t n, uint64_t seed) {
    lq::Random rng(seed);
    std::vector<float> v(n);
    for (float &x : v) x = static_cast<float>(std::exp(1.5 * rng.normal()));
    return v;
}

inline size_t bytes_for(lq::TensorType type, size_t n) { return lq::row_bytes(*lq::type_info(type), n); }

/// Encodes with from_float (importance == nullptr) or from_float_weighted.
inline std::vector<uint8_t> encode(lq::TensorType type, const std::vector<float> &x,
                                   const std::vector<float> *importance = nullptr) {
    const lq::QuantKernels &k = *lq::quant_kernels(type);
    std::vector<uint8_t> blocks(bytes_for(type, x.size()));
    const auto n = static_cast<int64_t>(x.size());
    if (importance)
        k.from_float_weighted(x.data(), blocks.data(), n, importance->data());
    else
        k.from_float(x.data(), blocks.data(), n);
    return blocks;
}

inline std::vector<float> decode(lq::TensorType type, const std::vector<uint8_t> &blocks, size_t n) {
    std::vector<float> y(n);
    lq::quant_kernels(type)->to_float(blocks.data(), y.data(), static_cast<int64_t>(n));
    return y;
}

/// sqrt(sum w (x - y)^2 / sum w x^2): the error relative to the signal,
/// weighted when @p w is given.
inline double relative_rmse(const std::vector<float> &x, const std::vector<float> &y,
                            const std::vector<float> *w = nullptr) {
    double err = 0.0, sig = 0.0;
    for (size_t i = 0; i < x.size(); ++i) {
        const double wi = w ? (*w)[i] : 1.0;
        err += wi * (static_cast<double>(x[i]) - y[i]) * (static_cast<double>(x[i]) - y[i]);
        sig += wi * static_cast<double>(x[i]) * x[i];
    }
    return std::sqrt(err / sig);
}

inline bool all_finite(const std::vector<float> &v) {
    for (float x : v)
        if (!std::isfinite(x)) return false;
    return true;
}

}  // namespace kernel_test
