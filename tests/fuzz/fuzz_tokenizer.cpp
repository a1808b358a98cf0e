// Fuzz target for the tokenizers, through the C interface as applications
// call it. The six vocabularies of ../shared/tokenizer-tests are loaded once.
//
// Input layout: byte 0 picks the vocabulary and the flags, the rest is the
// text. Each input is
//   1. tokenized (with the chosen flags); every id must be valid, and where
//      the tokenizer is lossless, detokenizing must give the text back;
//   2. detokenized through the streaming detokenizer too, which must agree
//      with the one-shot result;
//   3. read as an array of int32 token ids (valid or not) and detokenized,
//      which must either succeed or report LQ_ERR_INVALID_ARGUMENT.
// Any violation aborts, which the fuzzer reports as a crash.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "libquant/libquant.h"

namespace {

const char *const kVocabularies[] = {"llama-spm", "phi-3", "gpt-2", "starcoder", "deepseek-coder", "bert-bge"};
constexpr size_t kVocabularyCount = sizeof kVocabularies / sizeof kVocabularies[0];

struct Loaded {
    lq_model *models[kVocabularyCount] = {};
};

std::string shared_dir() {
    if (const char *env = std::getenv("LQ_SHARED_DIR")) return env;
#ifdef LQ_FUZZ_SHARED_DIR
    return LQ_FUZZ_SHARED_DIR;
#else
    return "../shared";
#endif
}

const Loaded &loaded() {
    static const Loaded instance = [] {
        Loaded l;
        for (size_t i = 0; i < kVocabularyCount; ++i) {
            const std::string path = shared_dir() + "/tokenizer-tests/ggml-vocab-" + kVocabularies[i] + ".gguf";
            lq_model_options options = LQ_MODEL_OPTIONS_INIT;
            options.flags = LQ_MODEL_VOCAB_ONLY;
            if (lq_model_load(&l.models[i], path.c_str(), &options) != LQ_OK) {
                std::fprintf(stderr, "fuzz_tokenizer: cannot load %s: %s (set LQ_SHARED_DIR)\n", path.c_str(),
                             lq_last_error_message());
                std::abort();
            }
        }
        return l;
    }();
    return instance;
}

[[noreturn]] void violation(const char *what, const std::string &text) {
    std::fprintf(stderr, "fuzz_tokenizer: %s (input of %zu bytes)\n", what, text.size());
    std::abort();
}

bool valid_utf8(const std::string &s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        const uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}

// Whether tokenize + detokenize must reproduce the text (see
// docs/tokenizers.md: WordPiece normalises, SentencePiece turns a literal
// U+2581 into a space, StarCoder and DeepSeek-Coder lack plain tokens for
// bytes that valid UTF-8 never has).
bool must_round_trip(size_t vocabulary, const std::string &text) {
    const std::string name = kVocabularies[vocabulary];
    if (name == "bert-bge") return false;
    if ((name == "llama-spm" || name == "phi-3") && text.find("\xE2\x96\x81") != std::string::npos) return false;
    if ((name == "starcoder" || name == "deepseek-coder") && !valid_utf8(text)) return false;
    return true;
}

std::string detokenize(lq_model *model, const int32_t *ids, size_t count, uint32_t flags, lq_status *status) {
    size_t needed = 0;
    *status = lq_detokenize(model, ids, count, flags, nullptr, 0, &needed);
    if (*status != LQ_ERR_BUFFER_TOO_SMALL) return std::string();
    std::string text(needed, '\0');
    *status = lq_detokenize(model, ids, count, flags, &text[0], text.size(), &needed);
    text.resize(needed ? needed - 1 : 0);
    return text;
}

std::string stream(lq_model *model, const std::vector<int32_t> &ids, uint32_t flags) {
    lq_detokenizer *detokenizer = nullptr;
    if (lq_detokenizer_create(model, flags, &detokenizer) != LQ_OK) violation("detokenizer_create failed", "");
    std::string out;
    std::vector<char> buffer(8);
    for (int32_t id : ids) {
        size_t needed = 0;
        lq_status s = lq_detokenizer_push(detokenizer, id, buffer.data(), buffer.size(), &needed);
        if (s == LQ_ERR_BUFFER_TOO_SMALL) {
            buffer.resize(needed);
            s = lq_detokenizer_push(detokenizer, id, buffer.data(), buffer.size(), &needed);
        }
        if (s != LQ_OK) violation("detokenizer_push failed on a valid id", "");
        out.append(buffer.data(), needed - 1);
    }
    size_t needed = 0;
    if (lq_detokenizer_flush(detokenizer, buffer.data(), buffer.size(), &needed) != LQ_OK)
        violation("detokenizer_flush failed", "");
    out.append(buffer.data(), needed - 1);
    lq_detokenizer_free(detokenizer);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size == 0) return 0;
    const Loaded &l = loaded();
    const size_t vocabulary = data[0] % kVocabularyCount;
    const uint32_t selector = data[0] / kVocabularyCount;
    uint32_t flags = 0;
    if (selector & 1) flags |= LQ_TOKENIZE_ADD_SPECIAL;
    if (selector & 2) flags |= LQ_TOKENIZE_PARSE_SPECIAL;
    lq_model *model = l.models[vocabulary];
    const std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);

    // 1. Tokenize, with a buffer that is sometimes too small.
    std::vector<int32_t> ids(text.size() / 2 + 1);
    size_t count = 0;
    lq_status status = lq_tokenize(model, text.data(), text.size(), flags, ids.data(), ids.size(), &count);
    if (status == LQ_ERR_BUFFER_TOO_SMALL) {
        ids.resize(count);
        status = lq_tokenize(model, text.data(), text.size(), flags, ids.data(), ids.size(), &count);
    }
    if (status != LQ_OK) violation("lq_tokenize failed", text);
    ids.resize(count);
    lq_vocab_info info = LQ_VOCAB_INFO_INIT;
    if (lq_model_get_vocab_info(model, &info) != LQ_OK) violation("no vocabulary info", text);
    for (int32_t id : ids)
        if (id < 0 || static_cast<uint32_t>(id) >= info.n_tokens) violation("invalid token id produced", text);

    // Round trip: special tokens added by ADD_SPECIAL render as nothing by
    // default, and parsed special text needs RENDER_SPECIAL to come back.
    const uint32_t detokenize_flags = (flags & LQ_TOKENIZE_PARSE_SPECIAL) ? LQ_DETOKENIZE_RENDER_SPECIAL : 0;
    const bool added_special = (flags & LQ_TOKENIZE_ADD_SPECIAL) && (flags & LQ_TOKENIZE_PARSE_SPECIAL);
    const std::string back = detokenize(model, ids.data(), ids.size(), detokenize_flags, &status);
    if (status != LQ_OK) violation("lq_detokenize failed on its own tokens", text);
    if (!added_special && must_round_trip(vocabulary, text) && back != text) violation("round trip differs", text);

    // 2. Streaming equals one-shot.
    if (stream(model, ids, detokenize_flags) != back) violation("streaming differs from lq_detokenize", text);

    // 3. Arbitrary ids: success or a clean invalid-argument error.
    std::vector<int32_t> arbitrary(text.size() / sizeof(int32_t));
    if (!arbitrary.empty()) std::memcpy(arbitrary.data(), text.data(), arbitrary.size() * sizeof(int32_t));
    detokenize(model, arbitrary.data(), arbitrary.size(), LQ_DETOKENIZE_RENDER_SPECIAL, &status);
    if (status != LQ_OK && status != LQ_ERR_INVALID_ARGUMENT) violation("unexpected status on arbitrary ids", text);
    for (int32_t id : arbitrary) {
        char piece[64];
        size_t needed = 0;
        const lq_status s = lq_token_to_piece(model, id, LQ_DETOKENIZE_RENDER_SPECIAL, piece, sizeof piece, &needed);
        if (s != LQ_OK && s != LQ_ERR_INVALID_ARGUMENT && s != LQ_ERR_BUFFER_TOO_SMALL)
            violation("unexpected status from lq_token_to_piece", text);
    }
    return 0;
}
