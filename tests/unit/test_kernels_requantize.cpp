// requantize: rounding single elements onto a block's existing grid, as
// GPTQ does column by column.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernel_test_util.h"

using namespace lq;
using namespace kernel_test;

TEST_CASE("requantize picks levels at least as close as the encoder's, and decodes like to_float") {
    const size_t n = 1024;
    const auto x = normal_row(n, 17);
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        const QuantKernels &k = *quant_kernels(t);
        auto blocks = encode(t, x);
        const auto before = decode(t, blocks, n);
        std::vector<float> decoded(n);
        k.requantize(x.data(), blocks.data(), static_cast<int64_t>(n), 0, static_cast<int64_t>(n), decoded.data());
        const auto after = decode(t, blocks, n);
        size_t worse = 0, inconsistent = 0;
        for (size_t i = 0; i < n; ++i) {
            worse += std::fabs(x[i] - after[i]) > std::fabs(x[i] - before[i]) * (1 + 1e-6f) + 1e-7f;
            inconsistent += std::memcmp(&after[i], &decoded[i], sizeof(float)) != 0;
        }
        CHECK(worse == 0);
        CHECK(inconsistent == 0);
    }
}

TEST_CASE("requantize changes only the elements asked for, onto the nearest level") {
    const size_t n = 512;
    const auto x = normal_row(n, 18);
    for (TensorType t : kWeightTypes) {
        CAPTURE(std::string(type_name(t)));
        const QuantKernels &k = *quant_kernels(t);
        auto blocks = encode(t, x);
        const auto before = decode(t, blocks, n);
        // Move a few elements and round just those, one call each.
        auto moved = x;
        const size_t picks[] = {0, 5, 37, 300, 511};
        for (size_t i : picks) moved[i] = x[i] * 0.5f + 0.3f;
        std::vector<float> decoded(1);
        for (size_t i : picks) {
            k.requantize(moved.data(), blocks.data(), static_cast<int64_t>(n), static_cast<int64_t>(i), 1,
                         decoded.data());
            CHECK(decode(t, blocks, n)[i] == decoded[0]);
        }
        const auto after = decode(t, blocks, n);
        for (size_t i = 0; i < n; ++i) {
            bool picked = false;
            for (size_t p : picks) picked |= p == i;
            if (!picked) CHECK(after[i] == before[i]);
        }
        // Each picked element sits on the level nearest its new value: no
        // other element of the same block (same grid) decodes closer to it,
        // except through other scales, so compare against its own block only.
        const size_t block = type_info(t)->block_size;
        for (size_t i : picks) {
            const size_t first = i / block * block;
            const size_t sub = block == 256 ? (t == TensorType::Q4_K || t == TensorType::Q5_K || t == TensorType::IQ4_XS ? 32 : 16)
                                            : block;
            const size_t s0 = first + (i - first) / sub * sub;
            for (size_t j = s0; j < s0 + sub; ++j)
                CHECK(std::fabs(moved[i] - after[i]) <= std::fabs(moved[i] - after[j]) * (1 + 1e-6f) + 1e-7f);
        }
    }
}
