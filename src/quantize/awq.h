// AWQ (Lin et al., 2023): activation-aware weight quantization. Input
// channels that carry large activations matter most; scaling such a column
// of the weights up by s (and its input down by 1/s) lets rounding treat it
// more finely at no cost in the full-precision product. The scales are
// s_j = mean|x_j|^alpha, with alpha searched on calibration data to minimise
// the error of the layer's output with the weights rounded.
//
// The 1/s on the input is folded into the operation that produces it, so
// the file stays a standard model: the RMSNorm weight before Q/K/V and before
// gate/up, the value projection before the attention output, the up
// projection before the down projection.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.h"
#include "core/types.h"
#include "quantize/calibration.h"

namespace lq {

/// One weight matrix that reads the input being scaled.
struct AwqWeight {
    const float *data;  // rows x cols, row-major
    uint64_t rows;
    TensorType type;    // the type it will be written in
};

struct AwqResult {
    std::vector<float> scales;  // one per input column (1 everywhere when alpha is 0)
    float alpha = 0.0f;
    double error = 0.0;         // output error with the chosen scales
    double error_unscaled = 0.0;  // with alpha = 0 (plain rounding)
};

/// Searches alpha for the weights reading one input. @p tie_groups > 1 ties
/// the scales of consecutive blocks of @p tie_width columns that must share
/// one scale per position (grouped-query attention output: the heads of a
/// key/value group); 1 leaves every column free.
/// Needs stats.samples (rows of the input). Alpha runs over 0, 0.1, ..., 1;
/// alpha 0 is plain rounding, so the result is never worse than it on the
/// calibration rows.
AwqResult awq_search(ThreadPool &pool, const InputStatistics &stats, const std::vector<AwqWeight> &weights,
                     uint32_t tie_groups, uint32_t tie_width);

}  // namespace lq
