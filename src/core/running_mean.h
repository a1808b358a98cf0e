// A running mean and its standard error, for evaluation statistics
// (header-only: the lq tool shares it).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace lq {

struct RunningMean {
    double sum = 0, sum_squares = 0;
    uint64_t count = 0;

    void add(double v) {
        sum += v;
        sum_squares += v * v;
        ++count;
    }
    double mean() const { return count ? sum / static_cast<double>(count) : 0.0; }
    /// The standard error of the mean (0 below two values).
    double error() const {
        if (count < 2) return 0.0;
        const double m = mean();
        const double variance = sum_squares / static_cast<double>(count) - m * m;
        return std::sqrt(std::max(0.0, variance) / static_cast<double>(count - 1));
    }
};

}  // namespace lq
