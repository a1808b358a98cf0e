// WeightSource over a llama2.c checkpoint and its tokenizer.bin: the
// tensors get GGUF's llama names, the vocabulary becomes tokenizer.ggml.*.
#include <cstdio>
#include <cstring>

#include "core/error.h"
#include "format/llama2c.h"
#include "format/mapped_file.h"
#include "quantize/quantizer.h"
#include "quantize/sources.h"

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

class Llama2cSource final : public WeightSource {
public:
    Llama2cSource(const std::string &path, const std::string &tokenizer_path)
        : path_(path), file_(path, true), weights_(read_llama2c_checkpoint(file_)) {
        if (tokenizer_path.empty())
            fail(LQ_ERR_INVALID_ARGUMENT, "a llama2.c checkpoint needs its tokenizer.bin (--tokenizer)");
        MappedFile tokenizer_file(tokenizer_path, true);
        tokens_ = read_llama2c_tokenizer(tokenizer_file, weights_.config.vocab_size);
        plan_tensors();
    }

    ~Llama2cSource() override {
        if (!temporary_.empty()) std::remove(temporary_.c_str());
    }

    const char *format_name() const override { return "llama2.c checkpoint"; }
    const std::vector<Tensor> &tensors() const override { return tensors_; }

    void write_metadata(GgufWriter &writer) const override {
        const Llama2cConfig &c = weights_.config;
        writer.set_string("general.architecture", "llama");
        writer.set_string("general.name", base_name(path_));
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
        for (size_t i = 0; i < tokens_.size(); ++i) {
            pieces.push_back(piece_from_llama2c(tokens_[i].text));
            scores.push_back(tokens_[i].score);
            int32_t type = kNormal;
            if (i == 0 && pieces[i] == "<unk>") type = kUnknown;
            else if (i == 1 || i == 2) type = kControl;  // llama2.c's BOS and EOS
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
    }

    void read_rows(size_t index, uint64_t first, uint64_t count, float *out) const override {
        const Tensor &t = tensors_[index];
        std::memcpy(out, data_[index] + first * t.cols(), static_cast<size_t>(count * t.cols()) * sizeof(float));
    }

    const uint8_t *stored_bytes(size_t index) const override {
        return reinterpret_cast<const uint8_t *>(data_[index]);
    }

    std::string runnable_gguf_path(const std::string &scratch_path) const override {
        if (temporary_.empty()) {
            QuantizeOptions keep;
            keep.target = "f32";
            write_quantized_model(*this, scratch_path, keep);
            temporary_ = scratch_path;
        }
        return temporary_;
    }

private:
    void add(const std::string &name, const float *data, uint64_t cols, uint64_t rows) {
        Tensor t{name, TensorType::F32, rows ? 2u : 1u, {cols, rows ? rows : 1, 1, 1}};
        tensors_.push_back(t);
        data_.push_back(data);
    }

    void plan_tensors() {
        const Llama2cWeights &w = weights_;
        const Llama2cConfig &c = w.config;
        add("token_embd.weight", w.token_embedding, c.dim, c.vocab_size);
        add("output_norm.weight", w.rms_final, c.dim, 0);
        if (!c.shared_classifier) add("output.weight", w.classifier, c.dim, c.vocab_size);
        for (uint32_t l = 0; l < c.n_layers; ++l) {
            const std::string p = "blk." + std::to_string(l) + ".";
            add(p + "attn_norm.weight", w.rms_att[l], c.dim, 0);
            add(p + "attn_q.weight", w.wq[l], c.dim, c.dim);
            add(p + "attn_k.weight", w.wk[l], c.dim, c.kv_dim());
            add(p + "attn_v.weight", w.wv[l], c.dim, c.kv_dim());
            add(p + "attn_output.weight", w.wo[l], c.dim, c.dim);
            add(p + "ffn_norm.weight", w.rms_ffn[l], c.dim, 0);
            add(p + "ffn_gate.weight", w.w1[l], c.dim, c.hidden_dim);
            add(p + "ffn_down.weight", w.w2[l], c.hidden_dim, c.dim);
            add(p + "ffn_up.weight", w.w3[l], c.dim, c.hidden_dim);
        }
    }

    std::string path_;
    MappedFile file_;
    Llama2cWeights weights_;
    std::vector<Llama2cToken> tokens_;
    std::vector<Tensor> tensors_;
    std::vector<const float *> data_;
    mutable std::string temporary_;
};

}  // namespace

std::unique_ptr<WeightSource> open_llama2c_source(const std::string &path, const std::string &tokenizer_path) {
    return std::make_unique<Llama2cSource>(path, tokenizer_path);
}

}  // namespace lq
