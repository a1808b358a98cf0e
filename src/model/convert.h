// Conversion of other model formats into GGUF files that libquant (and the
// other GGUF runtimes) load: llama2.c checkpoints with their tokenizer.bin.
#pragma once

#include <functional>
#include <string>

#include "core/types.h"

namespace lq {

struct ConvertOptions {
    std::string tokenizer_path;           // llama2.c tokenizer.bin (required for llama2.c)
    TensorType matrix_type = TensorType::F32;  // F32, F16 or BF16 for the 2-D weights
    std::string name;                     // general.name; default: the input's file name
    std::function<bool(float)> progress;  // returns false to cancel
};

/// Converts the model at @p input_path to GGUF at @p output_path. Throws
/// LQ_ERR_MODEL_FORMAT for unreadable input, LQ_ERR_INVALID_ARGUMENT for
/// missing options, LQ_ERR_CANCELLED when progress() returns false (the
/// output file is then not created).
void convert_model(const std::string &input_path, const std::string &output_path, const ConvertOptions &options);

}  // namespace lq
