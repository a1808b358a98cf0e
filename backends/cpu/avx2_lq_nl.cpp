// AVX2 dot products of libquant's non-linear types (lq_nl3/4/5, layout in
// docs/formats.md and kernels/lq_nl_types.cpp) with F32 activations.
//
// Per full group of 32: the level indices are unpacked to one byte each,
// looked up in the type's int8 level table with PSHUFB (two tables and a
// blend for the 32 levels of lq_nl5), widened to floats and multiplied into
// eight running sums; the group's scale multiplies those sums once. A short
// last group goes to the reference kernel.
#include "backends/cpu/avx2_util.h"
#include "kernels/kernels.h"

namespace lq::cpu::avx2 {

namespace {

constexpr int kGroup = 32;

// lq_nl_unit() of every scale byte, and the level tables of
// kernels/lq_nl_types.cpp laid out for PSHUFB: 16 entries per 128-bit lane,
// both lanes the same; lq_nl5's 32 levels as a low and a high table.
float g_unit[256];
alignas(32) int8_t g_levels3[32], g_levels4[32], g_levels5_low[32], g_levels5_high[32];

void fill_lanes(int8_t *table, const int8_t *levels, int count) {
    for (int lane = 0; lane < 2; ++lane)
        for (int i = 0; i < 16; ++i) table[16 * lane + i] = i < count ? levels[i] : 0;
}

// The 32 indices of a full group, one per byte, in element order.
template <int B>
__m256i unpack(const uint8_t *codes);

template <>
__m256i unpack<4>(const uint8_t *codes) {
    const __m128i packed = _mm_loadu_si128(reinterpret_cast<const __m128i *>(codes));
    const __m128i mask = _mm_set1_epi8(0x0F);
    const __m128i low = _mm_and_si128(packed, mask);
    const __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), mask);
    // Element 2k is byte k's low nibble, 2k+1 its high one.
    return _mm256_set_m128i(_mm_unpackhi_epi8(low, high), _mm_unpacklo_epi8(low, high));
}

// 3 and 5 bits: eight indices per B bytes, spread to one byte each by
// shifts of a 64-bit word (PDEP would do it in one instruction, but it is
// slow on some AVX2 processors).
template <int B>
uint64_t spread8(const uint8_t *bytes) {
    uint64_t word = 0;
    for (int b = 0; b < B; ++b) word |= static_cast<uint64_t>(bytes[b]) << (8 * b);
    uint64_t out = 0;
    for (int j = 0; j < 8; ++j) out |= ((word >> (j * B)) & ((1u << B) - 1)) << (8 * j);
    return out;
}

template <int B>
__m256i unpack_words(const uint8_t *codes) {
    return _mm256_set_epi64x(static_cast<long long>(spread8<B>(codes + 3 * B)),
                             static_cast<long long>(spread8<B>(codes + 2 * B)),
                             static_cast<long long>(spread8<B>(codes + B)), static_cast<long long>(spread8<B>(codes)));
}

template <>
__m256i unpack<3>(const uint8_t *codes) {
    return unpack_words<3>(codes);
}

template <>
__m256i unpack<5>(const uint8_t *codes) {
    return unpack_words<5>(codes);
}

// The int8 levels of 32 indices.
template <int B>
__m256i levels(__m256i idx);

template <>
__m256i levels<3>(__m256i idx) {
    return _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i *>(g_levels3)), idx);
}

template <>
__m256i levels<4>(__m256i idx) {
    return _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i *>(g_levels4)), idx);
}

template <>
__m256i levels<5>(__m256i idx) {
    const __m256i low_index = _mm256_and_si256(idx, _mm256_set1_epi8(0x0F));
    const __m256i low = _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i *>(g_levels5_low)), low_index);
    const __m256i high =
        _mm256_shuffle_epi8(_mm256_load_si256(reinterpret_cast<const __m256i *>(g_levels5_high)), low_index);
    const __m256i upper = _mm256_cmpgt_epi8(idx, _mm256_set1_epi8(15));
    return _mm256_blendv_epi8(low, high, upper);
}

template <int B>
float nl_dot(int64_t n, const void *weights, const void *activations) {
    const auto *g = static_cast<const uint8_t *>(weights);
    const auto *x = static_cast<const float *>(activations);
    constexpr size_t kFullBytes = 1 + 4 * B;
    __m256 total = _mm256_setzero_ps();
    int64_t start = 0;
    for (; start + kGroup <= n; start += kGroup, g += kFullBytes) {
        const __m256i q = levels<B>(unpack<B>(g + 1));
        const __m128i q_low = _mm256_castsi256_si128(q), q_high = _mm256_extracti128_si256(q, 1);
        const float *xs = x + start;
        __m256 sum = _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q_low)), _mm256_loadu_ps(xs));
        sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q_low, 8))),
                              _mm256_loadu_ps(xs + 8), sum);
        sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(q_high)), _mm256_loadu_ps(xs + 16), sum);
        sum = _mm256_fmadd_ps(_mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(q_high, 8))),
                              _mm256_loadu_ps(xs + 24), sum);
        total = _mm256_fmadd_ps(_mm256_set1_ps(g_unit[g[0]]), sum, total);
    }
    float result = hsum(total);
    // A short last group is a row of its own for the reference kernel.
    constexpr TensorType kType = B == 3 ? TensorType::LQ_NL3 : B == 4 ? TensorType::LQ_NL4 : TensorType::LQ_NL5;
    if (start < n) result += quant_kernels(kType)->vec_dot(n - start, g, x + start);
    return result;
}

}  // namespace

void lq_nl_init_tables() {
    for (uint32_t s = 0; s < 256; ++s) g_unit[s] = lq_nl_unit(static_cast<uint8_t>(s));
    fill_lanes(g_levels3, lq_nl_levels(3), 8);
    fill_lanes(g_levels4, lq_nl_levels(4), 16);
    fill_lanes(g_levels5_low, lq_nl_levels(5), 16);
    fill_lanes(g_levels5_high, lq_nl_levels(5) + 16, 16);
}

float lq_nl3_dot_f32(int64_t n, const void *w, const void *a) { return nl_dot<3>(n, w, a); }
float lq_nl4_dot_f32(int64_t n, const void *w, const void *a) { return nl_dot<4>(n, w, a); }
float lq_nl5_dot_f32(int64_t n, const void *w, const void *a) { return nl_dot<5>(n, w, a); }

}  // namespace lq::cpu::avx2
