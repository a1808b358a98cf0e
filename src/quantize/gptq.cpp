#include "quantize/gptq.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "core/error.h"
#include "kernels/kernels.h"

namespace lq {
namespace {

// A run of columns that shares scales: a block (or a ragged type's group).
// INT8 rows share one scale for the whole row, so their "grid" is the row.
struct Group {
    uint64_t first, count;  // columns
    size_t byte_offset;     // where its bytes start in an encoded row
};

std::vector<Group> column_groups(const TypeInfo &info, uint64_t cols) {
    std::vector<Group> groups;
    const uint64_t size = info.type == TensorType::LQ_I8_ROW ? 32 : info.block_size;
    for (uint64_t c = 0; c < cols; c += size) {
        const uint64_t count = std::min<uint64_t>(size, cols - c);
        groups.push_back({c, count, info.type == TensorType::LQ_I8_ROW ? 0 : row_bytes(info, c)});
    }
    return groups;
}

// In-place Cholesky factorisation A = L L^T of an n x n matrix (lower
// triangle written, upper left alone). False when A is not positive definite.
bool cholesky(std::vector<double> &a, uint64_t n) {
    for (uint64_t j = 0; j < n; ++j) {
        double d = a[j * n + j];
        for (uint64_t k = 0; k < j; ++k) d -= a[j * n + k] * a[j * n + k];
        if (!(d > 0.0)) return false;
        d = std::sqrt(d);
        a[j * n + j] = d;
        for (uint64_t i = j + 1; i < n; ++i) {
            double s = a[i * n + j];
            for (uint64_t k = 0; k < j; ++k) s -= a[i * n + k] * a[j * n + k];
            a[i * n + j] = s / d;
        }
    }
    return true;
}

// The upper Cholesky factor U of H^-1 (H^-1 = U^T U), which drives the
// error updates. H is given permuted and dampened.
std::vector<double> inverse_cholesky_upper(std::vector<double> h, uint64_t n) {
    std::vector<double> l = h;
    if (!cholesky(l, n)) fail(LQ_ERR_INTERNAL, "GPTQ: the Hessian is not positive definite");
    // L^-1 by forward substitution (lower triangular).
    std::vector<double> linv(n * n, 0.0);
    for (uint64_t i = 0; i < n; ++i) {
        linv[i * n + i] = 1.0 / l[i * n + i];
        for (uint64_t j = 0; j < i; ++j) {
            double s = 0.0;
            for (uint64_t k = j; k < i; ++k) s -= l[i * n + k] * linv[k * n + j];
            linv[i * n + j] = s / l[i * n + i];
        }
    }
    // H^-1 = L^-T L^-1.
    std::vector<double> hinv(n * n, 0.0);
    for (uint64_t i = 0; i < n; ++i)
        for (uint64_t j = 0; j <= i; ++j) {
            double s = 0.0;
            for (uint64_t k = i; k < n; ++k) s += linv[k * n + i] * linv[k * n + j];
            hinv[i * n + j] = hinv[j * n + i] = s;
        }
    if (!cholesky(hinv, n)) fail(LQ_ERR_INTERNAL, "GPTQ: the inverse Hessian is not positive definite");
    // U = L_hinv^T.
    std::vector<double> u(n * n, 0.0);
    for (uint64_t i = 0; i < n; ++i)
        for (uint64_t j = 0; j <= i; ++j) u[j * n + i] = hinv[i * n + j];
    return u;
}

// Coordinate descent on each row's output error e(q) = (w - q)^T H (w - q),
// from GPTQ's solution: each element in turn moves to the grid point nearest
// its conditional optimum q_j - (H (q - w))_j / H_jj, given the others. Every
// accepted move lowers e; GPTQ's greedy pass leaves room for such moves.
void refine(ThreadPool &pool, const float *original, uint64_t rows, uint64_t cols, const std::vector<double> &h,
            const QuantKernels &k, uint32_t passes, uint8_t *encoded, size_t out_row) {
    const uint64_t n = cols;
    pool.parallel_for(static_cast<int64_t>(rows), [&](int64_t task, int) {
        const uint64_t r = static_cast<uint64_t>(task);
        const float *w = original + r * cols;
        uint8_t *row = encoded + r * out_row;
        std::vector<float> q(cols), target(cols);
        k.to_float(row, q.data(), static_cast<int64_t>(cols));
        std::vector<double> residual(n, 0.0);  // H (q - w)
        for (uint64_t j = 0; j < n; ++j) {
            const double diff = static_cast<double>(q[j]) - w[j];
            if (diff == 0.0) continue;
            for (uint64_t i = 0; i < n; ++i) residual[i] += h[i * n + j] * diff;
        }
        for (uint32_t pass = 0; pass < passes; ++pass) {
            bool changed = false;
            for (uint64_t j = 0; j < n; ++j) {
                target[j] = static_cast<float>(q[j] - residual[j] / h[j * n + j]);
                float moved;
                k.requantize(target.data(), row, static_cast<int64_t>(cols), static_cast<int64_t>(j), 1, &moved);
                if (moved == q[j]) continue;
                const double delta = static_cast<double>(moved) - q[j];
                for (uint64_t i = 0; i < n; ++i) residual[i] += h[i * n + j] * delta;
                q[j] = moved;
                changed = true;
            }
            if (!changed) break;
        }
    });
}

}  // namespace

void gptq_quantize(ThreadPool &pool, float *weights, uint64_t rows, uint64_t cols, const std::vector<double> &hessian,
                   TensorType type, const GptqOptions &options, uint8_t *out) {
    const TypeInfo &info = *type_info(type);
    const QuantKernels &k = *quant_kernels(type);
    if (!k.requantize || !k.from_float_weighted)
        fail(LQ_ERR_UNSUPPORTED, "GPTQ cannot round onto %s grids", info.name);
    const uint64_t n = cols;
    const size_t out_row = row_bytes(info, cols);

    // Dampened Hessian; columns that never saw a non-zero input carry no
    // information: their weights are irrelevant to the output, set to zero.
    std::vector<double> h(hessian);
    double mean_diagonal = 0.0;
    for (uint64_t i = 0; i < n; ++i) {
        if (h[i * n + i] == 0.0) {
            h[i * n + i] = 1.0;
            for (uint64_t r = 0; r < rows; ++r) weights[r * cols + i] = 0.0f;
        }
        mean_diagonal += h[i * n + i];
    }
    mean_diagonal /= static_cast<double>(n);

    // Order of the groups: by decreasing total importance (act-order) or as stored.
    std::vector<Group> groups = column_groups(info, cols);
    if (options.act_order && type != TensorType::LQ_I8_ROW) {
        auto weight_of = [&](const Group &g) {
            double s = 0.0;
            for (uint64_t c = g.first; c < g.first + g.count; ++c) s += h[c * n + c];
            return s;
        };
        std::stable_sort(groups.begin(), groups.end(),
                         [&](const Group &a, const Group &b) { return weight_of(a) > weight_of(b); });
    }
    std::vector<uint64_t> perm;  // position -> column
    for (const Group &g : groups)
        for (uint64_t c = g.first; c < g.first + g.count; ++c) perm.push_back(c);

    std::vector<double> u;
    for (double damp = options.damp;; damp *= 10.0) {
        std::vector<double> hp(n * n);
        for (uint64_t i = 0; i < n; ++i)
            for (uint64_t j = 0; j < n; ++j) hp[i * n + j] = h[perm[i] * n + perm[j]];
        for (uint64_t i = 0; i < n; ++i) hp[i * n + i] += damp * mean_diagonal;
        try {
            u = inverse_cholesky_upper(std::move(hp), n);
            break;
        } catch (const Error &) {
            if (damp > 10.0) throw;  // hopeless: the Hessian is degenerate
        }
    }

    // Permuted working copy of the weights (rows x n) and the importance of
    // each column for choosing grids (the Hessian's diagonal).
    std::vector<float> w(rows * n);
    for (uint64_t r = 0; r < rows; ++r)
        for (uint64_t p = 0; p < n; ++p) w[r * n + p] = weights[r * cols + perm[p]];
    std::vector<float> importance(n);
    for (uint64_t c = 0; c < n; ++c) importance[c] = static_cast<float>(h[c * n + c]);

    // Encoded rows in stored column order; INT8 rows are encoded once, whole.
    std::vector<uint8_t> encoded(rows * out_row, 0);
    std::vector<float> row_values(cols);
    if (type == TensorType::LQ_I8_ROW) {
        for (uint64_t r = 0; r < rows; ++r)
            k.from_float_weighted(weights + r * cols, &encoded[r * out_row], static_cast<int64_t>(cols), importance.data());
    }

    const unsigned n_threads = static_cast<unsigned>(pool.size());
    std::vector<std::vector<float>> scratch(n_threads, std::vector<float>(cols));
    std::vector<float> errors;  // rows x batch columns
    uint64_t position = 0;
    size_t gi = 0;
    while (gi < groups.size()) {
        // A lazy batch: whole groups, at least lazy_batch columns.
        size_t gend = gi;
        uint64_t batch_cols = 0;
        while (gend < groups.size() && (batch_cols < options.lazy_batch || gend == gi)) batch_cols += groups[gend++].count;
        const uint64_t p0 = position, p1 = position + batch_cols;
        errors.assign(rows * batch_cols, 0.0f);

        pool.parallel_for(static_cast<int64_t>(rows), [&](int64_t task, int thread) {
            const uint64_t r = static_cast<uint64_t>(task);
            float *wr = &w[r * n];
            uint8_t *row_out = &encoded[r * out_row];
            std::vector<float> &values = scratch[static_cast<size_t>(thread)];
            uint64_t p = p0;
            for (size_t g = gi; g < gend; ++g) {
                const Group &group = groups[g];
                // The group's values in stored order (their columns are contiguous there).
                auto gather = [&](float *dst) {
                    for (uint64_t i = 0; i < group.count; ++i) dst[i] = wr[p + i];
                };
                uint8_t *block = row_out + group.byte_offset;
                const int64_t span = type == TensorType::LQ_I8_ROW ? static_cast<int64_t>(cols)
                                                                   : static_cast<int64_t>(group.count);
                const int64_t base = type == TensorType::LQ_I8_ROW ? static_cast<int64_t>(group.first) : 0;
                if (type != TensorType::LQ_I8_ROW) {
                    gather(values.data());
                    k.from_float_weighted(values.data(), block, span, &importance[group.first]);
                }
                for (uint64_t i = 0; i < group.count; ++i, ++p) {
                    // Round this column onto the fixed grid, then push its error on.
                    values[static_cast<size_t>(base) + i] = wr[p];
                    float q;
                    k.requantize(values.data(), block, span, base + static_cast<int64_t>(i), 1, &q);
                    const float err = static_cast<float>((wr[p] - q) / u[p * n + p]);
                    errors[r * batch_cols + (p - p0)] = err;
                    const double *urow = &u[p * n];
                    for (uint64_t c = p + 1; c < p1; ++c) wr[c] -= static_cast<float>(err * urow[c]);
                }
            }
            // Lazy update of every column after the batch.
            const float *e = &errors[r * batch_cols];
            for (uint64_t j = 0; j < batch_cols; ++j) {
                if (e[j] == 0.0f) continue;
                const double *urow = &u[(p0 + j) * n];
                for (uint64_t c = p1; c < n; ++c) wr[c] -= static_cast<float>(e[j] * urow[c]);
            }
        });
        position = p1;
        gi = gend;
    }
    if (options.refine_passes > 0) refine(pool, weights, rows, cols, h, k, options.refine_passes, encoded.data(), out_row);
    std::memcpy(out, encoded.data(), encoded.size());
}

}  // namespace lq
