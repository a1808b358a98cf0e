#include "quantize/smoothquant.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"

namespace lq {
namespace {

double ratio_to_median(std::vector<double> v) {
    if (v.empty()) return 0.0;
    const double top = *std::max_element(v.begin(), v.end());
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(v.size() / 2), v.end());
    const double median = v[v.size() / 2];
    return median > 0 ? top / median : 0.0;
}

// Replaces each tied group's values by their maximum.
void tie_max(std::vector<double> &v, uint32_t groups, uint32_t width) {
    if (groups <= 1) return;
    const size_t span = static_cast<size_t>(groups) * width;
    for (size_t start = 0; start + span <= v.size(); start += span)
        for (uint32_t d = 0; d < width; ++d) {
            double m = 0.0;
            for (uint32_t k = 0; k < groups; ++k) m = std::max(m, v[start + k * width + d]);
            for (uint32_t k = 0; k < groups; ++k) v[start + k * width + d] = m;
        }
}

}  // namespace

SmoothingResult smoothing_factors(const InputStatistics &stats, const std::vector<float> &weight_max, float alpha,
                                  uint32_t tie_groups, uint32_t tie_width) {
    const uint32_t n = stats.n_cols;
    if (weight_max.size() != n || stats.max_abs.size() != n)
        fail(LQ_ERR_INTERNAL, "smoothing: %zu weight columns and %zu statistics for an input of %u channels",
             weight_max.size(), stats.max_abs.size(), n);
    if (!(alpha > 0.0f && alpha <= 1.0f)) fail(LQ_ERR_INVALID_ARGUMENT, "the SmoothQuant alpha %g is outside (0, 1]", alpha);
    std::vector<double> x(stats.max_abs.begin(), stats.max_abs.end());
    std::vector<double> w(weight_max.begin(), weight_max.end());
    const std::vector<double> x_untied = x;
    tie_max(x, tie_groups, tie_width);
    tie_max(w, tie_groups, tie_width);

    SmoothingResult r;
    r.scales.assign(n, 1.0f);
    std::vector<double> after(n);
    for (uint32_t j = 0; j < n; ++j) {
        if (x[j] > 0.0 && w[j] > 0.0) {
            const double s = std::pow(x[j], alpha) / std::pow(w[j], 1.0 - alpha);
            r.scales[j] = static_cast<float>(std::clamp(s, 1e-5, 1e5));
        }
        after[j] = x_untied[j] / r.scales[j];
    }
    r.outlier_ratio = ratio_to_median(x_untied);
    r.outlier_ratio_after = ratio_to_median(after);
    return r;
}

}  // namespace lq
