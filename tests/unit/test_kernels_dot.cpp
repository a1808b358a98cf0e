// Dot products and the activation encodings they rely on.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/half.h"
#include "kernel_test_util.h"
#include "kernels/blocks.h"

using namespace lq;
using namespace kernel_test;

TEST_CASE("vec_dot equals the float dot of the decoded rows") {
    for (TensorType t : kWeightTypes) {
        const QuantKernels &k = *quant_kernels(t);
        for (const size_t n : {256u, 512u, 4096u}) {
            CAPTURE(std::string(type_name(t)));
            CAPTURE(n);
            const auto w = normal_row(n, 10 + n);
            const auto a = normal_row(n, 20 + n);
            const auto wq = encode(t, w);
            const auto aq = encode(k.dot_type, a);
            const auto wf = decode(t, wq, n);
            const auto af = decode(k.dot_type, aq, n);
            double expect = 0.0, magnitude = 0.0;
            for (size_t i = 0; i < n; ++i) {
                expect += static_cast<double>(wf[i]) * af[i];
                magnitude += std::fabs(static_cast<double>(wf[i]) * af[i]);
            }
            const float got = k.vec_dot(static_cast<int64_t>(n), wq.data(), aq.data());
            // Q4_1 and Q5_1 use the F16-rounded block sum of the activations.
            const double tolerance = (t == TensorType::Q4_1 || t == TensorType::Q5_1) ? 2e-3 : 1e-6;
            CHECK(std::fabs(got - expect) <= tolerance * magnitude);
        }
    }
}

TEST_CASE("vec_dot of a row with itself approximates the squared norm") {
    const size_t n = 1024;
    const auto x = normal_row(n, 31);
    double norm = 0.0;
    for (float v : x) norm += static_cast<double>(v) * v;
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        const QuantKernels &k = *quant_kernels(t);
        const float d = k.vec_dot(static_cast<int64_t>(n), encode(t, x).data(), encode(k.dot_type, x).data());
        CHECK(std::fabs(d - norm) < 0.2 * norm);
    }
}

TEST_CASE("q8_0 activations: d = amax / 127 as F16, q = round half away from zero") {
    std::vector<float> x(32, 0.0f);
    x[0] = 127.0f;  // d = 1, so q = round(x)
    x[1] = 2.5f;
    x[2] = -2.5f;
    x[3] = 0.5f;
    x[4] = -0.49f;
    x[5] = -127.0f;
    const auto q = encode(TensorType::Q8_0, x);
    BlockQ8_0 b;
    std::memcpy(&b, q.data(), sizeof b);
    CHECK(b.d == float_to_half(1.0f));
    CHECK(b.qs[0] == 127);
    CHECK(b.qs[1] == 3);
    CHECK(b.qs[2] == -3);
    CHECK(b.qs[3] == 1);
    CHECK(b.qs[4] == 0);
    CHECK(b.qs[5] == -127);

    // Q8_1 adds s = d * sum(q) with the unrounded d.
    x.assign(32, 0.3f);
    x[7] = -1.0f;
    const auto q1 = encode(TensorType::Q8_1, x);
    BlockQ8_1 c;
    std::memcpy(&c, q1.data(), sizeof c);
    int sum = 0;
    for (int8_t v : c.qs) sum += v;
    CHECK(c.qs[7] == -127);
    CHECK(c.qs[0] == 38);  // 0.3 * 127 = 38.1
    CHECK(c.s == float_to_half(static_cast<float>(sum) * (1.0f / 127.0f)));
}

TEST_CASE("q8_K activations: the largest magnitude maps to -127, ties to even, block sums") {
    std::vector<float> x(256, 0.0f);
    x[3] = 127.0f / 64.0f;    // largest: iscale = -127 / max = -64 exactly
    x[9] = -127.0f / 64.0f;   // same magnitude, later: maps to +127
    x[10] = 0.5f / 64.0f;     // -0.5 -> ties to even: 0
    x[11] = 1.5f / 64.0f;     // -1.5 -> -2
    x[12] = 2.5f / 64.0f;     // -2.5 -> -2
    x[40] = 0.5f;             // -32
    const auto q = encode(TensorType::Q8_K, x);
    BlockQ8_K b;
    std::memcpy(&b, q.data(), sizeof b);
    CHECK(b.d == -1.0f / 64.0f);
    CHECK(b.qs[3] == -127);
    CHECK(b.qs[9] == 127);
    CHECK(b.qs[10] == 0);
    CHECK(b.qs[11] == -2);
    CHECK(b.qs[12] == -2);
    CHECK(b.qs[40] == -32);
    CHECK(b.bsums[0] == -127 + 127 + 0 - 2 - 2);
    CHECK(b.bsums[2] == -32);
    CHECK(b.bsums[1] == 0);

    const std::vector<float> zeros(256, 0.0f);
    const auto z = encode(TensorType::Q8_K, zeros);
    for (uint8_t byte : z) CHECK(byte == 0);
}

TEST_CASE("activation encodings decode close to their input") {
    const auto x = normal_row(1024, 4);
    for (TensorType t : kActivationTypes) {
        CAPTURE(std::string(type_name(t)));
        // 256-element Q8_K blocks span a wider range than 32-element ones.
        CHECK(relative_rmse(x, decode(t, encode(t, x), x.size())) < (t == TensorType::Q8_K ? 0.0095 : 0.0065));
    }
}
