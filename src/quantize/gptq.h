// GPTQ (Frantar et al., 2022): quantize a weight matrix column by column
// and spread each column's rounding error over the columns not yet
// quantized, in proportion to the inverse Hessian of the layer's inputs, so
// that the layer's output on the calibration data changes as little as
// possible.
//
// Adapted to GGUF's block types: a block of columns (32 or 256 wide) shares
// scales, so when the first column of a block is reached the block's scales
// are chosen from the current (already compensated) weights; then each of
// its columns is rounded onto that fixed grid in turn, its error pushed to
// the later columns. "Act-order" reorders whole blocks (most important
// first), never single columns, so the file keeps GGUF's contiguous blocks.
// Error updates beyond the current stretch of columns are applied lazily,
// in batches, as in the paper. A few passes of coordinate descent on the
// same objective then improve on GPTQ's greedy rounding decisions.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.h"
#include "core/types.h"

namespace lq {

struct GptqOptions {
    float damp = 0.01f;     // added to the diagonal: damp * mean(diag H)
    bool act_order = true;  // blocks in order of decreasing sum of diag H
    uint32_t lazy_batch = 128;  // columns per lazy update
    uint32_t refine_passes = 3; // coordinate-descent passes after GPTQ (0: none)
};

/// Quantizes @p weights (rows x cols, row-major, modified in place) into
/// @p type, writing rows x row_bytes(type, cols) bytes to @p out.
/// @p hessian is the cols x cols matrix sum x x^T of the calibration inputs
/// (any positive scale). Throws LQ_ERR_INTERNAL if the Hessian cannot be
/// factorised even after extra dampening.
void gptq_quantize(ThreadPool &pool, float *weights, uint64_t rows, uint64_t cols, const std::vector<double> &hessian,
                   TensorType type, const GptqOptions &options, uint8_t *out);

}  // namespace lq
