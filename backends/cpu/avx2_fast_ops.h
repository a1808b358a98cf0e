// The AVX2 group arithmetic of the fast encoders: the `Ops` policy of
// kernels/fast_search.h, bit-identical to the reference policy
// (kernels/fast_ops.h). Groups are 16 or 32 elements: two or four vectors,
// loaded once for all candidate scales, each sum accumulated lane by lane
// from zero, and up to eight sums reduced together by reduce8(), whose
// order the reference imitates.
//
// Include only from files compiled with -mavx2 -mfma -mf16c. Like
// fast_search.h, everything here has internal linkage.
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "backends/cpu/avx2_util.h"
#include "kernels/fast_search.h"

namespace lq::cpu::avx2 {
namespace {

// The levels of a grid for 8 values at a time: the nearest level of each
// and its index, as the reference's nearest() picks them (linear grids:
// clamp and round half to even; codebooks: the number of midpoints below
// the value, then a table lookup).
template <bool Table>
struct GridLevels {
    explicit GridLevels(const Grid &g) : g_(g) {
        lo_ = _mm256_set1_ps(g.lo);
        hi_ = _mm256_set1_ps(g.hi);
        if (Table) {  // the 16 codebook values as floats, in two vectors
            table_lo_ = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(g.table))));
            table_hi_ = _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(g.table + 8))));
        }
    }

    __m256 level(__m256 t, __m256i *index) const {
        if (!Table) {
            const __m256 l = _mm256_round_ps(_mm256_min_ps(_mm256_max_ps(t, lo_), hi_),
                                             _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
            *index = _mm256_cvtps_epi32(_mm256_sub_ps(l, lo_));
            return l;
        }
        __m256i k = _mm256_setzero_si256();
        for (int j = 0; j + 1 < g_.count; ++j)  // a true compare is -1
            k = _mm256_sub_epi32(k, _mm256_castps_si256(_mm256_cmp_ps(t, _mm256_set1_ps(g_.mid[j]), _CMP_GT_OQ)));
        *index = k;
        const __m256 low = _mm256_permutevar8x32_ps(table_lo_, k), high = _mm256_permutevar8x32_ps(table_hi_, k);
        return _mm256_blendv_ps(low, high, _mm256_castsi256_ps(_mm256_cmpgt_epi32(k, _mm256_set1_epi32(7))));
    }

    const Grid &g_;
    __m256 lo_, hi_, table_lo_ = _mm256_setzero_ps(), table_hi_ = _mm256_setzero_ps();
};

struct Avx2FastOps {
    // Eight 8-wide accumulators to their eight sums, each folded as
    // ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
    static __m256 reduce8(const __m256 *v) {
        const __m256 u0 = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
        const __m256 u1 = _mm256_hadd_ps(_mm256_hadd_ps(v[4], v[5]), _mm256_hadd_ps(v[6], v[7]));
        return _mm256_add_ps(_mm256_permute2f128_ps(u0, u1, 0x20), _mm256_permute2f128_ps(u0, u1, 0x31));
    }

