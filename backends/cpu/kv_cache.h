// The CPU backend's key/value cache of one context: for every layer, the keys and values
// of every position seen so far, stored in F16 (default), F32 or Q8_0.
//
// Keys are stored per position: K[layer][pos] is one row of n_embd_kv
// elements (the heads side by side). Values in F16/F32 are stored
// transposed, V[layer][dim][pos], so that the weighted sum over positions is
// a dot product along a contiguous row, as the other GGUF runtimes compute
// it. Q8_0 values are stored per position (blocks of 32 must not cross
// positions) and summed after decoding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/types.h"
#include "model/hparams.h"

namespace lq::cpu {

class KvCache {
public:
    /// Allocates the cache. Throws LQ_ERR_OOM when the memory is not there,
    /// LQ_ERR_UNSUPPORTED for a type the cache cannot hold for this model.
    KvCache(const HParams &hp, uint32_t n_ctx, TensorType type);

    uint32_t n_ctx() const { return n_ctx_; }
    TensorType type() const { return type_; }
    bool values_transposed() const { return type_ != TensorType::Q8_0; }
    size_t bytes() const { return bytes_; }

    /// Key row of @p pos in @p layer (n_embd_kv elements of type()).
    uint8_t *key(uint32_t layer, uint32_t pos) const { return k_ + layer * layer_bytes_ + pos * kv_row_bytes_; }
    /// Value row of @p pos (when not transposed).
    uint8_t *value(uint32_t layer, uint32_t pos) const { return v_ + layer * layer_bytes_ + pos * kv_row_bytes_; }
    /// Transposed value row of dimension @p dim: n_ctx elements of type().
    uint8_t *value_column(uint32_t layer, uint32_t dim) const {
        return v_ + layer * layer_bytes_ + dim * pos_row_bytes_;
    }
    /// Bytes of @p n elements of the cache type (n a multiple of its block).
    size_t bytes_of(uint64_t n) const;

    /// Stores the key and value of one position (n_embd_kv floats each).
    void store(uint32_t layer, uint32_t pos, const float *k, const float *v);

    /// Bytes of positions [0, n) in the session layout (see Executor::export_kv).
    size_t session_bytes(uint32_t n) const;
    /// Appends positions [0, n) in the session layout: per layer, n key rows
    /// then n value rows (transposed values are gathered back into rows).
    void export_rows(uint32_t n, std::vector<uint8_t> &out) const;
    /// The inverse of export_rows(); @p data holds session_bytes(n) bytes.
    void import_rows(uint32_t n, const uint8_t *data);

private:
    TensorType type_;
    uint32_t n_ctx_;
    uint32_t n_embd_kv_;
    uint32_t n_layer_;
    size_t kv_row_bytes_;   // one position, all heads
    size_t pos_row_bytes_;  // one transposed value dimension, all positions
    size_t layer_bytes_;
    size_t bytes_;
    std::unique_ptr<uint8_t[]> k_storage_, v_storage_;
    uint8_t *k_ = nullptr;
    uint8_t *v_ = nullptr;
};

}  // namespace lq::cpu
