#include "tokenizer/unicode.h"

#include <algorithm>
#include <array>
#include <memory>

#include "core/utf8.h"
#include "tokenizer/unicode_tables.h"

namespace lq::unicode {
namespace {

using namespace lq::unicode_data;

constexpr uint32_t kCategoryBits = 5;
constexpr uint32_t kBmpSize = 0x10000;

// Hangul syllable composition constants (Unicode chapter 3.12).
constexpr uint32_t kHangulBase = 0xAC00;
constexpr uint32_t kLeadBase = 0x1100;
constexpr uint32_t kVowelBase = 0x1161;
constexpr uint32_t kTrailBase = 0x11A7;
constexpr uint32_t kVowelCount = 21;
constexpr uint32_t kTrailCount = 28;
constexpr uint32_t kSyllablesPerLead = kVowelCount * kTrailCount;
constexpr uint32_t kSyllableCount = 19 * kSyllablesPerLead;

Category category_by_search(uint32_t code_point) {
    // The last run whose start is <= code_point.
    const uint32_t *end = kCategoryRuns + kCategoryRunCount;
    const uint32_t key = (code_point << kCategoryBits) | ((1u << kCategoryBits) - 1);
    const uint32_t *it = std::upper_bound(kCategoryRuns, end, key);
    return static_cast<Category>(*(it - 1) & ((1u << kCategoryBits) - 1));
}

// Categories of the Basic Multilingual Plane as a flat table (64 KiB), built
// once on first use: nearly all text lives there and a table read is far
// cheaper than a binary search per character.
const std::array<uint8_t, kBmpSize> &bmp_categories() {
    static const std::unique_ptr<std::array<uint8_t, kBmpSize>> table = [] {
        auto t = std::make_unique<std::array<uint8_t, kBmpSize>>();
        for (size_t run = 0; run < kCategoryRunCount; ++run) {
            const uint32_t start = kCategoryRuns[run] >> kCategoryBits;
            if (start >= kBmpSize) break;
            const uint32_t next = run + 1 < kCategoryRunCount ? kCategoryRuns[run + 1] >> kCategoryBits : kBmpSize;
            const auto value = static_cast<uint8_t>(kCategoryRuns[run] & ((1u << kCategoryBits) - 1));
            std::fill(t->begin() + start, t->begin() + std::min(next, kBmpSize), value);
        }
        return t;
    }();
    return *table;
}

uint32_t apply_case_runs(const CaseRun *runs, size_t count, uint32_t code_point) {
    const CaseRun *end = runs + count;
    const CaseRun *it =
        std::upper_bound(runs, end, code_point, [](uint32_t cp, const CaseRun &run) { return cp < run.first; });
    if (it == runs) return code_point;
    const CaseRun &run = *(it - 1);
    if (code_point > run.last || (code_point - run.first) % run.stride != 0) return code_point;
    return static_cast<uint32_t>(static_cast<int64_t>(code_point) + run.delta);
}

const Decomposition *find_decomposition(uint32_t code_point) {
    const Decomposition *end = kDecompositions + kDecompositionCount;
    const Decomposition *it = std::lower_bound(
        kDecompositions, end, code_point, [](const Decomposition &d, uint32_t cp) { return d.code_point < cp; });
    return it != end && it->code_point == code_point ? it : nullptr;
}

}  // namespace

// U+0000..U+007F, as in UnicodeData.txt (a unit test compares this with
// the generated tables).
const Category kAsciiCategories[128] = {
#define CC Category::Cc
    CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC,  // U+0000..U+000F
    CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC, CC,  // U+0010..U+001F
#undef CC
    Category::Zs, Category::Po, Category::Po, Category::Po, Category::Sc, Category::Po, Category::Po, Category::Po,
    Category::Ps, Category::Pe, Category::Po, Category::Sm, Category::Po, Category::Pd, Category::Po, Category::Po,
    Category::Nd, Category::Nd, Category::Nd, Category::Nd, Category::Nd, Category::Nd, Category::Nd, Category::Nd,
    Category::Nd, Category::Nd, Category::Po, Category::Po, Category::Sm, Category::Sm, Category::Sm, Category::Po,
    Category::Po, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu,
    Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu,
    Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu, Category::Lu,
    Category::Lu, Category::Lu, Category::Lu, Category::Ps, Category::Po, Category::Pe, Category::Sk, Category::Pc,
    Category::Sk, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll,
    Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll,
    Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll, Category::Ll,
    Category::Ll, Category::Ll, Category::Ll, Category::Ps, Category::Sm, Category::Pe, Category::Sm, Category::Cc,
};

const char *version() { return kUnicodeVersion; }

Category category_above_ascii(uint32_t code_point) {
    if (code_point < kBmpSize) return static_cast<Category>(bmp_categories()[code_point]);
    if (code_point > kMaxCodePoint) return Category::Cn;
    return category_by_search(code_point);
}

const char *category_name(Category c) {
    const auto index = static_cast<size_t>(c);
    return index < kCategoryCount ? kCategoryNames[index] : "??";
}

CategoryMask category_mask_from_name(std::string_view name) {
    if (name == "L") return kLetter;
    if (name == "M") return kMark;
    if (name == "N") return kNumber;
    if (name == "P") return kPunctuation;
    if (name == "S") return kSymbol;
    if (name == "Z") return kSeparator;
    if (name == "C") return kOther;
    if (name == "LC" || name == "L&") return mask_of(Category::Lu) | mask_of(Category::Ll) | mask_of(Category::Lt);
    for (size_t i = 0; i < kCategoryCount; ++i)
        if (name == kCategoryNames[i]) return mask_of(static_cast<Category>(i));
    return 0;
}

bool is_whitespace_above_ascii(uint32_t code_point) {
    for (size_t i = 0; i < kWhiteSpaceCount; ++i)
        if (code_point >= kWhiteSpace[i].first && code_point <= kWhiteSpace[i].last) return true;
    return false;
}

uint32_t to_lower(uint32_t code_point) {
    if (code_point < 0x80) return (code_point >= 'A' && code_point <= 'Z') ? code_point + 32 : code_point;
    return apply_case_runs(kLowercaseRuns, kLowercaseRunCount, code_point);
}

uint32_t to_upper(uint32_t code_point) {
    if (code_point < 0x80) return (code_point >= 'a' && code_point <= 'z') ? code_point - 32 : code_point;
    return apply_case_runs(kUppercaseRuns, kUppercaseRunCount, code_point);
}

void append_lowercase(uint32_t code_point, std::vector<uint32_t> &out) {
    for (size_t i = 0; i < kMultiLowercaseCount; ++i) {
        if (kMultiLowercase[i].code_point == code_point) {
            out.insert(out.end(), kMultiLowercase[i].lowered, kMultiLowercase[i].lowered + kMultiLowercase[i].length);
            return;
        }
    }
    out.push_back(to_lower(code_point));
}

uint8_t combining_class(uint32_t code_point) {
    if (code_point < 0x300) return 0;  // nothing below the combining diacritics block combines
    const CombiningClassRun *end = kCombiningClasses + kCombiningClassCount;
    const CombiningClassRun *it = std::upper_bound(kCombiningClasses, end, code_point,
                                                   [](uint32_t cp, const CombiningClassRun &r) { return cp < r.first; });
    if (it == kCombiningClasses) return 0;
    const CombiningClassRun &run = *(it - 1);
    return code_point <= run.last ? static_cast<uint8_t>(run.combining_class) : 0;
}

void append_nfd(const uint32_t *code_points, size_t count, std::vector<uint32_t> &out) {
    const size_t first = out.size();
    for (size_t i = 0; i < count; ++i) {
        const uint32_t cp = code_points[i];
        if (cp < 0xC0) {  // Latin-1 below À has no decompositions
            out.push_back(cp);
        } else if (cp >= kHangulBase && cp < kHangulBase + kSyllableCount) {
            const uint32_t index = cp - kHangulBase;
            out.push_back(kLeadBase + index / kSyllablesPerLead);
            out.push_back(kVowelBase + (index % kSyllablesPerLead) / kTrailCount);
            if (index % kTrailCount != 0) out.push_back(kTrailBase + index % kTrailCount);
        } else if (const Decomposition *d = find_decomposition(cp)) {
            out.insert(out.end(), kDecompositionData + d->offset, kDecompositionData + d->offset + d->length);
        } else {
            out.push_back(cp);
        }
    }
    // Canonical ordering: within each run of non-starters, sort stably by
    // combining class (a stable insertion sort; runs are short).
    for (size_t i = first + 1; i < out.size(); ++i) {
        const uint8_t ccc = combining_class(out[i]);
        if (ccc == 0) continue;
        size_t j = i;
        while (j > first) {
            const uint8_t previous = combining_class(out[j - 1]);
            if (previous == 0 || previous <= ccc) break;
            std::swap(out[j - 1], out[j]);
            --j;
        }
    }
}

Decoded decode_utf8_multibyte(const unsigned char *text, size_t size) {
    const size_t length = utf8_sequence_length(text, size);
    if (length == 0) return {kReplacementCharacter, 1, false};
    return {utf8_decode(text, length), static_cast<uint32_t>(length), true};
}

}  // namespace lq::unicode
