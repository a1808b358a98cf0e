#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <ios>
#include <limits>

#include "core/half.h"

using namespace lq;

TEST_CASE("every half value survives half -> float -> half") {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const float f = half_to_float(static_cast<uint16_t>(h));
        const uint16_t back = float_to_half(f);
        if (std::isnan(f)) {
            CHECK(((back & 0x7C00) == 0x7C00 && (back & 0x3FF) != 0));
        } else {
            CHECK_MESSAGE(back == h, "half 0x" << std::hex << h);
        }
    }
}

TEST_CASE("float -> half rounds to nearest, ties to even") {
    CHECK(float_to_half(1.0f) == 0x3C00);
    CHECK(float_to_half(-2.0f) == 0xC000);
    CHECK(float_to_half(65504.0f) == 0x7BFF);           // largest half
    CHECK(float_to_half(65520.0f) == 0x7C00);           // rounds up to infinity
    CHECK(float_to_half(1e10f) == 0x7C00);
    CHECK(float_to_half(5.9604645e-08f) == 0x0001);     // smallest subnormal
    CHECK(float_to_half(2.9802322e-08f) == 0x0000);     // exactly half of it: ties to even (0)
    CHECK(float_to_half(4.0e-08f) == 0x0001);           // above half: rounds up
    // 1 + 2^-11 is exactly between 1 and the next half (1 + 2^-10): ties to even -> 1.
    CHECK(float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);
    // 1 + 3 * 2^-11 lies between 1+2^-10 and 1+2^-9: tie, rounds to even (1+2^-9).
    CHECK(float_to_half(1.0f + 3 * std::ldexp(1.0f, -11)) == 0x3C02);
    CHECK(std::isinf(half_to_float(float_to_half(std::numeric_limits<float>::infinity()))));
}

TEST_CASE("float -> half agrees with a double-precision rounding model on a sweep") {
    // Below the overflow threshold (65520) the chosen half must be a nearest one.
    uint32_t mismatches = 0;
    for (uint32_t bits = 0x33000000u; bits < 0x477FE000u; bits += 0x1F3u) {
        float f;
        std::memcpy(&f, &bits, 4);
        const uint16_t h = float_to_half(f);
        const double value = half_to_float(h);
        const double below = half_to_float(static_cast<uint16_t>(h - 1));
        const double above = half_to_float(static_cast<uint16_t>(h + 1));
        // The chosen half must be at least as close as its neighbours.
        if (std::fabs(value - f) > std::fabs(below - f) || std::fabs(value - f) > std::fabs(above - f)) ++mismatches;
    }
    CHECK(mismatches == 0);
}

TEST_CASE("bfloat16 conversions") {
    CHECK(bf16_to_float(float_to_bf16(1.0f)) == 1.0f);
    CHECK(float_to_bf16(1.0f) == 0x3F80);
    // 1 + 2^-8 is a tie between 1 and 1 + 2^-7: to even -> 1.
    CHECK(float_to_bf16(1.0f + std::ldexp(1.0f, -8)) == 0x3F80);
    CHECK(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)) == 0x3F82);
    CHECK(std::isnan(bf16_to_float(float_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
    for (uint32_t b = 0; b < 0x10000; ++b) {
        const float f = bf16_to_float(static_cast<uint16_t>(b));
        if (!std::isnan(f)) CHECK(float_to_bf16(f) == b);
    }
}
