// The oneDNN backend's prepared form of a model: every INT8 weight matrix
// (lq_i8_row as it is, Q8_0 re-quantized to one scale per output channel)
// reordered once into the blocked layout of oneDNN's INT8 matmul, and the
// matmul primitives, created on first use for each (M bucket, N, K). Both
// are shared by every context of the model.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include "backend/prepared.h"
#include "core/types.h"
#include "model/weights.h"

namespace lq {
class Model;
}

namespace lq::onednn {

/// Whether matrices of @p type are packed (and their products run here).
bool packable(TensorType type);

/// One weight matrix as the INT8 primitives read it: s8 [K x N] with
/// value[n][k] = scale[n] * q[n][k].
struct PackedMatrix {
    uint32_t n = 0;  ///< output channels (the tensor's rows)
    uint32_t k = 0;  ///< inputs (its columns)
    TensorType type = TensorType::F32;
    uint64_t fingerprint = 0;  ///< of the source rows' first and last bytes
    dnnl::memory::desc desc;
    dnnl::memory weights;
    std::vector<float> scale;
};

/// A matmul primitive for one (M, N, K) and the scratchpad it needs.
struct Gemm {
    dnnl::matmul primitive;
    size_t scratchpad_bytes = 0;
};

class PackedModel final : public backend::PreparedWeights {
public:
    /// Packs every packable matrix of @p model; oneDNN's reorders use
    /// @p n_threads threads. Throws LQ_ERR_BACKEND when oneDNN fails,
    /// LQ_ERR_OOM when memory runs out.
    PackedModel(const Model &model, const dnnl::engine &engine, int n_threads);

    /// The packed form of @p w: packed at load for the model's matrices,
    /// on first use (any thread) for any other packable matrix.
    const PackedMatrix &matrix(const TensorView &w) const;

    /// The primitive computing @p m rows against @p w (created on the first
    /// call; any thread).
    const Gemm &gemm(uint32_t m, const PackedMatrix &w) const;

    const dnnl::engine &engine() const { return engine_; }
    size_t n_matrices() const;
    size_t bytes() const;
    double seconds() const { return seconds_; }

private:
    // Packs @p w (the caller holds mutex_).
    const PackedMatrix &pack(const TensorView &w) const;

    dnnl::engine engine_;
    mutable std::mutex mutex_;
    // Keyed by the tensor's data; a matrix whose shape or first bytes differ
    // from those packed at that address is packed again (the old entry is
    // kept alive, as a caller may still hold it).
    mutable std::unordered_map<const uint8_t *, std::unique_ptr<PackedMatrix>> matrices_;
    mutable std::vector<std::unique_ptr<PackedMatrix>> replaced_;
    mutable size_t bytes_ = 0;
    double seconds_ = 0;
    mutable std::map<std::tuple<uint32_t, uint32_t, uint32_t>, std::unique_ptr<Gemm>> gemms_;
};

}  // namespace lq::onednn
