#include "quantize/policy.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "core/error.h"

namespace lq {
namespace {

using T = TensorType;

// GGUF's general.file_type values (the "ftype" enum of the format's tools).
enum FileType : uint32_t {
    kAllF32 = 0, kF16 = 1, kQ4_0 = 2, kQ4_1 = 3, kQ8_0 = 7, kQ5_0 = 8, kQ5_1 = 9, kQ2_K = 10, kQ3_K_S = 11,
    kQ3_K_M = 12, kQ4_K_S = 14, kQ4_K_M = 15, kQ5_K_S = 16, kQ5_K_M = 17, kQ6_K = 18, kIQ4_NL = 25, kIQ4_XS = 30,
    kBF16 = 32,
};

using Mix = QuantPolicy::Mix;

// A mix with one type everywhere.
constexpr Mix uniform(const char *name, T t, uint32_t file_type, bool portable = true) {
    return Mix{name, t, t, t, t, t, t, t, t, t, t, file_type, portable};
}

// The named mixes. The K mixes keep the output at 6 bits and attention V and
// the edge layers' down projections wider; the lq mixes use libquant's
// ragged types where GGUF's blocks do not fit a row, so that no tensor has to
// fall back to 16 bits. lq-int4 uses the non-linear types with one-byte
// scales and spends its bits where measurement on stories260K put the
// error: 5.25 bits for keys, the feed-forward matrices and the output, 4.25
// for queries, values, the attention output and the embedding, under 5.0
// bits per weight on average (docs/quantization.md).
const Mix kMixes[] = {
    uniform("f32", T::F32, kAllF32),
    uniform("f16", T::F16, kF16),
    uniform("bf16", T::BF16, kBF16),
    uniform("q8_0", T::Q8_0, kQ8_0),
    uniform("q5_1", T::Q5_1, kQ5_1),
    uniform("q5_0", T::Q5_0, kQ5_0),
    uniform("q4_1", T::Q4_1, kQ4_1),
    uniform("q4_0", T::Q4_0, kQ4_0),
    uniform("iq4_nl", T::IQ4_NL, kIQ4_NL),
    uniform("iq4_xs", T::IQ4_XS, kIQ4_XS),
    uniform("q6_k", T::Q6_K, kQ6_K),
    //  name       q         k         v         o         gate      up        down      down(edge) embedding output
    {"q5_k_m", T::Q5_K, T::Q5_K, T::Q6_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q6_K, T::Q5_K, T::Q6_K, kQ5_K_M, true},
    {"q5_k_s", T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q5_K, T::Q6_K, kQ5_K_S, true},
    {"q4_k_m", T::Q4_K, T::Q4_K, T::Q6_K, T::Q4_K, T::Q4_K, T::Q4_K, T::Q4_K, T::Q6_K, T::Q4_K, T::Q6_K, kQ4_K_M, true},
    {"q4_k_s", T::Q4_K, T::Q4_K, T::Q5_K, T::Q4_K, T::Q4_K, T::Q4_K, T::Q4_K, T::Q5_K, T::Q4_K, T::Q6_K, kQ4_K_S, true},
    {"q3_k_m", T::Q3_K, T::Q3_K, T::Q4_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q4_K, T::Q3_K, T::Q6_K, kQ3_K_M, true},
    {"q3_k_s", T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q3_K, T::Q6_K, kQ3_K_S, true},
    {"q2_k", T::Q2_K, T::Q2_K, T::Q4_K, T::Q2_K, T::Q2_K, T::Q2_K, T::Q2_K, T::Q4_K, T::Q2_K, T::Q6_K, kQ2_K, true},
    // libquant's mixes (not loadable by other runtimes when a row is ragged).
    uniform("lq-int8", T::Q8_0, kQ8_0, false),
    {"lq-int4", T::LQ_NL4, T::LQ_NL5, T::LQ_NL4, T::LQ_NL4, T::LQ_NL5, T::LQ_NL5, T::LQ_NL5, T::LQ_NL5, T::LQ_NL4,
     T::LQ_NL5, kQ5_0, false},
    uniform("lq-int4-g32", T::LQ_I4_G32, kQ4_1, false),
    uniform("lq-int4-g64", T::LQ_I4_G64, kQ4_1, false),
    uniform("lq-int4-g128", T::LQ_I4_G128, kQ4_1, false),
    uniform("lq-int8-row", T::LQ_I8_ROW, kQ8_0, false),
};

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool ends_with(const std::string &s, const char *suffix) {
    const size_t n = std::strlen(suffix);
    return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}


// Bits per weight of a type (for the width fallbacks, which keep at least
// as many bits as the type they replace).
double bits_of(T type) {
    const TypeInfo &info = *type_info(type);
    return info.ragged ? info.bits + 8.0 * info.group_header / info.block_size
                       : 8.0 * info.type_size / info.block_size;
}

}  // namespace

QuantPolicy::QuantPolicy(const std::string &target, std::vector<TensorOverride> overrides, uint32_t n_layer)
    : target_(lower(target)), overrides_(std::move(overrides)), n_layer_(n_layer) {
    for (const Mix &mix : kMixes) {
        if (target_ != mix.name) continue;
        mix_ = mix;
        break;
    }
    if (!mix_.name) {
        // Not a mix: a single type for every matrix.
        TensorType type;
        if (!type_from_name(target_.c_str(), &type))
            fail(LQ_ERR_INVALID_ARGUMENT, "unknown quantization target '%s'", target.c_str());
        const bool portable = static_cast<uint32_t>(type) < kFirstLibquantType;
        mix_ = uniform("", type, type == T::F16 ? kF16 : type == T::BF16 ? kBF16 : kQ8_0, portable);
        mix_.name = nullptr;
    }
    file_type_ = mix_.file_type;
    portable_ = mix_.portable;
    for (const TensorOverride &o : overrides_)
        if (static_cast<uint32_t>(o.type) >= kFirstLibquantType) portable_ = false;
}

std::vector<std::string> QuantPolicy::mix_names() {
    std::vector<std::string> names;
    for (const Mix &mix : kMixes) names.emplace_back(mix.name);
    return names;
}

TensorType QuantPolicy::role_type(const std::string &name, uint32_t layer, bool has_layer) const {
    if (name == "token_embd.weight") return mix_.embedding;
    if (name == "output.weight") return mix_.output;
    // The first and last eighth of the layers (at least one each) are the
    // most sensitive to quantization error.
    const uint32_t edge = std::max<uint32_t>(1, n_layer_ / 8);
    const bool edge_layer = has_layer && (layer < edge || layer + edge >= n_layer_);
    if (ends_with(name, ".attn_q.weight")) return mix_.attn_q;
    if (ends_with(name, ".attn_k.weight")) return mix_.attn_k;
    if (ends_with(name, ".attn_v.weight")) return mix_.attn_v;
    if (ends_with(name, ".attn_qkv.weight")) return mix_.attn_v;  // fused: the widest of the three
    if (ends_with(name, ".attn_output.weight")) return mix_.attn_output;
    if (ends_with(name, ".ffn_gate.weight")) return mix_.ffn_gate;
    if (ends_with(name, ".ffn_up.weight")) return mix_.ffn_up;
    if (ends_with(name, ".ffn_down.weight")) return edge_layer ? mix_.ffn_down_edge : mix_.ffn_down;
    return mix_.attn_q;
}

TensorType QuantPolicy::fit_width(TensorType type, uint64_t cols, std::string *reason) const {
    const TensorType wanted = type;
    // K-quants and IQ4_XS need rows of 256: try the 32-element type of at
    // least as many bits.
    if (!row_fits(*type_info(type), cols)) {
        switch (type) {
        case T::Q2_K:
        case T::Q3_K:
        case T::IQ4_XS: type = T::IQ4_NL; break;
        case T::Q4_K: type = T::Q5_0; break;
        case T::Q5_K: type = T::Q5_1; break;
        case T::Q6_K: type = T::Q8_0; break;
        default: break;
        }
    }
    // Rows that no block fits: a float type in portable files, otherwise
    // libquant's ragged type of at least as many bits.
    if (!row_fits(*type_info(type), cols)) {
        if (portable_) type = T::F16;
        else type = bits_of(type) > 6.0 ? T::LQ_I8_ROW : T::LQ_I4_G32;
    }
    if (type != wanted)
        *reason = std::string("fallback: rows of ") + std::to_string(cols) + " do not fit " + type_name(wanted);
    return type;
}

TensorDecision QuantPolicy::choose(const std::string &name, uint32_t n_dims, uint64_t cols) const {
    TensorDecision d{T::F32, "vector"};
    if (n_dims < 2) return d;  // norms and biases stay F32
    uint32_t layer = 0;
    const bool has_layer = layer_of(name, &layer);
    d.type = role_type(name, layer, has_layer);
    d.reason = "mix";
    for (const TensorOverride &o : overrides_) {
        if (fnmatch(o.pattern.c_str(), name.c_str(), 0) == 0) {
            d.type = o.type;
            d.reason = "override " + o.pattern;
        }
    }
    std::string why;
    d.type = fit_width(d.type, cols, &why);
    if (!why.empty()) d.reason = why;
    return d;
}

bool layer_of(const std::string &name, uint32_t *layer) {
    if (name.compare(0, 4, "blk.") != 0) return false;
    char *end = nullptr;
    const unsigned long v = std::strtoul(name.c_str() + 4, &end, 10);
    if (end == name.c_str() + 4 || *end != '.') return false;
    *layer = static_cast<uint32_t>(v);
    return true;
}

TensorOverride parse_override(const std::string &text) {
    const size_t eq = text.rfind('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        fail(LQ_ERR_INVALID_ARGUMENT, "tensor override '%s' is not PATTERN=TYPE", text.c_str());
    TensorOverride o;
    o.pattern = text.substr(0, eq);
    const std::string type = text.substr(eq + 1);
    if (!type_from_name(type.c_str(), &o.type))
        fail(LQ_ERR_INVALID_ARGUMENT, "tensor override '%s': unknown type '%s'", text.c_str(), type.c_str());
    return o;
}

}  // namespace lq
