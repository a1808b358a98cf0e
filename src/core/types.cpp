#include "core/types.h"

#include <cctype>

namespace lq {
namespace {

// One row per id, in id order, so that lookup is an index. Block sizes and
// byte sizes are those of the GGUF block layouts (static_asserts on the
// structs themselves live in kernels/blocks.h).
constexpr TypeInfo kTable[] = {
    {TensorType::F32, "f32", 1, 4, false, false},
    {TensorType::F16, "f16", 1, 2, false, false},
    {TensorType::Q4_0, "q4_0", 32, 18, true, false},
    {TensorType::Q4_1, "q4_1", 32, 20, true, false},
    {TensorType::Q4_2_REMOVED, "q4_2", 0, 0, true, true},
    {TensorType::Q4_3_REMOVED, "q4_3", 0, 0, true, true},
    {TensorType::Q5_0, "q5_0", 32, 22, true, false},
    {TensorType::Q5_1, "q5_1", 32, 24, true, false},
    {TensorType::Q8_0, "q8_0", 32, 34, true, false},
    {TensorType::Q8_1, "q8_1", 32, 36, true, false},
    {TensorType::Q2_K, "q2_K", 256, 84, true, false},
    {TensorType::Q3_K, "q3_K", 256, 110, true, false},
    {TensorType::Q4_K, "q4_K", 256, 144, true, false},
    {TensorType::Q5_K, "q5_K", 256, 176, true, false},
    {TensorType::Q6_K, "q6_K", 256, 210, true, false},
    {TensorType::Q8_K, "q8_K", 256, 292, true, false},
    {TensorType::IQ2_XXS, "iq2_xxs", 256, 66, true, false},
    {TensorType::IQ2_XS, "iq2_xs", 256, 74, true, false},
    {TensorType::IQ3_XXS, "iq3_xxs", 256, 98, true, false},
    {TensorType::IQ1_S, "iq1_s", 256, 50, true, false},
    {TensorType::IQ4_NL, "iq4_nl", 32, 18, true, false},
    {TensorType::IQ3_S, "iq3_s", 256, 110, true, false},
    {TensorType::IQ2_S, "iq2_s", 256, 82, true, false},
    {TensorType::IQ4_XS, "iq4_xs", 256, 136, true, false},
    {TensorType::I8, "i8", 1, 1, false, false},
    {TensorType::I16, "i16", 1, 2, false, false},
    {TensorType::I32, "i32", 1, 4, false, false},
    {TensorType::I64, "i64", 1, 8, false, false},
    {TensorType::F64, "f64", 1, 8, false, false},
    {TensorType::IQ1_M, "iq1_m", 256, 56, true, false},
    {TensorType::BF16, "bf16", 1, 2, false, false},
    {TensorType::Q4_0_4_4_REMOVED, "q4_0_4_4", 0, 0, true, true},
    {TensorType::Q4_0_4_8_REMOVED, "q4_0_4_8", 0, 0, true, true},
    {TensorType::Q4_0_8_8_REMOVED, "q4_0_8_8", 0, 0, true, true},
    {TensorType::TQ1_0, "tq1_0", 256, 54, true, false},
    {TensorType::TQ2_0, "tq2_0", 256, 66, true, false},
    {TensorType::IQ4_NL_4_4_REMOVED, "iq4_nl_4_4", 0, 0, true, true},
    {TensorType::IQ4_NL_4_8_REMOVED, "iq4_nl_4_8", 0, 0, true, true},
    {TensorType::IQ4_NL_8_8_REMOVED, "iq4_nl_8_8", 0, 0, true, true},
};
constexpr size_t kCount = sizeof(kTable) / sizeof(kTable[0]);

// libquant's ragged types: INT8 rows are an F32 scale and one byte per
// element; INT4 groups are an F16 scale, a zero point byte, a reserved byte
// and the packed nibbles; the non-linear types' groups are a scale byte and
// the packed level indices (see docs/formats.md).
constexpr TypeInfo kLibquantTable[] = {
    {TensorType::LQ_I8_ROW, "lq_i8_row", 1, 1, true, false, true, 4, 0, 8},
    {TensorType::LQ_I4_G32, "lq_i4_g32", 32, 4 + 16, true, false, true, 0, 4, 4},
    {TensorType::LQ_I4_G64, "lq_i4_g64", 64, 4 + 32, true, false, true, 0, 4, 4},
    {TensorType::LQ_I4_G128, "lq_i4_g128", 128, 4 + 64, true, false, true, 0, 4, 4},
    {TensorType::LQ_NL3, "lq_nl3", 32, 1 + 12, true, false, true, 0, 1, 3},
    {TensorType::LQ_NL4, "lq_nl4", 32, 1 + 16, true, false, true, 0, 1, 4},
    {TensorType::LQ_NL5, "lq_nl5", 32, 1 + 20, true, false, true, 0, 1, 5},
};
constexpr size_t kLibquantCount = sizeof(kLibquantTable) / sizeof(kLibquantTable[0]);

constexpr bool table_is_in_id_order() {
    for (size_t i = 0; i < kCount; ++i)
        if (static_cast<size_t>(kTable[i].type) != i) return false;
    return true;
}
static_assert(table_is_in_id_order(), "type table rows must be indexed by id");

bool equal_ignoring_case(const char *a, const char *b) {
    for (; *a && *b; ++a, ++b)
        if (std::tolower(static_cast<unsigned char>(*a)) != std::tolower(static_cast<unsigned char>(*b)))
            return false;
    return *a == *b;
}

}  // namespace

const TypeInfo *type_info(uint32_t id) {
    if (id < kCount) return &kTable[id];
    if (id >= kFirstLibquantType && id - kFirstLibquantType < kLibquantCount)
        return &kLibquantTable[id - kFirstLibquantType];
    return nullptr;
}

const char *type_name(TensorType t) {
    const TypeInfo *info = type_info(t);
    return info ? info->name : "unknown";
}

bool type_from_name(const char *name, TensorType *out) {
    if (!name) return false;
    for (const TypeInfo &row : kTable) {
        if (!row.removed && equal_ignoring_case(row.name, name)) {
            *out = row.type;
            return true;
        }
    }
    for (const TypeInfo &row : kLibquantTable) {
        if (equal_ignoring_case(row.name, name)) {
            *out = row.type;
            return true;
        }
    }
    return false;
}

const TypeInfo *type_table(size_t *count) {
    *count = kCount;
    return kTable;
}

const TypeInfo *libquant_type_table(size_t *count) {
    *count = kLibquantCount;
    return kLibquantTable;
}

}  // namespace lq
