#include "backends/cpu/cpu_executor.h"

#include <cmath>
#include <cstring>
#include <new>

#include "backends/cpu/ops.h"
#include "backends/cpu/rope.h"
#include "core/error.h"
#include "model/model.h"

namespace lq::cpu {

using backend::Op;
using backend::Slot;
using backend::View;

CpuExecutor::CpuExecutor(const Model &model, const backend::ExecutorOptions &options, float *const *lent_slots,
                         bool with_cache)
    : hp_(model.hparams()),
      n_ctx_(options.n_ctx),
      kernels_(options.reference_kernels),
      // Lent slots: this executor is another backend's fallback, whose own
      // threads run between its ops; it does not spin for them (thread_pool.h).
      pool_(static_cast<int>(options.n_threads ? options.n_threads : 1),
            lent_slots ? std::chrono::microseconds(0) : ThreadPool::kDefaultSpin),
      slots_(options.plan, lent_slots) {
    if (with_cache) kv_ = std::make_unique<KvCache>(hp_, n_ctx_, options.kv_type);
    if (options.rope_factors) rope_factors_ = reinterpret_cast<const float *>(options.rope_factors->data);
    const uint32_t n_batch = options.plan.n_batch;
    cos_sin_.resize(static_cast<size_t>(n_batch) * hp_.rope.n_rot);
}

bool CpuExecutor::supports(Op op, TensorType weight_type) const {
    switch (op) {
    case Op::Embed:
    case Op::Matmul:
    case Op::MatmulToHost: return KernelTable::has(weight_type);
    case Op::Attention: return kv_ != nullptr;
    default: return true;
    }
}

void CpuExecutor::download(const View &view, uint32_t n_rows, float *host) { slots_.download(view, n_rows, host); }

void CpuExecutor::upload(const float *host, const View &view, uint32_t n_rows) { slots_.upload(host, view, n_rows); }

void CpuExecutor::begin_batch(const int32_t *tokens, uint32_t n, uint32_t pos0) {
    tokens_.assign(tokens, tokens + n);
    n_ = n;
    pos0_ = pos0;
    const uint32_t n_rot = hp_.rope.n_rot;
    for (uint32_t t = 0; t < n; ++t) rope_angles(hp_.rope, rope_factors_, pos0 + t, &cos_sin_[t * n_rot]);
}

void CpuExecutor::embed(const TensorView &table, const View &out) {
    embed_rows(kernels_, table, tokens_.data(), n_, at(out), out.ld);
}

void CpuExecutor::rms_norm(const View &x, uint32_t row0, uint32_t n, const TensorView &weight, float eps,
                           const View &out) {
    const auto *w = reinterpret_cast<const float *>(weight.data);
    const auto body = [&](int64_t t, int) {
        cpu::rms_norm(at(x, row0 + static_cast<uint32_t>(t)), w, x.cols, eps, at(out, static_cast<uint32_t>(t)));
    };
    if (n > 1) pool_.parallel_for(n, body);
    else if (n == 1) body(0, 0);
}

void CpuExecutor::matmul(const TensorView &w, const View &x, uint32_t n, const View &out) {
    cpu::matmul(pool_, kernels_, w, at(x), x.ld, n, at(out), out.ld, activations_);
}

void CpuExecutor::matmul_to_host(const TensorView &w, const View &x, uint32_t n, float *out) {
    cpu::matmul(pool_, kernels_, w, at(x), x.ld, n, out, static_cast<int64_t>(w.rows), activations_);
}

void CpuExecutor::add_bias(const View &x, const TensorView &bias) {
    const auto *b = reinterpret_cast<const float *>(bias.data);
    for (uint32_t t = 0; t < n_; ++t) cpu::add_bias(at(x, t), b, x.cols);
}

void CpuExecutor::rope(const View &x, uint32_t n_heads) {
    const uint32_t n_rot = hp_.rope.n_rot;
    pool_.parallel_for(n_, [&](int64_t t, int) {
        float *row = at(x, static_cast<uint32_t>(t));
        const float *angles = &cos_sin_[static_cast<size_t>(t) * n_rot];
        for (uint32_t h = 0; h < n_heads; ++h) rope_apply(hp_.rope, angles, row + h * hp_.head_dim);
    });
}

void CpuExecutor::export_kv(uint32_t n, std::vector<uint8_t> &out) {
    if (!kv_) fail(LQ_ERR_INTERNAL, "this executor has no key/value cache");
    kv_->export_rows(n, out);
}

void CpuExecutor::import_kv(uint32_t n, const uint8_t *data, size_t size) {
    if (!kv_) fail(LQ_ERR_INTERNAL, "this executor has no key/value cache");
    if (size != kv_->session_bytes(n) || n > kv_->n_ctx())
        fail(LQ_ERR_INTERNAL, "a key/value cache of %zu bytes does not match %u positions", size, n);
    kv_->import_rows(n, data);
}

void CpuExecutor::attention(uint32_t layer, const View &q, const View &k, const View &v, const View &out) {
    if (!kv_) fail(LQ_ERR_BACKEND, "this CPU executor holds no KV cache");
    for (uint32_t t = 0; t < n_; ++t) kv_->store(layer, pos0_ + t, at(k, t), at(v, t));
    AttentionArgs args;
    args.q = at(q);
    args.ld_q = q.ld;
    args.out = at(out);
    args.ld_out = out.ld;
    args.n_tokens = n_;
    args.pos0 = pos0_;
    args.n_head = hp_.n_head;
    args.n_head_kv = hp_.n_head_kv;
    args.head_dim = hp_.head_dim;
    args.n_swa = hp_.n_swa;
    args.scale = 1.0f / std::sqrt(static_cast<float>(hp_.head_dim));
    args.kv_type = kv_->type();
    args.k = kv_->key(layer, 0);
    args.k_row_bytes = kv_->bytes_of(hp_.n_embd_kv());
    args.v_transposed = kv_->values_transposed();
    args.v = args.v_transposed ? kv_->value_column(layer, 0) : kv_->value(layer, 0);
    args.v_row_bytes = args.v_transposed ? kv_->bytes_of(n_ctx_) : kv_->bytes_of(hp_.n_embd_kv());
    cpu::attention(pool_, kernels_, args, attention_scratch_);
}

void CpuExecutor::swiglu(const View &gate, const View &up) {
    pool_.parallel_for(n_, [&](int64_t t, int) {
        cpu::swiglu(at(gate, static_cast<uint32_t>(t)), at(up, static_cast<uint32_t>(t)), gate.cols);
    });
}

void CpuExecutor::add(const View &x, const View &y) {
    for (uint32_t t = 0; t < n_; ++t) {
        float *a = at(x, t);
        const float *b = at(y, t);
        for (uint32_t i = 0; i < x.cols; ++i) a[i] += b[i];
    }
}

}  // namespace lq::cpu
