// UTF-8 validation and decoding shared by the format readers, the tokenizers
// and the streaming detokenizer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace lq {

/// Length of the well-formed UTF-8 sequence starting at @p text[0] (1-4), or
/// 0 when the bytes there are not a complete, valid sequence (overlong forms,
/// surrogates and values above U+10FFFF are invalid). @p size bytes are available.
size_t utf8_sequence_length(const unsigned char *text, size_t size);

/// Decodes the valid sequence of @p length bytes at @p text (see above).
uint32_t utf8_decode(const unsigned char *text, size_t length);

/// True when all of @p text is well-formed UTF-8.
bool is_valid_utf8(std::string_view text);

/// Appends the UTF-8 encoding of @p codepoint (<= 0x10FFFF) to @p out.
void utf8_append(std::string &out, uint32_t codepoint);

/// Number of bytes at the end of @p text that form the start of a UTF-8
/// sequence whose remaining bytes have not arrived yet (0-3). Used to hold
/// back incomplete characters when streaming.
size_t utf8_incomplete_tail(std::string_view text);

}  // namespace lq
