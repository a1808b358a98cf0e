// The Unicode tables: categories, White_Space, case mappings and NFD, checked
// at characters of many scripts against the Unicode Character Database.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tokenizer/unicode.h"

using lq::unicode::Category;
namespace u = lq::unicode;

TEST_CASE("the generated tables carry their Unicode version and category names") {
    CHECK(std::string(u::version()) == "15.0.0");
    const char *names[] = {"Cn", "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Pc", "Pd", "Ps",
                           "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co"};
    for (int i = 0; i < 30; ++i) CHECK(std::string(u::category_name(static_cast<Category>(i))) == names[i]);
}

TEST_CASE("the inline ASCII categories agree with the generated tables") {
    for (uint32_t cp = 0; cp < 0x80; ++cp) {
        CAPTURE(cp);
        CHECK(u::kAsciiCategories[cp] == u::category_above_ascii(cp));
    }
}

TEST_CASE("general categories in many scripts") {
    struct Expectation {
        uint32_t code_point;
        Category category;
    };
    const Expectation cases[] = {
        {'A', Category::Lu},     {'z', Category::Ll},     {'5', Category::Nd},     {' ', Category::Zs},
        {'!', Category::Po},     {'$', Category::Sc},     {'+', Category::Sm},     {'^', Category::Sk},
        {'_', Category::Pc},     {'-', Category::Pd},     {'(', Category::Ps},     {')', Category::Pe},
        {'~', Category::Sm},     {'\n', Category::Cc},    {0x7F, Category::Cc},    {0xE9, Category::Ll},    // é
        {0xC0, Category::Lu},    {0xBD, Category::No},    {0xBF, Category::Po},    {0xA0, Category::Zs},    // À ½ ¿ nbsp
        {0xAD, Category::Cf},    {0x0416, Category::Lu},  {0x0436, Category::Ll},  {0x03A3, Category::Lu},  // soft hyphen Ж ж Σ
        {0x01C5, Category::Lt},  {0x02B0, Category::Lm},  {0x0627, Category::Lo},  {0x0663, Category::Nd},  // ǅ ʰ ا ٣
        {0x05D0, Category::Lo},  {0x0E01, Category::Lo},  {0x096B, Category::Nd},  {0x0903, Category::Mc},  // א ก ५ ः
        {0x0301, Category::Mn},  {0x20DD, Category::Me},  {0x17B6, Category::Mc},  {0x17B7, Category::Mn},  // Khmer vowels
        {0x1780, Category::Lo},  {0x4E2D, Category::Lo},  {0x3042, Category::Lo},  {0x30A2, Category::Lo},  // ក 中 あ ア
        {0xAC00, Category::Lo},  {0xD7A3, Category::Lo},  {0x3000, Category::Zs},  {0x3001, Category::Po},  // 가 힣 、
        {0x300C, Category::Ps},  {0x300D, Category::Pe},  {0xFF5E, Category::Sm},  {0x2026, Category::Po},  // 「 」 ～ …
        {0x2018, Category::Pi},  {0x2019, Category::Pf},  {0x20AC, Category::Sc},  {0x2211, Category::Sm},  // ‘ ’ € ∑
        {0x216B, Category::Nl},  {0x2028, Category::Zl},  {0x2029, Category::Zp},  {0x200D, Category::Cf},  // Ⅻ
        {0xFE0F, Category::Mn},  {0xE000, Category::Co},  {0xD800, Category::Cs},  {0x0378, Category::Cn},  // VS16
        {0xFFFF, Category::Cn},  {0xFFFD, Category::So},  {0x1F600, Category::So}, {0x1F999, Category::So},  // 😀 🦙
        {0x1F1E6, Category::So}, {0x1D400, Category::Lu}, {0x1D7CE, Category::Nd}, {0x20000, Category::Lo},  // 𝐀 𝟎 𠀀
        {0x10400, Category::Lu}, {0x10428, Category::Ll}, {0x1E900, Category::Lu}, {0xE0001, Category::Cf},  // 𐐀 𐐨 𞤀
        {0xF0000, Category::Co}, {0x10FFFF, Category::Cn}, {0x110000, Category::Cn}, {0x31350, Category::Lo},
    };
    for (const Expectation &e : cases) {
        CAPTURE(e.code_point);
        CHECK(u::category_name(u::category(e.code_point)) == std::string(u::category_name(e.category)));
    }
}

TEST_CASE("property names map to category sets") {
    CHECK(u::category_mask_from_name("L") == u::kLetter);
    CHECK(u::category_mask_from_name("N") == u::kNumber);
    CHECK(u::category_mask_from_name("P") == u::kPunctuation);
    CHECK(u::category_mask_from_name("Lu") == u::mask_of(Category::Lu));
    CHECK(u::category_mask_from_name("Nd") == u::mask_of(Category::Nd));
    CHECK(u::category_mask_from_name("LC") ==
          (u::mask_of(Category::Lu) | u::mask_of(Category::Ll) | u::mask_of(Category::Lt)));
    CHECK(u::category_mask_from_name("Xx") == 0);
    CHECK(u::category_mask_from_name("") == 0);
}

TEST_CASE("White_Space is exactly the Unicode set") {
    const uint32_t spaces[] = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000, 0x2005,
                               0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};
    for (uint32_t cp : spaces) {
        CAPTURE(cp);
        CHECK(u::is_whitespace(cp));
    }
    const uint32_t not_spaces[] = {0x00, 0x08, 0x0E, 0x1C, 0x1F, 'a', 0x200B, 0x180E, 0xFEFF, 0x2060, 0x1F600};
    for (uint32_t cp : not_spaces) {
        CAPTURE(cp);
        CHECK_FALSE(u::is_whitespace(cp));
    }
}

