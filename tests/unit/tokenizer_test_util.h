// Shared helpers of the tokenizer tests: loading the vocabulary files of
// ../shared/tokenizer-tests once per process, and printing token lists.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "tokenizer/vocab.h"

namespace lq_test {

/// The six vocabularies that come with test suites.
const std::vector<std::string> &suite_vocabularies();

/// The model of ../shared/tokenizer-tests/ggml-vocab-NAME.gguf, loaded with
/// vocab_only once and shared by all tests of the process.
const lq::Model &vocab_model(const std::string &name);

/// Its vocabulary (never null for the suite files).
const lq::Vocab &vocab(const std::string &name);

/// "[1, 2, 3]".
std::string format_ids(const std::vector<int32_t> &ids);

/// Text with control characters and non-ASCII bytes escaped, for messages.
std::string escape_text(const std::string &text);

}  // namespace lq_test
