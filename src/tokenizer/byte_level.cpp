#include "tokenizer/byte_level.h"

#include <array>

#include "core/utf8.h"
#include "tokenizer/unicode.h"

namespace lq::byte_level {
namespace {

constexpr bool stands_for_itself(unsigned byte) {
    return (byte >= 0x21 && byte <= 0x7E) || (byte >= 0xA1 && byte <= 0xAC) || (byte >= 0xAE);
}

struct Tables {
    std::array<uint32_t, 256> code_point{};
    std::array<int16_t, 0x144> byte{};  // indexed by code point; every mapped code point is below U+0144
    std::array<char, 512> utf8{};       // two bytes per byte value, or one plus padding
    std::array<uint8_t, 256> utf8_length{};
};

constexpr Tables make_tables() {
    Tables t{};
    for (auto &b : t.byte) b = -1;
    unsigned next = 0x100;
    for (unsigned b = 0; b < 256; ++b) {
        const uint32_t cp = stands_for_itself(b) ? b : next++;
        t.code_point[b] = cp;
        t.byte[cp] = static_cast<int16_t>(b);
        if (cp < 0x80) {
            t.utf8[2 * b] = static_cast<char>(cp);
            t.utf8_length[b] = 1;
        } else {  // every mapped code point is below U+0800: two UTF-8 bytes
            t.utf8[2 * b] = static_cast<char>(0xC0 | (cp >> 6));
            t.utf8[2 * b + 1] = static_cast<char>(0x80 | (cp & 0x3F));
            t.utf8_length[b] = 2;
        }
    }
    return t;
}

constexpr Tables kTables = make_tables();

}  // namespace

uint32_t code_point_of(uint8_t byte) { return kTables.code_point[byte]; }

int byte_of(uint32_t code_point) { return code_point < kTables.byte.size() ? kTables.byte[code_point] : -1; }

void append_encoded(std::string_view bytes, std::string &out) {
    for (unsigned char b : bytes) out.append(&kTables.utf8[2 * b], kTables.utf8_length[b]);
}

std::string decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    size_t pos = 0;
    while (pos < text.size()) {
        const unicode::Decoded d = unicode::decode_utf8(p + pos, text.size() - pos);
        const int byte = d.valid ? byte_of(d.code_point) : -1;
        if (byte >= 0)
            out += static_cast<char>(byte);
        else
            out.append(text.data() + pos, d.length);
        pos += d.length;
    }
    return out;
}

}  // namespace lq::byte_level
