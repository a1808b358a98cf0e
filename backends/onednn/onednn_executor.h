// The oneDNN executor: activations in host memory (lent to the CPU
// fallback for every operation but the INT8 matrix products), and the
// products of lq_i8_row and Q8_0 weights as W8A8: each token's activations
// quantized to s8 with one scale, s8 x s8 -> s32 in oneDNN's matmul, both
// scales applied on the way out.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "backend/backend.h"
#include "backend/host_slots.h"
#include "backends/onednn/packed_weights.h"

namespace lq::onednn {

class OnednnExecutor final : public backend::Executor {
public:
    OnednnExecutor(const backend::ExecutorOptions &options, std::shared_ptr<const PackedModel> packed);

    bool supports(backend::Op op, TensorType weight_type) const override;
    float *host_slot(backend::Slot slot) override { return slots_.slot(slot); }
    void download(const backend::View &view, uint32_t n_rows, float *host) override;
    void upload(const float *host, const backend::View &view, uint32_t n_rows) override;

    void begin_batch(const int32_t *tokens, uint32_t n, uint32_t pos0) override;
    void matmul(const TensorView &w, const backend::View &x, uint32_t n, const backend::View &out) override;
    void matmul_to_host(const TensorView &w, const backend::View &x, uint32_t n, float *out) override;

    // Not offered (supports() says so); the CPU fallback runs them.
    void embed(const TensorView &, const backend::View &) override { unsupported(backend::Op::Embed); }
    void rms_norm(const backend::View &, uint32_t, uint32_t, const TensorView &, float,
                  const backend::View &) override {
        unsupported(backend::Op::RmsNorm);
    }
    void add_bias(const backend::View &, const TensorView &) override { unsupported(backend::Op::AddBias); }
    void rope(const backend::View &, uint32_t) override { unsupported(backend::Op::Rope); }
    void attention(uint32_t, const backend::View &, const backend::View &, const backend::View &,
                   const backend::View &) override {
        unsupported(backend::Op::Attention);
    }
    void swiglu(const backend::View &, const backend::View &) override { unsupported(backend::Op::Swiglu); }
    void add(const backend::View &, const backend::View &) override { unsupported(backend::Op::Add); }
    size_t kv_bytes() const override { return 0; }

private:
    [[noreturn]] static void unsupported(backend::Op op);
    float *at(const backend::View &view, uint32_t row = 0) { return slots_.at(view, row); }
    void product(const TensorView &w, const float *x, uint32_t ld_x, uint32_t n, float *out, size_t ld_out);

    std::shared_ptr<const PackedModel> packed_;
    dnnl::stream stream_;
    int n_threads_;
    backend::HostSlots slots_;
    // Per-call buffers, grown as needed.
    std::vector<int8_t> src_;
    std::vector<float> src_scale_;
    std::vector<int32_t> acc_;
    std::vector<uint8_t> scratchpad_;
};

/// The pieces a batch of @p n rows is run in: whole power-of-two buckets of
/// at least 16 rows (at most 512), then the remainder padded up to the next
/// power of two, so that the number of primitives stays small and padding
/// wastes less than one small bucket. Each piece: {rows, bucket}.
std::vector<std::pair<uint32_t, uint32_t>> split_rows(uint32_t n);

}  // namespace lq::onednn
