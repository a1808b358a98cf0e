// The fast encoders' scale choices: round-to-nearest with a handful of
// candidate scales and least-squares refits, instead of the exact sweeps of
// scale_search.h (which visit every breakpoint and cost 30-300 us per 256
// weights). Used by from_float_fast, the path of `lq quantize` without
// calibration.
//
// The search logic is written once, here, against a policy `Ops` that does
// the arithmetic on one group of elements (16 or 32): the reference policy
// (kernels/fast_ops.h, plain loops) and the AVX2 one (backends/cpu) compute
// bit-identical group sums, so both make the same decisions and write the
// same bytes. Ops provides, for n elements x (n a multiple of 8):
//
//   float signed_max(x, n)          the x of largest |x| (the first on ties)
//   void min_max(x, n, &lo, &hi)
//   void moments(x, n, &sum, &sum_sq)
//   void scale_sums(x, n, s[], count, grid, out[])   for each inverse scale s[k]
//       (count <= kMaxCandidates), l = nearest level of s[k] * x
//   void affine_sums(x, n, s[], count, anchor, top, out[])
//       l = clamp(round(s[k] (x - anchor)), 0, top)
//   GroupFit assign(x, n, dl, ml, grid, q)   l = nearest level of (x + ml) / dl,
//                                            decoded as dl * l - ml
//   uint16_t to_half(float)  float from_half(uint16_t)
//   bool in_fast_range(x, n)   (for the row encoders: every |x| <= kFastLimit)
//
// Every sum is taken in 8 lanes (element i in lane i % 8, in index order)
// folded as ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)): the order in
// which horizontal adds reduce eight 8-wide accumulators at once.
//
// The candidates and iteration counts below were chosen on N(0,1) data and
// on the weights of stories260K (docs/kernels.md): each one kept pays for
// itself in error against llama.cpp's quantizers, at a fraction of a
// microsecond per group.
//
// Everything here has internal linkage: the header is compiled both for
// baseline x86-64 and with AVX2 (backends/cpu), and the linker must never
// merge the two copies of a function.
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/blocks.h"

