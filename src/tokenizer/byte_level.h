// The byte-to-character mapping of byte-level BPE (GPT-2 and its
// descendants). Every byte is shown as one printable code point, so that
// vocabulary entries are text: bytes that are printable Latin-1 ('!'..'~',
// U+00A1..U+00AC, U+00AE..U+00FF) stand for themselves, and the others
// (controls, space, DEL, U+0080..U+00A0, the soft hyphen) are numbered from
// U+0100 in byte order, so a space is U+0120 'Ġ' and a newline U+010A 'Ċ'.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lq::byte_level {

/// The code point that stands for @p byte.
uint32_t code_point_of(uint8_t byte);

/// The byte a code point stands for, or -1 when it is not in the mapping.
int byte_of(uint32_t code_point);

/// Appends the UTF-8 encoding of the code point of each byte of @p bytes.
void append_encoded(std::string_view bytes, std::string &out);

/// Decodes byte-level text back to bytes: each code point of the mapping
/// becomes its byte; any other character is copied through unchanged.
std::string decode(std::string_view text);

}  // namespace lq::byte_level
