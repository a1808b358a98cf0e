#include "model/synth.h"

#include <algorithm>
#include <cstring>
#include <thread>

#include "core/error.h"
#include "core/half.h"
#include "core/random.h"
#include "format/gguf.h"
#include "format/gguf_writer.h"
#include "format/mapped_file.h"

namespace lq {
namespace {

struct Preset {
    const char *name;
    const char *arch;
    uint32_t n_embd, n_ff, n_layer, n_head, n_head_kv, n_ctx;
    float rope_base, rms_eps;
    bool tied_output;
    bool qkv_bias;   // qwen2
    bool fused;      // phi3: fused QKV and gate|up
};

// Shapes of well-known models (the vocabulary size comes from the vocab file).
const Preset kPresets[] = {
    // Small models whose rows fit every block size (256), one per architecture.
    {"tiny", "llama", 256, 768, 4, 4, 2, 512, 10000.0f, 1e-5f, false, false, false},
    {"tiny-qwen2", "qwen2", 256, 768, 4, 4, 2, 512, 1000000.0f, 1e-6f, true, true, false},
    {"tiny-phi3", "phi3", 256, 768, 4, 4, 4, 512, 10000.0f, 1e-5f, false, false, true},
    {"1b", "llama", 2048, 5632, 22, 32, 4, 2048, 10000.0f, 1e-5f, false, false, false},       // TinyLlama-1.1B
    {"7b", "llama", 4096, 11008, 32, 32, 32, 4096, 10000.0f, 1e-5f, false, false, false},     // Llama-2-7B
    {"qwen2-0.5b", "qwen2", 896, 4864, 24, 14, 2, 32768, 1000000.0f, 1e-6f, true, true, false},  // Qwen2.5-0.5B
    {"phi3-mini", "phi3", 3072, 8192, 32, 32, 32, 4096, 10000.0f, 1e-5f, false, false, true},    // Phi-3-mini-4k
};

const Preset &find_preset(const std::string &name) {
    for (const Preset &p : kPresets)
        if (name == p.name) return p;
    std::string known;
    for (const Preset &p : kPresets) known += std::string(known.empty() ? "" : ", ") + p.name;
    fail(LQ_ERR_INVALID_ARGUMENT, "unknown preset '%s' (known: %s)", name.c_str(), known.c_str());
}

struct Planned {
    std::string name;
    uint64_t cols, rows;  // rows == 0: a vector
    bool ones;            // norm weights are 1
};

std::vector<Planned> plan_tensors(const Preset &p, uint64_t n_vocab) {
    const uint64_t head_dim = p.n_embd / p.n_head;
    const uint64_t n_q = p.n_embd, n_kv = head_dim * p.n_head_kv;
    std::vector<Planned> t;
    t.push_back({"token_embd.weight", p.n_embd, n_vocab, false});
    t.push_back({"output_norm.weight", p.n_embd, 0, true});
    if (!p.tied_output) t.push_back({"output.weight", p.n_embd, n_vocab, false});
    for (uint32_t l = 0; l < p.n_layer; ++l) {
        const std::string b = "blk." + std::to_string(l) + ".";
        t.push_back({b + "attn_norm.weight", p.n_embd, 0, true});
        if (p.fused) {
            t.push_back({b + "attn_qkv.weight", p.n_embd, n_q + 2 * n_kv, false});
        } else {
            t.push_back({b + "attn_q.weight", p.n_embd, n_q, false});
            t.push_back({b + "attn_k.weight", p.n_embd, n_kv, false});
            t.push_back({b + "attn_v.weight", p.n_embd, n_kv, false});
            if (p.qkv_bias) {
                t.push_back({b + "attn_q.bias", n_q, 0, false});
                t.push_back({b + "attn_k.bias", n_kv, 0, false});
                t.push_back({b + "attn_v.bias", n_kv, 0, false});
            }
        }
        t.push_back({b + "attn_output.weight", n_q, p.n_embd, false});
        t.push_back({b + "ffn_norm.weight", p.n_embd, 0, true});
        if (p.fused) {
            t.push_back({b + "ffn_up.weight", p.n_embd, 2 * uint64_t(p.n_ff), false});
        } else {
            t.push_back({b + "ffn_gate.weight", p.n_embd, p.n_ff, false});
            t.push_back({b + "ffn_up.weight", p.n_embd, p.n_ff, false});
        }
        t.push_back({b + "ffn_down.weight", p.n_ff, p.n_embd, false});
    }
    return t;
}

// Fills rows [r0, r1) of a tensor; each row has its own generator so the
// result does not depend on how rows are split over threads.
void fill_rows(const Planned &t, const SynthOptions &o, uint64_t r0, uint64_t r1, uint8_t *out, size_t row_bytes) {
    std::vector<float> row(t.cols);
    const uint64_t base_seed = hash_string(t.name.c_str(), o.seed);
    const TensorType type = t.rows ? o.matrix_type : TensorType::F32;
    for (uint64_t r = r0; r < r1; ++r) {
        Random random(base_seed + r * 0x9E3779B97F4A7C15ull);
        for (uint64_t i = 0; i < t.cols; ++i)
            row[i] = t.ones ? 1.0f : static_cast<float>(random.normal() * o.std);
        uint8_t *dst = out + (r - r0) * row_bytes;
        if (type == TensorType::F32) {
            std::memcpy(dst, row.data(), row_bytes);
        } else {
            auto *h = reinterpret_cast<uint16_t *>(dst);
            for (uint64_t i = 0; i < t.cols; ++i)
                h[i] = type == TensorType::F16 ? float_to_half(row[i]) : float_to_bf16(row[i]);
        }
    }
}

}  // namespace

std::vector<std::string> synth_presets() {
    std::vector<std::string> names;
    for (const Preset &p : kPresets) names.emplace_back(p.name);
    return names;
}

void synth_model(const std::string &output_path, const SynthOptions &o) {
    const Preset &p = find_preset(o.preset);
    if (o.matrix_type != TensorType::F32 && o.matrix_type != TensorType::F16 && o.matrix_type != TensorType::BF16)
        fail(LQ_ERR_INVALID_ARGUMENT, "synthetic models are written in f32, f16 or bf16, not %s", type_name(o.matrix_type));
    if (!(o.std > 0.0f)) fail(LQ_ERR_INVALID_ARGUMENT, "the weight deviation must be positive");
    if (o.vocab_path.empty()) fail(LQ_ERR_INVALID_ARGUMENT, "a vocabulary GGUF is needed");

    MappedFile vocab_file(o.vocab_path, true);
    const GgufFile vocab = GgufFile::parse(vocab_file.data(), vocab_file.size());
    const GgufValue *tokens = vocab.get_array("tokenizer.ggml.tokens", GgufType::STRING);
    if (!tokens || tokens->count == 0) fail(LQ_ERR_MODEL_FORMAT, "'%s' has no tokenizer.ggml.tokens", o.vocab_path.c_str());

    GgufWriter writer;
    const std::string arch = p.arch;
    writer.set_string("general.architecture", arch);
    writer.set_string("general.name", std::string("synthetic ") + p.name);
    writer.set_u32("general.file_type", o.matrix_type == TensorType::F32 ? 0 : o.matrix_type == TensorType::F16 ? 1 : 32);
    writer.set_u32(arch + ".context_length", p.n_ctx);
    writer.set_u32(arch + ".embedding_length", p.n_embd);
    writer.set_u32(arch + ".feed_forward_length", p.n_ff);
    writer.set_u32(arch + ".block_count", p.n_layer);
    writer.set_u32(arch + ".attention.head_count", p.n_head);
    writer.set_u32(arch + ".attention.head_count_kv", p.n_head_kv);
    writer.set_u32(arch + ".rope.dimension_count", p.n_embd / p.n_head);
    writer.set_f32(arch + ".rope.freq_base", p.rope_base);
    writer.set_f32(arch + ".attention.layer_norm_rms_epsilon", p.rms_eps);
    // Phi-3 declares a sliding attention window (Phi-3-mini-4k: 2047 tokens).
    if (p.fused) writer.set_u32(arch + ".attention.sliding_window", p.n_ctx > 2048 ? 2047 : p.n_ctx);
    for (const GgufKv &kv : vocab.kvs())
        if (kv.key.compare(0, 10, "tokenizer.") == 0) writer.set_value(kv.key, kv.value);

    const std::vector<Planned> plan = plan_tensors(p, tokens->count);
    for (const Planned &t : plan) {
        const uint64_t ne[2] = {t.cols, t.rows};
        writer.add_tensor(t.name, t.rows ? o.matrix_type : TensorType::F32, t.rows ? 2 : 1, ne);
    }
    writer.begin(output_path);
    const unsigned n_threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<uint8_t> buffer;
    uint64_t done = 0, total = 0;
    for (const Planned &t : plan) total += t.cols * (t.rows ? t.rows : 1);
    for (size_t i = 0; i < plan.size(); ++i) {
        const Planned &t = plan[i];
        if (o.progress && !o.progress(static_cast<float>(double(done) / double(total))))
            fail(LQ_ERR_CANCELLED, "writing the model was cancelled");
        const uint64_t rows = t.rows ? t.rows : 1;
        const size_t row_bytes = static_cast<size_t>(writer.tensor_bytes(i) / rows);
        // Generate in slices of rows so memory stays bounded for big tensors.
        const uint64_t slice = std::max<uint64_t>(1, (uint64_t(64) << 20) / row_bytes);
        for (uint64_t r0 = 0; r0 < rows; r0 += slice) {
            const uint64_t r1 = std::min(rows, r0 + slice);
            buffer.resize(static_cast<size_t>((r1 - r0) * row_bytes));
            std::vector<std::thread> workers;
            const uint64_t per = (r1 - r0 + n_threads - 1) / n_threads;
            for (unsigned w = 0; w < n_threads; ++w) {
                const uint64_t a = r0 + w * per, b = std::min(r1, a + per);
                if (a >= b) break;
                workers.emplace_back(fill_rows, std::cref(t), std::cref(o), a, b, buffer.data() + (a - r0) * row_bytes,
                                     row_bytes);
            }
            for (std::thread &w : workers) w.join();
            writer.write_tensor_data(buffer.data(), buffer.size());
        }
        done += t.cols * rows;
    }
    writer.finish();
    if (o.progress) o.progress(1.0f);
}

}  // namespace lq
