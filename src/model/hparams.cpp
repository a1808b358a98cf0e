#include "model/hparams.h"

#include "core/error.h"

namespace lq {
namespace {

// `<arch>.<suffix>` lookups with a readable failure for missing keys.
class ArchKeys {
public:
    ArchKeys(const GgufFile &gguf, const std::string &arch) : gguf_(gguf), arch_(arch) {}

    std::string key(const char *suffix) const { return arch_ + "." + suffix; }

    int64_t required_int(const char *suffix) const {
        const std::string k = key(suffix);
        if (!gguf_.find(k)) fail(LQ_ERR_MODEL_FORMAT, "model metadata lacks '%s'", k.c_str());
        return gguf_.get_int(k, 0);
    }
    int64_t optional_int(const char *suffix, int64_t fallback) const { return gguf_.get_int(key(suffix), fallback); }
    double optional_float(const char *suffix, double fallback) const { return gguf_.get_float(key(suffix), fallback); }
    std::string optional_string(const char *suffix) const { return std::string(gguf_.get_string(key(suffix))); }

private:
    const GgufFile &gguf_;
    const std::string &arch_;
};

uint32_t positive_u32(int64_t value, const std::string &what, int64_t limit = (1ll << 31)) {
    if (value <= 0 || value > limit)
        fail(LQ_ERR_MODEL_FORMAT, "model metadata '%s' = %lld is out of range", what.c_str(), static_cast<long long>(value));
    return static_cast<uint32_t>(value);
}

}  // namespace

Architecture architecture_from_name(const std::string &name) {
    if (name == "llama") return Architecture::Llama;
    if (name == "qwen2") return Architecture::Qwen2;
    if (name == "phi3") return Architecture::Phi3;
    if (name.empty()) fail(LQ_ERR_MODEL_FORMAT, "model has no general.architecture");
    fail(LQ_ERR_UNSUPPORTED, "architecture '%s' is not supported (supported: llama, qwen2, phi3)", name.c_str());
}

HParams read_hparams(const GgufFile &gguf, uint32_t n_vocab) {
    HParams hp;
    hp.arch_name = std::string(gguf.get_string("general.architecture"));
    hp.arch = architecture_from_name(hp.arch_name);
    const ArchKeys keys(gguf, hp.arch_name);

    hp.n_vocab = n_vocab;
    hp.n_embd = positive_u32(keys.required_int("embedding_length"), keys.key("embedding_length"), 1 << 20);
    hp.n_layer = positive_u32(keys.required_int("block_count"), keys.key("block_count"), 1 << 12);
    hp.n_head = positive_u32(keys.required_int("attention.head_count"), keys.key("attention.head_count"), 1 << 12);
    hp.n_head_kv = positive_u32(keys.optional_int("attention.head_count_kv", hp.n_head),
                                keys.key("attention.head_count_kv"), hp.n_head);
    if (hp.n_head % hp.n_head_kv != 0)
        fail(LQ_ERR_MODEL_FORMAT, "%u attention heads cannot be grouped over %u key/value heads", hp.n_head,
             hp.n_head_kv);
    hp.n_ff = positive_u32(keys.required_int("feed_forward_length"), keys.key("feed_forward_length"), 1 << 24);
    hp.n_ctx_train = positive_u32(keys.optional_int("context_length", 2048), keys.key("context_length"), 1 << 24);
    const int64_t default_head_dim = hp.n_embd / hp.n_head;
    hp.head_dim = positive_u32(keys.optional_int("attention.key_length", default_head_dim),
                               keys.key("attention.key_length"), 1 << 14);
    const int64_t value_length = keys.optional_int("attention.value_length", hp.head_dim);
    if (value_length != hp.head_dim)
        fail(LQ_ERR_UNSUPPORTED, "key width %u differs from value width %lld", hp.head_dim,
             static_cast<long long>(value_length));
    if (hp.head_dim % 2 != 0) fail(LQ_ERR_MODEL_FORMAT, "head width %u is odd", hp.head_dim);
    hp.rms_eps = static_cast<float>(keys.optional_float("attention.layer_norm_rms_epsilon", 1e-5));
    if (!(hp.rms_eps > 0.0f && hp.rms_eps < 1.0f))
        fail(LQ_ERR_MODEL_FORMAT, "%s is out of range", keys.key("attention.layer_norm_rms_epsilon").c_str());
    hp.n_swa = static_cast<uint32_t>(keys.optional_int("attention.sliding_window", 0));

    RopeParams &rope = hp.rope;
    rope.style = hp.arch == Architecture::Llama ? RopeStyle::Normal : RopeStyle::NeoX;
    rope.n_rot = positive_u32(keys.optional_int("rope.dimension_count", hp.head_dim), keys.key("rope.dimension_count"),
                              hp.head_dim);
    if (rope.n_rot % 2 != 0) fail(LQ_ERR_MODEL_FORMAT, "rotary dimension count %u is odd", rope.n_rot);
    rope.freq_base = static_cast<float>(keys.optional_float("rope.freq_base", 10000.0));
    if (!(rope.freq_base > 1.0f)) fail(LQ_ERR_MODEL_FORMAT, "%s must exceed 1", keys.key("rope.freq_base").c_str());
    double factor = keys.optional_float("rope.scaling.factor", 0.0);
    if (factor == 0.0) factor = keys.optional_float("rope.scale_linear", 0.0);
    if (factor < 0.0) fail(LQ_ERR_MODEL_FORMAT, "negative rope scaling factor");
    const std::string scaling = keys.optional_string("rope.scaling.type");
    rope.n_ctx_orig = static_cast<uint32_t>(keys.optional_int("rope.scaling.original_context_length", hp.n_ctx_train));
    rope.attn_factor = static_cast<float>(keys.optional_float("rope.scaling.attn_factor", 1.0));
    if (scaling.empty() || scaling == "none" || scaling == "linear" || scaling == "longrope") {
        // LongRoPE (phi3) scales through its per-dimension factor tensors.
        rope.freq_scale = (scaling == "none" || factor == 0.0) ? 1.0f : static_cast<float>(1.0 / factor);
    } else if (scaling == "yarn") {
        rope.freq_scale = factor == 0.0 ? 1.0f : static_cast<float>(1.0 / factor);
        rope.ext_factor = 1.0f;
    } else {
        fail(LQ_ERR_UNSUPPORTED, "rope scaling type '%s' is not supported", scaling.c_str());
    }
    return hp;
}

}  // namespace lq
