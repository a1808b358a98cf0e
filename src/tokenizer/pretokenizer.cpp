#include "tokenizer/pretokenizer.h"

#include "core/error.h"

namespace lq {
namespace {

// The patterns below are those the models' own tokenizer configurations
// (tokenizer.json) declare, written with \x{...} escapes instead of raw
// non-ASCII characters. A model's GGUF names its pre-tokenizer with one of
// the aliases.

// GPT-2's split: contractions, letters, numbers, other symbols, each with an
// optional leading space; whitespace runs leave their last space to the next
// word.
constexpr const char *kGpt2 = R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

// Llama 3 (and relatives): case-insensitive contractions, a word may take one
// leading non-letter, numbers in groups of up to three, newlines kept together.
constexpr const char *kLlama3 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Qwen 2: as Llama 3, but every digit on its own.
constexpr const char *kQwen2 =
    R"((?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// Tekken (Mistral Nemo): words split at case changes.
constexpr const char *kTekken =
    R"([^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+)"
    R"(|[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*)"
    R"(|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+)";

// BLOOM, Poro, GPT-3 Finnish: everything up to a space or sentence punctuation
// (the parentheses and bar are literal members of the class in the original).
constexpr const char *kBloom =
    R"( ?[^(\s|.,!?\x{2026}\x{3002}\x{FF0C}\x{3001}\x{0964}\x{06D4}\x{060C})]+)";

// CJK ideographs and Hangul as used by the DeepSeek vocabularies.
constexpr const char *kDeepseekCjk = R"([\x{4E00}-\x{9FA5}\x{0800}-\x{4E00}\x{AC00}-\x{D7FF}]+)";

// The cased letters DeepSeek LLM splits words on (a fixed list in its config).
constexpr const char *kDeepseekLlmLetters =
    R"(\s?[A-Za-z\x{00B5}\x{00C0}-\x{00D6}\x{00D8}-\x{00F6}\x{00F8}-\x{01BA}\x{01BC}-\x{01BF}\x{01C4}-\x{0293})"
    R"(\x{0295}-\x{02AF}\x{0370}-\x{0373}\x{0376}\x{0377}\x{037B}-\x{037D}\x{037F}\x{0386}\x{0388}-\x{038A})"
    R"(\x{038C}\x{038E}-\x{03A1}\x{03A3}-\x{03F5}\x{03F7}-\x{0481}\x{048A}-\x{052F}\x{0531}-\x{0556})"
    R"(\x{10A0}-\x{10C5}\x{13A0}-\x{13F5}\x{13F8}-\x{13FD}\x{1C90}-\x{1CBA}\x{1CBD}-\x{1CBF}\x{1D00}-\x{1D2B})"
    R"(\x{1D6B}-\x{1D77}\x{1D79}-\x{1D9A}\x{1E00}-\x{1F15}\x{1F18}-\x{1F1D}\x{1F20}-\x{1F45}\x{1F48}-\x{1F4D})"
    R"(\x{1F50}-\x{1F57}\x{1F59}\x{1F5B}\x{1F5D}\x{1F5F}-\x{1F7D}\x{1F80}-\x{1FB4}\x{1FB6}-\x{1FBC}\x{1FBE})"
    R"(\x{1FC2}-\x{1FC4}\x{1FC6}-\x{1FCC}\x{1FD0}-\x{1FD3}\x{1FD6}-\x{1FDB}\x{1FE0}-\x{1FEC}\x{1FF2}-\x{1FF4})"
    R"(\x{1FF6}-\x{1FFC}\x{2102}\x{2107}\x{210A}-\x{2113}\x{2115}\x{2119}-\x{211D}\x{2124}\x{2126}\x{2128})"
    R"(\x{212A}-\x{212D}\x{212F}-\x{2134}\x{2139}\x{213C}-\x{213F}\x{2145}-\x{2149}\x{214E}\x{2183}\x{2184})"
    R"(\x{2C00}-\x{2C7B}\x{2C7E}-\x{2CE4}\x{2CEB}-\x{2CEE}\x{2CF2}\x{2CF3}\x{A640}-\x{A66D}\x{A680}-\x{A69B})"
    R"(\x{A722}-\x{A76F}\x{A771}-\x{A787}\x{A78B}-\x{A78E}\x{AB70}-\x{ABBF}\x{FB00}-\x{FB06}\x{FB13}-\x{FB17})"
    R"(\x{FF21}-\x{FF3A}\x{FF41}-\x{FF5A}\x{10400}-\x{1044F}\x{104B0}-\x{104D3}\x{104D8}-\x{104FB})"
    R"(\x{10C80}-\x{10CB2}\x{10CC0}-\x{10CF2}\x{118A0}-\x{118DF}\x{1E900}-\x{1E943}]+)";

struct Entry {
    const char *name;                // canonical name
    std::vector<const char *> aliases;  // other `tokenizer.ggml.pre` values meaning the same
    std::vector<const char *> patterns;
    bool ignore_merges;
    bool default_add_bos;
};

const std::vector<Entry> &table() {
    static const std::vector<Entry> entries = {
        {"default",
         {},
         {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"(\p{N}+)", R"([0-9][0-9][0-9])"},
         false,
         false},
        {"llama3", {"llama-v3", "llama-bpe", "falcon3"}, {kLlama3}, true, true},
        {"dbrx", {}, {kLlama3}, false, false},
        {"smaug", {"smaug-bpe"}, {kLlama3}, false, false},
        {"chatglm", {"chatglm-bpe"}, {kLlama3}, false, false},
        {"deepseek-llm",
         {},
         {R"([\r\n])", kDeepseekLlmLetters,
          R"(\s?[!-/:-~\x{FF01}-\x{FF0F}\x{FF1A}-\x{FF5E}\x{2018}-\x{201F}\x{3000}-\x{3002}]+)", R"(\s+$)",
          kDeepseekCjk, R"(\p{N}+)"},
         false,
         false},
        {"deepseek3-llm",
         {"deepseek-v3"},
         {R"(\p{N}{1,3})", R"([\x{4E00}-\x{9FA5}\x{3040}-\x{309F}\x{30A0}-\x{30FF}]+)",
          R"([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+)"
          R"(| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+)"},
         false,
         false},
        {"deepseek-coder",
         {},
         {R"([\r\n])", R"(\s?\p{L}+)", R"(\s?\p{P}+)", kDeepseekCjk, R"(\p{N})"},
         false,
         false},
        {"falcon", {}, {R"([\p{P}\$\+<=>\^~\|]+)", kGpt2, R"([0-9][0-9][0-9])"}, false, false},
        {"gpt-2",
         {"phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code",
          "roberta-bpe"},
         {kGpt2},
         false,
         false},
        {"mpt", {}, {kGpt2}, false, false},
        {"olmo", {}, {kGpt2}, false, false},
        {"jais", {}, {kGpt2}, false, false},
        {"starcoder", {}, {R"(\p{N})", kGpt2}, false, false},
        {"refact", {}, {R"(\p{N})", kGpt2}, false, false},
        {"command-r", {}, {R"(\p{N})", kGpt2}, false, false},
        {"smollm", {}, {R"(\p{N})", kGpt2}, false, false},
        {"codeshell", {}, {R"(\p{N})", kGpt2}, false, false},
        {"exaone", {}, {R"(\p{N})", kGpt2}, false, false},
        {"minerva", {"minerva-7b"}, {R"(\p{N})", kGpt2}, false, false},
        {"qwen2", {"deepseek-r1-qwen", "megrez"}, {kQwen2}, false, false},
        {"stablelm2", {}, {kQwen2}, false, false},
        {"poro", {"poro-chat"}, {kBloom}, false, false},
        {"bloom", {}, {kBloom}, false, false},
        {"gpt3-finnish", {}, {kBloom}, false, false},
        {"viking", {}, {kBloom, R"(\p{N})"}, false, false},
        {"tekken", {}, {kTekken}, true, true},
        {"chameleon",
         {},
         {R"(<sentinel:[0-9]+>)", R"((IMGIMG)((A|B|C|D|E|F|G|H|I){1,4})Z)", "([\\t\\n]|    |  )", R"(\p{N})",
          R"([\p{P}!-/:-@\[-`{-~])", kGpt2},
         false,
         true},
    };
    return entries;
}

const Entry *find_entry(std::string_view name) {
    for (const Entry &e : table()) {
        if (name == e.name) return &e;
        for (const char *alias : e.aliases)
            if (name == alias) return &e;
    }
    return nullptr;
}

}  // namespace

std::unique_ptr<PreTokenizer> PreTokenizer::create(std::string_view name) {
    const Entry *entry = find_entry(name);
    if (!entry)
        fail(LQ_ERR_UNSUPPORTED, "unknown pre-tokenizer '%.*s' (tokenizer.ggml.pre)", static_cast<int>(name.size()),
             name.data());
    std::unique_ptr<PreTokenizer> result(new PreTokenizer());
    result->name_ = entry->name;
    for (const char *pattern : entry->patterns) result->patterns_.push_back(regex::Regex::compile(pattern));
    result->ignore_merges_ = entry->ignore_merges;
    result->default_add_bos_ = entry->default_add_bos;
    return result;
}

std::unique_ptr<PreTokenizer> PreTokenizer::from_patterns(std::string name, const std::vector<std::string> &patterns) {
    std::unique_ptr<PreTokenizer> result(new PreTokenizer());
    result->name_ = std::move(name);
    for (const std::string &pattern : patterns) result->patterns_.push_back(regex::Regex::compile(pattern));
    return result;
}

std::vector<std::string> PreTokenizer::names() {
    std::vector<std::string> names;
    for (const Entry &e : table()) names.emplace_back(e.name);
    return names;
}

bool PreTokenizer::is_known(std::string_view name) { return find_entry(name) != nullptr; }

void PreTokenizer::split(std::string_view text, std::vector<Piece> &pieces) const {
    pieces.clear();
    if (text.empty()) return;
    pieces.push_back({0, text.size()});
    std::vector<Piece> next;
    regex::Scratch scratch;
    // Backtracking may spend a bounded amount of work per byte; past it the
    // linear-time matcher does the rest (see regex.h).
    scratch.backtrack_allowance = 64 * text.size() * patterns_.size() + (size_t(1) << 16);
    for (const regex::Regex &pattern : patterns_) {
        next.clear();
        next.reserve(pieces.size() * 2);
        for (const Piece &piece : pieces) {
            const std::string_view span = text.substr(piece.first, piece.second - piece.first);
            size_t cursor = 0, begin = 0, end = 0;
            while (cursor < span.size() && pattern.find(span, cursor, &begin, &end, scratch)) {
                if (begin > cursor) next.push_back({piece.first + cursor, piece.first + begin});
                next.push_back({piece.first + begin, piece.first + end});
                cursor = end;
            }
            if (cursor < span.size()) next.push_back({piece.first + cursor, piece.second});
        }
        pieces.swap(next);
    }
}

std::vector<std::string> PreTokenizer::split(std::string_view text) const {
    std::vector<Piece> pieces;
    split(text, pieces);
    std::vector<std::string> result;
    result.reserve(pieces.size());
    for (const Piece &p : pieces) result.emplace_back(text.substr(p.first, p.second - p.first));
    return result;
}

}  // namespace lq
