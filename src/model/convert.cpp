#include "model/convert.h"

#include <vector>

#include "core/error.h"
#include "core/half.h"
#include "format/gguf_writer.h"
#include "format/llama2c.h"
#include "format/mapped_file.h"

namespace lq {
namespace {

// SentencePiece token types as GGUF records them.
enum TokenType : int32_t { kNormal = 1, kUnknown = 2, kControl = 3, kByte = 6 };

bool is_byte_token(const std::string &text) {
    auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); };
    return text.size() == 6 && text.compare(0, 3, "<0x") == 0 && hex(text[3]) && hex(text[4]) && text[5] == '>';
}

// llama2.c stores SentencePiece pieces with U+2581 turned into ' ', and BOS
// and EOS as "\n<s>\n" and "\n</s>\n"; GGUF keeps the original pieces.
std::string piece_from_llama2c(const std::string &text) {
    if (text == "\n<s>\n") return "<s>";
    if (text == "\n</s>\n") return "</s>";
    std::string out;
    for (char c : text) {
        if (c == ' ') out += "\xE2\x96\x81";
        else out += c;
    }
    return out;
}

std::string base_name(const std::string &path) {
    const size_t slash = path.find_last_of('/');
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    const size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

struct PendingTensor {
    std::string name;
    const float *data;
    uint64_t cols, rows;  // rows == 0: a vector
};

void write_matrix_data(GgufWriter &writer, const PendingTensor &t, TensorType type) {
    const uint64_t n = t.cols * (t.rows ? t.rows : 1);
    if (type == TensorType::F32) {
        writer.write_tensor_data(t.data, static_cast<size_t>(n * sizeof(float)));
        return;
    }
    std::vector<uint16_t> converted(static_cast<size_t>(t.cols));
    for (uint64_t r = 0; r < (t.rows ? t.rows : 1); ++r) {
        const float *row = t.data + r * t.cols;
        for (uint64_t i = 0; i < t.cols; ++i)
            converted[i] = type == TensorType::F16 ? float_to_half(row[i]) : float_to_bf16(row[i]);
        writer.write_tensor_data(converted.data(), converted.size() * sizeof(uint16_t));
    }
}

void convert_llama2c(const std::string &input_path, const std::string &output_path, const ConvertOptions &options) {
    if (options.tokenizer_path.empty())
        fail(LQ_ERR_INVALID_ARGUMENT, "converting a llama2.c checkpoint needs its tokenizer.bin (--tokenizer)");
    MappedFile checkpoint(input_path, true);
    const Llama2cWeights w = read_llama2c_checkpoint(checkpoint);
    const Llama2cConfig &c = w.config;
    MappedFile tokenizer_file(options.tokenizer_path, true);
    const std::vector<Llama2cToken> tokens = read_llama2c_tokenizer(tokenizer_file, c.vocab_size);

    GgufWriter writer;
    writer.set_string("general.architecture", "llama");
    writer.set_string("general.name", options.name.empty() ? base_name(input_path) : options.name);
    writer.set_u32("general.file_type", options.matrix_type == TensorType::F32 ? 0 : options.matrix_type == TensorType::F16 ? 1 : 32);
    writer.set_u32("llama.context_length", c.seq_len);
    writer.set_u32("llama.embedding_length", c.dim);
    writer.set_u32("llama.feed_forward_length", c.hidden_dim);
    writer.set_u32("llama.attention.head_count", c.n_heads);
    writer.set_u32("llama.attention.head_count_kv", c.n_kv_heads);
    writer.set_u32("llama.block_count", c.n_layers);
    writer.set_u32("llama.rope.dimension_count", c.head_size());
    writer.set_f32("llama.attention.layer_norm_rms_epsilon", 1e-5f);

    std::vector<std::string> pieces;
    std::vector<float> scores;
    std::vector<int32_t> types;
    for (size_t i = 0; i < tokens.size(); ++i) {
        pieces.push_back(piece_from_llama2c(tokens[i].text));
        scores.push_back(tokens[i].score);
        int32_t type = kNormal;
        if (i == 0 && pieces[i] == "<unk>") type = kUnknown;
        else if (i == 1 || i == 2) type = kControl;
        else if (is_byte_token(pieces[i])) type = kByte;
        types.push_back(type);
    }
    writer.set_string("tokenizer.ggml.model", "llama");
    writer.set_string_array("tokenizer.ggml.tokens", pieces);
    writer.set_array("tokenizer.ggml.scores", GgufType::FLOAT32, scores.data(), scores.size());
    writer.set_array("tokenizer.ggml.token_type", GgufType::INT32, types.data(), types.size());
    writer.set_u32("tokenizer.ggml.unknown_token_id", 0);
    writer.set_u32("tokenizer.ggml.bos_token_id", 1);
    writer.set_u32("tokenizer.ggml.eos_token_id", 2);

    std::vector<PendingTensor> pending;
    pending.push_back({"token_embd.weight", w.token_embedding, c.dim, c.vocab_size});
    pending.push_back({"output_norm.weight", w.rms_final, c.dim, 0});
    if (!c.shared_classifier) pending.push_back({"output.weight", w.classifier, c.dim, c.vocab_size});
    for (uint32_t l = 0; l < c.n_layers; ++l) {
        const std::string p = "blk." + std::to_string(l) + ".";
        pending.push_back({p + "attn_norm.weight", w.rms_att[l], c.dim, 0});
        pending.push_back({p + "attn_q.weight", w.wq[l], c.dim, c.dim});
        pending.push_back({p + "attn_k.weight", w.wk[l], c.dim, c.kv_dim()});
        pending.push_back({p + "attn_v.weight", w.wv[l], c.dim, c.kv_dim()});
        pending.push_back({p + "attn_output.weight", w.wo[l], c.dim, c.dim});
        pending.push_back({p + "ffn_norm.weight", w.rms_ffn[l], c.dim, 0});
        pending.push_back({p + "ffn_gate.weight", w.w1[l], c.dim, c.hidden_dim});
        pending.push_back({p + "ffn_down.weight", w.w2[l], c.hidden_dim, c.dim});
        pending.push_back({p + "ffn_up.weight", w.w3[l], c.dim, c.hidden_dim});
    }
    for (const PendingTensor &t : pending) {
        const uint64_t ne[2] = {t.cols, t.rows};
        writer.add_tensor(t.name, t.rows ? options.matrix_type : TensorType::F32, t.rows ? 2 : 1, ne);
    }
    writer.begin(output_path);
    for (size_t i = 0; i < pending.size(); ++i) {
        if (options.progress && !options.progress(static_cast<float>(i) / static_cast<float>(pending.size())))
            fail(LQ_ERR_CANCELLED, "conversion was cancelled");
        write_matrix_data(writer, pending[i], pending[i].rows ? options.matrix_type : TensorType::F32);
    }
    writer.finish();
    if (options.progress) options.progress(1.0f);
}

}  // namespace

void convert_model(const std::string &input_path, const std::string &output_path, const ConvertOptions &options) {
    if (options.matrix_type != TensorType::F32 && options.matrix_type != TensorType::F16 &&
        options.matrix_type != TensorType::BF16)
        fail(LQ_ERR_INVALID_ARGUMENT, "conversion writes f32, f16 or bf16 weights, not %s", type_name(options.matrix_type));
    MappedFile probe(input_path, true);
    if (looks_like_llama2c(probe.data(), probe.size())) {
        convert_llama2c(input_path, output_path, options);
        return;
    }
    fail(LQ_ERR_UNSUPPORTED, "'%s' is not a format libquant converts (llama2.c checkpoints are)", input_path.c_str());
}

}  // namespace lq
