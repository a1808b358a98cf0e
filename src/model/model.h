// A loaded model: the mapped file, its validated GGUF view, and what the
// layers above derive from it. Immutable once load() returns, so any number
// of contexts on any threads may share it.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "backend/prepared.h"
#include "format/gguf.h"
#include "format/mapped_file.h"
#include "libquant/libquant.h"
#include "model/hparams.h"
#include "model/weights.h"
#include "tokenizer/vocab.h"

namespace lq {

struct LoadOptions {
    bool use_mmap = true;
    bool metadata_only = false;  // parse and validate the file, nothing more
    bool vocab_only = false;     // also build the vocabulary, but no weights
    lq_progress_callback progress = nullptr;
    void *progress_user_data = nullptr;
};

class Model {
public:
    /// Loads and validates @p path. Throws lq::Error on any failure.
    static std::unique_ptr<Model> load(const std::string &path, const LoadOptions &options);

    const GgufFile &gguf() const { return gguf_; }
    const std::string &architecture() const { return architecture_; }
    const std::string &name() const { return name_; }

    uint64_t n_params() const { return n_params_; }
    uint64_t n_tensor_bytes() const { return n_tensor_bytes_; }
    uint64_t tensor_types_mask() const { return tensor_types_mask_; }

    /// `<architecture>.<suffix>` as an integer, or @p fallback when absent.
    int64_t arch_int(const char *suffix, int64_t fallback) const;

    uint32_t n_vocab() const;

    /// True when the model can be run (loaded with weights).
    bool has_weights() const { return has_weights_; }
    /// Hyper-parameters and weights; valid when has_weights().
    const HParams &hparams() const { return hparams_; }
    const ModelWeights &weights() const { return weights_; }

    /// The vocabulary and tokenizer; nullptr when the file has none or the
    /// model was loaded with metadata_only.
    const Vocab *vocab() const { return vocab_.get(); }

    /// A hash of the whole file (metadata and tensor data), computed on first
    /// use and kept; it tells a session file which model it belongs to.
    /// Thread-safe.
    uint64_t fingerprint() const;

    /// Weights prepared by backends for this model, shared by its contexts.
    /// The only mutable part of a model; thread-safe.
    const backend::PreparedCache &prepared() const { return prepared_; }

private:
    Model() = default;

    std::unique_ptr<MappedFile> file_;
    mutable std::once_flag fingerprint_once_;
    mutable uint64_t fingerprint_ = 0;
    GgufFile gguf_;
    std::string architecture_;
    std::string name_;
    uint64_t n_params_ = 0;
    uint64_t n_tensor_bytes_ = 0;
    uint64_t tensor_types_mask_ = 0;
    bool has_weights_ = false;
    HParams hparams_;
    ModelWeights weights_;
    std::unique_ptr<Vocab> vocab_;
    backend::PreparedCache prepared_;
};

/// Reports progress through the caller's callback; throws LQ_ERR_CANCELLED
/// when the callback asks to stop.
void report_progress(const LoadOptions &options, float fraction);

}  // namespace lq
