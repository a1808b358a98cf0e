// Scale searches shared by every quantizer: given a group of values x with
// importances w, find the scale (and offset) and per-element levels that
// minimise sum w[i] * (x[i] - decoded[i])^2.
//
// Why an exact sweep works: for a fixed scale the best level of each element
// is its nearest one, so the optimum pairs a scale d* with q = nearest(x / d*).
// Every such assignment appears as the inverse scale s = 1 / d sweeps across
// the points where some s * x[i] crosses a midpoint between two levels.
// Visiting those breakpoints in order, with running sums updated in O(1) per
// crossing, and solving the least-squares scale for each assignment finds the
// optimum within the swept range; the range is a generous window around the
// scale that maps the largest |x| to the outermost level.
//
// With an offset (x ~ d * q + m) the same sweep runs from several anchors for
// m, each assignment gets the joint least-squares (d, m), and the winner is
// polished by alternating reassignment and refitting.
//
// Inputs may have any magnitude: values are normalised by their largest
// magnitude before any sum is formed. w == nullptr means uniform importance;
// an all-zero w is treated as uniform. At most kMaxGroup elements.
#pragma once

#include <cstdint>

#include "kernels/levels.h"

namespace lq {

constexpr int kMaxGroup = 32;

/// The importances of one block as the searches want them: nullptr (uniform)
/// when @p importance is nullptr or gives the block no positive weight,
/// otherwise a copy in @p buffer (n entries) with negative and non-finite
/// entries replaced by 0.
const float *block_importance(const float *importance, int n, float *buffer);

/// Best x ~ scale * levels.value(q): writes q (level indices) and returns the
/// scale, which may be negative (levels need not be symmetric) and is 0 when
/// every x is 0.
float fit_scale(const float *x, const float *w, int n, const Levels &levels, uint8_t *q);

/// Result of fit_scale_offset: x ~ scale * q + offset.
struct AffineFit {
    float scale = 0.0f;
    float offset = 0.0f;
};

/// Best x ~ scale * q + offset with q in 0..top and scale >= 0. When
/// @p offset_at_most_zero, offset is constrained to <= 0 (the K-quants store
/// it as a non-negative "min" that is subtracted).
AffineFit fit_scale_offset(const float *x, const float *w, int n, int top, bool offset_at_most_zero, uint8_t *q);

/// Sum of w * (x - scale * levels.value(q))^2 with q the nearest levels, as
/// written to @p q. Uniform when w == nullptr.
double assign_scaled(const float *x, const float *w, int n, const Levels &levels, float scale, uint8_t *q);

/// As assign_scaled for x ~ scale * q + offset, q in 0..top, computing each
/// decoded value as the format does: scale * q + offset.
double assign_affine(const float *x, const float *w, int n, int top, float scale, float offset, uint8_t *q);

/// Final step of a block with one F16 scale: rounds @p scale to F16, reassigns
/// the levels, and alternates least-squares refits with re-rounding while the
/// error falls. Returns the F16 bits; q holds the matching levels.
uint16_t settle_fp16_scale(const float *x, const float *w, int n, const Levels &levels, float scale, uint8_t *q);

/// As settle_fp16_scale for a block with F16 scale and F16 offset.
void settle_fp16_affine(const float *x, const float *w, int n, int top, AffineFit fit, uint16_t *scale_bits,
                        uint16_t *offset_bits, uint8_t *q);

}  // namespace lq
