#include "model/weights.h"

#include "core/error.h"
#include "kernels/kernels.h"

namespace lq {
namespace {

class Binder {
public:
    Binder(const GgufFile &gguf) : gguf_(gguf) {}

    // A tensor of exactly [rows x cols] (rows == 0: a vector of cols).
    TensorView get(const std::string &name, uint64_t cols, uint64_t rows, bool required = true) const {
        const GgufTensor *t = gguf_.find_tensor(name);
        if (!t) {
            if (required) fail(LQ_ERR_MODEL_FORMAT, "model lacks tensor '%s'", name.c_str());
            return TensorView{};
        }
        const bool vector = rows == 0;
        const bool shape_ok = vector ? (t->n_dims == 1 && t->ne[0] == cols)
                                     : (t->n_dims == 2 && t->ne[0] == cols && t->ne[1] == rows);
        if (!shape_ok)
            fail(LQ_ERR_MODEL_FORMAT, "tensor '%s' has shape [%llu x %llu], expected [%llu x %llu]", name.c_str(),
                 static_cast<unsigned long long>(t->ne[0]), static_cast<unsigned long long>(t->ne[1]),
                 static_cast<unsigned long long>(cols), static_cast<unsigned long long>(vector ? 1 : rows));
        const QuantKernels *kernels = quant_kernels(t->type);
        if (!kernels || !kernels->vec_dot)
            fail(LQ_ERR_UNSUPPORTED, "tensor '%s' has type %s, which libquant cannot compute yet", name.c_str(),
                 type_name(t->type));
        if (vector && t->type != TensorType::F32)
            fail(LQ_ERR_UNSUPPORTED, "vector tensor '%s' has type %s; only f32 is supported for vectors",
                 name.c_str(), type_name(t->type));
        TensorView v;
        v.name = t->name.data();
        v.type = t->type;
        v.cols = t->ne[0];
        v.rows = vector ? 1 : t->ne[1];
        v.data = t->data;
        v.row_bytes = row_bytes(*type_info(t->type), t->ne[0]);
        return v;
    }

private:
    const GgufFile &gguf_;
};

std::string layer_name(uint32_t layer, const char *suffix) { return "blk." + std::to_string(layer) + "." + suffix; }

}  // namespace

ModelWeights bind_weights(const GgufFile &gguf, const HParams &hp) {
    const Binder b(gguf);
    ModelWeights w;
    const uint64_t n_embd = hp.n_embd, n_q = hp.n_embd_q(), n_kv = hp.n_embd_kv(), n_ff = hp.n_ff;
    w.token_embd = b.get("token_embd.weight", n_embd, hp.n_vocab);
    w.output_norm = b.get("output_norm.weight", n_embd, 0);
    w.output = b.get("output.weight", n_embd, hp.n_vocab, false);
    if (!w.output) w.output = w.token_embd;  // tied embeddings
    w.rope_freqs = b.get("rope_freqs.weight", hp.rope.n_rot / 2, 0, false);
    w.rope_factors_long = b.get("rope_factors_long.weight", hp.rope.n_rot / 2, 0, false);
    w.rope_factors_short = b.get("rope_factors_short.weight", hp.rope.n_rot / 2, 0, false);

    w.layers.resize(hp.n_layer);
    for (uint32_t i = 0; i < hp.n_layer; ++i) {
        LayerWeights &l = w.layers[i];
        l.attn_norm = b.get(layer_name(i, "attn_norm.weight"), n_embd, 0);
        l.ffn_norm = b.get(layer_name(i, "ffn_norm.weight"), n_embd, 0);
        l.wo = b.get(layer_name(i, "attn_output.weight"), n_q, n_embd);
        l.ffn_down = b.get(layer_name(i, "ffn_down.weight"), n_ff, n_embd);
        if (hp.arch == Architecture::Phi3) {
            l.wqkv = b.get(layer_name(i, "attn_qkv.weight"), n_embd, n_q + 2 * n_kv, false);
            l.ffn_gate_up = b.get(layer_name(i, "ffn_up.weight"), n_embd, 2 * n_ff);
        } else {
            l.ffn_gate = b.get(layer_name(i, "ffn_gate.weight"), n_embd, n_ff);
            l.ffn_up = b.get(layer_name(i, "ffn_up.weight"), n_embd, n_ff);
        }
        if (!l.wqkv) {
            l.wq = b.get(layer_name(i, "attn_q.weight"), n_embd, n_q);
            l.wk = b.get(layer_name(i, "attn_k.weight"), n_embd, n_kv);
            l.wv = b.get(layer_name(i, "attn_v.weight"), n_embd, n_kv);
            const bool biases_required = hp.arch == Architecture::Qwen2;
            l.bq = b.get(layer_name(i, "attn_q.bias"), n_q, 0, biases_required);
            l.bk = b.get(layer_name(i, "attn_k.bias"), n_kv, 0, biases_required);
            l.bv = b.get(layer_name(i, "attn_v.bias"), n_kv, 0, biases_required);
        }
    }
    return w;
}

}  // namespace lq
