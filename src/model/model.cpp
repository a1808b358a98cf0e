#include "model/model.h"

#include "core/hash.h"

#include "core/error.h"
#include "core/log.h"

namespace lq {

void report_progress(const LoadOptions &options, float fraction) {
    if (options.progress && options.progress(fraction, options.progress_user_data) != 0)
        fail(LQ_ERR_CANCELLED, "loading was cancelled by the progress callback");
}

std::unique_ptr<Model> Model::load(const std::string &path, const LoadOptions &options) {
    std::unique_ptr<Model> model(new Model());
    report_progress(options, 0.0f);
    model->file_ = std::make_unique<MappedFile>(path, options.use_mmap);
    try {
        model->gguf_ = GgufFile::parse(model->file_->data(), model->file_->size());
    } catch (const Error &e) {
        throw Error(e.status(), path + ": " + e.what());
    }
    const GgufFile &g = model->gguf_;
    model->architecture_ = std::string(g.get_string("general.architecture"));
    model->name_ = std::string(g.get_string("general.name"));
    for (const GgufTensor &t : g.tensors()) {
        model->n_params_ += t.n_elements;
        model->n_tensor_bytes_ += t.n_bytes;
        const auto id = static_cast<uint32_t>(t.type);
        if (id < 64) model->tensor_types_mask_ |= uint64_t(1) << id;
    }
    if (!options.metadata_only) {
        try {
            model->vocab_ = Vocab::from_gguf(g);
        } catch (const Error &e) {
            throw Error(e.status(), path + ": " + e.what());
        }
    }
    if (!options.metadata_only && !options.vocab_only) {
        model->hparams_ = read_hparams(g, model->n_vocab());
        model->weights_ = bind_weights(g, model->hparams_);
        model->has_weights_ = true;
        if (model->file_->mapped()) model->file_->prefetch();
    }
    log(LQ_LOG_INFO, "loaded '%s': GGUF v%u, %zu metadata entries, %zu tensors, architecture '%s'", path.c_str(),
        g.version(), g.kvs().size(), g.tensors().size(), model->architecture_.c_str());
    report_progress(options, 1.0f);
    return model;
}

int64_t Model::arch_int(const char *suffix, int64_t fallback) const {
    if (architecture_.empty()) return fallback;
    return gguf_.get_int(architecture_ + "." + suffix, fallback);
}

uint32_t Model::n_vocab() const {
    if (const GgufValue *tokens = gguf_.find("tokenizer.ggml.tokens"))
        if (tokens->type == GgufType::ARRAY) return static_cast<uint32_t>(tokens->count);
    if (const int64_t size = arch_int("vocab_size", 0)) return static_cast<uint32_t>(size);
    // A model without a tokenizer still has one embedding row per token.
    const GgufTensor *embd = gguf_.find_tensor("token_embd.weight");
    return embd && embd->n_dims == 2 ? static_cast<uint32_t>(embd->ne[1]) : 0;
}

uint64_t Model::fingerprint() const {
    std::call_once(fingerprint_once_, [this] {
        Hash64 hash;
        if (file_) hash.update(file_->data(), file_->size());
        fingerprint_ = hash.digest();
    });
    return fingerprint_;
}

}  // namespace lq
