// Hyper-parameters of the supported architectures, read from GGUF metadata.
//
// All three are decoder-only transformers of the Llama family: RMSNorm,
// rotary position embeddings, grouped-query attention and a SwiGLU
// feed-forward block. They differ in details recorded here as flags:
//   llama  (Llama 2/3, Mistral, TinyLlama, SmolLM, CodeLlama): separate
//          Q/K/V, "normal" RoPE (rotates adjacent pairs), optional
//          rope_freqs tensor (Llama-3 scaling);
//   qwen2  (Qwen2/2.5, Qwen2.5-Coder): Q/K/V carry biases, NeoX RoPE
//          (rotates the two halves of each head);
//   phi3   (Phi-3/3.5/4-mini): fused QKV and fused gate|up projections,
//          NeoX RoPE, optional LongRoPE factors and a sliding window.
#pragma once

#include <cstdint>
#include <string>

#include "format/gguf.h"

namespace lq {

enum class Architecture { Llama, Qwen2, Phi3 };

enum class RopeStyle {
    Normal,  // pairs (x[2i], x[2i+1])
    NeoX,    // pairs (x[i], x[i + n_rot/2])
};

struct RopeParams {
    RopeStyle style = RopeStyle::Normal;
    uint32_t n_rot = 0;        // rotated dimensions per head (<= head_dim)
    float freq_base = 10000.0f;
    float freq_scale = 1.0f;   // 1 / linear scaling factor
    // YaRN (0 ext_factor: off)
    float ext_factor = 0.0f;
    float attn_factor = 1.0f;
    float beta_fast = 32.0f;
    float beta_slow = 1.0f;
    uint32_t n_ctx_orig = 0;   // context the rotary frequencies were trained for
};

struct HParams {
    Architecture arch = Architecture::Llama;
    std::string arch_name;
    uint32_t n_vocab = 0;
    uint32_t n_ctx_train = 0;
    uint32_t n_embd = 0;
    uint32_t n_layer = 0;
    uint32_t n_head = 0;
    uint32_t n_head_kv = 0;
    uint32_t head_dim = 0;    // per-head width of Q and K (and V)
    uint32_t n_ff = 0;        // feed-forward hidden width
    uint32_t n_swa = 0;       // sliding attention window; 0 = full attention
    float rms_eps = 1e-5f;
    RopeParams rope;

    uint32_t n_embd_q() const { return n_head * head_dim; }
    uint32_t n_embd_kv() const { return n_head_kv * head_dim; }
};

/// Architecture named by `general.architecture`; throws LQ_ERR_UNSUPPORTED
/// naming it when it is not one of llama, qwen2, phi3.
Architecture architecture_from_name(const std::string &name);

/// Reads and checks the hyper-parameters. Throws LQ_ERR_MODEL_FORMAT naming
/// the key when a required entry is missing or inconsistent.
HParams read_hparams(const GgufFile &gguf, uint32_t n_vocab);

}  // namespace lq
