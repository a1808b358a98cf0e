// lq_tokenize, lq_detokenize, token pieces and attributes, vocabulary info,
// and the streaming detokenizer.
#include <cstring>

#include "api/guard.h"
#include "api/handles.h"
#include "tokenizer/detokenizer.h"
#include "tokenizer/vocab.h"

using lq::api::guarded;
using lq::api::require;

struct lq_detokenizer {
    lq::StreamingDetokenizer impl;
};

namespace {

constexpr bool same(uint32_t a, uint32_t b) { return a == b; }
static_assert(same(LQ_TOKEN_NORMAL, lq::kTokenNormal) && same(LQ_TOKEN_CONTROL, lq::kTokenControl) &&
                  same(LQ_TOKEN_USER_DEFINED, lq::kTokenUserDefined) && same(LQ_TOKEN_BYTE, lq::kTokenByte) &&
                  same(LQ_TOKEN_UNKNOWN, lq::kTokenUnknown) && same(LQ_TOKEN_UNUSED, lq::kTokenUnused) &&
                  same(LQ_TOKEN_END_OF_GENERATION, lq::kTokenEndOfGeneration),
              "public token attributes must equal the core's");
static_assert(same(LQ_DETOKENIZE_RENDER_SPECIAL, lq::kDetokenizeRenderSpecial) &&
                  same(LQ_DETOKENIZE_KEEP_LEADING_SPACE, lq::kDetokenizeKeepLeadingSpace),
              "public detokenize flags must equal the core's");

constexpr uint32_t kKnownTokenizeFlags = LQ_TOKENIZE_ADD_SPECIAL | LQ_TOKENIZE_PARSE_SPECIAL;
constexpr uint32_t kKnownDetokenizeFlags = LQ_DETOKENIZE_RENDER_SPECIAL | LQ_DETOKENIZE_KEEP_LEADING_SPACE;

const lq::Vocab &vocab_of(const lq_model *model) {
    require(model, "model");
    const lq::Vocab *vocab = model->impl->vocab();
    if (!vocab)
        lq::fail(LQ_ERR_NOT_FOUND, "the model has no vocabulary: its file has no tokenizer, or it was loaded with "
                                   "LQ_MODEL_METADATA_ONLY");
    return *vocab;
}

void check_flags(uint32_t flags, uint32_t known, const char *what) {
    if (flags & ~known) lq::fail(LQ_ERR_INVALID_ARGUMENT, "%s: unknown flags 0x%x", what, flags & ~known);
}

lq_tokenizer_type public_type(lq::TokenizerKind kind) {
    switch (kind) {
    case lq::TokenizerKind::SentencePiece: return LQ_TOKENIZER_SPM;
    case lq::TokenizerKind::BytePairEncoding: return LQ_TOKENIZER_BPE;
    case lq::TokenizerKind::WordPiece: return LQ_TOKENIZER_WORDPIECE;
    }
    return LQ_TOKENIZER_SPM;
}

}  // namespace

