// Quality of the quantizers: error bounds on fixed random data that a
// worse scale search would miss, importance weighting, and edge cases.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/half.h"
#include "kernel_test_util.h"
#include "kernels/blocks.h"
#include "kernels/scale_search.h"

using namespace lq;
using namespace kernel_test;

namespace {

struct Bound {
    TensorType type;
    double max_rmse;           // relative RMSE of from_float on N(0, 1) data
    double max_weighted_rmse;  // relative weighted RMSE of from_float_weighted
};

// Measured values are about 1% below each bound. For comparison, plain
// round-to-nearest with the scale set by the largest value (the reference
// quantizers of other runtimes for the 32-element types) gives: q4_0 0.0858,
// q4_1 0.0781, q5_0 0.0426, q5_1 0.0378; their K-quant and IQ4 quantizers
// give q2_K 0.296, q3_K 0.151, q4_K 0.0712, q5_K 0.0360, q6_K 0.0177,
// iq4_nl 0.0761, iq4_xs 0.0767.
const Bound kBounds[] = {
    {TensorType::Q4_0, 0.0816, 0.0685},  {TensorType::Q4_1, 0.0694, 0.0536},   {TensorType::Q5_0, 0.0405, 0.0337},
    {TensorType::Q5_1, 0.0332, 0.0254},  {TensorType::Q8_0, 0.00543, 0.00372}, {TensorType::Q2_K, 0.2618, 0.1904},
    {TensorType::Q3_K, 0.1449, 0.1174},  {TensorType::Q4_K, 0.0700, 0.0544},   {TensorType::Q5_K, 0.0343, 0.0269},
    {TensorType::Q6_K, 0.01648, 0.01275}, {TensorType::IQ4_NL, 0.0741, 0.0599}, {TensorType::IQ4_XS, 0.0745, 0.0603},
};

constexpr size_t kRow = 4096;
constexpr int kRows = 16;

std::vector<float> test_data() { return normal_row(kRow * kRows, 1234); }

// Importance per column of a kRow-wide matrix, repeated for every row.
std::vector<float> test_importance() {
    const auto column = importance_row(kRow, 77);
    std::vector<float> imp(kRow * kRows);
    for (size_t i = 0; i < imp.size(); ++i) imp[i] = column[i % kRow];
    return imp;
}

}  // namespace

TEST_CASE("quantizers meet per-type error bounds on gaussian data") {
    const auto x = test_data();
    const auto imp = test_importance();
    for (const Bound &b : kBounds) {
        CAPTURE(std::string(type_name(b.type)));
        const double rmse = relative_rmse(x, decode(b.type, encode(b.type, x), x.size()));
        const double weighted = relative_rmse(x, decode(b.type, encode(b.type, x, &imp), x.size()), &imp);
        CHECK(rmse < b.max_rmse);
        CHECK(weighted < b.max_weighted_rmse);
    }
}

TEST_CASE("importance weighting lowers the weighted error of every quantized type") {
    const auto x = test_data();
    const auto imp = test_importance();
    for (const Bound &b : kBounds) {
        CAPTURE(std::string(type_name(b.type)));
        std::vector<float> uniform(x.size(), 1.0f);
        const double plain = relative_rmse(x, decode(b.type, encode(b.type, x), x.size()), &imp);
        const double weighted = relative_rmse(x, decode(b.type, encode(b.type, x, &imp), x.size()), &imp);
        CHECK(weighted < 0.97 * plain);
        // Uniform importance is the unweighted quantizer (Q8_0's from_float
        // is the activation rule, so compare it with nullptr instead).
        const auto a = encode(b.type, x, &uniform);
        const auto *k = quant_kernels(b.type);
        std::vector<uint8_t> c(a.size());
        k->from_float_weighted(x.data(), c.data(), static_cast<int64_t>(x.size()), nullptr);
        CHECK(a == c);
        if (b.type != TensorType::Q8_0) CHECK(a == encode(b.type, x));
    }
}

TEST_CASE("quantizers handle zero, constant, huge and tiny rows without NaN") {
    const size_t n = 512;
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        // All zeros decode to exact zeros.
        const std::vector<float> zeros(n, 0.0f);
        for (const float v : decode(t, encode(t, zeros), n)) CHECK(v == 0.0f);
        const auto imp = importance_row(n, 5);
        for (const float v : decode(t, encode(t, zeros, &imp), n)) CHECK(v == 0.0f);

        // A constant row is reproduced to F16 precision.
        for (const float c : {0.75f, -3.0f}) {
            const std::vector<float> row(n, c);
            const auto y = decode(t, encode(t, row), n);
            for (const float v : y) CHECK(std::fabs(v - c) <= 2e-3f * std::fabs(c));
        }

        // Magnitudes: typical small weights, large values near the F16
        // limit of the scales, and values far beyond and below it. (F16
        // rows themselves turn values beyond 65504 into infinity, as any
        // IEEE conversion does.)
        for (const float scale : {1e-3f, 30.0f, 1e4f, 1e30f, 1e-30f}) {
            if (t == TensorType::F16 && scale > 1e4f) continue;
            CAPTURE(scale);
            const auto x = normal_row(n, 99, scale);
            const auto y = decode(t, encode(t, x), n);
            CHECK(all_finite(y));
            const auto yw = decode(t, encode(t, x, &imp), n);
            CHECK(all_finite(yw));
            if (scale >= 1e-3f && scale <= 30.0f) {
                CHECK(relative_rmse(x, y) < 0.35);
                CHECK(relative_rmse(x, yw, &imp) < 0.35);
            }
        }
        // Non-finite inputs never turn into NaN among the other outputs.
        auto bad = normal_row(n, 3);
        bad[5] = std::numeric_limits<float>::infinity();
        bad[40] = -std::numeric_limits<float>::infinity();
        bad[300] = std::numeric_limits<float>::quiet_NaN();
        if (t != TensorType::F32 && t != TensorType::F16 && t != TensorType::BF16) {
            for (const auto *importance : {static_cast<const std::vector<float> *>(nullptr), &imp}) {
                std::vector<uint8_t> blocks(bytes_for(t, n));
                quant_kernels(t)->from_float_weighted(bad.data(), blocks.data(), n,
                                                      importance ? importance->data() : nullptr);
                const auto y = decode(t, blocks, n);
                for (size_t i = 0; i < n; ++i)
                    if (i != 5 && i != 40 && i != 300) CHECK(std::isfinite(y[i]));
            }
        }
    }
}