TEST_CASE("simple case mappings across scripts") {
    CHECK(u::to_lower('A') == 'a');
    CHECK(u::to_lower('a') == 'a');
    CHECK(u::to_lower('1') == '1');
    CHECK(u::to_lower(0xC4) == 0xE4);      // Ä ä
    CHECK(u::to_lower(0x03A3) == 0x03C3);  // Σ σ
    CHECK(u::to_lower(0x0416) == 0x0436);  // Ж ж
    CHECK(u::to_lower(0x01C4) == 0x01C6);  // Ǆ ǆ
    CHECK(u::to_lower(0x01C5) == 0x01C6);  // ǅ ǆ
    CHECK(u::to_lower(0x0130) == 0x0069);  // İ i (simple)
    CHECK(u::to_lower(0x1E9E) == 0x00DF);  // ẞ ß
    CHECK(u::to_lower(0x10A0) == 0x2D00);  // Georgian
    CHECK(u::to_lower(0x13A0) == 0xAB70);  // Cherokee
    CHECK(u::to_lower(0x10400) == 0x10428);  // Deseret
    CHECK(u::to_lower(0x0100) == 0x0101);  // Ā ā (alternating pairs)
    CHECK(u::to_lower(0x0101) == 0x0101);
    CHECK(u::to_lower(0x4E2D) == 0x4E2D);
    CHECK(u::to_upper('z') == 'Z');
    CHECK(u::to_upper(0xFF) == 0x0178);    // ÿ Ÿ
    CHECK(u::to_upper(0x00DF) == 0x00DF);  // ß has no one-character uppercase
    CHECK(u::to_upper(0x03C2) == 0x03A3);  // ς Σ
    CHECK(u::to_upper(0x0101) == 0x0100);

    std::vector<uint32_t> lowered;
    u::append_lowercase(0x0130, lowered);
    CHECK(lowered == std::vector<uint32_t>{0x0069, 0x0307});
    lowered.clear();
    u::append_lowercase('Q', lowered);
    CHECK(lowered == std::vector<uint32_t>{'q'});
}

namespace {
std::vector<uint32_t> nfd(std::vector<uint32_t> in) {
    std::vector<uint32_t> out;
    u::append_nfd(in.data(), in.size(), out);
    return out;
}
}  // namespace

TEST_CASE("canonical decomposition (NFD)") {
    CHECK(nfd({'a', 'b'}) == std::vector<uint32_t>{'a', 'b'});
    CHECK(nfd({0xE9}) == std::vector<uint32_t>{'e', 0x0301});                 // é
    CHECK(nfd({0xC5}) == std::vector<uint32_t>{'A', 0x030A});                 // Å
    CHECK(nfd({0x212B}) == std::vector<uint32_t>{'A', 0x030A});               // Å angstrom sign
    CHECK(nfd({0x01D6}) == std::vector<uint32_t>{'u', 0x0308, 0x0304});       // ǖ, recursively
    CHECK(nfd({0x1E69}) == std::vector<uint32_t>{'s', 0x0323, 0x0307});       // ṩ
    CHECK(nfd({0x2126}) == std::vector<uint32_t>{0x03A9});                    // Ω ohm sign
    CHECK(nfd({0xD55C}) == std::vector<uint32_t>{0x1112, 0x1161, 0x11AB});    // 한
    CHECK(nfd({0xAC00}) == std::vector<uint32_t>{0x1100, 0x1161});            // 가
    CHECK(nfd({0x0439}) == std::vector<uint32_t>{0x0438, 0x0306});            // й
    CHECK(nfd({0xFB01}) == std::vector<uint32_t>{0xFB01});                    // ﬁ: compatibility only
    // Canonical ordering: marks sorted by combining class (dot below 220 before acute 230).
    CHECK(nfd({'a', 0x0301, 0x0323}) == std::vector<uint32_t>{'a', 0x0323, 0x0301});
    CHECK(nfd({0xE9, 0x0323}) == std::vector<uint32_t>{'e', 0x0323, 0x0301});
    CHECK(u::combining_class(0x0301) == 230);
    CHECK(u::combining_class(0x0323) == 220);
    CHECK(u::combining_class('a') == 0);
    CHECK(u::combining_class(0x1F600) == 0);
}

TEST_CASE("UTF-8 decoding with the invalid-byte policy") {
    auto decode = [](const char *bytes, size_t size) {
        return u::decode_utf8(reinterpret_cast<const unsigned char *>(bytes), size);
    };
    u::Decoded d = decode("A", 1);
    CHECK((d.code_point == 'A' && d.length == 1 && d.valid));
    d = decode("\xC3\xA9", 2);
    CHECK((d.code_point == 0xE9 && d.length == 2 && d.valid));
    d = decode("\xE2\x82\xAC", 3);
    CHECK((d.code_point == 0x20AC && d.length == 3 && d.valid));
    d = decode("\xF0\x9F\x98\x80", 4);
    CHECK((d.code_point == 0x1F600 && d.length == 4 && d.valid));
    for (const char *bad : {"\x80", "\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\xE2\x82"}) {
        d = decode(bad, std::string(bad).size());
        CHECK_FALSE(d.valid);
        CHECK(d.length == 1);
        CHECK(d.code_point == u::kReplacementCharacter);
    }
}