extern "C" {

LQ_API lq_status lq_model_get_vocab_info(const lq_model *model, lq_vocab_info *info) {
    return guarded([&] {
        require(info, "info");
        const lq::Vocab &vocab = vocab_of(model);
        const lq::SpecialTokens &s = vocab.special();
        lq_vocab_info full = LQ_VOCAB_INFO_INIT;
        full.tokenizer_type = public_type(vocab.kind());
        full.n_tokens = static_cast<uint32_t>(vocab.n_tokens());
        full.bos = s.bos;
        full.eos = s.eos;
        full.eot = s.eot;
        full.eom = s.eom;
        full.unk = s.unknown;
        full.sep = s.separator;
        full.pad = s.padding;
        full.cls = s.cls;
        full.mask = s.mask;
        full.fim_pre = s.fim_prefix;
        full.fim_suf = s.fim_suffix;
        full.fim_mid = s.fim_middle;
        full.fim_pad = s.fim_pad;
        full.fim_rep = s.fim_repo;
        full.fim_sep = s.fim_separator;
        full.add_bos = vocab.add_bos() ? 1u : 0u;
        full.add_eos = vocab.add_eos() ? 1u : 0u;
        full.add_space_prefix = vocab.add_space_prefix() ? 1u : 0u;
        full.model = vocab.model_name().c_str();
        full.pre = vocab.pre_name().c_str();
        lq::api::write_output(full, info, "lq_vocab_info");
    });
}

LQ_API lq_status lq_tokenize(const lq_model *model, const char *text, size_t text_len, uint32_t flags,
                             int32_t *tokens, size_t capacity, size_t *n_tokens_out) {
    return guarded([&] {
        require(n_tokens_out, "n_tokens_out");
        if (text_len) require(text, "text");
        check_flags(flags, kKnownTokenizeFlags, "lq_tokenize");
        const lq::Vocab &vocab = vocab_of(model);
        const std::vector<int32_t> ids = vocab.tokenize(std::string_view(text ? text : "", text_len),
                                                        (flags & LQ_TOKENIZE_ADD_SPECIAL) != 0,
                                                        (flags & LQ_TOKENIZE_PARSE_SPECIAL) != 0);
        *n_tokens_out = ids.size();
        if (ids.size() > capacity)
            lq::fail(LQ_ERR_BUFFER_TOO_SMALL, "buffer of %zu tokens is too small; %zu needed", capacity, ids.size());
        if (ids.empty()) return;
        require(tokens, "tokens");
        std::memcpy(tokens, ids.data(), ids.size() * sizeof(int32_t));
    });
}

LQ_API lq_status lq_detokenize(const lq_model *model, const int32_t *tokens, size_t n_tokens, uint32_t flags,
                               char *text, size_t capacity, size_t *needed_out) {
    return guarded([&] {
        require(needed_out, "needed_out");
        if (n_tokens) require(tokens, "tokens");
        check_flags(flags, kKnownDetokenizeFlags, "lq_detokenize");
        const lq::Vocab &vocab = vocab_of(model);
        lq::api::copy_text_out(vocab.detokenize(tokens, n_tokens, flags), text, capacity, needed_out);
    });
}

LQ_API lq_status lq_token_to_piece(const lq_model *model, int32_t token, uint32_t flags, char *piece,
                                   size_t capacity, size_t *needed_out) {
    return guarded([&] {
        require(needed_out, "needed_out");
        check_flags(flags, kKnownDetokenizeFlags, "lq_token_to_piece");
        const lq::Vocab &vocab = vocab_of(model);
        lq::api::copy_text_out(vocab.token_to_piece(token, (flags & LQ_DETOKENIZE_RENDER_SPECIAL) != 0), piece,
                               capacity, needed_out);
    });
}

LQ_API lq_status lq_token_attributes(const lq_model *model, int32_t token, uint32_t *attributes_out) {
    return guarded([&] {
        require(attributes_out, "attributes_out");
        const lq::Vocab &vocab = vocab_of(model);
        vocab.check_token(token);
        *attributes_out = vocab.attributes(token);
    });
}

LQ_API lq_status lq_detokenizer_create(const lq_model *model, uint32_t flags, lq_detokenizer **detokenizer_out) {
    if (detokenizer_out) *detokenizer_out = nullptr;
    return guarded([&] {
        require(detokenizer_out, "detokenizer_out");
        check_flags(flags, kKnownDetokenizeFlags, "lq_detokenizer_create");
        const lq::Vocab &vocab = vocab_of(model);
        *detokenizer_out = new lq_detokenizer{lq::StreamingDetokenizer(vocab, flags)};
    });
}

LQ_API lq_status lq_detokenizer_push(lq_detokenizer *detokenizer, int32_t token, char *text, size_t capacity,
                                     size_t *needed_out) {
    return guarded([&] {
        require(detokenizer, "detokenizer");
        require(needed_out, "needed_out");
        lq::StreamingDetokenizer::Step step = detokenizer->impl.prepare(token);
        lq::api::copy_text_out(step.ready, text, capacity, needed_out);  // throws, changing nothing, when too small
        detokenizer->impl.commit(std::move(step));
    });
}

LQ_API lq_status lq_detokenizer_flush(lq_detokenizer *detokenizer, char *text, size_t capacity, size_t *needed_out) {
    return guarded([&] {
        require(detokenizer, "detokenizer");
        require(needed_out, "needed_out");
        lq::api::copy_text_out(detokenizer->impl.pending(), text, capacity, needed_out);
        detokenizer->impl.flush();
    });
}

LQ_API void lq_detokenizer_free(lq_detokenizer *detokenizer) { delete detokenizer; }

}  // extern "C"
