// Calibration statistics: the model is run on calibration text and the
// inputs of its matrix products are summarised per distinct input (one
// summary serves every weight that reads that input):
//   - the mean square of each input channel (importance of each column),
//   - the mean absolute value of each channel (AWQ's activation scale),
//   - the largest absolute value of each channel (SmoothQuant's),
//   - optionally a sample of input rows (AWQ's search objective),
//   - optionally the Hessian H = sum x x^T / n (GPTQ).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "runtime/context.h"

namespace lq {

struct InputStatistics {
    uint32_t n_cols = 0;
    uint64_t n_rows = 0;
    std::vector<double> sum_squares;  // per column
    std::vector<double> sum_abs;      // per column
    std::vector<float> max_abs;       // per column
    std::vector<double> hessian;      // n_cols x n_cols, sum x x^T (when requested)
    std::vector<float> samples;       // rows kept for search objectives, row-major

    double mean_square(uint32_t j) const { return n_rows ? sum_squares[j] / static_cast<double>(n_rows) : 0.0; }
    double mean_abs(uint32_t j) const { return n_rows ? sum_abs[j] / static_cast<double>(n_rows) : 0.0; }
    uint32_t n_samples() const { return n_cols ? static_cast<uint32_t>(samples.size() / n_cols) : 0; }
};

using InputKey = std::pair<MatmulInput, uint32_t>;  // (input, layer)

struct CalibrationOptions {
    std::string text_path;        // UTF-8 text, or whitespace-separated token ids
    uint32_t n_samples = 64;
    uint32_t n_ctx = 256;
    uint32_t n_threads = 0;
    uint32_t keep_rows = 0;       // input rows to keep per input (sampled evenly)
    bool hessians = false;
    std::function<bool(float)> progress;
};

/// The token sequences of a calibration file: each starts with BOS (when
/// the vocabulary uses one) and holds n_ctx tokens; at most n_samples of
/// them, taken in order from the start of the file.
std::vector<std::vector<int32_t>> calibration_sequences(const Model &model, const std::string &path, uint32_t n_samples,
                                                        uint32_t n_ctx);

/// Runs @p model on the calibration text and returns the statistics of
/// every matmul input. Throws LQ_ERR_CANCELLED when progress() says so.
std::map<InputKey, InputStatistics> collect_statistics(const Model &model, const CalibrationOptions &options);

}  // namespace lq
