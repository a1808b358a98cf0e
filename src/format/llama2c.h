// Readers of llama2.c files: model checkpoints (the legacy "version 0"
// layout and the "version 1" export with its 256-byte header) and the
// tokenizer.bin vocabulary. They parse and validate; they compute nothing.
//
// Legacy checkpoint: 7 x int32 (dim, hidden_dim, n_layers, n_heads,
// n_kv_heads, vocab_size, seq_len; a negative vocab_size means the output
// classifier is stored separately), then F32 arrays:
//   token_embedding [vocab][dim], rms_att [L][dim], wq [L][dim][dim],
//   wk [L][kv_dim][dim], wv [L][kv_dim][dim], wo [L][dim][dim],
//   rms_ffn [L][dim], w1 [L][hidden][dim], w2 [L][dim][hidden],
//   w3 [L][hidden][dim], rms_final [dim], freq_cis_real [seq][head/2],
//   freq_cis_imag [seq][head/2], then wcls [vocab][dim] when not shared.
// Version 1: u32 magic "ak42" (0x616b3432), i32 version 1, the 7 int32,
// u8 shared_classifier, zero padding to 256 bytes, then F32 arrays:
//   rms_att [L][dim], rms_ffn [L][dim], rms_final [dim],
//   token_embedding [vocab][dim], wq, wk, wv, wo, w1, w2, w3 (per layer
//   each, as above), then wcls when not shared.
// Matrices are row-major [out][in], the layout GGUF uses too.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "format/mapped_file.h"

namespace lq {

struct Llama2cConfig {
    uint32_t dim = 0, hidden_dim = 0, n_layers = 0, n_heads = 0, n_kv_heads = 0, vocab_size = 0, seq_len = 0;
    bool shared_classifier = true;
    uint32_t version = 0;  // 0 (legacy) or 1

    uint32_t head_size() const { return dim / n_heads; }
    uint32_t kv_dim() const { return head_size() * n_kv_heads; }
};

/// Views of the weights of a checkpoint, per layer; pointers into the file.
struct Llama2cWeights {
    Llama2cConfig config;
    const float *token_embedding = nullptr;
    std::vector<const float *> rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3;
    const float *rms_final = nullptr;
    const float *classifier = nullptr;  // == token_embedding when shared
};

/// True when @p data starts like a llama2.c checkpoint of either layout.
bool looks_like_llama2c(const uint8_t *data, size_t size);

/// Parses a checkpoint held in @p file (which must outlive the result).
/// Throws LQ_ERR_MODEL_FORMAT when the header is implausible or the size of
/// the file does not match what the header implies.
Llama2cWeights read_llama2c_checkpoint(const MappedFile &file);

struct Llama2cToken {
    std::string text;  // as stored (llama2.c writes ' ' for SentencePiece's U+2581)
    float score = 0.0f;
};

/// Parses a llama2.c tokenizer.bin of @p vocab_size entries. Throws
/// LQ_ERR_MODEL_FORMAT when it is malformed or does not end where it should.
std::vector<Llama2cToken> read_llama2c_tokenizer(const MappedFile &file, uint32_t vocab_size);

}  // namespace lq
