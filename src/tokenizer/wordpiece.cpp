#include "tokenizer/wordpiece.h"

#include "core/utf8.h"
#include "tokenizer/unicode.h"

namespace lq {
namespace {

constexpr std::string_view kWordStart = "\xE2\x96\x81";  // U+2581 marks word-initial entries
constexpr size_t kMaxWordCharacters = 100;              // longer words are unknown, as in BERT

// The CJK blocks BERT treats as one word per character.
bool is_cjk_ideograph(uint32_t cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF) ||
           (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B920 && cp <= 0x2CEAF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
}

bool is_other(unicode::Category c) { return (unicode::mask_of(c) & unicode::kOther) != 0; }

bool is_bert_punctuation(uint32_t cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126))
        return true;
    return (unicode::mask_of(unicode::category(cp)) & unicode::kPunctuation) != 0;
}

// Steps 1 and 2 of the header: cleaning and CJK spacing.
std::vector<uint32_t> clean(std::string_view text) {
    std::vector<uint32_t> out;
    out.reserve(text.size());
    const auto *bytes = reinterpret_cast<const unsigned char *>(text.data());
    for (size_t pos = 0; pos < text.size();) {
        const unicode::Decoded d = unicode::decode_utf8(bytes + pos, text.size() - pos);
        pos += d.length;
        const uint32_t cp = d.code_point;
        if (cp == 0 || cp == unicode::kReplacementCharacter) continue;
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            out.push_back(' ');
        } else if (is_other(unicode::category(cp))) {
            continue;
        } else if (unicode::is_whitespace(cp)) {
            out.push_back(' ');
        } else if (is_cjk_ideograph(cp)) {
            out.push_back(' ');
            out.push_back(cp);
            out.push_back(' ');
        } else {
            out.push_back(cp);
        }
    }
    return out;
}

}  // namespace

WordPieceEncoder::WordPieceEncoder(const TokenTable &table, int32_t unknown) : table_(table), unknown_(unknown) {}

std::vector<std::string> WordPieceEncoder::words(std::string_view text) {
    const std::vector<uint32_t> cleaned = clean(text);
    std::vector<uint32_t> decomposed;
    decomposed.reserve(cleaned.size());
    unicode::append_nfd(cleaned.data(), cleaned.size(), decomposed);
    std::vector<uint32_t> normalized;
    normalized.reserve(decomposed.size());
    for (uint32_t cp : decomposed) {
        if (unicode::category(cp) == unicode::Category::Mn) continue;  // accents
        unicode::append_lowercase(cp, normalized);
    }

    std::vector<std::string> words;
    std::string current;
    auto finish_word = [&] {
        if (!current.empty()) words.push_back(std::move(current));
        current.clear();
    };
    for (uint32_t cp : normalized) {
        if (unicode::is_whitespace(cp)) {
            finish_word();
        } else if (is_bert_punctuation(cp)) {
            finish_word();
            utf8_append(current, cp);
            finish_word();
        } else {
            utf8_append(current, cp);
        }
    }
    finish_word();
    return words;
}

void WordPieceEncoder::encode_word(const std::string &word, std::vector<int32_t> &out, std::string &candidate) const {
    std::vector<size_t> boundaries;  // byte offset of each character, plus the end
    const auto *bytes = reinterpret_cast<const unsigned char *>(word.data());
    for (size_t pos = 0; pos < word.size(); pos += unicode::decode_utf8(bytes + pos, word.size() - pos).length)
        boundaries.push_back(pos);
    boundaries.push_back(word.size());
    const size_t characters = boundaries.size() - 1;

    const size_t first_token = out.size();
    bool covered = characters <= kMaxWordCharacters;
    for (size_t start = 0; covered && start < characters;) {
        int32_t found = -1;
        size_t end = characters;
        for (; end > start; --end) {
            const std::string_view part(word.data() + boundaries[start], boundaries[end] - boundaries[start]);
            candidate.clear();
            if (start == 0) candidate.append(kWordStart);
            if (candidate.size() + part.size() > table_.max_text_length()) continue;
            candidate.append(part);
            found = table_.find(candidate);
            if (found >= 0) break;
        }
        if (found < 0) {
            covered = false;
            break;
        }
        out.push_back(found);
        start = end;
    }
    if (!covered) {
        out.resize(first_token);
        if (unknown_ >= 0) out.push_back(unknown_);
    }
}

void WordPieceEncoder::encode(std::string_view text, std::vector<int32_t> &out) const {
    std::string candidate;
    for (const std::string &word : words(text)) encode_word(word, out, candidate);
}

}  // namespace lq
