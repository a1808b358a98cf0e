// libquant's non-linear low-bit types lq_nl3, lq_nl4, lq_nl5 (docs/formats.md):
// rows of any width cut into groups of 32 (the last one may be shorter),
// each group
//
//   | u8 scale | B-bit level indices, a little-endian bit stream |
//
//   value[i] = sign * 2^((m - 91) / 6) / 127 * L[q[i]]
//
// where the scale byte holds the sign (bit 7: negative) and m (bits 0-6;
// m = 0 means the group is zero), and L is the type's table of 2^B int8
// levels. The levels were designed by Lloyd's algorithm for groups of
// Gaussian weights, each group scaled so that its largest magnitude falls
// on level -127 (scripts/design_levels.py): they are denser near zero than
// an evenly spaced grid, and one level short on the positive side, which
// the sign of the scale turns to whichever side the group's largest
// magnitude lies. A one-byte logarithmic scale (steps of 2^(1/6), within
// 6 % of any value from 3e-5 to 64) costs a quarter of a bit per weight,
// half what a 16-bit scale per 32 weights costs; scales so coarse lose
// almost nothing because the encoder chooses among the representable ones
// by the error they give.
//
// Dot products take F32 activations (dot type F32).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "kernels/rows.h"

namespace lq {
namespace {

constexpr int kGroup = 32;
constexpr int kScaleBias = 91;   // m of the scale 2^0
constexpr int kStepsPerOctave = 6;

constexpr int8_t kLevels3[8] = {-127, -80, -48, -21, 3, 29, 58, 97};
constexpr int8_t kLevels4[16] = {-127, -103, -81, -64, -49, -36, -23, -12, 0, 12, 23, 36, 49, 64, 81, 102};
constexpr int8_t kLevels5[32] = {-127, -113, -101, -91, -83, -75, -68, -61, -54, -47, -40, -33, -26, -20, -13, -6,
                                 0,    7,    13,   20,  26,  33,  40,  47,  54,  61,  68,  75,  82,  90,  99,  109};

template <int B>
struct Levels;
template <>
struct Levels<3> {
    static constexpr const int8_t *values = kLevels3;
};
template <>
struct Levels<4> {
    static constexpr const int8_t *values = kLevels4;
};
template <>
struct Levels<5> {
    static constexpr const int8_t *values = kLevels5;
};

template <int B>
constexpr size_t group_bytes(int64_t len) {
    return 1 + static_cast<size_t>((len * B + 7) / 8);
}

// |scale| of m = 1 .. 127, divided by 127 (the levels' unit): computed once.
const float *scale_table() {
    static const auto table = [] {
        std::array<float, 128> t{};
        for (int m = 1; m < 128; ++m)
            t[static_cast<size_t>(m)] = std::exp2(static_cast<float>(m - kScaleBias) / kStepsPerOctave) / 127.0f;
        return t;
    }();
    return table.data();
}

float group_unit(uint8_t scale) {
    const float u = scale_table()[scale & 0x7F];
    return (scale & 0x80) ? -u : u;
}

template <int B>
uint32_t get_code(const uint8_t *codes, int64_t i) {
    const int64_t bit = i * B;
    uint32_t word = codes[bit / 8];
    if ((bit % 8) + B > 8) word |= static_cast<uint32_t>(codes[bit / 8 + 1]) << 8;
    return (word >> (bit % 8)) & ((1u << B) - 1);
}

template <int B>
void set_code(uint8_t *codes, int64_t i, uint32_t q) {
    const int64_t bit = i * B;
    const uint32_t mask = ((1u << B) - 1) << (bit % 8);
    const uint32_t value = q << (bit % 8);
    codes[bit / 8] = static_cast<uint8_t>((codes[bit / 8] & ~mask) | (value & mask));
    if ((bit % 8) + B > 8) {
        uint8_t &next = codes[bit / 8 + 1];
        next = static_cast<uint8_t>((next & ~(mask >> 8)) | (value >> 8));
    }
}

// Index of the level nearest v (in units of the levels), by bisection on
// the midpoints.
template <int B>
uint32_t nearest_level(float v) {
    const int8_t *L = Levels<B>::values;
    uint32_t lo = 0, hi = (1u << B) - 1;
    while (hi - lo > 1) {
        const uint32_t mid = (lo + hi) / 2;
        if (v < static_cast<float>(L[mid])) hi = mid;
        else lo = mid;
    }
    return v - static_cast<float>(L[lo]) <= static_cast<float>(L[hi]) - v ? lo : hi;
}

// The index x takes in a group of scale @p unit (any index decodes to 0 in
// a zero group: the one nearest zero).
template <int B>
uint32_t level_index(float x, float unit) {
    return nearest_level<B>(unit != 0.0f ? x / unit : 0.0f);
}

// Weighted squared error of the group decoded with @p unit; non-finite
// inputs have no nearest value and do not count.
template <int B>
double group_error(const float *x, const float *w, int64_t n, float unit) {
    const int8_t *L = Levels<B>::values;
    double error = 0.0;
    for (int64_t i = 0; i < n; ++i) {
        if (!std::isfinite(x[i])) continue;
        const double e = x[i] - static_cast<double>(unit) * L[level_index<B>(x[i], unit)];
        error += (w ? w[i] : 1.0) * e * e;
    }
    return error;
}

// Chooses the scale byte of one group: both signs and the m around the one
// that puts the largest magnitude on the outermost level, or a zero group;
// the least weighted squared error wins.
template <int B>
uint8_t choose_scale(const float *x, const float *w, int64_t n) {
    float amax = 0.0f;
    for (int64_t i = 0; i < n; ++i)
        if (std::isfinite(x[i])) amax = std::max(amax, std::fabs(x[i]));
    if (!(amax > 0.0f)) return 0;
    const double centre = kStepsPerOctave * std::log2(static_cast<double>(amax)) + kScaleBias;
    const int m0 = static_cast<int>(std::lround(std::min(200.0, std::max(-100.0, centre))));
    // A group without positive importance is rounded as if uniform.
    bool weighted = false;
    if (w)
        for (int64_t i = 0; i < n && !weighted; ++i) weighted = w[i] > 0.0f;
    if (!weighted) w = nullptr;
    uint8_t best = 0;
    double best_error = group_error<B>(x, w, n, 0.0f);
    const int lo = std::min(127, std::max(1, m0 - 4)), hi = std::min(127, std::max(1, m0 + 2));
    for (int m = lo; m <= hi; ++m) {
        for (uint8_t sign : {uint8_t{0}, uint8_t{0x80}}) {
            const auto code = static_cast<uint8_t>(sign | m);
            const double error = group_error<B>(x, w, n, group_unit(code));
            if (error < best_error) {
                best_error = error;
                best = code;
            }
        }
    }
    return best;
}

template <int B>
void encode_group(const float *x, const float *w, int64_t n, uint8_t *g) {
    g[0] = choose_scale<B>(x, w, n);
    for (size_t b = 1; b < group_bytes<B>(n); ++b) g[b] = 0;
    const float unit = group_unit(g[0]);
    for (int64_t i = 0; i < n; ++i) set_code<B>(g + 1, i, level_index<B>(x[i], unit));
}

template <int B>
void nl_to_float(const void *blocks, float *out, int64_t n) {
    const int8_t *L = Levels<B>::values;
    const auto *g = static_cast<const uint8_t *>(blocks);
    for (int64_t start = 0; start < n; start += kGroup) {
        const int64_t len = std::min<int64_t>(kGroup, n - start);
        const float unit = group_unit(g[0]);
        for (int64_t i = 0; i < len; ++i) out[start + i] = unit * L[get_code<B>(g + 1, i)];
        g += group_bytes<B>(len);
    }
}

template <int B>
void nl_from_float_weighted(const float *in, void *blocks, int64_t n, const float *importance) {
    auto *g = static_cast<uint8_t *>(blocks);
    for (int64_t start = 0; start < n; start += kGroup) {
        const int64_t len = std::min<int64_t>(kGroup, n - start);
        encode_group<B>(in + start, importance ? importance + start : nullptr, len, g);
        g += group_bytes<B>(len);
    }
}

template <int B>
void nl_from_float(const float *in, void *blocks, int64_t n) {
    nl_from_float_weighted<B>(in, blocks, n, nullptr);
}

template <int B>
float nl_dot(int64_t n, const void *weights, const void *activations) {
    const int8_t *L = Levels<B>::values;
    const auto *g = static_cast<const uint8_t *>(weights);
    const auto *x = static_cast<const float *>(activations);
    float total = 0.0f;
    for (int64_t start = 0; start < n; start += kGroup) {
        const int64_t len = std::min<int64_t>(kGroup, n - start);
        float sum = 0.0f;
        for (int64_t i = 0; i < len; ++i) sum += static_cast<float>(L[get_code<B>(g + 1, i)]) * x[start + i];
        total += group_unit(g[0]) * sum;
        g += group_bytes<B>(len);
    }
    return total;
}

template <int B>
void nl_requantize(const float *in, void *blocks, int64_t, int64_t first, int64_t count, float *decoded) {
    const int8_t *L = Levels<B>::values;
    auto *base = static_cast<uint8_t *>(blocks);
    for (int64_t i = first; i < first + count; ++i) {
        // Groups before i are full.
        uint8_t *g = base + static_cast<size_t>(i / kGroup) * group_bytes<B>(kGroup);
        const float unit = group_unit(g[0]);
        const uint32_t q = level_index<B>(in[i], unit);
        set_code<B>(g + 1, i % kGroup, q);
        decoded[i - first] = unit * L[q];
    }
}

}  // namespace

float lq_nl_unit(uint8_t scale) { return group_unit(scale); }

const int8_t *lq_nl_levels(int bits) {
    switch (bits) {
    case 3: return kLevels3;
    case 4: return kLevels4;
    case 5: return kLevels5;
    default: return nullptr;
    }
}

// The encoders try a handful of representable scales per group: the fast
// path is the same.
#define LQ_NL_ROW(B)                                                                                           \
    const QuantKernels kLqNl##B##Kernels = {TensorType::LQ_NL##B, TensorType::F32,    nl_to_float<B>,         \
                                            nl_from_float<B>,     nl_from_float_weighted<B>, nl_dot<B>, \
                                            nl_requantize<B>,     nl_from_float<B>};
LQ_NL_ROW(3)
LQ_NL_ROW(4)
LQ_NL_ROW(5)
#undef LQ_NL_ROW

}  // namespace lq
