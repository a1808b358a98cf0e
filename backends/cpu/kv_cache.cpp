#include "backends/cpu/kv_cache.h"

#include <new>

#include "core/error.h"
#include "core/half.h"
#include "kernels/kernels.h"

namespace lq::cpu {

KvCache::KvCache(const HParams &hp, uint32_t n_ctx, TensorType type)
    : type_(type), n_ctx_(n_ctx), n_embd_kv_(hp.n_embd_kv()) {
    if (type != TensorType::F16 && type != TensorType::F32 && type != TensorType::Q8_0)
        fail(LQ_ERR_UNSUPPORTED, "KV cache type %s is not supported (f16, f32 or q8_0)", type_name(type));
    if (type == TensorType::Q8_0 && hp.head_dim % 32 != 0)
        fail(LQ_ERR_UNSUPPORTED, "a q8_0 KV cache needs a head width that is a multiple of 32 (this model: %u)",
             hp.head_dim);
    kv_row_bytes_ = bytes_of(n_embd_kv_);
    pos_row_bytes_ = bytes_of(n_ctx);
    layer_bytes_ = kv_row_bytes_ * n_ctx;
    bytes_ = 2 * layer_bytes_ * hp.n_layer;
    const size_t half = bytes_ / 2;
    k_storage_.reset(new (std::nothrow) uint8_t[half]);
    v_storage_.reset(new (std::nothrow) uint8_t[half]);
    if (!k_storage_ || !v_storage_)
        fail(LQ_ERR_OOM, "cannot allocate a KV cache of %zu MiB (%u positions)", bytes_ >> 20, n_ctx);
    k_ = k_storage_.get();
    v_ = v_storage_.get();
}

size_t KvCache::bytes_of(uint64_t n) const { return row_bytes(*type_info(type_), n); }

void KvCache::store(uint32_t layer, uint32_t pos, const float *k, const float *v) {
    switch (type_) {
    case TensorType::F32: {
        auto *kr = reinterpret_cast<float *>(key(layer, pos));
        for (uint32_t i = 0; i < n_embd_kv_; ++i) kr[i] = k[i];
        for (uint32_t i = 0; i < n_embd_kv_; ++i) reinterpret_cast<float *>(value_column(layer, i))[pos] = v[i];
        break;
    }
    case TensorType::F16: {
        auto *kr = reinterpret_cast<uint16_t *>(key(layer, pos));
        for (uint32_t i = 0; i < n_embd_kv_; ++i) kr[i] = float_to_half(k[i]);
        for (uint32_t i = 0; i < n_embd_kv_; ++i)
            reinterpret_cast<uint16_t *>(value_column(layer, i))[pos] = float_to_half(v[i]);
        break;
    }
    default: {
        const QuantKernels &q8 = *quant_kernels(TensorType::Q8_0);
        q8.from_float(k, key(layer, pos), n_embd_kv_);
        q8.from_float(v, value(layer, pos), n_embd_kv_);
        break;
    }
    }
}

}  // namespace lq::cpu
