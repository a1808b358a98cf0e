// A context: everything mutable that running a model needs, for one
// sequence: the token history and the backend executor that holds the KV
// cache, the activation buffers and the threads or device queues. Many
// contexts can share one immutable Model. One thread uses a context at a
// time, except cancel(), which any thread may call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "backend/backend.h"
#include "model/model.h"
#include "runtime/forward.h"

namespace lq {

struct ContextOptions {
    uint32_t n_ctx = 0;        // 0: the model's training context, at most 4096
    uint32_t n_batch = 512;    // tokens per forward pass
    uint32_t n_threads = 0;    // 0: all hardware threads
    TensorType kv_type = TensorType::F16;
    uint32_t backend = LQ_BACKEND_CPU;  // an lq_backend, LQ_BACKEND_AUTO included
};

class Context {
public:
    /// Throws LQ_ERR_OOM when the cache cannot be allocated,
    /// LQ_ERR_INVALID_ARGUMENT for a model without weights, and
    /// LQ_ERR_UNSUPPORTED (with the reason) for a backend that is not
    /// available.
    Context(const Model &model, const ContextOptions &options);
    ~Context();

    const Model &model() const { return model_; }
    uint32_t n_ctx() const { return n_ctx_; }
    uint32_t n_batch() const { return n_batch_; }
    uint32_t n_past() const { return n_past_; }
    /// The tokens in the cache, one per position (n_past of them).
    const std::vector<int32_t> &tokens() const { return history_; }
    uint32_t n_threads() const { return n_threads_; }
    TensorType kv_type() const { return kv_type_; }
    size_t kv_bytes() const { return executor_->kv_bytes(); }
    /// The backend running this context (never LQ_BACKEND_AUTO).
    lq_backend backend() const { return backend_; }

    /// Runs @p n tokens at positions n_past .. n_past + n - 1 and appends them
    /// to the cache. Writes the logits of every token (n x n_vocab floats)
    /// when @p all_logits, else of the last token only (n_vocab floats), into
    /// @p logits unless it is null. Throws LQ_ERR_CONTEXT_FULL when the tokens
    /// do not fit (nothing is changed), LQ_ERR_INVALID_ARGUMENT for a token
    /// outside the vocabulary, LQ_ERR_CANCELLED after cancel() (the tokens of
    /// the interrupted call are dropped from the cache).
    void decode(const int32_t *tokens, uint32_t n, float *logits, bool all_logits);

    /// Forgets every position (n_past becomes 0).
    void reset() {
        n_past_ = 0;
        history_.clear();
    }
    /// Forgets positions from @p n_keep on (n_keep <= n_past).
    void truncate(uint32_t n_keep);

    /// Appends the key/value cache of the n_past positions to @p out in the
    /// portable session layout (see backend::Executor::export_kv).
    void export_kv(std::vector<uint8_t> &out) { executor_->export_kv(n_past_, out); }
    /// Replaces the state with @p tokens and their cache rows (@p size bytes
    /// in the session layout, checked by the caller).
    void import_state(const std::vector<int32_t> &tokens, const uint8_t *kv, size_t size);

    /// Installs (or with an empty function removes) an activation observer.
    void set_observer(ActivationObserver observer) { observer_ = std::move(observer); }

    /// Asks the running (or next) decode to stop; callable from any thread.
    void cancel() { cancel_requested_.store(true, std::memory_order_relaxed); }
    /// Withdraws a request no decode has consumed yet; callable from any thread.
    void clear_cancel() { cancel_requested_.store(false, std::memory_order_relaxed); }

private:
    void check_cancel();

    const Model &model_;
    const HParams &hp_;
    uint32_t n_ctx_;
    uint32_t n_batch_;
    uint32_t n_past_ = 0;
    std::vector<int32_t> history_;
    uint32_t n_threads_;
    TensorType kv_type_;
    lq_backend backend_;
    std::unique_ptr<backend::Executor> executor_;
    std::atomic<bool> cancel_requested_{false};
    ActivationObserver observer_;
};

}  // namespace lq
