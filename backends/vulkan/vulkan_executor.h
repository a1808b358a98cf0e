// The Vulkan executor of one context: the activation slots, the KV cache
// (F16 or F32, one buffer per layer for keys and one for values) and the
// per-batch inputs live on the device; the operations are recorded into
// command buffers (recorder.h) and run there. The host takes part at the
// edges only: it decodes the batch's embedding rows and rotary angles
// (cheap, and exactly the CPU's), and reads the logits back.
#pragma once

#include <memory>
#include <vector>

#include "backend/backend.h"
#include "backends/vulkan/device_weights.h"
#include "backends/vulkan/recorder.h"
#include "model/hparams.h"

namespace lq::vulkan {

class VulkanExecutor final : public backend::Executor {
public:
    VulkanExecutor(Device &device, const Model &model, const backend::ExecutorOptions &options,
                   std::shared_ptr<const DeviceWeights> weights);
    ~VulkanExecutor() override;

    bool supports(backend::Op op, TensorType weight_type) const override;
    float *host_slot(backend::Slot) override { return nullptr; }
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
    void flush() override { recorder_.submit(); }
    size_t kv_bytes() const override { return kv_bytes_; }

    const Recorder &recorder() const { return recorder_; }

private:
    const Buffer &slot(backend::Slot s) const { return *slots_[static_cast<size_t>(s)]; }
    /// A binding of @p view's slot whose touched range is its first @p n rows.
    Binding bind(const backend::View &view, uint32_t row0, uint32_t n, bool write) const;
    void elementwise(uint32_t op, const backend::View &a, const backend::View &b, const Buffer *b_buffer);
    /// Records y = W x for @p n tokens into binding @p y: token t's row
    /// starts @p y_off + t * @p y_ld floats into it.
    void record_matmul(const TensorView &w, const backend::View &x, uint32_t n, const Binding &y, uint32_t y_off,
                       uint32_t y_ld);
    /// Records copies of @p n_rows dense rows (view.cols floats each) from
    /// the start of @p src into @p view.
    void copy_rows(const Buffer &src, const backend::View &view, uint32_t n_rows);
    /// Staging memory for @p bytes (host-visible; grows).
    Buffer &staging(uint64_t bytes);
    /// Copies @p bytes at @p offset of @p buffer to the host (waits).
    void read_back(const Buffer &buffer, uint64_t offset, uint64_t bytes, void *host);

    Device &device_;
    Pipelines &pipelines_;
    const HParams &hp_;
    uint32_t n_ctx_;
    TensorType kv_type_;
    backend::ActivationPlan plan_;
    std::shared_ptr<const DeviceWeights> weights_;
    const float *rope_factors_ = nullptr;

    std::unique_ptr<Buffer> slots_[backend::kSlotCount];
    std::vector<std::unique_ptr<Buffer>> keys_, values_;
    size_t kv_bytes_ = 0;
    uint32_t embed_width_ = 0;
    std::unique_ptr<Buffer> input_;     // host-visible: the batch's embedding rows, then its angles
    std::unique_ptr<Buffer> angles_;    // [n_batch][n_rot] on the device
    std::unique_ptr<Buffer> logits_;    // grows to the largest output asked for
    std::unique_ptr<Buffer> staging_;   // host-visible, for reads and writes of device memory

    std::vector<int32_t> tokens_;
    uint32_t n_ = 0, pos0_ = 0;
    Recorder recorder_;  // last: destroyed first, waiting for work that uses the buffers
};

}  // namespace lq::vulkan
