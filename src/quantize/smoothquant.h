// SmoothQuant (Xiao et al., 2023): activations of a few input channels are
// tens of times larger than the rest, so one scale per token wastes most of
// the 8-bit levels on them. Dividing channel j of the input by s_j and
// multiplying column j of every weight that reads it by s_j leaves the
// full-precision product unchanged and moves the difficulty into the
// weights, which have one scale per row and tolerate it:
//
//     s_j = max|x_j|^alpha / max|w_j|^(1 - alpha)
//
// over the calibration inputs x and the columns w_j of all the readers.
// alpha 0.5 splits the range evenly between the two; higher alpha smooths
// activations harder. The 1/s is folded into the operation producing the
// input, as for AWQ (awq.h): the RMSNorm weights before Q/K/V and gate/up,
// the value projection before the attention output, the up projection
// before the down projection.
#pragma once

#include <cstdint>
#include <vector>

#include "quantize/calibration.h"

namespace lq {

struct SmoothingResult {
    std::vector<float> scales;    // s_j, one per input channel
    double outlier_ratio = 0.0;   // max_j max|x_j| / median_j max|x_j|, before
    double outlier_ratio_after = 0.0;  // the same of x / s
};

/// Smoothing factors for one input. @p weight_max holds max|w_j| over the
/// readers' rows, per column. Columns tied in groups (@p tie_groups > 1,
/// blocks of @p tie_width: grouped-query attention, whose value channel
/// feeds the same position of every head of its group) get one factor,
/// from the group's largest activation and weight. Channels that never saw
/// an input or whose weights are all zero keep s_j = 1; factors are clamped
/// to [1e-5, 1e5].
SmoothingResult smoothing_factors(const InputStatistics &stats, const std::vector<float> &weight_max, float alpha,
                                  uint32_t tie_groups, uint32_t tie_width);

}  // namespace lq
