// The WeightSource implementations, one per input format (internal to the
// quantize module; open_weight_source() picks one).
#pragma once

#include <memory>
#include <string>

#include "quantize/weight_source.h"

namespace lq {

std::unique_ptr<WeightSource> open_gguf_source(const std::string &path);
std::unique_ptr<WeightSource> open_llama2c_source(const std::string &path, const std::string &tokenizer_path);

/// True when the file starts with the GGUF magic.
bool is_gguf_file(const std::string &path);

}  // namespace lq
