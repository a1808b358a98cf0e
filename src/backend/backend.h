// The seam between the forward pass and the compute backends.
//
// A Backend is one kind of compute engine (CPU, oneDNN, Vulkan): it says
// whether it can run here (and why not), and creates Executors. An Executor
// belongs to one context: it owns the activation buffers of a batch, the KV
// cache, and whatever per-context device state the engine needs, and it runs
// (or records, on an asynchronous device) the operations of the forward pass
// in the order they are called. Weights stay in the model; an executor finds
// its own prepared copy of each weight (uploaded or repacked once per model
// and backend, see PreparedCache) from the TensorView the forward pass hands
// it.
//
// Data never crosses the interface as raw pointers into a backend's memory:
// operations name activation *views* (a slot, a column offset and a row
// stride), so a device backend keeps every activation on the device. Host
// memory appears only at the edges: token ids in begin_batch(), results in
// download() and matmul_to_host(), which are the points where an asynchronous
// executor submits its recorded work and waits.
//
// docs/backends.md explains the design and the reasons for it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/types.h"
#include "libquant/libquant.h"
#include "model/weights.h"

namespace lq {
class Model;
}

namespace lq::backend {

/// Bumped whenever the Executor or Backend interface changes shape.
constexpr uint32_t kInterfaceVersion = 1;

/// The activation buffers of a forward pass. Each slot is an F32 matrix of
/// n_batch rows; its width comes from the ActivationPlan.
enum class Slot : uint8_t { X, XN, Q, K, V, QKV, Attn, Proj, Gate, Up, Count };
constexpr size_t kSlotCount = static_cast<size_t>(Slot::Count);

/// Columns [col0, col0 + cols) of a slot whose rows are @p ld floats apart.
/// A view of a fused projection (Q inside QKV) is an ordinary view.
struct View {
    Slot slot = Slot::X;
    uint32_t col0 = 0;
    uint32_t cols = 0;
    uint32_t ld = 0;
};

/// The operations a forward pass uses, for capability queries and logs.
enum class Op : uint8_t {
    Embed,         ///< rows of the token-embedding table (any weight type)
    RmsNorm,       ///< x / rms(x) * weight
    Matmul,        ///< y = W x for a weight type
    MatmulToHost,  ///< the same, result in host memory (the logits)
    AddBias,       ///< x += bias
    Rope,          ///< rotary embedding of heads
    Attention,     ///< KV store and causal attention over the cache
    Swiglu,        ///< gate = silu(gate) * up
    Add,           ///< x += y (residual)
    Count
};
const char *op_name(Op op);

/// Widths (floats per row) of the slots; 0 leaves a slot unallocated.
struct ActivationPlan {
    uint32_t n_batch = 0;
    uint32_t width[kSlotCount] = {};
    uint32_t &operator[](Slot s) { return width[static_cast<size_t>(s)]; }
    uint32_t operator[](Slot s) const { return width[static_cast<size_t>(s)]; }
};

/// What an executor is created for.
struct ExecutorOptions {
    uint32_t n_ctx = 0;
    uint32_t n_threads = 1;
    TensorType kv_type = TensorType::F16;
    ActivationPlan plan;
    /// Rotary frequency factors for this context (n_rot / 2 floats in host
    /// memory, owned by the model), or null.
    const TensorView *rope_factors = nullptr;
    /// CPU only: use the reference kernel rows (the test oracle).
    bool reference_kernels = false;
};

/// Runs (or records) the forward pass of one context. One thread uses an
/// executor at a time. Operations throw lq::Error on failure
/// (LQ_ERR_BACKEND for a device error, LQ_ERR_OOM for memory).
class Executor {
public:
    virtual ~Executor() = default;

    /// Whether this executor runs @p op (for Embed, Matmul, MatmulToHost:
    /// with weights of @p weight_type). Asking must be cheap and must not
    /// change between calls.
    virtual bool supports(Op op, TensorType weight_type) const = 0;

