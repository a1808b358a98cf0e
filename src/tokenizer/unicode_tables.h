// Layouts of the generated Unicode tables (src/tokenizer/unicode_tables.cpp,
// written by scripts/gen_unicode_tables.py). Only src/tokenizer/unicode.cpp
// reads them; everything else uses the lookups in unicode.h.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lq::unicode_data {

/// Number of general categories; their order is that of kCategoryNames and of
/// lq::unicode::Category (Cn = 0, Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No,
/// Pc, Pd, Ps, Pe, Pi, Pf, Po, Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co).
constexpr size_t kCategoryCount = 30;

struct CodePointRange {
    uint32_t first;
    uint32_t last;  // inclusive
};

/// Code points first, first + stride, ..., last map to themselves + delta.
struct CaseRun {
    uint32_t first;
    uint32_t last;
    int32_t delta;
    uint32_t stride;  // 1 or 2
};

struct MultiLowercase {
    uint32_t code_point;
    uint32_t length;
    uint32_t lowered[3];
};

struct Decomposition {
    uint32_t code_point;
    uint32_t offset;  // into kDecompositionData
    uint32_t length;
};

struct CombiningClassRun {
    uint32_t first;
    uint32_t last;
    uint32_t combining_class;
};

extern const char kUnicodeVersion[];
extern const char *const kCategoryNames[kCategoryCount];
extern const uint32_t kCategoryRuns[];
extern const size_t kCategoryRunCount;
extern const CodePointRange kWhiteSpace[];
extern const size_t kWhiteSpaceCount;
extern const CaseRun kLowercaseRuns[];
extern const size_t kLowercaseRunCount;
extern const CaseRun kUppercaseRuns[];
extern const size_t kUppercaseRunCount;
extern const MultiLowercase kMultiLowercase[];
extern const size_t kMultiLowercaseCount;
extern const Decomposition kDecompositions[];
extern const size_t kDecompositionCount;
extern const uint32_t kDecompositionData[];
extern const CombiningClassRun kCombiningClasses[];
extern const size_t kCombiningClassCount;

}  // namespace lq::unicode_data
