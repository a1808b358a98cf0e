// The quantizer: reads a model tensor by tensor, decides each tensor's
// type (policy.h), optionally gathers calibration statistics by running the
// model on text (calibration.h), transforms and rounds the weights with the
// chosen method, and streams the result into a GGUF file.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "quantize/policy.h"
#include "quantize/weight_source.h"

namespace lq {

enum class QuantMethod : uint32_t {
    Rtn = 0,         // round to nearest, scales searched for the least squared error
    Gptq = 1,        // GPTQ: error compensation with the calibration Hessian
    Awq = 2,         // AWQ: activation-aware per-channel scaling, then rounding
    Importance = 3,  // round to nearest, error weighted by mean squared activations
    SmoothQuant = 4, // SmoothQuant smoothing (smoothquant.h), then rounding as Importance
};

const char *method_name(QuantMethod method);

struct QuantizeOptions {
    std::string target = "q8_0";             // a mix or a type (policy.h)
    QuantMethod method = QuantMethod::Rtn;
    std::vector<TensorOverride> overrides;
    std::string tokenizer_path;              // for llama2.c inputs
    std::string name;                        // general.name to record instead of the source's
    std::string calibration_path;            // text, or token ids as `lq tokenize` prints them
    uint32_t calibration_samples = 64;       // sequences of calibration_ctx tokens
    uint32_t calibration_ctx = 256;
    uint32_t n_threads = 0;                  // 0: all hardware threads
    bool gptq_act_order = true;              // process the most important blocks first
    bool exhaustive = false;                 // rtn: exhaustive scale search instead of the fast one
    float gptq_damp = 0.01f;                 // Hessian dampening, relative to its mean diagonal
    bool smooth = false;                     // SmoothQuant smoothing before rtn, importance or gptq
    float smooth_alpha = 0.5f;               // its migration strength, in (0, 1]
    std::function<bool(float)> progress;     // returns false to cancel
    std::function<void(const std::string &)> log;  // one line per tensor, warnings
};

struct QuantizeSummary {
    uint64_t matrix_weights = 0;  // elements of the 2-D tensors
    uint64_t matrix_bytes = 0;    // their bytes in the output
    uint64_t total_bytes = 0;     // all tensor bytes in the output
    double seconds = 0.0;
    double bits_per_weight() const { return matrix_weights ? 8.0 * matrix_bytes / matrix_weights : 0.0; }
};

/// Quantizes (or converts, for float targets) @p source into a GGUF file.
/// Throws lq::Error; a failed or cancelled run leaves no output file.
QuantizeSummary write_quantized_model(const WeightSource &source, const std::string &output_path,
                                      const QuantizeOptions &options);

/// Opens @p input_path (GGUF or llama2.c) and quantizes it.
QuantizeSummary quantize_model(const std::string &input_path, const std::string &output_path,
                               const QuantizeOptions &options);

}  // namespace lq
