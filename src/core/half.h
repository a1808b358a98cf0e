// IEEE half (F16) and bfloat16 (BF16) conversions, portable and bit-exact.
//
// These are the reference conversions: round-to-nearest-even, NaN kept NaN,
// overflow to infinity, subnormals handled. SIMD code converts with F16C and
// is tested against these.
#pragma once

#include <cstdint>
#include <cstring>

namespace lq {

inline uint32_t float_bits(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return u;
}

inline float bits_float(uint32_t u) {
    float f;
    std::memcpy(&f, &u, sizeof f);
    return f;
}

inline float half_to_float(uint16_t h) {
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    const uint32_t exponent = (h >> 10) & 0x1Fu;
    uint32_t mantissa = h & 0x3FFu;
    if (exponent == 0x1F)  // infinity or NaN: keep the payload
        return bits_float(sign | 0x7F800000u | (mantissa << 13));
    if (exponent != 0)
        return bits_float(sign | ((exponent + 112u) << 23) | (mantissa << 13));
    if (mantissa == 0) return bits_float(sign);
    // Subnormal half: normalise into a float.
    int shift = 0;
    while ((mantissa & 0x400u) == 0) {
        mantissa <<= 1;
        ++shift;
    }
    mantissa &= 0x3FFu;
    return bits_float(sign | (static_cast<uint32_t>(113 - shift) << 23) | (mantissa << 13));
}

inline uint16_t float_to_half(float f) {
    const uint32_t u = float_bits(f);
    const uint16_t sign = static_cast<uint16_t>((u >> 16) & 0x8000u);
    const uint32_t abs = u & 0x7FFFFFFFu;
    if (abs > 0x7F800000u)  // NaN: quiet, keep top payload bits
        return static_cast<uint16_t>(sign | 0x7E00u | ((abs >> 13) & 0x1FFu));
    if (abs >= 0x477FF000u)  // rounds to a value beyond the largest half
        return static_cast<uint16_t>(sign | 0x7C00u);
    if (abs < 0x38800000u) {  // result is subnormal (or zero) in half
        if (abs < 0x33000000u) return sign;  // below half of the smallest subnormal
        const uint32_t exponent = abs >> 23;
        const uint32_t mantissa = (abs & 0x7FFFFFu) | 0x800000u;
        const uint32_t shift = 126u - exponent;  // 14..24
        uint32_t half_mantissa = mantissa >> shift;
        const uint32_t rest = mantissa & ((1u << shift) - 1u);
        const uint32_t halfway = 1u << (shift - 1u);
        if (rest > halfway || (rest == halfway && (half_mantissa & 1u))) ++half_mantissa;
        return static_cast<uint16_t>(sign | half_mantissa);
    }
    // Normal: rebias the exponent and round the mantissa to 10 bits (ties to even).
    uint32_t rebased = abs - 0x38000000u;
    const uint32_t rest = rebased & 0x1FFFu;
    rebased >>= 13;
    if (rest > 0x1000u || (rest == 0x1000u && (rebased & 1u))) ++rebased;
    return static_cast<uint16_t>(sign | rebased);
}

inline float bf16_to_float(uint16_t b) { return bits_float(static_cast<uint32_t>(b) << 16); }

inline uint16_t float_to_bf16(float f) {
    const uint32_t u = float_bits(f);
    if ((u & 0x7FFFFFFFu) > 0x7F800000u)  // NaN: force quiet
        return static_cast<uint16_t>((u >> 16) | 0x40u);
    const uint32_t rounding = 0x7FFFu + ((u >> 16) & 1u);
    return static_cast<uint16_t>((u + rounding) >> 16);
}

}  // namespace lq