    /// The memory of @p slot when it is host memory (CPU-like backends), else
    /// nullptr. Per-op fallback runs CPU operations on it in place.
    virtual float *host_slot(Slot slot) = 0;
    /// Copies @p n_rows rows of @p view to or from host memory (packed rows
    /// of view.cols floats). download() waits for the recorded work.
    virtual void download(const View &view, uint32_t n_rows, float *host) = 0;
    virtual void upload(const float *host, const View &view, uint32_t n_rows) = 0;

    /// Starts a batch of @p n tokens at positions pos0 .. pos0 + n - 1.
    virtual void begin_batch(const int32_t *tokens, uint32_t n, uint32_t pos0) = 0;

    virtual void embed(const TensorView &table, const View &out) = 0;
    /// Rows [row0, row0 + n) of @p x normalised into rows [0, n) of @p out.
    virtual void rms_norm(const View &x, uint32_t row0, uint32_t n, const TensorView &weight, float eps,
                          const View &out) = 0;
    /// out[t] = W x[t] for the first @p n rows.
    virtual void matmul(const TensorView &w, const View &x, uint32_t n, const View &out) = 0;
    /// The same into host memory: @p n rows of w.rows floats (waits).
    virtual void matmul_to_host(const TensorView &w, const View &x, uint32_t n, float *out) = 0;
    virtual void add_bias(const View &x, const TensorView &bias) = 0;
    /// Rotates @p n_heads heads of head_dim columns of every row of the batch.
    virtual void rope(const View &x, uint32_t n_heads) = 0;
    /// Stores the batch's keys and values of @p layer in the cache, then
    /// writes causal attention of @p q over the cache to @p out.
    virtual void attention(uint32_t layer, const View &q, const View &k, const View &v, const View &out) = 0;
    /// gate = silu(gate) * up over the batch.
    virtual void swiglu(const View &gate, const View &up) = 0;
    /// x += y over the batch.
    virtual void add(const View &x, const View &y) = 0;

    /// Hands recorded work to the device without waiting (no-op on the CPU).
    virtual void flush() {}

    /// Bytes of the KV cache this executor holds (0 when it holds none).
    virtual size_t kv_bytes() const = 0;

    /// Appends the key/value cache of positions [0, @p n) to @p out in the
    /// portable session layout: for every layer, @p n key rows, then @p n
    /// value rows, each n_embd_kv elements of the cache type, as stored.
    /// Backends that cannot read their cache back throw LQ_ERR_UNSUPPORTED.
    virtual void export_kv(uint32_t n, std::vector<uint8_t> &out) {
        (void)n;
        (void)out;
        fail(LQ_ERR_UNSUPPORTED, "this backend cannot save its key/value cache");
    }
    /// Writes positions [0, @p n) of the cache from the layout export_kv()
    /// makes (@p size bytes, already checked to be the exact size).
    virtual void import_kv(uint32_t n, const uint8_t *data, size_t size) {
        (void)n;
        (void)data;
        (void)size;
        fail(LQ_ERR_UNSUPPORTED, "this backend cannot restore its key/value cache");
    }
};

/// Whether a backend can run on this machine, and why not.
struct Availability {
    bool available = false;
    std::string reason;  ///< empty when available
    std::string device;  ///< the device it would use, when known
};

/// One kind of compute engine. Instances live for the process.
class Backend {
public:
    virtual ~Backend() = default;
    virtual lq_backend id() const = 0;
    virtual const char *name() const = 0;
    /// Probes on the first call and reports; later calls return the same
    /// object (its strings live as long as the process).
    virtual const Availability &availability() const = 0;
    /// How much LQ_BACKEND_AUTO wants this backend for @p model: the
    /// available backend with the highest value wins, 0 never (the CPU
    /// backend answers 1). Backends answer from measurements, not hopes.
    virtual int auto_priority(const Model &model) const {
        (void)model;
        return 0;
    }
    /// Creates an executor for @p model. Throws LQ_ERR_UNSUPPORTED when the
    /// backend is not available, LQ_ERR_OOM or LQ_ERR_BACKEND on failure.
    virtual std::unique_ptr<Executor> create_executor(const Model &model, const ExecutorOptions &options) const = 0;
};

}  // namespace lq::backend
