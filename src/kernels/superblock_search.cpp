#include "kernels/superblock_search.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/half.h"
#include "kernels/blocks.h"
#include "kernels/scale_search.h"

namespace lq {
namespace {

constexpr int kMaxRefinePasses = 6;

float to_half_range(float v) { return std::min(65504.0f, std::max(-65504.0f, v)); }

// The super-block being refined: rounded super-scales, integer sub-block
// scales/mins, the levels they induce and the error of each sub-block.
struct State {
    float d = 0.0f, dmin = 0.0f;  // values of the F16 super-scales
    uint16_t d_bits = 0, dmin_bits = 0;
    int scale[16] = {};
    int min[16] = {};
    uint8_t q[kSuperBlock] = {};
    double err[16] = {};

    double total(int sub_blocks) const {
        double t = 0.0;
        for (int j = 0; j < sub_blocks; ++j) t += err[j];
        return t;
    }
};

class Refiner {
public:
    Refiner(const SuperBlockFormat &f, const float *x, const float *w) : f_(f), x_(x), w_(w) {}

    // Error of sub-block j decoded with integer scale sc and min mn under
    // the super-scales of s; writes the nearest levels to q.
    double evaluate(const State &s, int j, int sc, int mn, uint8_t *q) const {
        // Locals, so that the byte stores to q cannot force reloads.
        const Levels levels = f_.levels;
        const int size = f_.sub_size;
        const float dl = s.d * static_cast<float>(sc);
        const float ml = s.dmin * static_cast<float>(mn);
        const float inv = dl != 0.0f ? 1.0f / dl : 0.0f;
        const float *x = x_ + j * size;
        const float *w = w_ ? w_ + j * size : nullptr;
        uint8_t levels_of[kMaxGroup];
        float err = 0.0f;
        for (int i = 0; i < size; ++i) {
            const int k = levels.nearest((x[i] + ml) * inv);
            levels_of[i] = static_cast<uint8_t>(k);
            const float diff = x[i] - (dl * levels.value(k) - ml);
            err += (w ? w[i] : 1.0f) * diff * diff;
        }
        std::memcpy(q, levels_of, static_cast<size_t>(size));
        return err;
    }

    void evaluate_all(State *s) const {
        for (int j = 0; j < f_.sub_blocks; ++j)
            s->err[j] = evaluate(*s, j, s->scale[j], s->min[j], s->q + j * f_.sub_size);
    }

    // Moves each sub-block to better integer (scale, min) pairs: with its
    // levels fixed, the least-squares scale and min of the sub-block give
    // the real-valued target; the integer pairs around it are tried with
    // every element reassigned, until none improves.
    void local_search(State *s) const {
        uint8_t q[kMaxGroup];
        for (int j = 0; j < f_.sub_blocks; ++j) {
            for (int pass = 0; pass < 3; ++pass) {
                float target_sc, target_mn;
                if (!sub_block_target(*s, j, &target_sc, &target_mn)) break;
                const int sc0 = static_cast<int>(std::floor(target_sc));
                const int mn0 = f_.min_hi > 0 ? static_cast<int>(std::floor(target_mn)) : 0;
                bool moved = false;
                for (int sc = sc0; sc <= sc0 + 1; ++sc) {
                    for (int mn = mn0; mn <= mn0 + (f_.min_hi > 0 ? 1 : 0); ++mn) {
                        if (sc < f_.scale_lo || sc > f_.scale_hi || mn < 0 || mn > f_.min_hi) continue;
                        if (sc == s->scale[j] && mn == s->min[j]) continue;
                        const double e = evaluate(*s, j, sc, mn, q);
                        if (e < s->err[j]) {
                            s->err[j] = e;
                            s->scale[j] = sc;
                            s->min[j] = mn;
                            std::memcpy(s->q + j * f_.sub_size, q, static_cast<size_t>(f_.sub_size));
                            moved = true;
                        }
                    }
                }
                if (!moved) break;
            }
        }
    }

    // The real-valued scale and min (in units of d and dmin) that fit
    // sub-block j best with its current levels; false when undefined.
    bool sub_block_target(const State &s, int j, float *sc, float *mn) const {
        double w_sum = 0, l_sum = 0, ll = 0, x_sum = 0, xl = 0;
        for (int i = 0; i < f_.sub_size; ++i) {
            const int e = j * f_.sub_size + i;
            const double w = w_ ? w_[e] : 1.0f;
            const double l = f_.levels.value(s.q[e]);
            w_sum += w;
            l_sum += w * l;
            ll += w * l * l;
            x_sum += w * x_[e];
            xl += w * x_[e] * l;
        }
        if (s.d == 0.0f || ll <= 0.0) return false;
        double dl = xl / ll, ml = 0.0;
        const double det = w_sum * ll - l_sum * l_sum;
        if (f_.min_hi > 0 && s.dmin > 0.0f && det > 1e-12 * w_sum * ll) {
            // x ~ dl * l - ml
            dl = (w_sum * xl - l_sum * x_sum) / det;
            ml = -(ll * x_sum - l_sum * xl) / det;
        }
        *sc = static_cast<float>(dl / s.d);
        *mn = f_.min_hi > 0 && s.dmin > 0.0f ? static_cast<float>(ml / s.dmin) : 0.0f;
        return std::isfinite(*sc) && std::isfinite(*mn);
    }