namespace lq {
namespace {

/// The levels one element can take, in units of its scale: the integers
/// lo..hi, or (table != nullptr) the ascending codebook table[0..count)
/// with the midpoints mid[j] between table[j] and table[j + 1].
struct Grid {
    float lo, hi;
    const int8_t *table;
    int count;
    const float *mid;
};

struct ScaleSums {
    float xl, ll;  // sum x l, sum l^2
};

struct AffineSums {
    float l, ll, xl;  // sum l, sum l^2, sum x l (l the level index)
};

/// An assignment of a group to levels: its squared error and the sums that
/// least-squares refits need (l the level value for scale grids, the level
/// index for affine ones, which are 0..top).
struct GroupFit {
    float err, l, ll, xl;
};

/// Most candidate scales one search tries.
constexpr int kMaxCandidates = 4;

/// The largest value a fast encoder accepts: rows with a larger or
/// non-finite element take the exhaustive search, which normalises first.
/// Below it every sum stays far inside float range and every scale inside
/// F16 range.
constexpr float kFastLimit = 65504.0f;

// Round half to even of a value already clamped to a small range: adding
// and subtracting 1.5 * 2^23 leaves the nearest integer (exact below 2^22).
inline float round_small(float v) { return (v + 12582912.0f) - 12582912.0f; }

inline float clamp(float v, float lo, float hi) {
    v = v > lo ? v : lo;  // the operand order of maxps / minps
    return v < hi ? v : hi;
}

// ---------------------------------------------------------------------------
// One scale: x ~ d * level.

/// The least-squares scale of the best of @p count candidates: inverse
/// scales s0 * mults[k], where s0 maps the value of largest magnitude onto
/// the lowest level (the side with the most levels). 0 for a zero group.
template <class Ops>
float fast_fit_scale(const float *x, int n, const Grid &g, const float *mults, int count) {
    const float max = Ops::signed_max(x, n);
    if (max == 0.0f) return 0.0f;
    const float s0 = g.lo / max;
    float scales[kMaxCandidates];
    ScaleSums sums[kMaxCandidates];
    for (int k = 0; k < count; ++k) scales[k] = s0 * mults[k];
    Ops::scale_sums(x, n, scales, count, g, sums);
    float best_xl = 0.0f, best_ll = 0.0f;
    for (int k = 0; k < count; ++k) {
        const ScaleSums &s = sums[k];
        // The least-squares scale removes xl^2 / ll of the error: keep the
        // largest, compared without division.
        if (s.ll > 0.0f && (best_ll == 0.0f || static_cast<double>(s.xl) * s.xl * best_ll >
                                                   static_cast<double>(best_xl) * best_xl * s.ll)) {
            best_xl = s.xl;
            best_ll = s.ll;
        }
    }
    return best_ll > 0.0f ? best_xl / best_ll : 0.0f;
}

/// A block of n elements with one F16 scale: the best candidate scale,
/// rounded to F16, every element on its nearest level, then one
/// least-squares refit kept if it lowers the error. Returns the F16 bits;
/// @p q receives level indices (level - lo for linear grids).
template <class Ops>
uint16_t fast_scale_block(const float *x, int n, const Grid &g, const float *mults, int count, uint8_t *q) {
    uint16_t bits = Ops::to_half(fast_fit_scale<Ops>(x, n, g, mults, count));
    const GroupFit fit = Ops::assign(x, n, Ops::from_half(bits), 0.0f, g, q);
    if (fit.ll > 0.0f) {
        const uint16_t next = Ops::to_half(fit.xl / fit.ll);
        if (next != bits) {
            uint8_t trial[32];
            if (Ops::assign(x, n, Ops::from_half(next), 0.0f, g, trial).err < fit.err) {
                bits = next;
                std::memcpy(q, trial, static_cast<size_t>(n));
            }
        }
    }
    return bits;
}

// ---------------------------------------------------------------------------
// Scale and offset: x ~ d * l + m, l in 0..top.

struct AffineResult {
    double d, m;  // d > 0, or d == 0 for a constant group
    double err;
};

// The least-squares (d, m) of an assignment from its sums; false when the
// assignment admits no d > 0. With @p offset_at_most_zero, m is held <= 0.
inline bool solve_affine(const AffineSums &a, double n, double sum, double sum_sq, bool offset_at_most_zero,
                         AffineResult *r) {
    const double l = a.l, ll = a.ll, xl = a.xl;
    const double det = n * ll - l * l;
    double d, m;
    if (det > 0.0) {
        d = (n * xl - sum * l) / det;
        m = (ll * sum - l * xl) / det;
        if (offset_at_most_zero && m > 0.0) {
            m = 0.0;
            d = xl / ll;
        }
    } else {
        if (ll <= 0.0) return false;
        m = 0.0;
        d = xl / ll;
    }
    if (!(d > 0.0)) return false;
    r->d = d;
    r->m = m;
    r->err = sum_sq - 2.0 * d * xl - 2.0 * m * sum + d * d * ll + 2.0 * d * m * l + n * m * m;
    return true;
}

/// The best (d, m) of the candidate inverse scales (top + deltas[k]) /
/// (max - min), anchored at the minimum, followed by up to @p polish rounds
/// of reassignment and refit. @p sum / @p sum_sq are the group's moments.
template <class Ops>
AffineResult fast_fit_affine(const float *x, int n, int top, bool offset_at_most_zero, const float *deltas,
                             int count, int polish, float sum, float sum_sq) {
    float lo, hi;
    Ops::min_max(x, n, &lo, &hi);
    lo += 0.0f;  // -0 to +0: which zero a vector minimum keeps is unspecified
    if (offset_at_most_zero && lo > 0.0f) lo = 0.0f;
    AffineResult best = {0.0, lo, 0.0};
    if (!(hi > lo)) return best;  // constant: level 0, the offset carries it
    const double nn = n;
    float scales[kMaxCandidates];
    AffineSums sums[kMaxCandidates];
    for (int k = 0; k < count; ++k) scales[k] = (static_cast<float>(top) + deltas[k]) / (hi - lo);
    Ops::affine_sums(x, n, scales, count, lo, top, sums);
    bool found = false;
    for (int k = 0; k < count; ++k) {
        AffineResult r;
        if (solve_affine(sums[k], nn, sum, sum_sq, offset_at_most_zero, &r) && (!found || r.err < best.err)) {
            best = r;
            found = true;
        }
    }
    if (!found) return {0.0, lo, 0.0};
    for (int it = 0; it < polish; ++it) {
        AffineResult r;
        const float s = static_cast<float>(1.0 / best.d);
        AffineSums a;
        Ops::affine_sums(x, n, &s, 1, static_cast<float>(best.m), top, &a);
        if (!solve_affine(a, nn, sum, sum_sq, offset_at_most_zero, &r) || !(r.err < best.err)) break;
        best = r;
    }
    return best;
}

/// A block of n elements with F16 scale d and F16 offset m (Q4_1, Q5_1):
/// value = l * d + m. The best affine fit, rounded, every element on its
/// nearest level, then one least-squares refit kept if it lowers the error.
template <class Ops>
void fast_affine_block(const float *x, int n, int top, const float *deltas, int count, uint16_t *d_bits,
                       uint16_t *m_bits, uint8_t *q) {
    float sum, sum_sq;
    Ops::moments(x, n, &sum, &sum_sq);
    const AffineResult r = fast_fit_affine<Ops>(x, n, top, false, deltas, count, 2, sum, sum_sq);
    const Grid grid = {0.0f, static_cast<float>(top), nullptr, top + 1, nullptr};
    uint16_t db = Ops::to_half(static_cast<float>(r.d)), mb = Ops::to_half(static_cast<float>(r.m));
    // dl * l - ml with ml = -m is l * d + m, bit for bit.
    const GroupFit fit = Ops::assign(x, n, Ops::from_half(db), -Ops::from_half(mb), grid, q);
    AffineResult refit;
    if (solve_affine({fit.l, fit.ll, fit.xl}, n, sum, sum_sq, false, &refit)) {
        const uint16_t ndb = Ops::to_half(static_cast<float>(refit.d));
        const uint16_t nmb = Ops::to_half(static_cast<float>(refit.m));
        if (ndb != db || nmb != mb) {
            uint8_t trial[32];
            if (Ops::assign(x, n, Ops::from_half(ndb), -Ops::from_half(nmb), grid, trial).err < fit.err) {
                db = ndb;
                mb = nmb;
                std::memcpy(q, trial, static_cast<size_t>(n));
            }
        }
    }
    *d_bits = db;
    *m_bits = mb;
}

// ---------------------------------------------------------------------------
// Super-blocks: value = (d * scale[j]) * level - (dmin * min[j]).

struct FastSuperFormat {
    int sub_blocks;      // 8 or 16
    int sub_size;        // 32 or 16
    Grid grid;           // element levels; affine formats (min_hi > 0) use 0..top
    int scale_lo, scale_hi;
    int min_hi;          // 0: no mins
    const float *search; // candidate multipliers (one scale) or deltas (affine)
    int search_count;
};

struct FastSuperCode {
    uint16_t d, dmin;
    int scale[16], min[16];
    uint8_t q[256];  // level indices
};

template <class Ops>
float fast_super_error(const FastSuperFormat &f, const float *x, const FastSuperCode &c, GroupFit *fits, uint8_t *q) {
    const float d = Ops::from_half(c.d), dmin = Ops::from_half(c.dmin);
    float total = 0.0f;
    for (int j = 0; j < f.sub_blocks; ++j) {
        const int at = j * f.sub_size;
        fits[j] = Ops::assign(x + at, f.sub_size, d * static_cast<float>(c.scale[j]),
                              dmin * static_cast<float>(c.min[j]), f.grid, q + at);
        total += fits[j].err;
    }
    return total;
}

/// Encodes 256 floats:
///   1. each sub-block's float scale (and min) from the candidate fits;
///   2. the super-scales map the largest onto the top integer, every
///      sub-block scale (min) rounds to its nearest integer;
///   3. every element goes to its nearest level; each sub-block tries the
///      integer (scale, min) pairs around its least-squares target; the
///      super-scales are refitted jointly while the error falls (twice).
template <class Ops>
void fast_super_block(const FastSuperFormat &f, const float *x, FastSuperCode *c) {
    const int size = f.sub_size;
    const bool with_min = f.min_hi > 0;
    const int top = static_cast<int>(f.grid.hi);
    float scales[16], mins[16], sums[16];

    // Stage 1.
    for (int j = 0; j < f.sub_blocks; ++j) {
        const float *xj = x + j * size;
        float sum_sq;
        Ops::moments(xj, size, &sums[j], &sum_sq);
        if (with_min) {
            const AffineResult r = fast_fit_affine<Ops>(xj, size, top, true, f.search, f.search_count, 2, sums[j], sum_sq);
            scales[j] = static_cast<float>(r.d);
            mins[j] = static_cast<float>(-r.m);
        } else {
            scales[j] = fast_fit_scale<Ops>(xj, size, f.grid, f.search, f.search_count);
            mins[j] = 0.0f;
        }
    }

    // Stage 2.
    float d = 0.0f, dmin = 0.0f;
    c->dmin = 0;
    if (with_min) {
        float max_scale = 0.0f, max_min = 0.0f;
        for (int j = 0; j < f.sub_blocks; ++j) {
            max_scale = scales[j] > max_scale ? scales[j] : max_scale;
            max_min = mins[j] > max_min ? mins[j] : max_min;
        }
        c->d = Ops::to_half(max_scale / static_cast<float>(f.scale_hi));
        c->dmin = Ops::to_half(max_min / static_cast<float>(f.min_hi));
        d = Ops::from_half(c->d);
        dmin = Ops::from_half(c->dmin);
    } else {
        float max_scale = 0.0f, amax = 0.0f;
        for (int j = 0; j < f.sub_blocks; ++j) {
            const float a = scales[j] < 0.0f ? -scales[j] : scales[j];
            if (a > amax) {
                amax = a;
                max_scale = scales[j];
            }
        }
        // The largest scale onto the lowest integer (the side with more).
        c->d = Ops::to_half(max_scale / static_cast<float>(f.scale_lo));
        d = Ops::from_half(c->d);
    }
    const float inv_d = d != 0.0f ? 1.0f / d : 0.0f, inv_dmin = dmin != 0.0f ? 1.0f / dmin : 0.0f;
    const float scale_lo = static_cast<float>(f.scale_lo), scale_hi = static_cast<float>(f.scale_hi);
    for (int j = 0; j < f.sub_blocks; ++j) {
        c->scale[j] = static_cast<int>(round_small(clamp(scales[j] * inv_d, scale_lo, scale_hi)));
        c->min[j] = static_cast<int>(round_small(clamp(mins[j] * inv_dmin, 0.0f, static_cast<float>(f.min_hi))));
    }

    // Stage 3: nearest levels, then each sub-block's neighbouring integers.
    GroupFit fits[16];
    float err = fast_super_error<Ops>(f, x, *c, fits, c->q);
    uint8_t trial_q[32];
    for (int j = 0; j < f.sub_blocks && d != 0.0f; ++j) {
        const GroupFit &g = fits[j];
        const double n = size, l = g.l, ll = g.ll, xl = g.xl;
        if (ll <= 0.0) continue;
        // x ~ dl * level - ml with the levels fixed.
        double dl = xl / ll, ml = 0.0;
        const double det = n * ll - l * l;
        if (with_min && dmin != 0.0f && det > 0.0) {
            dl = (n * xl - sums[j] * l) / det;
            ml = -(ll * sums[j] - l * xl) / det;
        }
        const double sc_target = dl / d;
        const double mn_target = with_min && dmin != 0.0f ? ml / dmin : 0.0;
        if (!(sc_target > -1e6 && sc_target < 1e6 && mn_target > -1e6 && mn_target < 1e6)) continue;
        const int sc0 = static_cast<int>(__builtin_floor(sc_target));
        const int mn0 = static_cast<int>(__builtin_floor(mn_target));
        for (int sc = sc0; sc <= sc0 + 1; ++sc) {
            for (int mn = mn0; mn <= mn0 + (with_min ? 1 : 0); ++mn) {
                if (sc < f.scale_lo || sc > f.scale_hi || mn < 0 || mn > f.min_hi) continue;
                if (sc == c->scale[j] && mn == c->min[j]) continue;
                const GroupFit t = Ops::assign(x + j * size, size, d * static_cast<float>(sc),
                                               dmin * static_cast<float>(mn), f.grid, trial_q);
                if (t.err < fits[j].err) {
                    fits[j] = t;
                    c->scale[j] = sc;
                    c->min[j] = mn;
                    std::memcpy(c->q + j * size, trial_q, static_cast<size_t>(size));
                }
            }
        }
    }
    err = 0.0f;
    for (int j = 0; j < f.sub_blocks; ++j) err += fits[j].err;

    // Joint least-squares super-scales: x ~ d * (scale[j] * L) - dmin * min[j].
    for (int pass = 0; pass < 2; ++pass) {
        double aa = 0, ab = 0, bb = 0, xa = 0, xb = 0;
        for (int j = 0; j < f.sub_blocks; ++j) {
            const double sc = c->scale[j], mn = c->min[j];
            aa += sc * sc * fits[j].ll;
            ab -= sc * mn * fits[j].l;
            bb += mn * mn * size;
            xa += sc * fits[j].xl;
            xb -= mn * sums[j];
        }
        if (aa <= 0.0) break;
        FastSuperCode trial = *c;
        const double det = aa * bb - ab * ab;
        if (with_min && det > 1e-12 * aa * bb) {
            const double new_dmin = (aa * xb - ab * xa) / det;
            trial.d = Ops::to_half(static_cast<float>((xa * bb - xb * ab) / det));
            trial.dmin = Ops::to_half(static_cast<float>(new_dmin > 0.0 ? new_dmin : 0.0));
        } else {
            trial.d = Ops::to_half(static_cast<float>(xa / aa));
        }
        if (trial.d == c->d && trial.dmin == c->dmin) break;
        GroupFit trial_fits[16];
        const float trial_err = fast_super_error<Ops>(f, x, trial, trial_fits, trial.q);
        if (!(trial_err < err)) break;
        err = trial_err;
        *c = trial;
        std::memcpy(fits, trial_fits, sizeof fits);
    }
}

// ---------------------------------------------------------------------------
// The parameters of each type.

// One-scale candidates, as multiples of the inverse scale that puts the
// value of largest magnitude on the lowest level: Q4_0 error 0.0832 with
// that scale alone, 0.0812 with these four (exhaustive 0.0808, llama.cpp
// 0.0858; N(0,1)).
constexpr float kScaleCandidates[] = {1.05f, 1.0f, 0.95f, 0.9f};
// Q8_0's steps are 16 times finer: the same moves in units of a level.
constexpr float kQ8Candidates[] = {1.0025f, 1.0f, 0.9975f, 0.995f};
// Affine candidates: inverse scales (top + delta) / (max - min).
constexpr float kAffineDeltas[] = {-1.0f, -0.5f, 0.0f, 0.5f};

constexpr Grid linear_grid(int lo, int hi) {
    return {static_cast<float>(lo), static_cast<float>(hi), nullptr, hi - lo + 1, nullptr};
}
// Between neighbours of kIQ4Values (exact in float).
constexpr float kIQ4Midpoints[15] = {-115.5f, -93.5f, -74.0f, -57.0f, -42.0f, -28.5f, -16.0f, -4.5f,
                                     7.0f,    19.0f,  31.5f,  45.5f,  61.0f,  79.0f,  101.0f};
constexpr Grid kIQ4Grid = {-127.0f, 113.0f, kIQ4Values, 16, kIQ4Midpoints};

constexpr FastSuperFormat kFastQ2K = {16, 16, linear_grid(0, 3), 0, 15, 15, kAffineDeltas, 4};
constexpr FastSuperFormat kFastQ3K = {16, 16, linear_grid(-4, 3), -32, 31, 0, kScaleCandidates, 4};
constexpr FastSuperFormat kFastQ4K = {8, 32, linear_grid(0, 15), 0, 63, 63, kAffineDeltas, 4};
constexpr FastSuperFormat kFastQ5K = {8, 32, linear_grid(0, 31), 0, 63, 63, kAffineDeltas, 4};
constexpr FastSuperFormat kFastQ6K = {16, 16, linear_grid(-32, 31), -128, 127, 0, kScaleCandidates, 4};
constexpr FastSuperFormat kFastIQ4XS = {8, 32, kIQ4Grid, -32, 31, 0, kScaleCandidates, 4};

}  // namespace
}  // namespace lq
