// Pre-tokenizers of byte-level BPE vocabularies: the regex splitting applied
// to text before BPE merges, chosen by the GGUF key `tokenizer.ggml.pre`.
//
// A pre-tokenizer is a list of patterns applied one after another: the first
// splits the text into pieces (each match is a piece, and so is each run of
// text between matches), the next splits every piece again, and so on. This
// is how Hugging Face's Sequence of Split pre-tokenizers behaves with the
// "isolated" behaviour, and how GGUF converters describe the models.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tokenizer/regex.h"

namespace lq {

/// A byte range [first, second) of the text being split.
using Piece = std::pair<size_t, size_t>;

class PreTokenizer {
public:
    /// The pre-tokenizer named @p name (a `tokenizer.ggml.pre` value, or one
    /// of the canonical names listed by names()). Throws lq::Error with
    /// LQ_ERR_UNSUPPORTED for unknown names.
    static std::unique_ptr<PreTokenizer> create(std::string_view name);

    /// A pre-tokenizer running the given patterns in order (for tests and
    /// for vocabularies that name their own patterns).
    static std::unique_ptr<PreTokenizer> from_patterns(std::string name, const std::vector<std::string> &patterns);

    /// Canonical names of every pre-tokenizer in the table.
    static std::vector<std::string> names();

    /// True when @p name (canonical or alias) is in the table.
    static bool is_known(std::string_view name);

    /// Splits @p text into pieces that cover it completely, in order.
    /// Thread-safe.
    void split(std::string_view text, std::vector<Piece> &pieces) const;

    /// Convenience for tests: the pieces as strings.
    std::vector<std::string> split(std::string_view text) const;

    const std::string &name() const { return name_; }
    /// Whether Hugging Face's `ignore_merges` applies: a piece that is a
    /// whole vocabulary token is emitted without running BPE.
    bool ignore_merges() const { return ignore_merges_; }
    /// Whether the model adds BOS by default (when the GGUF does not say).
    bool default_add_bos() const { return default_add_bos_; }

private:
    PreTokenizer() = default;
    std::string name_;
    std::vector<regex::Regex> patterns_;
    bool ignore_merges_ = false;
    bool default_add_bos_ = false;
};

}  // namespace lq