    // Four accumulators to their four sums in out, folded as reduce8 does.
    static void reduce4(const __m256 *v, float *out) {
        const __m256 u = _mm256_hadd_ps(_mm256_hadd_ps(v[0], v[1]), _mm256_hadd_ps(v[2], v[3]));
        _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(u), _mm256_extractf128_ps(u, 1)));
    }

    static __m256 clamp8(__m256 v, __m256 lo, __m256 hi) { return _mm256_min_ps(_mm256_max_ps(v, lo), hi); }

    // Round half to even (the inputs are clamped to a small range).
    static __m256 round8(__m256 v) { return _mm256_round_ps(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }

    static __m256 abs8(__m256 v) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), v); }

    static float signed_max(const float *x, int n) {
        __m256 m = _mm256_setzero_ps();
        for (int i = 0; i < n; i += 8) m = _mm256_max_ps(abs8(_mm256_loadu_ps(x + i)), m);
        const float amax = hmax(m);
        if (amax == 0.0f) return 0.0f;
        // The first element of that magnitude, as the reference's scan.
        const __m256 target = _mm256_set1_ps(amax);
        for (int i = 0; i < n; i += 8) {
            const int hits = _mm256_movemask_ps(_mm256_cmp_ps(abs8(_mm256_loadu_ps(x + i)), target, _CMP_EQ_OQ));
            if (hits) return x[i + __builtin_ctz(static_cast<unsigned>(hits))];
        }
        return 0.0f;
    }

    static void min_max(const float *x, int n, float *lo, float *hi) {
        __m256 a = _mm256_loadu_ps(x), b = a;
        for (int i = 8; i < n; i += 8) {
            const __m256 v = _mm256_loadu_ps(x + i);
            a = _mm256_min_ps(a, v);
            b = _mm256_max_ps(b, v);
        }
        *lo = -hmax(_mm256_sub_ps(_mm256_setzero_ps(), a));
        *hi = hmax(b);
    }

    // Each operation below is written for NV vectors (a group of 8 NV
    // elements) so that the loops unroll and the accumulators stay in
    // registers; the Ops functions pick NV = 2 or 4 from n.

    template <int NV>
    static void moments_n(const float *x, float *sum, float *sum_sq) {
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
#pragma GCC unroll 4
        for (int i = 0; i < NV; ++i) {
            const __m256 v = _mm256_loadu_ps(x + 8 * i);
            acc[0] = _mm256_add_ps(acc[0], v);
            acc[1] = _mm256_add_ps(acc[1], _mm256_mul_ps(v, v));
        }
        alignas(16) float out[4];
        reduce4(acc, out);
        *sum = out[0];
        *sum_sq = out[1];
    }

    template <int NV, bool Table>
    static void scale_sums_n(const float *x, const float *s, int count, const Grid &g, ScaleSums *out) {
        __m256 v[NV];
#pragma GCC unroll 4
        for (int i = 0; i < NV; ++i) v[i] = _mm256_loadu_ps(x + 8 * i);
        const GridLevels<Table> levels(g);
        __m256 acc[2 * kMaxCandidates];
#pragma GCC unroll 8
        for (int k = 0; k < 2 * kMaxCandidates; ++k) acc[k] = _mm256_setzero_ps();
#pragma GCC unroll 4
        for (int k = 0; k < kMaxCandidates; ++k) {
            if (k >= count) break;
            const __m256 mul = _mm256_set1_ps(s[k]);
            __m256 xl = _mm256_setzero_ps(), ll = _mm256_setzero_ps();
#pragma GCC unroll 4
            for (int i = 0; i < NV; ++i) {
                __m256i index;
                const __m256 l = levels.level(_mm256_mul_ps(mul, v[i]), &index);
                xl = _mm256_add_ps(xl, _mm256_mul_ps(v[i], l));
                ll = _mm256_add_ps(ll, _mm256_mul_ps(l, l));
            }
            acc[2 * k] = xl;
            acc[2 * k + 1] = ll;
        }
        alignas(32) float sums[8];
        _mm256_store_ps(sums, reduce8(acc));
        for (int k = 0; k < count; ++k) out[k] = {sums[2 * k], sums[2 * k + 1]};
    }

    template <int NV>
    static void affine_sums_n(const float *x, const float *s, int count, float anchor, int top, AffineSums *out) {
        __m256 v[NV], u[NV];
        const __m256 at = _mm256_set1_ps(anchor);
#pragma GCC unroll 4
        for (int i = 0; i < NV; ++i) {
            v[i] = _mm256_loadu_ps(x + 8 * i);
            u[i] = _mm256_sub_ps(v[i], at);  // x - anchor
        }
        const __m256 zero = _mm256_setzero_ps(), hi = _mm256_set1_ps(static_cast<float>(top));
        __m256 acc[16];
#pragma GCC unroll 16
        for (int k = 0; k < 16; ++k) acc[k] = zero;
#pragma GCC unroll 4
        for (int k = 0; k < kMaxCandidates; ++k) {
            if (k >= count) break;
            const __m256 mul = _mm256_set1_ps(s[k]);
            __m256 l1 = zero, ll = zero, xl = zero;
#pragma GCC unroll 4
            for (int i = 0; i < NV; ++i) {
                const __m256 l = round8(clamp8(_mm256_mul_ps(mul, u[i]), zero, hi));
                l1 = _mm256_add_ps(l1, l);
                ll = _mm256_add_ps(ll, _mm256_mul_ps(l, l));
                xl = _mm256_add_ps(xl, _mm256_mul_ps(v[i], l));
            }
            acc[3 * k] = l1;
            acc[3 * k + 1] = ll;
            acc[3 * k + 2] = xl;
        }
        alignas(32) float sums[16];
        _mm256_store_ps(sums, reduce8(acc));
        if (count > 2) _mm256_store_ps(sums + 8, reduce8(acc + 8));
        for (int k = 0; k < count; ++k) out[k] = {sums[3 * k], sums[3 * k + 1], sums[3 * k + 2]};
    }

    template <int NV, bool Table>
    static GroupFit assign_n(const float *x, float dl, float ml, const Grid &g, uint8_t *q) {
        const float inv = dl != 0.0f ? 1.0f / dl : 0.0f;
        const __m256 vinv = _mm256_set1_ps(inv), vdl = _mm256_set1_ps(dl), vml = _mm256_set1_ps(ml);
        const GridLevels<Table> levels(g);
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
        __m256i index[NV];
#pragma GCC unroll 4
        for (int i = 0; i < NV; ++i) {
            const __m256 v = _mm256_loadu_ps(x + 8 * i);
            const __m256 l = levels.level(_mm256_mul_ps(_mm256_add_ps(v, vml), vinv), &index[i]);
            const __m256 diff = _mm256_sub_ps(v, _mm256_sub_ps(_mm256_mul_ps(vdl, l), vml));
            acc[0] = _mm256_add_ps(acc[0], _mm256_mul_ps(diff, diff));
            acc[1] = _mm256_add_ps(acc[1], l);
            acc[2] = _mm256_add_ps(acc[2], _mm256_mul_ps(l, l));
            acc[3] = _mm256_add_ps(acc[3], _mm256_mul_ps(v, l));
        }
        // 16 int32 (0..255) to 16 bytes in order: packs interleaves the
        // 128-bit lanes, the permute restores the order.
#pragma GCC unroll 2
        for (int i = 0; i < NV; i += 2) {
            const __m256i words = _mm256_permute4x64_epi64(_mm256_packs_epi32(index[i], index[i + 1]), 0xD8);
            const __m128i bytes = _mm_packus_epi16(_mm256_castsi256_si128(words), _mm256_extracti128_si256(words, 1));
            _mm_storeu_si128(reinterpret_cast<__m128i *>(q + 8 * i), bytes);
        }
        alignas(16) float sums[4];
        reduce4(acc, sums);
        return {sums[0], sums[1], sums[2], sums[3]};
    }

    // The Ops functions: groups of 16 or 32 elements.
    static void moments(const float *x, int n, float *sum, float *sum_sq) {
        if (n == 32) moments_n<4>(x, sum, sum_sq);
        else moments_n<2>(x, sum, sum_sq);
    }

    static void scale_sums(const float *x, int n, const float *s, int count, const Grid &g, ScaleSums *out) {
        if (g.table) {
            if (n == 32) scale_sums_n<4, true>(x, s, count, g, out);
            else scale_sums_n<2, true>(x, s, count, g, out);
        } else {
            if (n == 32) scale_sums_n<4, false>(x, s, count, g, out);
            else scale_sums_n<2, false>(x, s, count, g, out);
        }
    }

    static void affine_sums(const float *x, int n, const float *s, int count, float anchor, int top,
                            AffineSums *out) {
        if (n == 32) affine_sums_n<4>(x, s, count, anchor, top, out);
        else affine_sums_n<2>(x, s, count, anchor, top, out);
    }

    static GroupFit assign(const float *x, int n, float dl, float ml, const Grid &g, uint8_t *q) {
        if (g.table) return n == 32 ? assign_n<4, true>(x, dl, ml, g, q) : assign_n<2, true>(x, dl, ml, g, q);
        return n == 32 ? assign_n<4, false>(x, dl, ml, g, q) : assign_n<2, false>(x, dl, ml, g, q);
    }

    static uint16_t to_half(float v) {
        v = v > -65504.0f ? v : -65504.0f;
        v = v < 65504.0f ? v : 65504.0f;
        return static_cast<uint16_t>(_cvtss_sh(v, _MM_FROUND_TO_NEAREST_INT));
    }

    static float from_half(uint16_t h) { return half(h); }

    /// True when every element is finite and within kFastLimit (n a
    /// multiple of 8).
    static bool in_fast_range(const float *x, int64_t n) {
        const __m256 limit = _mm256_set1_ps(kFastLimit);
        __m256 ok = _mm256_castsi256_ps(_mm256_set1_epi32(-1));
        for (int64_t i = 0; i < n; i += 8)
            ok = _mm256_and_ps(ok, _mm256_cmp_ps(abs8(_mm256_loadu_ps(x + i)), limit, _CMP_LE_OQ));
        return _mm256_movemask_ps(ok) == 0xFF;
    }
};

}  // namespace
}  // namespace lq::cpu::avx2
