// The CPU backend's fast weight encoders against the reference ones: the
// same bytes for every row (the search logic is shared, the group sums are
// bit-identical), and the quantizer-facing pieces around them.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "backends/cpu/cpu_kernels.h"
#include "kernel_test_util.h"

using namespace lq;
using namespace kernel_test;

namespace {

std::vector<uint8_t> encode_with(const QuantKernels &k, const std::vector<float> &x) {
    std::vector<uint8_t> blocks(bytes_for(k.type, x.size()));
    k.from_float_fast(x.data(), blocks.data(), static_cast<int64_t>(x.size()));
    return blocks;
}

// Rows that exercise every branch of the searches: several magnitudes,
// skewed and one-signed groups, exact ties of the rounding rules, repeated
// values of largest magnitude, zero and constant groups, lone spikes.
std::vector<std::vector<float>> fast_encoder_inputs(size_t n, uint64_t seed) {
    std::vector<std::vector<float>> rows;
    for (const float scale : {1.0f, 0.02f, 3e-5f, 1000.0f, 60000.0f}) rows.push_back(normal_row(n, seed++, scale));
    auto cubed = normal_row(n, seed++);
    for (float &v : cubed) v = v * v * v;
    rows.push_back(cubed);
    auto positive = normal_row(n, seed++);
    for (float &v : positive) v = std::fabs(v) + 0.5f;
    rows.push_back(positive);
    auto negative = positive;
    for (float &v : negative) v = -v;
    rows.push_back(negative);
    std::vector<float> ties(n);
    for (size_t i = 0; i < n; ++i) ties[i] = static_cast<float>(static_cast<int>(i % 17) - 8) * 0.5f;
    rows.push_back(ties);
    std::vector<float> repeated_max = normal_row(n, seed++);
    for (size_t i = 0; i < n; i += 7) repeated_max[i] = i % 2 ? 4.0f : -4.0f;
    rows.push_back(repeated_max);
    std::vector<float> patchy = normal_row(n, seed++);
    for (size_t i = 0; i < n; ++i) {
        if ((i / 16) % 3 == 0) patchy[i] = 0.0f;
        else if ((i / 16) % 3 == 1) patchy[i] = (i / 16) % 2 ? -0.0f : 0.25f;
    }
    rows.push_back(patchy);
    std::vector<float> spikes(n, 0.0f);
    for (size_t i = 3; i < n; i += 61) spikes[i] = static_cast<float>(i % 5) - 2.0f;
    rows.push_back(spikes);
    std::vector<float> limit = normal_row(n, seed++);
    limit[n / 2] = 65504.0f;
    limit[n / 3] = -65504.0f;
    rows.push_back(limit);
    // Handed to the exhaustive search.
    auto odd = normal_row(n, seed++);
    odd[n - 1] = std::numeric_limits<float>::quiet_NaN();
    rows.push_back(odd);
    return rows;
}

}  // namespace

TEST_CASE("AVX2 fast encoders write the reference fast encoders' bytes") {
    MESSAGE("CPU kernel rows: " << std::string(cpu::cpu_kernels_isa()));
    for (TensorType t : kWeightTypes) {
        const QuantKernels &fast = *cpu::cpu_kernels(t);
        const QuantKernels &reference = *quant_kernels(t);
        REQUIRE((fast.from_float_fast != nullptr));
        for (const size_t n : {256u, 2048u, 5632u}) {
            for (const auto &x : fast_encoder_inputs(n, 100 + n)) {
                CAPTURE(std::string(type_name(t)));
                CAPTURE(n);
                CAPTURE(x[0]);
                CHECK(encode_with(fast, x) == encode_with(reference, x));
            }
        }
    }
}

TEST_CASE("AVX2 fast encoders agree on many random blocks") {
    // Small random groups hit rare ties in the candidate comparisons.
    lq::Random rng(7);
    for (TensorType t : kWeightTypes) {
        const QuantKernels &fast = *cpu::cpu_kernels(t);
        const QuantKernels &reference = *quant_kernels(t);
        int different = 0;
        for (int trial = 0; trial < 40; ++trial) {
            std::vector<float> x(256);
            const double scale = std::exp(8.0 * rng.uniform() - 6.0);
            for (float &v : x) {
                const double u = rng.uniform();
                v = static_cast<float>(u < 0.1 ? 0.0 : u < 0.15 ? scale * 4.0 : scale * rng.normal());
            }
            different += encode_with(fast, x) != encode_with(reference, x);
        }
        CAPTURE(std::string(type_name(t)));
        CHECK(different == 0);
    }
}