TEST_CASE("activation encodings saturate instead of overflowing") {
    for (TensorType t : kActivationTypes) {
        CAPTURE(std::string(type_name(t)));
        const auto x = normal_row(512, 6, 1e30f);
        CHECK(all_finite(decode(t, encode(t, x), x.size())));
    }
}

TEST_CASE("zero importance everywhere behaves as uniform importance") {
    const auto x = normal_row(1024, 8);
    const std::vector<float> none(x.size(), 0.0f);
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        std::vector<uint8_t> a(bytes_for(t, x.size())), b(a.size());
        quant_kernels(t)->from_float_weighted(x.data(), a.data(), 1024, none.data());
        quant_kernels(t)->from_float_weighted(x.data(), b.data(), 1024, nullptr);
        CHECK(a == b);
    }
}

namespace {

// Brute force over a dense grid of inverse scales: the best least-squares
// error of x ~ d * L[q] with q = nearest(s * x), for s (of either sign) in
// [0.8, 1.3] * s0, where s0 first puts some |x| on an outermost level: the
// window fit_scale sweeps for these level sets.
double brute_force_error(const float *x, int n, const Levels &levels) {
    double xx = 0.0;
    for (int i = 0; i < n; ++i) xx += static_cast<double>(x[i]) * x[i];
    double best = 0.0;
    for (int sign = -1; sign <= 1; sign += 2) {
        float s0 = HUGE_VALF;
        for (int i = 0; i < n; ++i) {
            const float u = static_cast<float>(sign) * x[i];
            if (u > 0.0f) s0 = std::min(s0, levels.highest() / u);
            if (u < 0.0f) s0 = std::min(s0, levels.lowest() / u);
        }
        for (int step = 0; step <= 20000; ++step) {
            const float s = static_cast<float>(sign) * (0.8f + 0.5f * step / 20000.0f) * s0;
            double num = 0.0, den = 0.0;
            for (int i = 0; i < n; ++i) {
                const double l = levels.value(levels.nearest(s * x[i]));
                num += x[i] * l;
                den += l * l;
            }
            if (den > 0.0) best = std::max(best, num * num / den);
        }
    }
    return xx - best;
}

double fitted_error(const float *x, int n, const Levels &levels) {
    uint8_t q[kMaxGroup];
    const float d = fit_scale(x, nullptr, n, levels, q);
    return assign_scaled(x, nullptr, n, levels, d, q);
}

}  // namespace

TEST_CASE("the scale sweep finds the least-squares optimum a dense grid finds") {
    const Levels sets[] = {Levels::linear(-8, 7), Levels::linear(-4, 3), Levels::codebook(kIQ4Values, 16)};
    for (const Levels &levels : sets) {
        for (uint64_t seed = 0; seed < 12; ++seed) {
            const auto x = normal_row(32, 1000 + seed);
            const double sweep = fitted_error(x.data(), 32, levels);
            const double grid = brute_force_error(x.data(), 32, levels);
            // The sweep is exact; the grid can only miss optima between its points.
            CHECK(sweep <= grid * (1.0 + 1e-5) + 1e-12);
        }
    }
}

TEST_CASE("the offset search beats a dense grid of scale and offset") {
    for (uint64_t seed = 0; seed < 8; ++seed) {
        const auto x = normal_row(32, 2000 + seed);
        uint8_t q[kMaxGroup];
        const AffineFit fit = fit_scale_offset(x.data(), nullptr, 32, 15, false, q);
        const double found = assign_affine(x.data(), nullptr, 32, 15, fit.scale, fit.offset, q);
        const float lo = *std::min_element(x.begin(), x.end()), hi = *std::max_element(x.begin(), x.end());
        double grid = HUGE_VAL;
        for (int a = 0; a <= 40; ++a) {
            for (int b = 0; b <= 40; ++b) {
                const float d = (hi - lo) / 15.0f * (0.8f + 0.4f * a / 40.0f);
                const float m = lo + d * (-0.5f + b / 40.0f);
                grid = std::min(grid, assign_affine(x.data(), nullptr, 32, 15, d, m, q));
            }
        }
        CHECK(found <= grid * 1.001);
    }
}
