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

    // libquant's own types (an extension documented in docs/formats.md).
    // Their ids sit far above GGUF's so that new GGUF types never collide;
    // other GGUF runtimes refuse files that use them. Rows of any width
    // are allowed: the last group of a row may be short.
    LQ_I8_ROW = 1024,   // INT8, one F32 scale per row (output channel)
    LQ_I4_G32 = 1025,   // INT4, F16 scale + zero point per group of 32
    LQ_I4_G64 = 1026,   // same, groups of 64
    LQ_I4_G128 = 1027,  // same, groups of 128
    LQ_NL3 = 1028,      // 3-bit non-linear levels, one 8-bit log scale per group of 32
    LQ_NL4 = 1029,      // same, 4 bits
    LQ_NL5 = 1030,      // same, 5 bits
};

constexpr uint32_t kFirstLibquantType = 1024;

/// Static facts about one tensor type: the row of the type table.
struct TypeInfo {
    TensorType type;
    const char *name;     // lower-case GGUF spelling, e.g. "q4_K"
    uint32_t block_size;  // elements per block (1 for plain types; the group for libquant's types)
    uint32_t type_size;   // bytes per block (a full group for libquant's types)
    bool quantized;       // true for block-quantized types
    bool removed;         // an id GGUF retired; never valid in a file
    bool ragged = false;  // libquant type: rows of any width, the last group may be short
    uint32_t row_header = 0;  // ragged: bytes at the start of each row (INT8's scale)
    uint32_t group_header = 0;  // ragged: bytes of scale data at the start of each group
    uint32_t bits = 0;          // ragged: bits per element
};

/// The table row of @p id, or nullptr when the id is not a known type.
const TypeInfo *type_info(uint32_t id);
inline const TypeInfo *type_info(TensorType t) { return type_info(static_cast<uint32_t>(t)); }

/// Name of @p t ("f32", "q4_K", ...); "unknown" for ids that are not types.
const char *type_name(TensorType t);

/// Type whose name equals @p name, case-insensitively ("Q4_K" finds q4_K).
/// Returns false when no usable (non-removed) type has that name.
bool type_from_name(const char *name, TensorType *out);

/// True when a row of @p n elements can be stored in type @p t: a whole
/// number of blocks, or any width for libquant's ragged types.
inline bool row_fits(const TypeInfo &t, uint64_t n) {
    return !t.removed && t.block_size != 0 && (t.ragged || n % t.block_size == 0);
}

/// Bytes in a row of @p n elements of type @p t (row_fits() must hold).
/// For ragged types the last group stores only the elements it has.
inline size_t row_bytes(const TypeInfo &t, uint64_t n) {
    if (!t.ragged) return static_cast<size_t>(n / t.block_size * t.type_size);
    const uint64_t full = n / t.block_size, rest = n % t.block_size;
    uint64_t bytes = t.row_header + full * t.type_size;
    if (rest) bytes += t.group_header + (rest * t.bits + 7) / 8;
    return static_cast<size_t>(bytes);
}

/// All GGUF ids of the table in ascending order (ids 0 .. count-1).
const TypeInfo *type_table(size_t *count);

/// libquant's own types, in id order from kFirstLibquantType.
const TypeInfo *libquant_type_table(size_t *count);

}  // namespace lq
