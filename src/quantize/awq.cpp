#include "quantize/awq.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "kernels/kernels.h"

namespace lq {
namespace {

constexpr int kAlphaSteps = 10;  // alpha = 0, 0.1, ..., 1

// Per-column activation magnitudes, averaged over tied columns.
std::vector<double> column_magnitudes(const InputStatistics &stats, uint32_t tie_groups, uint32_t tie_width) {
    const uint32_t n = stats.n_cols;
    std::vector<double> m(n);
    for (uint32_t j = 0; j < n; ++j) m[j] = std::max(stats.mean_abs(j), 1e-8);
    if (tie_groups <= 1) return m;
    const uint32_t span = tie_groups * tie_width;
    for (uint32_t start = 0; start + span <= n; start += span)
        for (uint32_t d = 0; d < tie_width; ++d) {
            double sum = 0.0;
            for (uint32_t k = 0; k < tie_groups; ++k) sum += m[start + k * tie_width + d];
            for (uint32_t k = 0; k < tie_groups; ++k) m[start + k * tie_width + d] = sum / tie_groups;
        }
    return m;
}

}  // namespace

AwqResult awq_search(ThreadPool &pool, const InputStatistics &stats, const std::vector<AwqWeight> &weights,
                     uint32_t tie_groups, uint32_t tie_width) {
    const uint32_t n = stats.n_cols;
    const uint32_t n_samples = stats.n_samples();
    if (n_samples == 0) fail(LQ_ERR_INTERNAL, "AWQ needs sampled input rows");
    const std::vector<double> magnitude = column_magnitudes(stats, tie_groups, tie_width);

    AwqResult best;
    best.error = INFINITY;
    std::vector<float> scales(n), importance(n);
    const unsigned n_threads = static_cast<unsigned>(pool.size());
    for (int step = 0; step <= kAlphaSteps; ++step) {
        const double alpha = static_cast<double>(step) / kAlphaSteps;
        double lo = INFINITY, hi = 0.0;
        for (uint32_t j = 0; j < n; ++j) {
            scales[j] = static_cast<float>(std::pow(magnitude[j], alpha));
            lo = std::min(lo, static_cast<double>(scales[j]));
            hi = std::max(hi, static_cast<double>(scales[j]));
        }
        // Centre the scales (geometric mean of the extremes at 1) to keep
        // the weights in a comfortable range.
        const float centre = static_cast<float>(std::sqrt(lo * hi));
        for (uint32_t j = 0; j < n; ++j) {
            scales[j] /= centre;
            importance[j] = static_cast<float>(stats.mean_square(j) / (static_cast<double>(scales[j]) * scales[j]));
        }

        // Output error over the sampled rows: sum over rows r and samples s
        // of (sum_j (w_rj - w^_rj) x_sj)^2, with w^ the rounded scaled weights.
        std::vector<double> partial(n_threads, 0.0);
        for (const AwqWeight &w : weights) {
            const QuantKernels &k = *quant_kernels(w.type);
            const size_t bytes = row_bytes(*type_info(w.type), n);
            std::vector<std::vector<float>> buffers(n_threads, std::vector<float>(3 * size_t(n)));
            std::vector<std::vector<uint8_t>> encoded(n_threads, std::vector<uint8_t>(bytes));
            pool.parallel_for(static_cast<int64_t>(w.rows), [&](int64_t r, int thread) {
                float *scaled = buffers[static_cast<size_t>(thread)].data();
                float *decoded = scaled + n;
                float *diff = decoded + n;
                const float *row = w.data + static_cast<size_t>(r) * n;
                for (uint32_t j = 0; j < n; ++j) scaled[j] = row[j] * scales[j];
                uint8_t *block = encoded[static_cast<size_t>(thread)].data();
                k.from_float_weighted(scaled, block, n, importance.data());
                k.to_float(block, decoded, n);
                for (uint32_t j = 0; j < n; ++j) diff[j] = row[j] - decoded[j] / scales[j];
                double sum = 0.0;
                for (uint32_t s = 0; s < n_samples; ++s) {
                    const float *x = &stats.samples[static_cast<size_t>(s) * n];
                    double y = 0.0;
                    for (uint32_t j = 0; j < n; ++j) y += static_cast<double>(diff[j]) * x[j];
                    sum += y * y;
                }
                partial[static_cast<size_t>(thread)] += sum;
            });
        }
        double error = 0.0;
        for (double p : partial) error += p;
        if (step == 0) best.error_unscaled = error;
        if (error < best.error) {
            best.error = error;
            best.alpha = static_cast<float>(alpha);
            best.scales = scales;
        }
    }
    return best;
}

}  // namespace lq
