// Deterministic random-weight models with the shapes of real ones, written
// as standard GGUF with a real vocabulary: for speed tests, and for checking
// each architecture against other GGUF runtimes without downloading models.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/types.h"

namespace lq {

struct SynthOptions {
    std::string preset;       // tiny, 1b, 7b, qwen2-0.5b, phi3-mini
    std::string vocab_path;   // a GGUF whose tokenizer.* metadata is copied
    TensorType matrix_type = TensorType::F16;  // F32, F16 or BF16
    uint64_t seed = 0;
    float std = 0.02f;        // standard deviation of the weights
    std::function<bool(float)> progress;  // returns false to cancel
};

/// Names of the presets, for messages.
std::vector<std::string> synth_presets();

/// Writes the model to @p output_path. Throws LQ_ERR_INVALID_ARGUMENT for an
/// unknown preset or type, and the errors of reading the vocabulary file.
void synth_model(const std::string &output_path, const SynthOptions &options);

}  // namespace lq
