// Which type each tensor of a model is written in: the named mixes, the
// rule that keeps sensitive tensors wider, the user's per-pattern
// overrides, and the fallbacks for rows that a type's blocks do not fit.
// docs/quantization.md states the policy in words; this file is its code.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/types.h"

namespace lq {

/// A tensor override: tensors whose name matches the glob @p pattern
/// (fnmatch syntax: "*.attn_v.weight", "blk.0.*") are written as @p type.
struct TensorOverride {
    std::string pattern;
    TensorType type;
};

struct TensorDecision {
    TensorType type;
    std::string reason;  // why this type, for the report ("mix", "sensitive", "override", "fallback: ...")
};

class QuantPolicy {
public:
    /// Types by role. The "edge" type applies to the down projections of the
    /// first and last eighth of the layers (at least one each), the most
    /// sensitive to rounding.
    struct Mix {
        const char *name;
        TensorType attn_q, attn_k, attn_v, attn_output, ffn_gate, ffn_up, ffn_down, ffn_down_edge, embedding, output;
        uint32_t file_type;  // general.file_type
        bool portable;       // standard GGUF types only (F16 when blocks do not fit)
    };

    /// @p target: a mix ("q4_k_m", "lq-int4", ...) or a single type name
    /// ("q8_0", "f16", "lq_i4_g64"). Throws LQ_ERR_INVALID_ARGUMENT when
    /// unknown. @p n_layer decides which layers are "first" and "last".
    QuantPolicy(const std::string &target, std::vector<TensorOverride> overrides, uint32_t n_layer);

    /// The type of tensor @p name with @p n_dims dimensions and rows of @p cols.
    TensorDecision choose(const std::string &name, uint32_t n_dims, uint64_t cols) const;

    /// The value of general.file_type for the file (the GGUF file-type enum).
    uint32_t file_type() const { return file_type_; }
    const std::string &target() const { return target_; }
    /// True when every type the policy may choose is a standard GGUF type.
    bool portable() const { return portable_; }

    /// Names of the mixes, for messages and docs.
    static std::vector<std::string> mix_names();

private:
    TensorType role_type(const std::string &name, uint32_t layer, bool has_layer) const;
    TensorType fit_width(TensorType type, uint64_t cols, std::string *reason) const;

    std::string target_;
    std::vector<TensorOverride> overrides_;
    uint32_t n_layer_;
    uint32_t file_type_ = 0;
    bool portable_ = true;
    Mix mix_{};
};

/// The block index of a tensor name ("blk.12.attn_v.weight" -> 12); false
/// for tensors outside the blocks.
bool layer_of(const std::string &name, uint32_t *layer);

/// Parses "PATTERN=TYPE" into an override; throws LQ_ERR_INVALID_ARGUMENT.
TensorOverride parse_override(const std::string &text);

}  // namespace lq
