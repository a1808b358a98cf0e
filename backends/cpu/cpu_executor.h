// The CPU executor: activation slots in host memory (its own, or memory
// another executor lends it for per-op fallback), the KV cache, and the
// thread pool of one context.
#pragma once

#include <memory>
#include <vector>

#include "backend/backend.h"
#include "backend/host_slots.h"
#include "backends/cpu/attention.h"
#include "backends/cpu/cpu_kernels.h"
#include "backends/cpu/kv_cache.h"
#include "core/thread_pool.h"
#include "model/hparams.h"

namespace lq::cpu {

class CpuExecutor final : public backend::Executor {
public:
    /// @p lent_slots, when not null, holds kSlotCount pointers to host memory
    /// of another executor (null entries are allocated here). @p with_cache
    /// false creates no KV cache (attention then throws).
    CpuExecutor(const Model &model, const backend::ExecutorOptions &options, float *const *lent_slots = nullptr,
                bool with_cache = true);

    bool supports(backend::Op op, TensorType weight_type) const override;
    float *host_slot(backend::Slot slot) override { return slots_.slot(slot); }
    void download(const backend::View &view, uint32_t n_rows, float *host) override;
    void upload(const float *host, const backend::View &view, uint32_t n_rows) override;

    void begin_batch(const int32_t *tokens, uint32_t n, uint32_t pos0) override;
    void embed(const TensorView &table, const backend::View &out) override;
    void rms_norm(const backend::View &x, uint32_t row0, uint32_t n, const TensorView &weight, float eps,
                  const backend::View &out) override;
    void matmul(const TensorView &w, const backend::View &x, uint32_t n, const backend::View &out) override;
    void matmul_to_host(const TensorView &w, const backend::View &x, uint32_t n, float *out) override;
    void add_bias(const backend::View &x, const TensorView &bias) override;
    void rope(const backend::View &x, uint32_t n_heads) override;
    void attention(uint32_t layer, const backend::View &q, const backend::View &k, const backend::View &v,
                   const backend::View &out) override;
    void swiglu(const backend::View &gate, const backend::View &up) override;
    void add(const backend::View &x, const backend::View &y) override;
    size_t kv_bytes() const override { return kv_ ? kv_->bytes() : 0; }
    void export_kv(uint32_t n, std::vector<uint8_t> &out) override;
    void import_kv(uint32_t n, const uint8_t *data, size_t size) override;

private:
    float *at(const backend::View &view, uint32_t row = 0) { return slots_.at(view, row); }

    const HParams &hp_;
    uint32_t n_ctx_;
    KernelTable kernels_;
    ThreadPool pool_;
    std::unique_ptr<KvCache> kv_;
    const float *rope_factors_ = nullptr;
    backend::HostSlots slots_;

    // The current batch.
    std::vector<int32_t> tokens_;
    uint32_t n_ = 0, pos0_ = 0;
    std::vector<float> cos_sin_;  // [n][n_rot] rotary angles of the batch
    std::vector<uint8_t> activations_;
    AttentionScratch attention_scratch_;
};

}  // namespace lq::cpu
