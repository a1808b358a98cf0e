// A context: everything mutable that running a model needs (the KV cache,
// activation buffers, the thread pool), for one sequence. Many contexts can
// share one immutable Model. One thread uses a context at a time, except
// cancel(), which any thread may call.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "backends/cpu/thread_pool.h"
#include "model/model.h"
#include "runtime/kv_cache.h"

namespace lq {

/// The distinct inputs of the matrix products of a layer. Several weights
/// may share one input (Q, K and V read the same normalised activations).
enum class MatmulInput { AttentionIn, AttentionOut, FfnIn, FfnDownIn, OutputIn };

/// Receives the F32 input rows of the matrix products during evaluation
/// (for calibration statistics). @p layer is unused for OutputIn.
using ActivationObserver =
    std::function<void(MatmulInput input, uint32_t layer, const float *rows, uint32_t n_rows, uint32_t n_cols)>;

struct ContextOptions {
    uint32_t n_ctx = 0;        // 0: the model's training context, at most 4096
    uint32_t n_batch = 512;    // tokens per forward pass
    uint32_t n_threads = 0;    // 0: all hardware threads
    TensorType kv_type = TensorType::F16;
};

class Context {
public:
    /// Throws LQ_ERR_OOM when the cache cannot be allocated, and
    /// LQ_ERR_INVALID_ARGUMENT for a model without weights.
    Context(const Model &model, const ContextOptions &options);
    ~Context();

    const Model &model() const { return model_; }
    uint32_t n_ctx() const { return n_ctx_; }
    uint32_t n_batch() const { return n_batch_; }
    uint32_t n_past() const { return n_past_; }
    /// The tokens in the cache, one per position (n_past of them).
    const std::vector<int32_t> &tokens() const { return history_; }
    int n_threads() const { return pool_.size(); }
    const KvCache &kv_cache() const { return kv_; }

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

    /// Installs (or with an empty function removes) an activation observer.
    void set_observer(ActivationObserver observer) { observer_ = std::move(observer); }

    /// Asks the running (or next) decode to stop; callable from any thread.
    void cancel() { cancel_requested_.store(true, std::memory_order_relaxed); }

private:
    struct Buffers;

    void decode_batch(const int32_t *tokens, uint32_t n, uint32_t pos0, float *logits, bool all_logits);
    void check_cancel();

    const Model &model_;
    const HParams &hp_;
    uint32_t n_ctx_;
    uint32_t n_batch_;
    uint32_t n_past_ = 0;
    std::vector<int32_t> history_;
    KvCache kv_;
    cpu::ThreadPool pool_;
    std::unique_ptr<Buffers> buffers_;
    std::atomic<bool> cancel_requested_{false};
    ActivationObserver observer_;
};

}  // namespace lq
