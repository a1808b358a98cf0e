// lq_context_*: creation, evaluation, rewinding, cancellation.
#include "api/guard.h"
#include "api/handles.h"

using lq::api::guarded;
using lq::api::require;

extern "C" {

LQ_API void lq_context_options_init(lq_context_options *options) {
    if (!options) return;
    const lq_context_options defaults = LQ_CONTEXT_OPTIONS_INIT;
    *options = defaults;
}

LQ_API lq_status lq_context_create(lq_context **context_out, const lq_model *model, const lq_context_options *options) {
    if (context_out) *context_out = nullptr;
    return guarded([&] {
        require(context_out, "context_out");
        require(model, "model");
        lq_context_options opts = LQ_CONTEXT_OPTIONS_INIT;
        lq::api::read_options(options, &opts, "lq_context_options");
        if (opts.n_threads > 1024) lq::fail(LQ_ERR_INVALID_ARGUMENT, "n_threads %u is out of range", opts.n_threads);
        lq::ContextOptions context_options;
        context_options.n_ctx = opts.n_ctx;
        context_options.n_batch = opts.n_batch;
        context_options.n_threads = opts.n_threads;
        const lq::TypeInfo *kv = lq::type_info(opts.kv_type);
        if (!kv || kv->removed) lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown KV cache type %u", opts.kv_type);
        context_options.kv_type = kv->type;
        context_options.backend = opts.backend;
        auto handle = std::make_unique<lq_context>();
        handle->impl = std::make_unique<lq::Context>(*model->impl, context_options);
        *context_out = handle.release();
    });
}

LQ_API void lq_context_free(lq_context *context) { delete context; }

LQ_API lq_status lq_context_get_info(const lq_context *context, lq_context_info *info) {
    return guarded([&] {
        require(context, "context");
        require(info, "info");
        const lq::Context &c = *context->impl;
        lq_context_info full = LQ_CONTEXT_INFO_INIT;
        full.n_ctx = c.n_ctx();
        full.n_past = c.n_past();
        full.n_batch = c.n_batch();
        full.n_threads = static_cast<uint32_t>(c.n_threads());
        full.n_vocab = c.model().hparams().n_vocab;
        full.kv_type = static_cast<uint32_t>(c.kv_type());
        full.backend = static_cast<uint32_t>(c.backend());
        full.kv_bytes = c.kv_bytes();
        lq::api::write_output(full, info, "lq_context_info");
    });
}

LQ_API lq_status lq_context_eval(lq_context *context, const int32_t *tokens, size_t n_tokens, uint32_t flags,
                                 float *logits, size_t logits_capacity) {
    return guarded([&] {
        require(context, "context");
        require(tokens, "tokens");
        if (flags & ~static_cast<uint32_t>(LQ_EVAL_ALL_LOGITS))
            lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown eval flags 0x%x", flags);
        lq::Context &c = *context->impl;
        if (n_tokens == 0 || n_tokens > c.n_ctx())
            lq::fail(n_tokens == 0 ? LQ_ERR_INVALID_ARGUMENT : LQ_ERR_CONTEXT_FULL,
                     "%zu tokens for a context of %u positions", n_tokens, c.n_ctx());
        const bool all = (flags & LQ_EVAL_ALL_LOGITS) != 0;
        const size_t needed = static_cast<size_t>(c.model().hparams().n_vocab) * (all ? n_tokens : 1);
        if (logits && logits_capacity < needed)
            lq::fail(LQ_ERR_BUFFER_TOO_SMALL, "logits need %zu floats, the buffer holds %zu", needed, logits_capacity);
        c.decode(tokens, static_cast<uint32_t>(n_tokens), logits, all);
    });
}

LQ_API lq_status lq_context_reset(lq_context *context) {
    return guarded([&] {
        require(context, "context");
        context->impl->reset();
    });
}

LQ_API lq_status lq_context_truncate(lq_context *context, uint32_t n_keep) {
    return guarded([&] {
        require(context, "context");
        context->impl->truncate(n_keep);
    });
}

LQ_API lq_status lq_context_cancel(lq_context *context) {
    return guarded([&] {
        require(context, "context");
        context->impl->cancel();
    });
}

LQ_API lq_status lq_context_clear_cancel(lq_context *context) {
    return guarded([&] {
        require(context, "context");
        context->impl->clear_cancel();
    });
}

}  // extern "C"
