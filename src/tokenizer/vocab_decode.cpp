// Detokenization: the bytes of each token, and the leading-space rule.
#include "core/error.h"
#include "tokenizer/byte_level.h"
#include "tokenizer/vocab.h"

namespace lq {
namespace {

constexpr std::string_view kSpaceMarker = "\xE2\x96\x81";  // U+2581

std::string replace_space_markers(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (size_t pos = 0; pos < text.size();) {
        if (text.compare(pos, kSpaceMarker.size(), kSpaceMarker) == 0) {
            out += ' ';
            pos += kSpaceMarker.size();
        } else {
            out += text[pos++];
        }
    }
    return out;
}

// "<0x41>" -> 0x41; -1 when the text is not a byte token name.
int parse_byte_token(std::string_view text) {
    if (text.size() != 6 || text.compare(0, 3, "<0x") != 0 || text[5] != '>') return -1;
    int value = 0;
    for (size_t i = 3; i < 5; ++i) {
        const char c = text[i];
        value *= 16;
        if (c >= '0' && c <= '9') value += c - '0';
        else if (c >= 'A' && c <= 'F') value += c - 'A' + 10;
        else if (c >= 'a' && c <= 'f') value += c - 'a' + 10;
        else return -1;
    }
    return value;
}

// Tokens that are text; the others (control, unknown, unused, untyped) are
// written only when the caller asks for special tokens.
bool is_shown_by_default(uint32_t attributes) {
    return (attributes & (kTokenNormal | kTokenByte | kTokenUserDefined)) != 0;
}

// Tokens after which a SentencePiece tokenizer starts a new fragment with
// its dummy prefix space: those the special-token matcher cuts out of the
// text whole.
bool starts_fragment(uint32_t attributes) {
    return (attributes & (kTokenControl | kTokenUserDefined | kTokenUnknown)) != 0;
}

}  // namespace

void Vocab::build_pieces() {
    piece_offsets_.reserve(static_cast<size_t>(n_tokens()) + 1);
    piece_offsets_.push_back(0);
    for (int32_t id = 0; id < n_tokens(); ++id) {
        const uint32_t attributes = tokens_->attributes(id);
        const std::string_view text = tokens_->text(id);
        const int byte = (attributes & kTokenByte) ? parse_byte_token(text) : -1;
        if (byte >= 0) {
            piece_arena_ += static_cast<char>(byte);
        } else if (attributes & kTokenNormal) {
            if (kind_ == TokenizerKind::BytePairEncoding)
                piece_arena_ += byte_level::decode(text);
            else
                piece_arena_ += replace_space_markers(text);
        } else {
            piece_arena_.append(text);  // special and added tokens are their own text
        }
        if (piece_arena_.size() >= UINT32_MAX) fail(LQ_ERR_MODEL_FORMAT, "vocabulary texts are too large");
        piece_offsets_.push_back(static_cast<uint32_t>(piece_arena_.size()));
    }
}

std::string Vocab::token_to_piece(int32_t id, bool render_special) const {
    check_token(id);
    if (!render_special && !is_shown_by_default(tokens_->attributes(id))) return {};
    return piece_arena_.substr(piece_offsets_[id], piece_offsets_[id + 1] - piece_offsets_[id]);
}

void Vocab::decode_token(int32_t id, uint32_t flags, DecodeState &state, std::string &out) const {
    check_token(id);
    const uint32_t attributes = tokens_->attributes(id);
    const bool boundary = starts_fragment(attributes);
    if ((flags & kDetokenizeRenderSpecial) || is_shown_by_default(attributes)) {
        std::string_view piece =
            std::string_view(piece_arena_).substr(piece_offsets_[id], piece_offsets_[id + 1] - piece_offsets_[id]);
        if (!piece.empty() && !boundary) {
            // The space SentencePiece (or WordPiece's word marker) put at the
            // start of a fragment is not part of the text.
            if (strips_leading_space_ && state.at_fragment_start && !(flags & kDetokenizeKeepLeadingSpace) &&
                piece[0] == ' ')
                piece.remove_prefix(1);
            state.at_fragment_start = false;
        }
        out.append(piece);
    }
    if (boundary) state.at_fragment_start = true;
}

std::string Vocab::detokenize(const int32_t *tokens, size_t count, uint32_t flags) const {
    std::string out;
    DecodeState state;
    for (size_t i = 0; i < count; ++i) decode_token(tokens[i], flags, state, out);
    return out;
}

}  // namespace lq
