// Minimal JSON text helpers (header-only, so the lq tool can use them too).
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace lq::json {

/// Appends @p text as a quoted JSON string. Bytes that are not valid UTF-8
/// are escaped as \u00XX of the byte value, so the output is always valid.
inline void append_string(std::string &out, std::string_view text) {
    static const char hex[] = "0123456789abcdef";
    out += '"';
    for (size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20 || c == 0x7F) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else if (c < 0x80) {
                out += static_cast<char>(c);
            } else {
                // Copy a complete, valid multi-byte sequence; escape stray bytes.
                size_t length = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
                bool ok = length > 0 && i + length <= text.size();
                for (size_t k = 1; ok && k < length; ++k)
                    ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
                if (ok) {
                    out.append(text.data() + i, length);
                    i += length - 1;
                } else {
                    out += "\\u00";
                    out += hex[c >> 4];
                    out += hex[c & 15];
                }
            }
        }
    }
    out += '"';
}

inline std::string quote(std::string_view text) {
    std::string out;
    append_string(out, text);
    return out;
}

/// A number as JSON: shortest round-trip form; non-finite values become null.
inline std::string number(double value) {
    if (!std::isfinite(value)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", value);
    // Prefer the shorter %g form when it reads back identically.
    char shorter[32];
    std::snprintf(shorter, sizeof shorter, "%.9g", value);
    return std::strtod(shorter, nullptr) == value ? shorter : buf;
}

}  // namespace lq::json
