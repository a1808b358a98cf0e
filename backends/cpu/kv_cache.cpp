#include "backends/cpu/kv_cache.h"

#include <cstring>
#include <new>

#include "core/error.h"
#include "core/half.h"
#include "kernels/kernels.h"

namespace lq::cpu {

KvCache::KvCache(const HParams &hp, uint32_t n_ctx, TensorType type)
    : type_(type), n_ctx_(n_ctx), n_embd_kv_(hp.n_embd_kv()), n_layer_(hp.n_layer) {
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

size_t KvCache::session_bytes(uint32_t n) const { return 2 * size_t(n_layer_) * n * kv_row_bytes_; }

void KvCache::export_rows(uint32_t n, std::vector<uint8_t> &out) const {
    const size_t base = out.size();
    out.resize(base + session_bytes(n));
    uint8_t *dst = out.data() + base;
    const size_t element = values_transposed() ? bytes_of(1) : 0;
    for (uint32_t layer = 0; layer < n_layer_; ++layer) {
        std::memcpy(dst, key(layer, 0), n * kv_row_bytes_);  // key rows are contiguous per layer
        dst += n * kv_row_bytes_;
        if (!values_transposed()) {
            std::memcpy(dst, value(layer, 0), n * kv_row_bytes_);
            dst += n * kv_row_bytes_;
            continue;
        }
        for (uint32_t pos = 0; pos < n; ++pos)
            for (uint32_t dim = 0; dim < n_embd_kv_; ++dim, dst += element)
                std::memcpy(dst, value_column(layer, dim) + pos * element, element);
    }
}

void KvCache::import_rows(uint32_t n, const uint8_t *src) {
    const size_t element = values_transposed() ? bytes_of(1) : 0;
    for (uint32_t layer = 0; layer < n_layer_; ++layer) {
        std::memcpy(key(layer, 0), src, n * kv_row_bytes_);
        src += n * kv_row_bytes_;
        if (!values_transposed()) {
            std::memcpy(value(layer, 0), src, n * kv_row_bytes_);
            src += n * kv_row_bytes_;
            continue;
        }
        for (uint32_t pos = 0; pos < n; ++pos)
            for (uint32_t dim = 0; dim < n_embd_kv_; ++dim, src += element)
                std::memcpy(value_column(layer, dim) + pos * element, src, element);
    }
}

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
