// The fast weight encoders (from_float_fast, kernels/fast_search.h): valid
// blocks, error bounds that plain max-abs rounding does not meet, closeness
// to the exhaustive search, and the rows they hand to it.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/half.h"
#include "kernel_test_util.h"

using namespace lq;
using namespace kernel_test;

namespace {

std::vector<uint8_t> encode_fast(TensorType type, const std::vector<float> &x) {
    std::vector<uint8_t> blocks(bytes_for(type, x.size()));
    quant_kernels(type)->from_float_fast(x.data(), blocks.data(), static_cast<int64_t>(x.size()));
    return blocks;
}

// The exhaustive search with uniform importance.
std::vector<uint8_t> encode_exhaustive(TensorType type, const std::vector<float> &x) {
    std::vector<uint8_t> blocks(bytes_for(type, x.size()));
    quant_kernels(type)->from_float_weighted(x.data(), blocks.data(), static_cast<int64_t>(x.size()), nullptr);
    return blocks;
}

// Relative RMSE bounds on N(0,1) data. Each lies between the fast encoder's
// error and that of llama.cpp's quantizers (measured on 128 x 4096 N(0,1),
// docs/kernels.md): fast / bound / llama.cpp.
struct Bound {
    TensorType type;
    double rmse;
};
constexpr Bound kBounds[] = {
    {TensorType::Q4_0, 0.0835},    // 0.0812 / 0.0859
    {TensorType::Q4_1, 0.0740},    // 0.0701 / 0.0783
    {TensorType::Q5_0, 0.0415},    // 0.0403 / 0.0427
    {TensorType::Q5_1, 0.0358},    // 0.0338 / 0.0378
    {TensorType::Q8_0, 0.00520},   // 0.00504 / 0.00536
    {TensorType::Q2_K, 0.280},     // 0.265 / 0.296
    {TensorType::Q3_K, 0.1480},    // 0.1452 / 0.1509
    {TensorType::Q4_K, 0.0709},    // 0.0704 / 0.0714
    {TensorType::Q5_K, 0.0354},    // 0.0348 / 0.0361
    {TensorType::Q6_K, 0.01750},   // 0.01718 / 0.01775
    {TensorType::IQ4_NL, 0.0756},  // 0.0748 / 0.0763
    {TensorType::IQ4_XS, 0.0761},  // 0.0753 / 0.0769
};

// Plain max-abs rounding of a one-scale block type: the value of largest
// magnitude on the lowest level (d = max / lo), F16 scale, nearest levels.
double max_abs_rmse(const std::vector<float> &x, int lo, int hi) {
    std::vector<float> y(x.size());
    for (size_t b = 0; b < x.size(); b += 32) {
        float max = 0.0f;
        for (size_t i = b; i < b + 32; ++i)
            if (std::fabs(x[i]) > std::fabs(max)) max = x[i];
        const float d = half_to_float(float_to_half(max / static_cast<float>(lo)));
        for (size_t i = b; i < b + 32; ++i) {
            const float l = d != 0.0f ? std::fmin(hi, std::fmax(lo, std::nearbyint(x[i] / d))) : 0.0f;
            y[i] = l * d;
        }
    }
    return relative_rmse(x, y);
}

}  // namespace

TEST_CASE("every weight type has a fast encoder, the activation-only types none") {
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        CHECK((quant_kernels(t)->from_float_fast != nullptr));
    }
    CHECK((quant_kernels(TensorType::Q8_1)->from_float_fast == nullptr));
    CHECK((quant_kernels(TensorType::Q8_K)->from_float_fast == nullptr));
    for (TensorType t : {TensorType::LQ_I8_ROW, TensorType::LQ_I4_G32, TensorType::LQ_I4_G128, TensorType::LQ_NL3,
                         TensorType::LQ_NL4, TensorType::LQ_NL5})
        CHECK((quant_kernels(t)->from_float_fast != nullptr));
}

TEST_CASE("the float types' fast encoders store the values as from_float does") {
    const auto x = normal_row(512, 3);
    for (TensorType t : {TensorType::F32, TensorType::F16, TensorType::BF16}) {
        CAPTURE(std::string(type_name(t)));
        CHECK(encode_fast(t, x) == encode(t, x));
    }
}