    // Least-squares super-scales for the current integer scales and levels:
    // x ~ d * (sc * L) - dmin * mn. Returns false when it has no solution.
    bool refit_super_scales(const State &s, float *d, float *dmin) const {
        double aa = 0, ab = 0, bb = 0, xa = 0, xb = 0;
        for (int j = 0; j < f_.sub_blocks; ++j) {
            for (int i = 0; i < f_.sub_size; ++i) {
                const int e = j * f_.sub_size + i;
                const double w = w_ ? w_[e] : 1.0f;
                const double a = static_cast<double>(s.scale[j]) * f_.levels.value(s.q[e]);
                const double b = -static_cast<double>(s.min[j]);
                aa += w * a * a;
                ab += w * a * b;
                bb += w * b * b;
                xa += w * x_[e] * a;
                xb += w * x_[e] * b;
            }
        }
        if (aa <= 0.0) return false;
        const double det = aa * bb - ab * ab;
        if (f_.min_hi > 0 && det > 1e-12 * aa * bb) {
            *d = static_cast<float>((xa * bb - xb * ab) / det);
            *dmin = static_cast<float>((aa * xb - ab * xa) / det);
            if (*dmin < 0.0f) *dmin = 0.0f;
        } else {
            *d = static_cast<float>(xa / aa);
            *dmin = s.dmin;
        }
        return true;
    }

    void set_super_scales(State *s, float d, float dmin) const {
        s->d_bits = float_to_half(to_half_range(d));
        s->dmin_bits = float_to_half(to_half_range(dmin));
        s->d = half_to_float(s->d_bits);
        s->dmin = half_to_float(s->dmin_bits);
    }

    void refine(State *s) const {
        evaluate_all(s);
        local_search(s);
        double best = s->total(f_.sub_blocks);
        for (int pass = 0; pass < kMaxRefinePasses; ++pass) {
            float d, dmin;
            if (!refit_super_scales(*s, &d, &dmin)) break;
            State trial = *s;
            set_super_scales(&trial, d, dmin);
            if (trial.d_bits == s->d_bits && trial.dmin_bits == s->dmin_bits) break;
            evaluate_all(&trial);
            local_search(&trial);
            const double e = trial.total(f_.sub_blocks);
            if (!(e < best)) break;
            best = e;
            *s = trial;
        }
    }

private:
    const SuperBlockFormat &f_;
    const float *x_;
    const float *w_;
};

}  // namespace

void quantize_super_block(const SuperBlockFormat &f, const float *x, const float *w, SuperBlockCode *code) {
    // Stage 1: what each sub-block wants, and how much it cares.
    float scales[16], mins[16], scale_weight[16], min_weight[16];
    uint8_t q[kMaxGroup];
    const int top = f.levels.count() - 1;
    for (int j = 0; j < f.sub_blocks; ++j) {
        const float *xj = x + j * f.sub_size;
        const float *wj = w ? w + j * f.sub_size : nullptr;
        if (f.min_hi > 0) {
            const AffineFit fit = fit_scale_offset(xj, wj, f.sub_size, top, true, q);
            scales[j] = fit.scale;
            mins[j] = -fit.offset;
        } else {
            scales[j] = fit_scale(xj, wj, f.sub_size, f.levels, q);
            mins[j] = 0.0f;
        }
        double curvature = 0.0, weight = 0.0;
        for (int i = 0; i < f.sub_size; ++i) {
            const double wi = wj ? wj[i] : 1.0f;
            const double l = f.levels.value(q[i]);
            curvature += wi * l * l;
            weight += wi;
        }
        // A sub-block with no importance at all still gets a tiny say, so
        // that its scale stays sensible.
        scale_weight[j] = static_cast<float>(curvature) + 1e-30f;
        min_weight[j] = static_cast<float>(weight) + 1e-30f;
    }

    // Stage 2: quantize the scales and the mins.
    uint8_t index[16];
    State s;
    const Levels scale_levels = Levels::linear(f.scale_lo, f.scale_hi);
    const float d = fit_scale(scales, scale_weight, f.sub_blocks, scale_levels, index);
    for (int j = 0; j < f.sub_blocks; ++j) s.scale[j] = f.scale_lo + index[j];
    float dmin = 0.0f;
    if (f.min_hi > 0) {
        dmin = fit_scale(mins, min_weight, f.sub_blocks, Levels::linear(0, f.min_hi), index);
        for (int j = 0; j < f.sub_blocks; ++j) s.min[j] = index[j];
    }

    // Stage 3: refine against the true error.
    Refiner refiner(f, x, w);
    refiner.set_super_scales(&s, d, dmin);
    refiner.refine(&s);

    code->d = s.d_bits;
    code->dmin = s.dmin_bits;
    for (int j = 0; j < f.sub_blocks; ++j) {
        code->scale[j] = s.scale[j];
        code->min[j] = s.min[j];
    }
    std::memcpy(code->q, s.q, sizeof code->q);
}

}  // namespace lq
