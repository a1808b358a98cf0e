#include "runtime/context.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "backend/registry.h"
#include "core/error.h"

namespace lq {

namespace {

uint32_t default_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

}  // namespace

Context::Context(const Model &model, const ContextOptions &options)
    : model_(model),
      hp_(model.hparams()),
      n_ctx_(options.n_ctx ? options.n_ctx : std::min<uint32_t>(model.hparams().n_ctx_train, 4096)),
      n_batch_(std::max<uint32_t>(1, std::min(options.n_batch ? options.n_batch : 512, n_ctx_))),
      n_threads_(options.n_threads ? options.n_threads : default_threads()),
      kv_type_(options.kv_type) {
    if (!model.has_weights()) fail(LQ_ERR_INVALID_ARGUMENT, "the model was loaded without weights");
    const backend::Backend &chosen = backend::select_backend(options.backend, model);
    backend_ = chosen.id();
    backend::ExecutorOptions ex;
    ex.n_ctx = n_ctx_;
    ex.n_threads = n_threads_;
    ex.kv_type = kv_type_;
    ex.plan = activation_plan(model, n_batch_);
    ex.rope_factors = rope_factors(model, n_ctx_);
    executor_ = backend::create_context_executor(chosen, model, ex);
}

Context::~Context() = default;

void Context::check_cancel() {
    if (cancel_requested_.exchange(false, std::memory_order_relaxed))
        fail(LQ_ERR_CANCELLED, "evaluation was cancelled");
}

void Context::truncate(uint32_t n_keep) {
    if (n_keep > n_past_)
        fail(LQ_ERR_INVALID_ARGUMENT, "cannot keep %u positions of %u", n_keep, n_past_);
    n_past_ = n_keep;
    history_.resize(n_keep);
}

void Context::decode(const int32_t *tokens, uint32_t n, float *logits, bool all_logits) {
    if (n == 0) fail(LQ_ERR_INVALID_ARGUMENT, "no tokens to evaluate");
    if (static_cast<uint64_t>(n_past_) + n > n_ctx_)
        fail(LQ_ERR_CONTEXT_FULL, "%u tokens do not fit: %u of the context's %u positions are used", n, n_past_,
             n_ctx_);
    for (uint32_t i = 0; i < n; ++i)
        if (tokens[i] < 0 || static_cast<uint32_t>(tokens[i]) >= hp_.n_vocab)
            fail(LQ_ERR_INVALID_ARGUMENT, "token %d at index %u is outside the vocabulary of %u", tokens[i], i,
                 hp_.n_vocab);
    const uint32_t start = n_past_;
    ForwardHooks hooks;
    hooks.check_cancel = [this] { check_cancel(); };
    hooks.observer = &observer_;
    try {
        for (uint32_t done = 0; done < n; done += n_batch_) {
            const uint32_t count = std::min(n_batch_, n - done);
            const bool last_chunk = done + count == n;
            float *out = nullptr;
            if (logits && all_logits) out = logits + static_cast<size_t>(done) * hp_.n_vocab;
            else if (logits && last_chunk) out = logits;
            forward_batch(*executor_, model_, tokens + done, count, start + done, out, all_logits, hooks);
        }
    } catch (...) {
        n_past_ = start;  // the positions of an interrupted call are not kept
        throw;
    }
    n_past_ = start + n;
    history_.insert(history_.end(), tokens, tokens + n);
}

void Context::import_state(const std::vector<int32_t> &tokens, const uint8_t *kv, size_t size) {
    if (tokens.size() > n_ctx_)
        fail(LQ_ERR_CONTEXT_FULL, "the session holds %zu positions but the context only %u", tokens.size(), n_ctx_);
    const uint32_t n = static_cast<uint32_t>(tokens.size());
    executor_->import_kv(n, kv, size);
    history_ = tokens;
    n_past_ = n;
}

}  // namespace lq
