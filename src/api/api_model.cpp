// lq_model_*: loading, freeing, summary, metadata and tensor table.
#include "api/guard.h"
#include "api/handles.h"
#include "format/gguf_text.h"

using lq::api::guarded;
using lq::api::require;

namespace {

const lq::GgufValue &find_meta(const lq_model *model, const char *key) {
    require(model, "model");
    require(key, "key");
    const lq::GgufValue *v = model->impl->gguf().find(key);
    if (!v) lq::fail(LQ_ERR_NOT_FOUND, "metadata key '%s' not found", key);
    return *v;
}

}  // namespace

extern "C" {

LQ_API void lq_model_options_init(lq_model_options *options) {
    if (!options) return;
    const lq_model_options defaults = LQ_MODEL_OPTIONS_INIT;
    *options = defaults;
}

LQ_API lq_status lq_model_load(lq_model **model_out, const char *path, const lq_model_options *options) {
    if (model_out) *model_out = nullptr;
    return guarded([&] {
        require(model_out, "model_out");
        require(path, "path");
        lq_model_options opts = LQ_MODEL_OPTIONS_INIT;
        lq::api::read_options(options, &opts, "lq_model_options");
        const uint32_t known = LQ_MODEL_NO_MMAP | LQ_MODEL_VOCAB_ONLY | LQ_MODEL_METADATA_ONLY;
        if (opts.flags & ~known) lq::fail(LQ_ERR_INVALID_ARGUMENT, "lq_model_options: unknown flags 0x%x", opts.flags & ~known);
        lq::LoadOptions load;
        load.use_mmap = !(opts.flags & LQ_MODEL_NO_MMAP);
        load.vocab_only = (opts.flags & LQ_MODEL_VOCAB_ONLY) != 0;
        load.metadata_only = (opts.flags & LQ_MODEL_METADATA_ONLY) != 0;
        load.progress = opts.progress;
        load.progress_user_data = opts.progress_user_data;
        auto handle = std::make_unique<lq_model>();
        handle->impl = lq::Model::load(path, load);
        for (const lq::GgufTensor &t : handle->impl->gguf().tensors()) handle->tensor_names.emplace_back(t.name);
        *model_out = handle.release();
    });
}

LQ_API void lq_model_free(lq_model *model) { delete model; }

LQ_API lq_status lq_model_get_info(const lq_model *model, lq_model_info *info) {
    return guarded([&] {
        require(model, "model");
        require(info, "info");
        const lq::Model &m = *model->impl;
        lq_model_info full = LQ_MODEL_INFO_INIT;
        full.gguf_version = m.gguf().version();
        full.architecture = m.architecture().c_str();
        full.name = m.name().c_str();
        full.n_params = m.n_params();
        full.n_tensor_bytes = m.n_tensor_bytes();
        full.tensor_types_mask = m.tensor_types_mask();
        full.n_tensors = static_cast<uint32_t>(m.gguf().tensors().size());
        full.n_vocab = m.n_vocab();
        full.n_ctx_train = static_cast<uint32_t>(m.arch_int("context_length", 0));
        full.n_embd = static_cast<uint32_t>(m.arch_int("embedding_length", 0));
        full.n_layer = static_cast<uint32_t>(m.arch_int("block_count", 0));
        full.n_head = static_cast<uint32_t>(m.arch_int("attention.head_count", 0));
        full.n_head_kv = static_cast<uint32_t>(m.arch_int("attention.head_count_kv", full.n_head));
        lq::api::write_output(full, info, "lq_model_info");
    });
}

LQ_API lq_status lq_model_tensor_info(const lq_model *model, size_t index, lq_tensor_info *info) {
    return guarded([&] {
        require(model, "model");
        require(info, "info");
        const auto &tensors = model->impl->gguf().tensors();
        if (index >= tensors.size())
            lq::fail(LQ_ERR_NOT_FOUND, "tensor index %zu out of range (%zu tensors)", index, tensors.size());
        const lq::GgufTensor &t = tensors[index];
        lq_tensor_info full = LQ_TENSOR_INFO_INIT;
        full.type = static_cast<uint32_t>(t.type);
        full.n_dims = t.n_dims;
        for (int d = 0; d < 4; ++d) full.dims[d] = t.ne[d];
        full.n_elements = t.n_elements;
        full.n_bytes = t.n_bytes;
        full.file_offset = model->impl->gguf().data_offset() + t.offset;
        full.name = model->tensor_names[index].c_str();
        lq::api::write_output(full, info, "lq_tensor_info");
    });
}

LQ_API lq_status lq_model_meta_count(const lq_model *model, size_t *count_out) {
    return guarded([&] {
        require(model, "model");
        require(count_out, "count_out");
        *count_out = model->impl->gguf().kvs().size();
    });
}

LQ_API lq_status lq_model_meta_key(const lq_model *model, size_t index, char *buf, size_t capacity,
                                   size_t *needed_out) {
    return guarded([&] {
        require(model, "model");
        const auto &kvs = model->impl->gguf().kvs();
        if (index >= kvs.size()) lq::fail(LQ_ERR_NOT_FOUND, "metadata index %zu out of range (%zu entries)", index, kvs.size());
        lq::api::copy_text_out(std::string(kvs[index].key), buf, capacity, needed_out);
    });
}

LQ_API lq_status lq_model_meta_type(const lq_model *model, const char *key, lq_meta_type *type_out,
                                    lq_meta_type *element_type_out, uint64_t *count_out) {
    return guarded([&] {
        require(type_out, "type_out");
        const lq::GgufValue &v = find_meta(model, key);
        *type_out = static_cast<lq_meta_type>(v.type);
        const bool array = v.type == lq::GgufType::ARRAY;
        if (element_type_out) *element_type_out = static_cast<lq_meta_type>(array ? v.element_type : v.type);
        if (count_out) *count_out = array ? v.count : 1;
    });
}

LQ_API lq_status lq_model_meta_string(const lq_model *model, const char *key, char *buf, size_t capacity,
                                      size_t *needed_out) {
    return guarded([&] { lq::api::copy_text_out(lq::gguf_value_text(find_meta(model, key)), buf, capacity, needed_out); });
}

LQ_API lq_status lq_model_meta_int(const lq_model *model, const char *key, int64_t *value_out) {
    return guarded([&] {
        require(value_out, "value_out");
        const lq::GgufValue &v = find_meta(model, key);
        if (!v.to_int(value_out))
            lq::fail(LQ_ERR_TYPE_MISMATCH, "metadata '%s' has type %s, not an integer in int64 range", key,
                     lq::gguf_type_name(v.type));
    });
}

LQ_API lq_status lq_model_meta_float(const lq_model *model, const char *key, double *value_out) {
    return guarded([&] {
        require(value_out, "value_out");
        const lq::GgufValue &v = find_meta(model, key);
        if (!v.to_double(value_out))
            lq::fail(LQ_ERR_TYPE_MISMATCH, "metadata '%s' has type %s, not a number", key, lq::gguf_type_name(v.type));
    });
}

}  // extern "C"
