// libquant's non-linear types lq_nl3, lq_nl4, lq_nl5: the byte layout of
// docs/formats.md checked against hand-packed groups, ragged rows, the
// encoders' error, importance, requantize and the dot product.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernel_test_util.h"

using namespace lq;
using namespace kernel_test;

namespace {

struct NlType {
    TensorType type;
    int bits;
    std::vector<int> levels;  // as docs/formats.md lists them
};

const NlType kNlTypes[] = {
    {TensorType::LQ_NL3, 3, {-127, -80, -48, -21, 3, 29, 58, 97}},
    {TensorType::LQ_NL4, 4, {-127, -103, -81, -64, -49, -36, -23, -12, 0, 12, 23, 36, 49, 64, 81, 102}},
    {TensorType::LQ_NL5, 5, {-127, -113, -101, -91, -83, -75, -68, -61, -54, -47, -40, -33, -26, -20, -13, -6,
                             0,    7,    13,   20,  26,  33,  40,  47,  54,  61,  68,  75,  82,  90,  99,  109}},
};

// Packs level indices as docs/formats.md describes: groups of 32, a scale
// byte, then the indices as a little-endian bit stream of `bits` bits each.
std::vector<uint8_t> pack(int bits, const std::vector<uint8_t> &scales, const std::vector<uint32_t> &codes) {
    std::vector<uint8_t> out;
    for (size_t start = 0, g = 0; start < codes.size(); start += 32, ++g) {
        const size_t len = std::min<size_t>(32, codes.size() - start);
        out.push_back(scales[g]);
        std::vector<uint8_t> stream((len * bits + 7) / 8, 0);
        for (size_t i = 0; i < len; ++i)
            for (int b = 0; b < bits; ++b)
                if (codes[start + i] >> b & 1) stream[(i * bits + b) / 8] |= static_cast<uint8_t>(1u << ((i * bits + b) % 8));
        out.insert(out.end(), stream.begin(), stream.end());
    }
    return out;
}

double scale_of(uint8_t byte) {
    const int m = byte & 0x7F;
    const double magnitude = m == 0 ? 0.0 : std::exp2((m - 91) / 6.0);
    return (byte & 0x80) ? -magnitude : magnitude;
}

}  // namespace

TEST_CASE("lq_nl types decode hand-packed groups as docs/formats.md describes") {
    for (const NlType &t : kNlTypes) {
        CAPTURE(std::string(type_name(t.type)));
        const TypeInfo &info = *type_info(t.type);
        CHECK(info.ragged);
        CHECK(info.block_size == 32);
        CHECK(info.type_size == 1 + 4 * static_cast<uint32_t>(t.bits));
        // 75 elements: two full groups and one of 11, every level used, the
        // scales 2^0, -2^(-1/6)... and a zero group.
        const size_t n = 75;
        std::vector<uint32_t> codes(n);
        for (size_t i = 0; i < n; ++i) codes[i] = static_cast<uint32_t>((i * 7 + 3) % t.levels.size());
        const std::vector<uint8_t> scales = {91, 0x80 | 90, 0};
        const auto bytes = pack(t.bits, scales, codes);
        CHECK(bytes.size() == row_bytes(info, n));
        std::vector<float> out(n);
        quant_kernels(t.type)->to_float(bytes.data(), out.data(), static_cast<int64_t>(n));
        for (size_t i = 0; i < n; ++i) {
            CAPTURE(i);
            const double expected = scale_of(scales[i / 32]) / 127.0 * t.levels[codes[i]];
            CHECK(out[i] == doctest::Approx(expected).epsilon(1e-6));
        }
        // The extremes of the scale byte.
        CHECK(scale_of(1) == doctest::Approx(std::exp2(-15.0)));
        CHECK(scale_of(127) == doctest::Approx(std::exp2(6.0)));
    }
}

TEST_CASE("lq_nl types: bits per weight and ragged rows") {
    CHECK(row_bytes(*type_info(TensorType::LQ_NL4), 64) == 34);    // 4.25 bits per weight
    CHECK(row_bytes(*type_info(TensorType::LQ_NL5), 64) == 42);    // 5.25
    CHECK(row_bytes(*type_info(TensorType::LQ_NL3), 64) == 26);    // 3.25
    CHECK(row_bytes(*type_info(TensorType::LQ_NL5), 172) == 114);  // 5 x 21 + 1 + ceil(12 x 5 / 8)
    for (const NlType &t : kNlTypes) {
        for (size_t n : {1, 2, 5, 31, 32, 33, 63, 100, 172}) {
            CAPTURE(std::string(type_name(t.type)));
            CAPTURE(n);
            const auto x = normal_row(n, 40 + n);
            // encode() sizes the buffer by row_bytes: ASan sees any write past it.
            const auto y = decode(t.type, encode(t.type, x), n);
            CHECK(all_finite(y));
            CHECK(relative_rmse(x, y) < (t.bits == 3 ? 0.25 : t.bits == 4 ? 0.13 : 0.07));
        }
    }
}

