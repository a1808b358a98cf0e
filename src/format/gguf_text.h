// Text rendering of GGUF metadata values (for lq_model_meta_string and tools).
#pragma once

#include <string>

#include "format/gguf.h"

namespace lq {

/// A value as text: a top-level string as-is, numbers in decimal, booleans as
/// true/false, arrays as JSON arrays (strings quoted and escaped).
std::string gguf_value_text(const GgufValue &value);

/// The same, but strings are always JSON-quoted (a valid JSON value).
std::string gguf_value_json(const GgufValue &value);

}  // namespace lq
