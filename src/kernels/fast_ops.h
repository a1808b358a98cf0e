// The reference group arithmetic of the fast encoders (the `Ops` policy of
// kernels/fast_search.h): plain loops over n elements, n a multiple of 8,
// every sum taken in the 8-lane order that header defines so that SIMD
// versions reproduce it bit for bit. Baseline code only (it uses
// core/half.h); internal to src/kernels.
#pragma once

#include <cstdint>

#include "core/half.h"
#include "kernels/fast_search.h"

namespace lq {
namespace {

struct ScalarFastOps {
    // Eight lane accumulators, folded in the order fast_search.h defines.
    struct Lanes {
        float v[8] = {};
        void add(int i, float t) { v[i & 7] += t; }
        float total() const { return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7])); }
    };

    // Index of the level nearest to t: linear grids round half to even
    // after clamping; tables count the midpoints below t (ties go to the
    // lower level), without branches: data-dependent branches cost the
    // codebook types most of their time.
    static int nearest(float t, const Grid &g) {
        if (!g.table) return static_cast<int>(round_small(clamp(t, g.lo, g.hi)) - g.lo);
        int k = 0;
        for (int j = 0; j + 1 < g.count; ++j) k += t > g.mid[j];
        return k;
    }

    static float level(int k, const Grid &g) {
        return g.table ? static_cast<float>(g.table[k]) : static_cast<float>(k) + g.lo;
    }

    static float signed_max(const float *x, int n) {
        float amax = 0.0f, max = 0.0f;
        for (int i = 0; i < n; ++i) {
            const float a = x[i] < 0.0f ? -x[i] : x[i];
            if (a > amax) {
                amax = a;
                max = x[i];
            }
        }
        return max;
    }

    static void min_max(const float *x, int n, float *lo, float *hi) {
        float a = x[0], b = x[0];
        for (int i = 1; i < n; ++i) {
            a = x[i] < a ? x[i] : a;
            b = x[i] > b ? x[i] : b;
        }
        *lo = a;
        *hi = b;
    }

    static void moments(const float *x, int n, float *sum, float *sum_sq) {
        Lanes s, ss;
        for (int i = 0; i < n; ++i) {
            s.add(i, x[i]);
            ss.add(i, x[i] * x[i]);
        }
        *sum = s.total();
        *sum_sq = ss.total();
    }

    static void scale_sums(const float *x, int n, const float *s, int count, const Grid &g, ScaleSums *out) {
        for (int k = 0; k < count; ++k) {
            Lanes xl, ll;
            for (int i = 0; i < n; ++i) {
                const float l = level(nearest(s[k] * x[i], g), g);
                xl.add(i, x[i] * l);
                ll.add(i, l * l);
            }
            out[k] = {xl.total(), ll.total()};
        }
    }

    static void affine_sums(const float *x, int n, const float *s, int count, float anchor, int top,
                            AffineSums *out) {
        const float hi = static_cast<float>(top);
        for (int k = 0; k < count; ++k) {
            Lanes l1, ll, xl;
            for (int i = 0; i < n; ++i) {
                const float l = round_small(clamp(s[k] * (x[i] - anchor), 0.0f, hi));
                l1.add(i, l);
                ll.add(i, l * l);
                xl.add(i, x[i] * l);
            }
            out[k] = {l1.total(), ll.total(), xl.total()};
        }
    }

    static GroupFit assign(const float *x, int n, float dl, float ml, const Grid &g, uint8_t *q) {
        Lanes err, l1, ll, xl;
        const float inv = dl != 0.0f ? 1.0f / dl : 0.0f;
        for (int i = 0; i < n; ++i) {
            const int k = nearest((x[i] + ml) * inv, g);
            q[i] = static_cast<uint8_t>(k);
            const float l = level(k, g);
            const float diff = x[i] - (dl * l - ml);
            err.add(i, diff * diff);
            l1.add(i, l);
            ll.add(i, l * l);
            xl.add(i, x[i] * l);
        }
        return {err.total(), l1.total(), ll.total(), xl.total()};
    }

    static uint16_t to_half(float v) { return float_to_half(clamp(v, -65504.0f, 65504.0f)); }
    static float from_half(uint16_t h) { return half_to_float(h); }

    /// True when every element is finite and within kFastLimit.
    static bool in_fast_range(const float *x, int64_t n) {
        for (int64_t i = 0; i < n; ++i)
            if (!((x[i] < 0.0f ? -x[i] : x[i]) <= kFastLimit)) return false;
        return true;
    }
};

}  // namespace
}  // namespace lq
