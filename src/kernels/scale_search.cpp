#include "kernels/scale_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/half.h"

namespace lq {
namespace {

// The swept inverse scales, relative to s0 (the inverse scale that maps the
// largest |x| onto the outermost level): [s0 * low, s0 * high]. Below the
// window whole levels go unused, above it the largest values are clipped
// hard. Measured on Gaussian and real weights (unweighted), optima outside
// [0.8, 1.3] are rare and worth < 0.01% of error. With many levels the
// window narrows to 8 levels either side, bounding the crossings at a cost
// of 0.2-2% of error for Q6_K sub-blocks and Q8_0 (still 25-35% below
// round-to-nearest).
//
// Uneven importances move the optimum further: it pays to clip values that
// matter little, or to land the few heavy elements exactly on levels. Then
// the window is [0.5, 1.5] (16 levels either side), and reaches up to the
// scale that puts the largest value of some weight on the outermost level
// (weighted error of Q3_K sub-blocks -6%, Q6_K -1.5%, Q8_0 -7% against the
// unweighted window).
struct Window {
    float low, high;
};

Window scale_window(int top, bool weighted) {
    const float side = weighted ? 16.0f : 8.0f;
    const float half_width = side / static_cast<float>(top);
    if (weighted) return {std::max(0.5f, 1.0f - half_width), std::min(1.5f, 1.0f + half_width)};
    return {std::max(0.8f, 1.0f - half_width), std::min(1.3f, 1.0f + half_width)};
}

// Highest reach of the weighted window, relative to s0: the same 32 levels
// beyond the outermost, at most 4x.
float weighted_reach(int top) { return std::min(4.0f, 1.0f + 32.0f / static_cast<float>(top)); }

// The affine search sweeps five anchors, so each sweep can be narrower:
// [0.85, 1.2] loses 0.01-0.06% of error against [0.8, 1.3] at 3/4 the time.
// With uneven importances [0.8, 1.6] (Q2_K sub-blocks: -0.8% error).
constexpr Window kAffineWindow = {0.85f, 1.2f};
constexpr Window kAffineWindowWeighted = {0.8f, 1.6f};

// One crossing of the sweep: at inverse scale s, element `index` moves one
// level up (step = +1) or down (step = -1).
struct Crossing {
    float s;
    uint8_t index;
    int8_t step;
};

// Values normalised to [-1, 1] and importances to [0, 1]; non-finite values
// count as 0 and non-positive or NaN importances as 0.
struct Group {
    float x[kMaxGroup];
    float w[kMaxGroup];
    float amax = 0.0f;  // the factor that undoes the normalisation
    int n = 0;
    bool weighted = false;  // importances are not all equal
};

void normalise(const float *x, const float *w, int n, Group *g) {
    g->n = n;
    float amax = 0.0f;
    for (int i = 0; i < n; ++i)
        if (std::isfinite(x[i])) amax = std::max(amax, std::fabs(x[i]));
    g->amax = amax;
    const float inv = amax > 0.0f ? 1.0f / amax : 0.0f;
    for (int i = 0; i < n; ++i) g->x[i] = std::isfinite(x[i]) ? x[i] * inv : 0.0f;
    float wmax = 0.0f;
    if (w)
        for (int i = 0; i < n; ++i)
            if (w[i] > wmax && std::isfinite(w[i])) wmax = w[i];
    if (wmax > 0.0f) {
        const float winv = 1.0f / wmax;
        for (int i = 0; i < n; ++i) {
            g->w[i] = (w[i] > 0.0f && std::isfinite(w[i])) ? w[i] * winv : 0.0f;
            g->weighted |= g->w[i] != 1.0f;
        }
    } else {
        for (int i = 0; i < n; ++i) g->w[i] = 1.0f;
    }
}

// Most crossings one sweep can produce. Values are normalised (|u| <= 1 for
// scales, 0 <= u <= xmax - anchor for offsets), so with the windows above an
// element crosses at most 16 + 32 + 1 level boundaries. The cap only guards
// memory.
constexpr int kMaxCrossings = kMaxGroup * 50;

// The levels as float tables, built once per search: the sweep reads
// them once per crossing.
struct LevelTable {
    explicit LevelTable(const Levels &l) : levels(l), count(l.count()) {
        for (int k = 0; k < count; ++k) value[k] = l.value(k);
        for (int k = 0; k + 1 < count; ++k) mid[k] = 0.5f * (value[k] + value[k + 1]);
    }
    Levels levels;
    int count;
    float value[256];
    float mid[256];  // between level k and k + 1
};

// Appends the crossings of one element as its scaled value s * u moves from
// s_lo * u to s_hi * u; returns the level index at s_lo.
int add_crossings(const LevelTable &t, float u, uint8_t index, float s_lo, float s_hi, Crossing *out, int *count) {
    const int start = t.levels.nearest(s_lo * u);
    const int end = t.levels.nearest(s_hi * u);
    const float inv = 1.0f / u;
    int c = *count;
    if (end > start) {
        const int last = std::min(end, start + kMaxCrossings - c);
        for (int k = start; k < last; ++k) out[c++] = {t.mid[k] * inv, index, +1};
    } else {
        const int last = std::max(end, start - (kMaxCrossings - c));
        for (int k = start; k > last; --k) out[c++] = {t.mid[k - 1] * inv, index, -1};
    }
    *count = c;
    return start;
}

// Sorts crossings by s, all lying in [s_lo, s_hi]: a counting sort into
// about one bucket per crossing (they spread fairly evenly over the window),
// then an insertion sort that only has to fix order inside buckets. Linear
// time in practice, where a comparison sort dominated the whole search.
void sort_crossings(Crossing *c, int count, float s_lo, float s_hi) {
    if (count < 2) return;
    Crossing scratch[kMaxCrossings];
    uint16_t bucket_of[kMaxCrossings];
    int start[kMaxCrossings + 1];
    const int buckets = count;
    const float to_bucket = static_cast<float>(buckets) / (s_hi - s_lo);
    std::fill(start, start + buckets + 1, 0);
    for (int i = 0; i < count; ++i) {
        const float t = (c[i].s - s_lo) * to_bucket;
        const int b = t <= 0.0f ? 0 : t >= static_cast<float>(buckets - 1) ? buckets - 1 : static_cast<int>(t);
        bucket_of[i] = static_cast<uint16_t>(b);
        ++start[b + 1];
    }
    for (int b = 0; b < buckets; ++b) start[b + 1] += start[b];
    for (int i = 0; i < count; ++i) scratch[start[bucket_of[i]]++] = c[i];
    for (int i = 0; i < count; ++i) {
        const Crossing e = scratch[i];
        int j = i;
        while (j > 0 && c[j - 1].s > e.s) {
            c[j] = c[j - 1];
            --j;
        }
        c[j] = e;
    }
}

// Sweeps s over [s_lo, s_hi] for u ~ d * levels.value(q), keeping the
// assignment with the largest (sum w u L)^2 / sum w L^2 (= the largest drop
// in error with its least-squares d). Updates *best_num / *best_den and the
// best levels in best_q when it finds a better one; returns true if it did.
bool sweep_scale(const float *u, const float *w, int n, const LevelTable &t, float s_lo, float s_hi,
                 double *best_num, double *best_den, uint8_t *best_q) {
    Crossing crossings[kMaxCrossings];
    int count = 0;
    uint8_t q[kMaxGroup];
    double num = 0.0, den = 0.0;
    const int zero = t.levels.zero_index();
    for (int i = 0; i < n; ++i) {
        const int k = u[i] != 0.0f ? add_crossings(t, u[i], static_cast<uint8_t>(i), s_lo, s_hi, crossings, &count) : zero;
        q[i] = static_cast<uint8_t>(k);
        const double l = t.value[k];
        num += static_cast<double>(w[i]) * u[i] * l;
        den += w[i] * l * l;
    }
    sort_crossings(crossings, count, s_lo, s_hi);
    bool improved = false;
    auto consider = [&]() {
        if (den > 0.0 && num * num * (*best_den) > (*best_num) * (*best_num) * den) {
            *best_num = num;
            *best_den = den;
            std::memcpy(best_q, q, static_cast<size_t>(n));
            improved = true;
        }
    };
    consider();
    for (int c = 0; c < count; ++c) {
        const Crossing &e = crossings[c];
        const int i = e.index;
        const double old_l = t.value[q[i]];
        q[i] = static_cast<uint8_t>(q[i] + e.step);
        const double new_l = t.value[q[i]];
        num += w[i] * u[i] * (new_l - old_l);
        den += w[i] * (new_l * new_l - old_l * old_l);
        // Crossings at the same s happen together: evaluate after the last.
        if (c + 1 == count || crossings[c + 1].s > e.s) consider();
    }
    return improved;
}

// Least-squares fit of x ~ d * q + m from running sums; returns the error
// sum w (x - d q - m)^2 up to the constant sum w x^2, or +inf when the
// assignment admits no fit with d > 0.
struct AffineSums {
    double w = 0, q = 0, qq = 0, x = 0, xq = 0;
};

double solve_affine(const AffineSums &s, bool offset_at_most_zero, double *d, double *m) {
    const double det = s.w * s.qq - s.q * s.q;
    if (det > 1e-12 * s.w * s.qq) {
        *d = (s.w * s.xq - s.q * s.x) / det;
        *m = (s.qq * s.x - s.q * s.xq) / det;
        if (!offset_at_most_zero || *m <= 0.0) return *d > 0.0 ? -(*d * s.xq + *m * s.x) : HUGE_VAL;
    }
    if (s.qq <= 0.0) return HUGE_VAL;
    // Offset pinned to 0 (the constrained optimum lies on the boundary).
    *m = 0.0;
    *d = s.xq / s.qq;
    return *d > 0.0 ? -(*d * s.xq) : HUGE_VAL;
}

// The drop in error that the least-squares fit of an assignment achieves,
// as a fraction num / den so that candidates compare by cross-multiplying
// (no division per crossing). False when the fit has no scale > 0.
bool affine_gain(const AffineSums &s, bool offset_at_most_zero, double *num, double *den) {
    const double det = s.w * s.qq - s.q * s.q;
    const double d_det = s.w * s.xq - s.q * s.x;   // d * det
    const double m_det = s.qq * s.x - s.q * s.xq;  // m * det
    if (det > 1e-12 * s.w * s.qq && (!offset_at_most_zero || m_det <= 0.0)) {
        if (d_det <= 0.0) return false;
        *num = d_det * s.xq + m_det * s.x;
        *den = det;
        return true;
    }
    // Offset pinned to 0 (or every level equal): gain xq^2 / qq.
    if (s.qq <= 0.0 || s.xq <= 0.0) return false;
    *num = s.xq * s.xq;
    *den = s.qq;
    return true;
}

// The affine sweep from one anchor a: levels q = clamp(round(s (x - a))).
// Keeps the assignment with the largest gain in *best_num / *best_den and
// best_q.
void sweep_affine(const Group &g, int top, bool offset_at_most_zero, float anchor, float s_lo, float s_hi,
                  double *best_num, double *best_den, uint8_t *best_q) {
    Crossing crossings[kMaxCrossings];
    const LevelTable levels(Levels::linear(0, top));
    int count = 0;
    uint8_t q[kMaxGroup];
    AffineSums sums;
    for (int i = 0; i < g.n; ++i) {
        const float u = g.x[i] - anchor;
        const int k = u > 0.0f ? add_crossings(levels, u, static_cast<uint8_t>(i), s_lo, s_hi, crossings, &count) : 0;
        q[i] = static_cast<uint8_t>(k);
        const double w = g.w[i];
        sums.w += w;
        sums.q += w * k;
        sums.qq += w * k * k;
        sums.x += w * g.x[i];
        sums.xq += w * g.x[i] * k;
    }
    sort_crossings(crossings, count, s_lo, s_hi);
    auto consider = [&]() {
        double num, den;
        if (affine_gain(sums, offset_at_most_zero, &num, &den) && num * (*best_den) > (*best_num) * den) {
            *best_num = num;
            *best_den = den;
            std::memcpy(best_q, q, static_cast<size_t>(g.n));
        }
    };
    consider();
    for (int c = 0; c < count; ++c) {
        const int i = crossings[c].index;
        const double k = q[i];  // one level up: k -> k + 1
        const double w = g.w[i];
        q[i] = static_cast<uint8_t>(q[i] + 1);
        sums.q += w;
        sums.qq += w * (2.0 * k + 1.0);
        sums.xq += w * g.x[i];
        if (c + 1 == count || crossings[c + 1].s > crossings[c].s) consider();
    }
}

AffineSums affine_sums(const Group &g, const uint8_t *q) {
    AffineSums s;
    for (int i = 0; i < g.n; ++i) {
        const double w = g.w[i];
        s.w += w;
        s.q += w * q[i];
        s.qq += w * q[i] * q[i];
        s.x += w * g.x[i];
        s.xq += w * g.x[i] * q[i];
    }
    return s;
}

// The smallest inverse scale at which a value with importance >= min_weight
// reaches an outermost level; HUGE_VALF when none can.
float first_to_reach_end(const Levels &levels, const float *u, const float *w, int n, float min_weight) {
    float umax = 0.0f, umin = 0.0f;
    for (int i = 0; i < n; ++i) {
        if (w[i] < min_weight) continue;
        umax = std::max(umax, u[i]);
        umin = std::min(umin, u[i]);
    }
    float s = HUGE_VALF;
    if (levels.highest() > 0.0f && umax > 0.0f) s = levels.highest() / umax;
    if (levels.lowest() < 0.0f && umin < 0.0f) s = std::min(s, levels.lowest() / umin);
    return s;
}

float clamp_to_half_range(float v) { return std::min(65504.0f, std::max(-65504.0f, v)); }

}  // namespace

const float *block_importance(const float *importance, int n, float *buffer) {
    if (!importance) return nullptr;
    bool any = false;
    for (int i = 0; i < n; ++i) {
        const float w = importance[i];
        buffer[i] = (w > 0.0f && std::isfinite(w)) ? w : 0.0f;
        any |= buffer[i] > 0.0f;
    }
    return any ? buffer : nullptr;
}

float fit_scale(const float *x, const float *w, int n, const Levels &levels, uint8_t *q) {
    Group g;
    normalise(x, w, n, &g);
    if (g.amax == 0.0f) {
        std::memset(q, levels.zero_index(), static_cast<size_t>(n));
        return 0.0f;
    }
    // Sweep positive inverse scales for x and for -x (a negative scale).
    const LevelTable table(levels);
    double best_num = 0.0, best_den = 1.0;
    float sign = 1.0f;
    float u[kMaxGroup];
    for (const float direction : {1.0f, -1.0f}) {
        for (int i = 0; i < n; ++i) u[i] = direction * g.x[i];
        // s0: the first inverse scale at which some value reaches an
        // outermost level.
        const float s0 = first_to_reach_end(levels, u, g.w, n, 0.0f);
        if (s0 == HUGE_VALF) continue;
        const int top = std::max(levels.count() / 2, 1);
        const Window win = scale_window(top, g.weighted);
        float s_hi = s0 * win.high;
        if (g.weighted) {
            // Reach the scale where the largest value with at least half the
            // mean importance sits on the outermost level.
            double mean = 0.0;
            for (int i = 0; i < n; ++i) mean += g.w[i];
            const float s_heavy = first_to_reach_end(levels, u, g.w, n, static_cast<float>(0.5 * mean / n));
            if (s_heavy != HUGE_VALF) s_hi = std::max(s_hi, std::min(s_heavy * win.high, s0 * weighted_reach(top)));
        }
        if (sweep_scale(u, g.w, n, table, s0 * win.low, s_hi, &best_num, &best_den, q))
            sign = direction;
    }
    if (best_num == 0.0) {
        std::memset(q, levels.zero_index(), static_cast<size_t>(n));
        return 0.0f;
    }
    return static_cast<float>(sign * (best_num / best_den) * g.amax);
}

AffineFit fit_scale_offset(const float *x, const float *w, int n, int top, bool offset_at_most_zero, uint8_t *q) {
    Group g;
    normalise(x, w, n, &g);
    float xmin = g.x[0], xmax = g.x[0];
    for (int i = 1; i < n; ++i) {
        xmin = std::min(xmin, g.x[i]);
        xmax = std::max(xmax, g.x[i]);
    }
    if (offset_at_most_zero) xmin = std::min(xmin, 0.0f);
    AffineFit fit;
    if (!(xmax > xmin)) {  // constant group: one level, the offset carries it
        std::memset(q, 0, static_cast<size_t>(n));
        if (!offset_at_most_zero || xmin <= 0.0f) fit.offset = xmin * g.amax;
        return fit;
    }
    // Anchors for the offset around the minimum, a fraction of a step apart:
    // the lowest value sits within half a step of level 0 unless clipped.
    const float step = (xmax - xmin) / static_cast<float>(top);
    double best_num = 0.0, best_den = 1.0;
    const Window win = g.weighted ? kAffineWindowWeighted : kAffineWindow;
    for (const float shift : {-0.5f, -0.25f, 0.0f, 0.25f, 0.5f}) {
        const float anchor = xmin + shift * step;
        if (offset_at_most_zero && anchor > 0.0f) continue;
        const float s0 = static_cast<float>(top) / (xmax - anchor);
        sweep_affine(g, top, offset_at_most_zero, anchor, s0 * win.low, s0 * win.high, &best_num, &best_den, q);
    }
    double d = 0, m = 0;
    double best_err = solve_affine(affine_sums(g, q), offset_at_most_zero, &d, &m);
    if (best_num == 0.0 || best_err == HUGE_VAL) {
        std::memset(q, 0, static_cast<size_t>(n));
        return fit;
    }
    // Polish: reassign to the fitted (d, m) and refit while the error falls.
    uint8_t trial[kMaxGroup];
    for (int iter = 0; iter < 8; ++iter) {
        bool changed = false;
        for (int i = 0; i < n; ++i) {
            const double t = std::floor((g.x[i] - m) / d + 0.5);
            trial[i] = static_cast<uint8_t>(t < 0 ? 0 : t > top ? top : t);
            changed |= trial[i] != q[i];
        }
        if (!changed) break;
        double d2, m2;
        const double err = solve_affine(affine_sums(g, trial), offset_at_most_zero, &d2, &m2);
        if (!(err < best_err)) break;
        best_err = err;
        d = d2;
        m = m2;
        std::memcpy(q, trial, static_cast<size_t>(n));
    }
    fit.scale = static_cast<float>(d * g.amax);
    fit.offset = static_cast<float>(m * g.amax);
    return fit;
}

double assign_scaled(const float *x, const float *w, int n, const Levels &levels, float scale, uint8_t *q) {
    double err = 0.0;
    const float inv = scale != 0.0f ? 1.0f / scale : 0.0f;
    for (int i = 0; i < n; ++i) {
        const int k = scale != 0.0f ? levels.nearest(x[i] * inv) : levels.zero_index();
        q[i] = static_cast<uint8_t>(k);
        const double diff = static_cast<double>(x[i]) - static_cast<double>(scale * levels.value(k));
        err += (w ? w[i] : 1.0f) * diff * diff;
    }
    return err;
}

double assign_affine(const float *x, const float *w, int n, int top, float scale, float offset, uint8_t *q) {
    double err = 0.0;
    const float inv = scale > 0.0f ? 1.0f / scale : 0.0f;
    for (int i = 0; i < n; ++i) {
        const float t = std::floor((x[i] - offset) * inv + 0.5f);
        const int k = !(t > 0.0f) ? 0 : t >= static_cast<float>(top) ? top : static_cast<int>(t);
        q[i] = static_cast<uint8_t>(k);
        const double diff = static_cast<double>(x[i]) - static_cast<double>(static_cast<float>(k) * scale + offset);
        err += (w ? w[i] : 1.0f) * diff * diff;
    }
    return err;
}

uint16_t settle_fp16_scale(const float *x, const float *w, int n, const Levels &levels, float scale, uint8_t *q) {
    uint16_t bits = float_to_half(clamp_to_half_range(scale));
    double err = assign_scaled(x, w, n, levels, half_to_float(bits), q);
    uint8_t trial[kMaxGroup];
    for (int iter = 0; iter < 4; ++iter) {
        // Least-squares scale for the current levels, rounded again.
        double num = 0.0, den = 0.0;
        for (int i = 0; i < n; ++i) {
            const double l = levels.value(q[i]);
            const double wi = w ? w[i] : 1.0f;
            num += wi * x[i] * l;
            den += wi * l * l;
        }
        if (den <= 0.0) break;
        const uint16_t next = float_to_half(clamp_to_half_range(static_cast<float>(num / den)));
        if (next == bits) break;
        const double next_err = assign_scaled(x, w, n, levels, half_to_float(next), trial);
        if (!(next_err < err)) break;
        bits = next;
        err = next_err;
        std::memcpy(q, trial, static_cast<size_t>(n));
    }
    return bits;
}

void settle_fp16_affine(const float *x, const float *w, int n, int top, AffineFit fit, uint16_t *scale_bits,
                        uint16_t *offset_bits, uint8_t *q) {
    uint16_t sb = float_to_half(clamp_to_half_range(fit.scale));
    uint16_t ob = float_to_half(clamp_to_half_range(fit.offset));
    double err = assign_affine(x, w, n, top, half_to_float(sb), half_to_float(ob), q);
    uint8_t trial[kMaxGroup];
    for (int iter = 0; iter < 4; ++iter) {
        AffineSums s;
        for (int i = 0; i < n; ++i) {
            const double wi = w ? w[i] : 1.0f;
            s.w += wi;
            s.q += wi * q[i];
            s.qq += wi * q[i] * q[i];
            s.x += wi * x[i];
            s.xq += wi * x[i] * q[i];
        }
        double d, m;
        if (solve_affine(s, false, &d, &m) == HUGE_VAL) break;
        const uint16_t nsb = float_to_half(clamp_to_half_range(static_cast<float>(d)));
        const uint16_t nob = float_to_half(clamp_to_half_range(static_cast<float>(m)));
        if (nsb == sb && nob == ob) break;
        const double next_err = assign_affine(x, w, n, top, half_to_float(nsb), half_to_float(nob), trial);
        if (!(next_err < err)) break;
        sb = nsb;
        ob = nob;
        err = next_err;
        std::memcpy(q, trial, static_cast<size_t>(n));
    }
    *scale_bits = sb;
    *offset_bits = ob;
}

}  // namespace lq
