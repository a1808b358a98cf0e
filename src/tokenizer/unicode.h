// Unicode properties the tokenizers need: general categories (for \p{L},
// \p{N}, ... in pre-tokenizer patterns), White_Space (\s), case mappings and
// canonical decomposition (NFD). Backed by tables generated from the Unicode
// Character Database (unicode_tables.cpp); correct for every code point, not
// only ASCII.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace lq::unicode {

/// General categories, in the order of the generated tables. Cn (unassigned,
/// including noncharacters) is 0.
enum class Category : uint8_t {
    Cn, Lu, Ll, Lt, Lm, Lo, Mn, Mc, Me, Nd, Nl, No, Pc, Pd, Ps,
    Pe, Pi, Pf, Po, Sm, Sc, Sk, So, Zs, Zl, Zp, Cc, Cf, Cs, Co,
};

constexpr uint32_t kMaxCodePoint = 0x10FFFF;
constexpr uint32_t kReplacementCharacter = 0xFFFD;

/// A set of categories as a bit mask, bit i for Category(i).
using CategoryMask = uint32_t;

constexpr CategoryMask mask_of(Category c) { return CategoryMask(1) << static_cast<unsigned>(c); }

constexpr CategoryMask kLetter = mask_of(Category::Lu) | mask_of(Category::Ll) | mask_of(Category::Lt) |
                                 mask_of(Category::Lm) | mask_of(Category::Lo);
constexpr CategoryMask kMark = mask_of(Category::Mn) | mask_of(Category::Mc) | mask_of(Category::Me);
constexpr CategoryMask kNumber = mask_of(Category::Nd) | mask_of(Category::Nl) | mask_of(Category::No);
constexpr CategoryMask kPunctuation = mask_of(Category::Pc) | mask_of(Category::Pd) | mask_of(Category::Ps) |
                                      mask_of(Category::Pe) | mask_of(Category::Pi) | mask_of(Category::Pf) |
                                      mask_of(Category::Po);
constexpr CategoryMask kSymbol =
    mask_of(Category::Sm) | mask_of(Category::Sc) | mask_of(Category::Sk) | mask_of(Category::So);
constexpr CategoryMask kSeparator = mask_of(Category::Zs) | mask_of(Category::Zl) | mask_of(Category::Zp);
constexpr CategoryMask kOther = mask_of(Category::Cc) | mask_of(Category::Cf) | mask_of(Category::Cs) |
                                mask_of(Category::Co) | mask_of(Category::Cn);
constexpr CategoryMask kAllCategories = (CategoryMask(1) << 30) - 1;

/// The Unicode version the tables were generated from, e.g. "15.0.0".
const char *version();

/// Categories of U+0000..U+007F (the common case, kept inline).
extern const Category kAsciiCategories[128];

/// General category of code points above U+007F.
Category category_above_ascii(uint32_t code_point);

/// General category of @p code_point; Cn for values above U+10FFFF.
inline Category category(uint32_t code_point) {
    return code_point < 0x80 ? kAsciiCategories[code_point] : category_above_ascii(code_point);
}

/// Two-letter name of a category ("Lu", "Nd", ...).
const char *category_name(Category category);

/// The categories a regex property name stands for: one-letter groups (L, M,
/// N, P, S, Z, C), two-letter categories (Lu, Nd, ...) and LC / L& (cased
/// letters). 0 when the name is unknown.
CategoryMask category_mask_from_name(std::string_view name);

/// White_Space for code points above U+007F.
bool is_whitespace_above_ascii(uint32_t code_point);

/// True when @p code_point has the White_Space property (what \s matches).
inline bool is_whitespace(uint32_t code_point) {
    if (code_point < 0x80) return code_point == ' ' || (code_point >= 0x09 && code_point <= 0x0D);
    return is_whitespace_above_ascii(code_point);
}

/// Simple (one to one) case mappings; code points without one map to themselves.
uint32_t to_lower(uint32_t code_point);
uint32_t to_upper(uint32_t code_point);

/// Appends the full lowercase form of @p code_point (usually one code point;
/// U+0130 lowercases to two).
void append_lowercase(uint32_t code_point, std::vector<uint32_t> &out);

/// Canonical combining class (0 for starters).
uint8_t combining_class(uint32_t code_point);

/// Appends the canonical decomposition (NFD) of @p code_points to @p out:
/// each code point fully decomposed (Hangul syllables algorithmically), then
/// runs of combining marks put in canonical order.
void append_nfd(const uint32_t *code_points, size_t count, std::vector<uint32_t> &out);

/// One step of decoding UTF-8 with libquant's policy for invalid input: a
/// byte that does not start a well-formed sequence is one unit of its own,
/// reported as not valid, with U+FFFD as its code point.
struct Decoded {
    uint32_t code_point;
    uint32_t length;  // bytes consumed, 1 to 4
    bool valid;
};

/// decode_utf8() for a byte at or above 0x80.
Decoded decode_utf8_multibyte(const unsigned char *text, size_t size);

/// Decodes the unit at @p text[0]; @p size (> 0) bytes are available.
inline Decoded decode_utf8(const unsigned char *text, size_t size) {
    if (text[0] < 0x80) return {text[0], 1, true};
    return decode_utf8_multibyte(text, size);
}

}  // namespace lq::unicode
