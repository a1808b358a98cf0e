#include "runtime/context.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>

#include "backends/cpu/attention.h"
#include "backends/cpu/ops.h"
#include "backends/cpu/rope.h"
#include "core/error.h"

namespace lq {

// Activation buffers of one batch, sized once for n_batch tokens.
struct Context::Buffers {
    std::vector<float> x;        // residual stream        [n_batch][n_embd]
    std::vector<float> xn;       // normalised input        [n_batch][n_embd]
    std::vector<float> q, k, v;  // projections            [n_batch][n_q | n_kv | n_kv]
    std::vector<float> qkv;      // fused projection (phi3) [n_batch][n_q + 2 n_kv]
    std::vector<float> attn;     // attention output       [n_batch][n_q]
    std::vector<float> proj;     // output projections     [n_batch][n_embd]
    std::vector<float> gate, up; // feed-forward           [n_batch][n_ff] (gate: 2 n_ff when fused)
    std::vector<float> cos_sin;  // rotary angles          [n_batch][n_rot]
    std::vector<uint8_t> activations;  // activations converted to a dot type
    cpu::AttentionScratch attention;
};

namespace {

uint32_t default_threads() {
    const unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : n;
}

template <typename T>
void allocate(std::vector<T> &v, size_t n) {
    v.assign(n, T());
}

}  // namespace

Context::Context(const Model &model, const ContextOptions &options)
    : model_(model),
      hp_(model.hparams()),
      n_ctx_(options.n_ctx ? options.n_ctx : std::min<uint32_t>(model.hparams().n_ctx_train, 4096)),
      n_batch_(std::max<uint32_t>(1, std::min(options.n_batch ? options.n_batch : 512, n_ctx_))),
      kv_(model.hparams(), n_ctx_, options.kv_type),
      pool_(static_cast<int>(options.n_threads ? options.n_threads : default_threads())) {
    if (!model.has_weights()) fail(LQ_ERR_INVALID_ARGUMENT, "the model was loaded without weights");
    Buffers *b = new Buffers();
    buffers_.reset(b);
    const size_t n = n_batch_;
    allocate(b->x, n * hp_.n_embd);
    allocate(b->xn, n * hp_.n_embd);
    allocate(b->q, n * hp_.n_embd_q());
    allocate(b->k, n * hp_.n_embd_kv());
    allocate(b->v, n * hp_.n_embd_kv());
    if (model.weights().layers[0].wqkv) allocate(b->qkv, n * (hp_.n_embd_q() + 2 * hp_.n_embd_kv()));
    allocate(b->attn, n * hp_.n_embd_q());
    allocate(b->proj, n * hp_.n_embd);
    const bool fused_ffn = static_cast<bool>(model.weights().layers[0].ffn_gate_up);
    allocate(b->gate, n * hp_.n_ff * (fused_ffn ? 2 : 1));
    allocate(b->up, n * hp_.n_ff);
    allocate(b->cos_sin, n * hp_.rope.n_rot);
}

Context::~Context() = default;

void Context::check_cancel() {
    if (cancel_requested_.exchange(false, std::memory_order_relaxed))
        fail(LQ_ERR_CANCELLED, "evaluation was cancelled");
}

void Context::truncate(uint32_t n_keep) {
    if (n_keep > n_past_)
        fail(LQ_ERR_INVALID_ARGUMENT, "cannot keep %u positions of %u", n_keep, n_past_);
    n_past_ = n_keep;
    history_.resize(n_keep);
}

void Context::decode(const int32_t *tokens, uint32_t n, float *logits, bool all_logits) {
    if (n == 0) fail(LQ_ERR_INVALID_ARGUMENT, "no tokens to evaluate");
    if (static_cast<uint64_t>(n_past_) + n > n_ctx_)
        fail(LQ_ERR_CONTEXT_FULL, "%u tokens do not fit: %u of the context's %u positions are used", n, n_past_,
             n_ctx_);
    for (uint32_t i = 0; i < n; ++i)
        if (tokens[i] < 0 || static_cast<uint32_t>(tokens[i]) >= hp_.n_vocab)
            fail(LQ_ERR_INVALID_ARGUMENT, "token %d at index %u is outside the vocabulary of %u", tokens[i], i,
                 hp_.n_vocab);
    const uint32_t start = n_past_;
    try {
        for (uint32_t done = 0; done < n; done += n_batch_) {
            const uint32_t count = std::min(n_batch_, n - done);
            const bool last_chunk = done + count == n;
            float *out = nullptr;
            if (logits && all_logits) out = logits + static_cast<size_t>(done) * hp_.n_vocab;
            else if (logits && last_chunk) out = logits;
            decode_batch(tokens + done, count, start + done, out, all_logits);
        }
    } catch (...) {
        n_past_ = start;  // the positions of an interrupted call are not kept
        throw;
    }
    n_past_ = start + n;
    history_.insert(history_.end(), tokens, tokens + n);
}

void Context::decode_batch(const int32_t *tokens, uint32_t n, uint32_t pos0, float *logits, bool all_logits) {
    Buffers &b = *buffers_;
    const ModelWeights &w = model_.weights();
    const uint32_t n_embd = hp_.n_embd, n_q = hp_.n_embd_q(), n_kv = hp_.n_embd_kv(), n_ff = hp_.n_ff;
    const uint32_t n_rot = hp_.rope.n_rot;

    check_cancel();
    cpu::embed_rows(w.token_embd, tokens, n, b.x.data());

    // Rotary angles of each position of the batch.
    const TensorView *factors = w.rope_freqs ? &w.rope_freqs : nullptr;
    if (w.rope_factors_long && w.rope_factors_short)
        factors = n_ctx_ > hp_.rope.n_ctx_orig ? &w.rope_factors_long : &w.rope_factors_short;
    const float *freq_factors = factors ? reinterpret_cast<const float *>(factors->data) : nullptr;
    for (uint32_t t = 0; t < n; ++t) cpu::rope_angles(hp_.rope, freq_factors, pos0 + t, &b.cos_sin[t * n_rot]);

    for (uint32_t il = 0; il < hp_.n_layer; ++il) {
        const LayerWeights &l = w.layers[il];
        check_cancel();

        // Attention block.
        pool_.parallel_for(n, [&](int64_t t, int) {
            cpu::rms_norm(&b.x[t * n_embd], reinterpret_cast<const float *>(l.attn_norm.data), n_embd, hp_.rms_eps,
                          &b.xn[t * n_embd]);
        });
        if (observer_) observer_(MatmulInput::AttentionIn, il, b.xn.data(), n, n_embd);
        if (l.wqkv) {
            const uint32_t width = n_q + 2 * n_kv;
            cpu::matmul(pool_, l.wqkv, b.xn.data(), n, b.qkv.data(), b.activations);
            for (uint32_t t = 0; t < n; ++t) {
                const float *row = &b.qkv[static_cast<size_t>(t) * width];
                std::memcpy(&b.q[t * n_q], row, n_q * sizeof(float));
                std::memcpy(&b.k[t * n_kv], row + n_q, n_kv * sizeof(float));
                std::memcpy(&b.v[t * n_kv], row + n_q + n_kv, n_kv * sizeof(float));
            }
        } else {
            cpu::matmul(pool_, l.wq, b.xn.data(), n, b.q.data(), b.activations);
            cpu::matmul(pool_, l.wk, b.xn.data(), n, b.k.data(), b.activations);
            cpu::matmul(pool_, l.wv, b.xn.data(), n, b.v.data(), b.activations);
        }
        pool_.parallel_for(n, [&](int64_t t, int) {
            float *q = &b.q[t * n_q];
            float *k = &b.k[t * n_kv];
            if (l.bq) cpu::add_bias(q, reinterpret_cast<const float *>(l.bq.data), n_q);
            if (l.bk) cpu::add_bias(k, reinterpret_cast<const float *>(l.bk.data), n_kv);
            if (l.bv) cpu::add_bias(&b.v[t * n_kv], reinterpret_cast<const float *>(l.bv.data), n_kv);
            const float *angles = &b.cos_sin[t * n_rot];
            for (uint32_t h = 0; h < hp_.n_head; ++h) cpu::rope_apply(hp_.rope, angles, q + h * hp_.head_dim);
            for (uint32_t h = 0; h < hp_.n_head_kv; ++h) cpu::rope_apply(hp_.rope, angles, k + h * hp_.head_dim);
        });
        for (uint32_t t = 0; t < n; ++t) kv_.store(il, pos0 + t, &b.k[t * n_kv], &b.v[t * n_kv]);

        cpu::AttentionArgs args;
        args.q = b.q.data();
        args.out = b.attn.data();
        args.n_tokens = n;
        args.pos0 = pos0;
        args.n_head = hp_.n_head;
        args.n_head_kv = hp_.n_head_kv;
        args.head_dim = hp_.head_dim;
        args.n_swa = hp_.n_swa;
        args.scale = 1.0f / std::sqrt(static_cast<float>(hp_.head_dim));
        args.kv_type = kv_.type();
        args.k = kv_.key(il, 0);
        args.k_row_bytes = kv_.bytes_of(n_kv);
        args.v_transposed = kv_.values_transposed();
        args.v = args.v_transposed ? kv_.value_column(il, 0) : kv_.value(il, 0);
        args.v_row_bytes = args.v_transposed ? kv_.bytes_of(n_ctx_) : kv_.bytes_of(n_kv);
        cpu::attention(pool_, args, b.attention);

        if (observer_) observer_(MatmulInput::AttentionOut, il, b.attn.data(), n, n_q);
        cpu::matmul(pool_, l.wo, b.attn.data(), n, b.proj.data(), b.activations);
        for (size_t i = 0; i < static_cast<size_t>(n) * n_embd; ++i) b.x[i] += b.proj[i];

        // Feed-forward block.
        pool_.parallel_for(n, [&](int64_t t, int) {
            cpu::rms_norm(&b.x[t * n_embd], reinterpret_cast<const float *>(l.ffn_norm.data), n_embd, hp_.rms_eps,
                          &b.xn[t * n_embd]);
        });
        if (observer_) observer_(MatmulInput::FfnIn, il, b.xn.data(), n, n_embd);
        if (l.ffn_gate_up) {
            // Fused [gate | up] rows: compact the gates in place after the SwiGLU.
            cpu::matmul(pool_, l.ffn_gate_up, b.xn.data(), n, b.gate.data(), b.activations);
            for (uint32_t t = 0; t < n; ++t) {
                float *row = &b.gate[static_cast<size_t>(t) * 2 * n_ff];
                cpu::swiglu(row, row + n_ff, n_ff);
                std::memmove(&b.gate[static_cast<size_t>(t) * n_ff], row, n_ff * sizeof(float));
            }
        } else {
            cpu::matmul(pool_, l.ffn_gate, b.xn.data(), n, b.gate.data(), b.activations);
            cpu::matmul(pool_, l.ffn_up, b.xn.data(), n, b.up.data(), b.activations);
            pool_.parallel_for(n, [&](int64_t t, int) { cpu::swiglu(&b.gate[t * n_ff], &b.up[t * n_ff], n_ff); });
        }
        if (observer_) observer_(MatmulInput::FfnDownIn, il, b.gate.data(), n, n_ff);
        cpu::matmul(pool_, l.ffn_down, b.gate.data(), n, b.proj.data(), b.activations);
        for (size_t i = 0; i < static_cast<size_t>(n) * n_embd; ++i) b.x[i] += b.proj[i];
    }

    if (!logits) return;
    check_cancel();
    // Only the rows whose logits are wanted go through the output layer.
    const uint32_t first = all_logits ? 0 : n - 1;
    const uint32_t count = n - first;
    for (uint32_t t = 0; t < count; ++t)
        cpu::rms_norm(&b.x[(first + t) * n_embd], reinterpret_cast<const float *>(w.output_norm.data), n_embd,
                      hp_.rms_eps, &b.xn[t * n_embd]);
    if (observer_) observer_(MatmulInput::OutputIn, 0, b.xn.data(), count, n_embd);
    cpu::matmul(pool_, w.output, b.xn.data(), count, logits, b.activations);
}

}  // namespace lq
