#include "quantize/calibration.h"

#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "tokenizer/vocab.h"

namespace lq {
namespace {

std::string read_whole_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(LQ_ERR_IO, "cannot open the calibration file '%s'", path.c_str());
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// A file of nothing but integers and whitespace holds token ids.
bool parse_token_ids(const std::string &text, std::vector<int32_t> *ids) {
    size_t i = 0;
    bool any = false;
    while (i < text.size()) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (std::isspace(c)) {
            ++i;
            continue;
        }
        if (!std::isdigit(c)) return false;
        char *end = nullptr;
        const long v = std::strtol(text.c_str() + i, &end, 10);
        if (v > INT32_MAX) return false;
        ids->push_back(static_cast<int32_t>(v));
        i = static_cast<size_t>(end - text.c_str());
        any = true;
    }
    return any;
}

void accumulate(InputStatistics &s, const float *rows, uint32_t n_rows, uint32_t n_cols, bool hessian) {
    if (s.n_cols == 0) {
        s.n_cols = n_cols;
        s.sum_squares.assign(n_cols, 0.0);
        s.sum_abs.assign(n_cols, 0.0);
        s.max_abs.assign(n_cols, 0.0f);
        if (hessian) s.hessian.assign(static_cast<size_t>(n_cols) * n_cols, 0.0);
    }
    for (uint32_t r = 0; r < n_rows; ++r) {
        const float *x = rows + static_cast<size_t>(r) * n_cols;
        for (uint32_t j = 0; j < n_cols; ++j) {
            s.sum_squares[j] += static_cast<double>(x[j]) * x[j];
            s.sum_abs[j] += std::abs(static_cast<double>(x[j]));
            s.max_abs[j] = std::max(s.max_abs[j], std::fabs(x[j]));
        }
        if (hessian) {
            // Upper triangle only; mirrored when the run is over.
            for (uint32_t i = 0; i < n_cols; ++i) {
                const double xi = x[i];
                if (xi == 0.0) continue;
                double *row = &s.hessian[static_cast<size_t>(i) * n_cols];
                for (uint32_t j = i; j < n_cols; ++j) row[j] += xi * x[j];
            }
        }
    }
    s.n_rows += n_rows;
}

}  // namespace

std::vector<std::vector<int32_t>> calibration_sequences(const Model &model, const std::string &path, uint32_t n_samples,
                                                        uint32_t n_ctx) {
    const Vocab *vocab = model.vocab();
    const std::string text = read_whole_file(path);
    std::vector<int32_t> stream;
    if (!parse_token_ids(text, &stream)) {
        if (!vocab) fail(LQ_ERR_UNSUPPORTED, "the model has no vocabulary to tokenize the calibration text");
        stream = vocab->tokenize(text, false, false);
    }
    const uint32_t n_vocab = model.hparams().n_vocab;
    for (int32_t id : stream)
        if (id < 0 || static_cast<uint32_t>(id) >= n_vocab)
            fail(LQ_ERR_INVALID_ARGUMENT, "calibration token %d is outside the vocabulary", id);
    const int32_t bos = vocab && vocab->add_bos() ? vocab->special().bos : -1;
    const uint32_t body = bos >= 0 ? n_ctx - 1 : n_ctx;
    std::vector<std::vector<int32_t>> sequences;
    for (size_t at = 0; at + body <= stream.size() && sequences.size() < n_samples; at += body) {
        std::vector<int32_t> sequence;
        if (bos >= 0) sequence.push_back(bos);
        sequence.insert(sequence.end(), stream.begin() + static_cast<std::ptrdiff_t>(at),
                        stream.begin() + static_cast<std::ptrdiff_t>(at + body));
        sequences.push_back(std::move(sequence));
    }
    if (sequences.empty())
        fail(LQ_ERR_INVALID_ARGUMENT, "the calibration file '%s' has %zu tokens, fewer than one sequence of %u",
             path.c_str(), stream.size(), n_ctx);
    return sequences;
}

std::map<InputKey, InputStatistics> collect_statistics(const Model &model, const CalibrationOptions &options) {
    const std::vector<std::vector<int32_t>> sequences =
        calibration_sequences(model, options.text_path, options.n_samples, options.n_ctx);
    ContextOptions context_options;
    context_options.n_ctx = options.n_ctx;
    context_options.n_batch = options.n_ctx;
    context_options.n_threads = options.n_threads;
    context_options.kv_type = TensorType::F32;
    Context context(model, context_options);

    std::map<InputKey, InputStatistics> stats;
    const uint64_t total_rows = static_cast<uint64_t>(sequences.size()) * options.n_ctx;
    const uint64_t stride = options.keep_rows ? std::max<uint64_t>(1, total_rows / options.keep_rows) : 0;
    context.set_observer([&](MatmulInput input, uint32_t layer, const float *rows, uint32_t n_rows, uint32_t n_cols) {
        InputStatistics &s = stats[InputKey(input, input == MatmulInput::OutputIn ? 0 : layer)];
        const uint64_t seen = s.n_rows;
        accumulate(s, rows, n_rows, n_cols, options.hessians);
        if (stride) {
            for (uint32_t r = 0; r < n_rows; ++r) {
                if ((seen + r) % stride != 0 || s.n_samples() >= options.keep_rows) continue;
                s.samples.insert(s.samples.end(), rows + static_cast<size_t>(r) * n_cols,
                                 rows + static_cast<size_t>(r + 1) * n_cols);
            }
        }
    });
    // Every position's logits are computed so the output layer's input is
    // observed for all rows, like the others.
    std::vector<float> logits(static_cast<size_t>(options.n_ctx) * model.hparams().n_vocab);
    for (size_t i = 0; i < sequences.size(); ++i) {
        if (options.progress && !options.progress(static_cast<float>(i) / static_cast<float>(sequences.size())))
            fail(LQ_ERR_CANCELLED, "calibration was cancelled");
        context.reset();
        context.decode(sequences[i].data(), static_cast<uint32_t>(sequences[i].size()), logits.data(), true);
    }
    for (auto &entry : stats) {
        InputStatistics &s = entry.second;
        if (s.hessian.empty()) continue;
        for (uint32_t i = 0; i < s.n_cols; ++i)
            for (uint32_t j = 0; j < i; ++j)
                s.hessian[static_cast<size_t>(i) * s.n_cols + j] = s.hessian[static_cast<size_t>(j) * s.n_cols + i];
    }
    return stats;
}

}  // namespace lq
