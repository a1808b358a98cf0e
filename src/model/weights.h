// The weights of a Llama-family model, bound by name to tensors of the
// GGUF file (zero-copy views into the mapping) and checked against the
// hyper-parameters. A matrix of shape [rows x cols] is stored row-major as
// `rows` rows of `cols` elements: GGUF's ne[0] = cols, ne[1] = rows.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.h"
#include "format/gguf.h"
#include "model/hparams.h"

namespace lq {

struct TensorView {
    const char *name = nullptr;  // points into the model's tensor table
    TensorType type = TensorType::F32;
    uint64_t cols = 0;           // ne[0]: elements per row
    uint64_t rows = 0;           // ne[1] (1 for vectors)
    const uint8_t *data = nullptr;
    size_t row_bytes = 0;

    explicit operator bool() const { return data != nullptr; }
    const uint8_t *row(uint64_t i) const { return data + i * row_bytes; }
};

struct LayerWeights {
    TensorView attn_norm;
    TensorView wq, wk, wv;    // separate projections (llama, qwen2)
    TensorView bq, bk, bv;    // biases (qwen2)
    TensorView wqkv;          // fused [q | k | v] projection (phi3)
    TensorView wo;
    TensorView ffn_norm;
    TensorView ffn_gate, ffn_up;  // separate (llama, qwen2)
    TensorView ffn_gate_up;       // fused [gate | up] (phi3)
    TensorView ffn_down;
};

struct ModelWeights {
    TensorView token_embd;
    TensorView output_norm;
    TensorView output;            // the token embedding itself when tied
    TensorView rope_freqs;        // Llama-3 frequency factors, [n_rot / 2]
    TensorView rope_factors_long, rope_factors_short;  // phi3 LongRoPE
    std::vector<LayerWeights> layers;
};

/// Binds every weight the architecture needs; throws LQ_ERR_MODEL_FORMAT
/// naming the tensor when one is missing or has the wrong shape, and
/// LQ_ERR_UNSUPPORTED when a tensor's type cannot be computed.
ModelWeights bind_weights(const GgufFile &gguf, const HParams &hp);

}  // namespace lq
