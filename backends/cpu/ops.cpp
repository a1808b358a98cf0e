#include "backends/cpu/ops.h"

#include <cmath>
#include <cstring>

#include "core/types.h"
#include "backends/cpu/cpu_kernels.h"

namespace lq::cpu {
namespace {

// Rows of the weight matrix handled by one task of a matrix product: enough
// work per task to amortise scheduling, few enough tasks for load balance.
int64_t rows_per_task(uint64_t rows, int64_t n_tokens, int n_threads) {
    int64_t chunk = n_tokens >= 8 ? 16 : 64;
    while (chunk > 4 && static_cast<int64_t>(rows) / chunk < 4 * n_threads) chunk /= 2;
    return chunk;
}

}  // namespace

void matmul(ThreadPool &pool, const KernelTable &kernels, const TensorView &w, const float *x, int64_t ld_x,
            int64_t n_tokens, float *y, int64_t ld_y, std::vector<uint8_t> &scratch) {
    const QuantKernels &k = kernels.row(w.type);
    const int64_t cols = static_cast<int64_t>(w.cols);
    const int64_t rows = static_cast<int64_t>(w.rows);

    // Convert the activations into the dot type once for all weight rows.
    const void *activations = x;
    size_t act_row_bytes = static_cast<size_t>(ld_x) * sizeof(float);
    if (k.dot_type != TensorType::F32) {
        const QuantKernels &encode = kernels.row(k.dot_type);
        act_row_bytes = row_bytes(*type_info(k.dot_type), static_cast<uint64_t>(cols));
        const size_t needed = act_row_bytes * static_cast<size_t>(n_tokens);
        if (scratch.size() < needed) scratch.resize(needed);
        uint8_t *out = scratch.data();
        pool.parallel_for(n_tokens, [&](int64_t t, int) {
            encode.from_float(x + t * ld_x, out + static_cast<size_t>(t) * act_row_bytes, cols);
        });
        activations = out;
    }
    const auto *act = static_cast<const uint8_t *>(activations);

    const int64_t chunk = rows_per_task(w.rows, n_tokens, pool.size());
    const int64_t n_tasks = (rows + chunk - 1) / chunk;
    pool.parallel_for(n_tasks, [&](int64_t task, int) {
        const int64_t r0 = task * chunk;
        const int64_t r1 = r0 + chunk < rows ? r0 + chunk : rows;
        for (int64_t t = 0; t < n_tokens; ++t) {
            const uint8_t *a = act + static_cast<size_t>(t) * act_row_bytes;
            float *out = y + t * ld_y;
            for (int64_t r = r0; r < r1; ++r) out[r] = k.vec_dot(cols, w.row(static_cast<uint64_t>(r)), a);
        }
    });
}

void rms_norm(const float *x, const float *weight, int64_t n, float eps, float *out) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += static_cast<double>(x[i]) * x[i];
    const float mean = static_cast<float>(sum / static_cast<double>(n));
    const float scale = 1.0f / std::sqrt(mean + eps);
    for (int64_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
}

void add_bias(float *x, const float *bias, int64_t n) {
    for (int64_t i = 0; i < n; ++i) x[i] += bias[i];
}

void swiglu(float *gate, const float *up, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + std::exp(-g)) * up[i];
    }
}

void embed_rows(const KernelTable &kernels, const TensorView &table, const int32_t *tokens, int64_t n_tokens,
                float *out, int64_t ld_out) {
    const QuantKernels &k = kernels.row(table.type);
    for (int64_t t = 0; t < n_tokens; ++t)
        k.to_float(table.row(static_cast<uint64_t>(tokens[t])), out + t * ld_out, static_cast<int64_t>(table.cols));
}

}  // namespace lq::cpu
