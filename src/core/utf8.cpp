#include "core/utf8.h"

namespace lq {

size_t utf8_sequence_length(const unsigned char *text, size_t size) {
    if (size == 0) return 0;
    const unsigned char lead = text[0];
    if (lead < 0x80) return 1;
    size_t length;
    uint32_t minimum;
    if ((lead & 0xE0) == 0xC0) {
        length = 2;
        minimum = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
        length = 3;
        minimum = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
        length = 4;
        minimum = 0x10000;
    } else {
        return 0;  // continuation byte or 0xF8..0xFF as a lead
    }
    if (size < length) return 0;
    for (size_t i = 1; i < length; ++i)
        if ((text[i] & 0xC0) != 0x80) return 0;
    const uint32_t cp = utf8_decode(text, length);
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return length;
}

uint32_t utf8_decode(const unsigned char *text, size_t length) {
    switch (length) {
    case 1: return text[0];
    case 2: return (uint32_t(text[0] & 0x1F) << 6) | (text[1] & 0x3F);
    case 3: return (uint32_t(text[0] & 0x0F) << 12) | (uint32_t(text[1] & 0x3F) << 6) | (text[2] & 0x3F);
    default:
        return (uint32_t(text[0] & 0x07) << 18) | (uint32_t(text[1] & 0x3F) << 12) | (uint32_t(text[2] & 0x3F) << 6) |
               (text[3] & 0x3F);
    }
}

bool is_valid_utf8(std::string_view text) {
    const auto *p = reinterpret_cast<const unsigned char *>(text.data());
    size_t remaining = text.size();
    while (remaining > 0) {
        if (*p < 0x80) {  // ASCII fast path
            ++p;
            --remaining;
            continue;
        }
        const size_t length = utf8_sequence_length(p, remaining);
        if (length == 0) return false;
        p += length;
        remaining -= length;
    }
    return true;
}

void utf8_append(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

size_t utf8_incomplete_tail(std::string_view text) {
    // Look back at most 3 bytes for a lead byte whose sequence is cut short.
    const size_t n = text.size();
    for (size_t back = 1; back <= 3 && back <= n; ++back) {
        const auto byte = static_cast<unsigned char>(text[n - back]);
        if ((byte & 0xC0) == 0x80) continue;  // continuation: keep looking for the lead
        size_t expected = 0;
        if ((byte & 0xE0) == 0xC0) expected = 2;
        else if ((byte & 0xF0) == 0xE0) expected = 3;
        else if ((byte & 0xF8) == 0xF0) expected = 4;
        return (expected > back) ? back : 0;
    }
    return 0;
}

}  // namespace lq
