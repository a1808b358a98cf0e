// The operations of a transformer forward pass on the CPU: the matrix
// product against quantized weights (threaded), normalisation, rotary
// embeddings, the SwiGLU gate and embedding lookup. Activations are F32
// rows; weights are TensorViews of any type with kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "core/thread_pool.h"
#include "backends/cpu/cpu_kernels.h"
#include "model/weights.h"

namespace lq::cpu {

/// y[t][r] = dot(w.row(r), x[t]) for t < n_tokens, r < w.rows. Rows of x are
/// @p ld_x floats apart, rows of y @p ld_y floats apart. Activations are
/// first converted to the weight type's dot type (as the GGUF ecosystem
/// does), in @p scratch. @p kernels gives the kernel row of a type (the
/// detected ones or the reference ones).
void matmul(ThreadPool &pool, const KernelTable &kernels, const TensorView &w, const float *x, int64_t ld_x,
            int64_t n_tokens, float *y, int64_t ld_y, std::vector<uint8_t> &scratch);

/// out = x / rms(x) * weight over @p n elements (the sum of squares in double).
void rms_norm(const float *x, const float *weight, int64_t n, float eps, float *out);

/// x[i] += bias[i].
void add_bias(float *x, const float *bias, int64_t n);

/// gate[i] = silu(gate[i]) * up[i].
void swiglu(float *gate, const float *up, int64_t n);

/// out[t] (rows @p ld_out floats apart) = the dequantized row tokens[t] of @p table.
void embed_rows(const KernelTable &kernels, const TensorView &table, const int32_t *tokens, int64_t n_tokens,
                float *out, int64_t ld_out);

}  // namespace lq::cpu
