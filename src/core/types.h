// Tensor element types as numbered by the GGUF format (the `ggml_type` ids).
//
// The ids are part of the file format and never change. Ids that GGUF once
// used and later retired (4, 5, 31-33, 36-38) are known by name so that a file
// carrying them gets a precise error instead of "unknown type".
#pragma once

#include <cstddef>
#include <cstdint>

namespace lq {

enum class TensorType : uint32_t {
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q4_2_REMOVED = 4,
    Q4_3_REMOVED = 5,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    Q4_0_4_4_REMOVED = 31,
    Q4_0_4_8_REMOVED = 32,
    Q4_0_8_8_REMOVED = 33,
    TQ1_0 = 34,
    TQ2_0 = 35,
    IQ4_NL_4_4_REMOVED = 36,
    IQ4_NL_4_8_REMOVED = 37,
    IQ4_NL_8_8_REMOVED = 38,
};

/// Static facts about one tensor type: the row of the type table.
struct TypeInfo {
    TensorType type;
    const char *name;     // lower-case GGUF spelling, e.g. "q4_K"
    uint32_t block_size;  // elements per block (1 for plain types)
    uint32_t type_size;   // bytes per block
    bool quantized;       // true for block-quantized types
    bool removed;         // an id GGUF retired; never valid in a file
};

/// The table row of @p id, or nullptr when the id is not a known type.
const TypeInfo *type_info(uint32_t id);
inline const TypeInfo *type_info(TensorType t) { return type_info(static_cast<uint32_t>(t)); }

/// Name of @p t ("f32", "q4_K", ...); "unknown" for ids that are not types.
const char *type_name(TensorType t);

/// Type whose name equals @p name, case-insensitively ("Q4_K" finds q4_K).
/// Returns false when no usable (non-removed) type has that name.
bool type_from_name(const char *name, TensorType *out);

/// Bytes in a row of @p n elements of type @p t. @p n must be a multiple of
/// the block size (callers validate this first).
inline size_t row_bytes(const TypeInfo &t, uint64_t n) {
    return static_cast<size_t>(n / t.block_size * t.type_size);
}

/// All ids of the table in ascending order, for iteration.
const TypeInfo *type_table(size_t *count);

}  // namespace lq