TEST_CASE("lq_nl encoders: less error than evenly spaced grids with 16-bit scales") {
    const auto x = normal_row(32 * 2048, 5);
    // Measured on this row: nl3 0.155, nl4 0.0776 against Q4_0's 0.0812
    // (exhaustive search), nl5 0.0403 against Q5_0's 0.0401: the non-linear
    // levels save a quarter of a bit per weight (the one-byte scales) at
    // equal or lower error.
    const double q4_0 = relative_rmse(x, decode(TensorType::Q4_0, encode(TensorType::Q4_0, x), x.size()));
    const double q5_0 = relative_rmse(x, decode(TensorType::Q5_0, encode(TensorType::Q5_0, x), x.size()));
    const double nl3 = relative_rmse(x, decode(TensorType::LQ_NL3, encode(TensorType::LQ_NL3, x), x.size()));
    const double nl4 = relative_rmse(x, decode(TensorType::LQ_NL4, encode(TensorType::LQ_NL4, x), x.size()));
    const double nl5 = relative_rmse(x, decode(TensorType::LQ_NL5, encode(TensorType::LQ_NL5, x), x.size()));
    MESSAGE("relative RMSE: nl3 " << nl3 << ", nl4 " << nl4 << " (q4_0 " << q4_0 << "), nl5 " << nl5 << " (q5_0 " << q5_0
                                  << ")");
    CHECK(nl4 < 0.97 * q4_0);
    CHECK(nl5 < 1.02 * q5_0);
    CHECK(nl3 < 0.16);
    // An evenly spaced 3-bit grid with the same scales does worse (0.166).
    CHECK(nl3 < 2.0 * nl4);
}

TEST_CASE("lq_nl encoders honour importance, and requantize reproduces the encoding") {
    const auto x = normal_row(32 * 256, 6);
    const auto w = importance_row(x.size(), 7);
    for (const NlType &t : kNlTypes) {
        CAPTURE(std::string(type_name(t.type)));
        const auto plain = decode(t.type, encode(t.type, x), x.size());
        const auto weighted_blocks = encode(t.type, x, &w);
        const auto weighted = decode(t.type, weighted_blocks, x.size());
        // Both choose among the same scales; the weighted one by the weighted error.
        CHECK(relative_rmse(x, weighted, &w) <= relative_rmse(x, plain, &w));
        CHECK(relative_rmse(x, weighted, &w) < 0.99 * relative_rmse(x, plain, &w));

        // requantize keeps the scales and rounds each element to its nearest
        // level: on the encoded input it gives back the same bytes.
        auto blocks = weighted_blocks;
        std::vector<float> decoded(x.size());
        const QuantKernels &k = *quant_kernels(t.type);
        for (size_t i = 0; i < x.size(); i += 37) {
            const int64_t count = static_cast<int64_t>(std::min<size_t>(37, x.size() - i));
            k.requantize(x.data(), blocks.data(), static_cast<int64_t>(x.size()), static_cast<int64_t>(i), count,
                         &decoded[i]);
        }
        CHECK(blocks == weighted_blocks);
        CHECK(decoded == weighted);
        // Moving one element far away moves only its own level.
        std::vector<float> moved = x;
        moved[40] = 100.0f;
        float value;
        k.requantize(moved.data(), blocks.data(), static_cast<int64_t>(x.size()), 40, 1, &value);
        const auto after = decode(t.type, blocks, x.size());
        CHECK(value == after[40]);
        CHECK(value > weighted[40]);
        for (size_t i = 0; i < x.size(); ++i)
            if (i != 40) CHECK(after[i] == weighted[i]);
    }
}

TEST_CASE("lq_nl dot products equal the decoded rows' dot products") {
    for (const NlType &t : kNlTypes) {
        for (size_t n : {32, 75, 172, 4096}) {
            CAPTURE(std::string(type_name(t.type)));
            CAPTURE(n);
            const auto w = normal_row(n, 60 + n);
            const auto x = normal_row(n, 70 + n);
            const auto blocks = encode(t.type, w);
            const auto decoded = decode(t.type, blocks, n);
            double expected = 0.0, magnitude = 0.0;
            for (size_t i = 0; i < n; ++i) {
                expected += static_cast<double>(decoded[i]) * x[i];
                magnitude += std::fabs(static_cast<double>(decoded[i]) * x[i]);
            }
            const float got = quant_kernels(t.type)->vec_dot(static_cast<int64_t>(n), blocks.data(), x.data());
            CHECK(std::fabs(got - expected) <= 1e-5 * magnitude);
        }
    }
}

TEST_CASE("lq_nl encoders on zeros, tiny, huge and non-finite values") {
    const size_t n = 96;
    std::vector<std::vector<float>> rows;
    rows.push_back(std::vector<float>(n, 0.0f));
    rows.push_back(std::vector<float>(n, -3.0f));
    rows.push_back(normal_row(n, 81, 1e-30f));  // below the smallest scale: rounds to zero
    rows.push_back(normal_row(n, 82, 1e6f));    // above the largest: clamps to the outer levels
    auto with_nan = normal_row(n, 83);
    with_nan[3] = NAN;
    with_nan[40] = INFINITY;
    with_nan[70] = -INFINITY;
    rows.push_back(with_nan);
    for (const NlType &t : kNlTypes) {
        for (const auto &x : rows) {
            CAPTURE(std::string(type_name(t.type)));
            const auto y = decode(t.type, encode(t.type, x), n);
            CHECK(all_finite(y));
            for (size_t i = 0; i < n; ++i)
                if (std::isfinite(x[i])) CHECK(std::fabs(y[i]) <= std::fmax(std::fabs(x[i]), 64.0f) * 1.5f + 1e-6f);
        }
        // A zero row decodes to zeros exactly, a constant one closely.
        CHECK(decode(t.type, encode(t.type, rows[0]), n) == rows[0]);
        const auto c = decode(t.type, encode(t.type, rows[1]), n);
        CHECK(c[0] == doctest::Approx(-3.0).epsilon(0.03));
        // In the row with non-finite values, the finite ones stay accurate.
        const auto y = decode(t.type, encode(t.type, with_nan), n);
        std::vector<float> finite_x, finite_y;
        for (size_t i = 0; i < n; ++i)
            if (std::isfinite(with_nan[i])) {
                finite_x.push_back(with_nan[i]);
                finite_y.push_back(y[i]);
            }
        CHECK(relative_rmse(finite_x, finite_y) < 0.3);
    }
}