TEST_CASE("fast encoders stay within error bounds that max-abs rounding exceeds") {
    const auto x = normal_row(64 * 4096, 11);
    for (const Bound &b : kBounds) {
        CAPTURE(std::string(type_name(b.type)));
        const auto blocks = encode_fast(b.type, x);
        const auto y = decode(b.type, blocks, x.size());
        CHECK(all_finite(y));
        const double fast = relative_rmse(x, y);
        CHECK(fast < b.rmse);
        // Close to the exhaustive search (measured: 0.4% for Q4_0 to 7.5%
        // for Q8_0).
        const auto exhaustive = decode(b.type, encode_exhaustive(b.type, x), x.size());
        CHECK(fast < 1.08 * relative_rmse(x, exhaustive));
    }
    // The bounds mean something: plain max-abs rounding misses them.
    CHECK(max_abs_rmse(x, -8, 7) > 0.0835);
    CHECK(max_abs_rmse(x, -16, 15) > 0.0415);
    CHECK(max_abs_rmse(x, -127, 127) > 0.00520);
}

TEST_CASE("fast encoders on real-looking weights: small scales, outliers, skew") {
    // N(0, 0.02) with a few large outliers per row, and a shifted row.
    auto x = normal_row(16 * 4096, 21, 0.02f);
    for (size_t i = 0; i < x.size(); i += 997) x[i] *= 12.0f;
    auto shifted = normal_row(4096, 22, 0.02f);
    for (float &v : shifted) v += 0.01f;
    x.insert(x.end(), shifted.begin(), shifted.end());
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        const auto y = decode(t, encode_fast(t, x), x.size());
        const auto z = decode(t, encode_exhaustive(t, x), x.size());
        CHECK(all_finite(y));
        CHECK(relative_rmse(x, y) <= 1.08 * relative_rmse(x, z) + 1e-7);
    }
}

TEST_CASE("fast encoders on zeros, constants, signs of zero, tiny and huge values") {
    const size_t n = 512;
    std::vector<std::vector<float>> rows;
    rows.push_back(std::vector<float>(n, 0.0f));
    std::vector<float> signed_zeros(n);
    for (size_t i = 0; i < n; ++i) signed_zeros[i] = i % 3 ? -0.0f : 0.0f;
    rows.push_back(signed_zeros);
    rows.push_back(std::vector<float>(n, 0.75f));
    rows.push_back(std::vector<float>(n, -3.0f));
    rows.push_back(normal_row(n, 31, 1e-6f));      // below the smallest F16 scales
    rows.push_back(normal_row(n, 32, 1e-30f));     // far below
    rows.push_back(normal_row(n, 33, 10000.0f));   // towards the fast path's limit
    std::vector<float> spike(n, 0.0f);
    spike[5] = 1.0f;
    spike[300] = -60000.0f;
    rows.push_back(spike);
    std::vector<float> positive = normal_row(n, 34);
    for (float &v : positive) v = std::fabs(v) + 1.0f;
    rows.push_back(positive);
    for (TensorType t : kWeightTypes) {
        for (const auto &x : rows) {
            CAPTURE(std::string(type_name(t)));
            CAPTURE(x[0]);
            const auto y = decode(t, encode_fast(t, x), n);
            REQUIRE(all_finite(y));
            double energy = 0.0;
            for (float v : x) energy += static_cast<double>(v) * v;
            if (energy == 0.0) {
                for (float v : y) CHECK(v == 0.0f);
            } else if (std::sqrt(energy / n) > 1e-4) {
                // Bounded error on everything F16 scales can represent. (On
                // zeros around one huge value the F16 rounding of the scales
                // dominates; the exhaustive search settles it a little
                // better: 0.002 against 0.0007 for Q4_K.)
                const auto z = decode(t, encode_exhaustive(t, x), n);
                CHECK(relative_rmse(x, y) <= 1.1 * relative_rmse(x, z) + 5e-3);
            }
        }
    }
}

TEST_CASE("rows with non-finite or out-of-range values take the exhaustive search") {
    const size_t n = 512;
    const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
    std::vector<std::vector<float>> rows;
    for (const float odd : {nan, inf, -inf, 70000.0f, -1e30f, 3e38f}) {
        auto x = normal_row(n, 41);
        x[77] = odd;
        rows.push_back(x);
    }
    rows.push_back(normal_row(n, 42, 1e30f));
    for (TensorType t : kWeightTypes) {
        if (t == TensorType::F32 || t == TensorType::F16 || t == TensorType::BF16) continue;
        for (const auto &x : rows) {
            CAPTURE(std::string(type_name(t)));
            CAPTURE(x[77]);
            const auto fast = encode_fast(t, x);
            CHECK(fast == encode_exhaustive(t, x));
            CHECK(all_finite(decode(t, fast, n)));
        }
    }
}
