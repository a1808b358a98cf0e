#include "runtime/forward.h"

#include <vector>

namespace lq {

using backend::Slot;
using backend::View;

namespace {

// A whole slot of @p width columns.
View whole(Slot slot, uint32_t width) { return View{slot, 0, width, width}; }

// Columns [col0, col0 + cols) of a slot of @p width columns.
View part(Slot slot, uint32_t col0, uint32_t cols, uint32_t width) { return View{slot, col0, cols, width}; }

// Hands the observer the first @p n rows of @p view, downloaded when the
// executor keeps them in device memory.
void observe(backend::Executor &ex, const ForwardHooks &hooks, MatmulInput input, uint32_t layer, const View &view,
             uint32_t n) {
    if (!hooks.observer || !*hooks.observer) return;
    std::vector<float> rows(static_cast<size_t>(n) * view.cols);
    ex.download(view, n, rows.data());
    (*hooks.observer)(input, layer, rows.data(), n, view.cols);
}

}  // namespace

backend::ActivationPlan activation_plan(const Model &model, uint32_t n_batch) {
    const HParams &hp = model.hparams();
    const LayerWeights &l0 = model.weights().layers[0];
    backend::ActivationPlan plan;
    plan.n_batch = n_batch;
    plan[Slot::X] = hp.n_embd;
    plan[Slot::XN] = hp.n_embd;
    if (l0.wqkv) {
        plan[Slot::QKV] = hp.n_embd_q() + 2 * hp.n_embd_kv();
    } else {
        plan[Slot::Q] = hp.n_embd_q();
        plan[Slot::K] = hp.n_embd_kv();
        plan[Slot::V] = hp.n_embd_kv();
    }
    plan[Slot::Attn] = hp.n_embd_q();
    plan[Slot::Proj] = hp.n_embd;
    if (l0.ffn_gate_up) {
        plan[Slot::Gate] = 2 * hp.n_ff;  // [gate | up] side by side
    } else {
        plan[Slot::Gate] = hp.n_ff;
        plan[Slot::Up] = hp.n_ff;
    }
    return plan;
}

const TensorView *rope_factors(const Model &model, uint32_t n_ctx) {
    const ModelWeights &w = model.weights();
    if (w.rope_factors_long && w.rope_factors_short)
        return n_ctx > model.hparams().rope.n_ctx_orig ? &w.rope_factors_long : &w.rope_factors_short;
    return w.rope_freqs ? &w.rope_freqs : nullptr;
}

void forward_batch(backend::Executor &ex, const Model &model, const int32_t *tokens, uint32_t n, uint32_t pos0,
                   float *logits, bool all_logits, const ForwardHooks &hooks) {
    const HParams &hp = model.hparams();
    const ModelWeights &w = model.weights();
    const uint32_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    const bool fused_qkv = static_cast<bool>(w.layers[0].wqkv);
    const bool fused_ffn = static_cast<bool>(w.layers[0].ffn_gate_up);

    const View x = whole(Slot::X, n_embd);
    const View xn = whole(Slot::XN, n_embd);
    const View attn = whole(Slot::Attn, n_q);
    const View proj = whole(Slot::Proj, n_embd);
    const uint32_t qkv_width = n_q + 2 * n_kv;
    const View q = fused_qkv ? part(Slot::QKV, 0, n_q, qkv_width) : whole(Slot::Q, n_q);
    const View k = fused_qkv ? part(Slot::QKV, n_q, n_kv, qkv_width) : whole(Slot::K, n_kv);
    const View v = fused_qkv ? part(Slot::QKV, n_q + n_kv, n_kv, qkv_width) : whole(Slot::V, n_kv);
    const View gate = fused_ffn ? part(Slot::Gate, 0, n_ff, 2 * n_ff) : whole(Slot::Gate, n_ff);
    const View up = fused_ffn ? part(Slot::Gate, n_ff, n_ff, 2 * n_ff) : whole(Slot::Up, n_ff);

    hooks.check_cancel();
    ex.begin_batch(tokens, n, pos0);
    ex.embed(w.token_embd, x);

    for (uint32_t il = 0; il < hp.n_layer; ++il) {
        const LayerWeights &l = w.layers[il];
        hooks.check_cancel();

        // Attention block.
        ex.rms_norm(x, 0, n, l.attn_norm, hp.rms_eps, xn);
        observe(ex, hooks, MatmulInput::AttentionIn, il, xn, n);
        if (fused_qkv) {
            ex.matmul(l.wqkv, xn, n, whole(Slot::QKV, qkv_width));
        } else {
            ex.matmul(l.wq, xn, n, q);
            ex.matmul(l.wk, xn, n, k);
            ex.matmul(l.wv, xn, n, v);
        }
        if (l.bq) ex.add_bias(q, l.bq);
        if (l.bk) ex.add_bias(k, l.bk);
        if (l.bv) ex.add_bias(v, l.bv);
        ex.rope(q, hp.n_head);
        ex.rope(k, hp.n_head_kv);
        ex.attention(il, q, k, v, attn);
        observe(ex, hooks, MatmulInput::AttentionOut, il, attn, n);
        ex.matmul(l.wo, attn, n, proj);
        ex.add(x, proj);

        // Feed-forward block.
        ex.rms_norm(x, 0, n, l.ffn_norm, hp.rms_eps, xn);
        observe(ex, hooks, MatmulInput::FfnIn, il, xn, n);
        if (fused_ffn) {
            ex.matmul(l.ffn_gate_up, xn, n, whole(Slot::Gate, 2 * n_ff));
        } else {
            ex.matmul(l.ffn_gate, xn, n, gate);
            ex.matmul(l.ffn_up, xn, n, up);
        }
        ex.swiglu(gate, up);
        observe(ex, hooks, MatmulInput::FfnDownIn, il, gate, n);
        ex.matmul(l.ffn_down, gate, n, proj);
        ex.add(x, proj);
        ex.flush();
    }

    if (!logits) return;
    hooks.check_cancel();
    // Only the rows whose logits are wanted go through the output layer.
    const uint32_t first = all_logits ? 0 : n - 1;
    const uint32_t count = n - first;
    ex.rms_norm(x, first, count, w.output_norm, hp.rms_eps, xn);
    observe(ex, hooks, MatmulInput::OutputIn, 0, xn, count);
    ex.matmul_to_host(w.output, xn, count, logits);
}

}  // namespace lq
