// Building a Vocab from GGUF metadata, and tokenization.
#include "tokenizer/vocab.h"

#include <initializer_list>

#include "core/error.h"
#include "core/log.h"
#include "tokenizer/bpe.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/special_tokens.h"
#include "tokenizer/spm.h"
#include "tokenizer/wordpiece.h"

namespace lq {
namespace {

const GgufValue *find_array(const GgufFile &gguf, const char *key, bool numeric, size_t expected_count) {
    const GgufValue *v = gguf.find(key);
    if (!v) return nullptr;
    if (v->type != GgufType::ARRAY) fail(LQ_ERR_MODEL_FORMAT, "%s: expected an array, found %s", key, gguf_type_name(v->type));
    if (numeric) {
        if (v->element_type == GgufType::STRING || v->element_type == GgufType::ARRAY)
            fail(LQ_ERR_MODEL_FORMAT, "%s: expected an array of numbers, found one of %s", key,
                 gguf_type_name(v->element_type));
    } else if (v->element_type != GgufType::STRING) {
        fail(LQ_ERR_MODEL_FORMAT, "%s: expected an array of strings, found one of %s", key,
             gguf_type_name(v->element_type));
    }
    if (expected_count != SIZE_MAX && v->count != expected_count)
        fail(LQ_ERR_MODEL_FORMAT, "%s has %llu entries but tokenizer.ggml.tokens has %zu", key,
             static_cast<unsigned long long>(v->count), expected_count);
    return v;
}

// Token texts by which models mark their roles, for vocabularies whose
// metadata does not name the ids. Earlier entries win.
const std::initializer_list<const char *> kEndOfTurnTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|EOT|>", "<|endoftext|>", "<EOT>",
    "\xE2\x96\x81<EOT>",                                                          // CodeLlama: ▁<EOT>
    "<\xEF\xBD\x9C" "end\xE2\x96\x81of\xE2\x96\x81sentence\xEF\xBD\x9C>",  // DeepSeek: <｜end▁of▁sentence｜>
};
const std::initializer_list<const char *> kEndOfMessageTexts = {"<|eom_id|>"};
const std::initializer_list<const char *> kFimPrefixTexts = {
    "<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<\xEF\xBD\x9C" "fim\xE2\x96\x81" "begin\xEF\xBD\x9C>", "\xE2\x96\x81<PRE>",
    "<PRE>"};
const std::initializer_list<const char *> kFimSuffixTexts = {
    "<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<\xEF\xBD\x9C" "fim\xE2\x96\x81hole\xEF\xBD\x9C>", "\xE2\x96\x81<SUF>",
    "<SUF>"};
const std::initializer_list<const char *> kFimMiddleTexts = {
    "<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<\xEF\xBD\x9C" "fim\xE2\x96\x81" "end\xEF\xBD\x9C>", "\xE2\x96\x81<MID>",
    "<MID>"};
const std::initializer_list<const char *> kFimPadTexts = {"<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>"};
const std::initializer_list<const char *> kFimRepoTexts = {"<|fim_repo|>", "<|repo_name|>", "<fim-repo>",
                                                           "<repo_name>", "<REPO>"};
const std::initializer_list<const char *> kFimSeparatorTexts = {"<|file_sep|>", "<file_sep>", "<|file_separator|>"};
// Tokens that end generation whatever role the metadata gives them.
const std::initializer_list<const char *> kEndOfGenerationTexts = {
    "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "<|EOT|>",
    "\xE2\x96\x81<EOT>"};

}  // namespace

Vocab::Vocab() = default;
Vocab::~Vocab() = default;

std::unique_ptr<Vocab> Vocab::from_gguf(const GgufFile &gguf) {
    const std::string_view model = gguf.get_string("tokenizer.ggml.model");
    if (model.empty() || model == "none" || model == "no_vocab") return nullptr;

    std::unique_ptr<Vocab> vocab(new Vocab());
    vocab->model_name_ = std::string(model);
    if (model == "llama") {
        vocab->kind_ = TokenizerKind::SentencePiece;
    } else if (model == "gpt2") {
        vocab->kind_ = TokenizerKind::BytePairEncoding;
    } else if (model == "bert") {
        vocab->kind_ = TokenizerKind::WordPiece;
    } else {
        fail(LQ_ERR_UNSUPPORTED, "tokenizer model '%.*s' (tokenizer.ggml.model) is not supported; "
             "supported: llama, gpt2, bert", static_cast<int>(model.size()), model.data());
    }

    const GgufValue *texts = find_array(gguf, "tokenizer.ggml.tokens", false, SIZE_MAX);
    if (!texts || texts->count == 0) fail(LQ_ERR_MODEL_FORMAT, "tokenizer.ggml.tokens is missing or empty");
    const size_t count = texts->strings.size();
    const GgufValue *scores = find_array(gguf, "tokenizer.ggml.scores", true, count);
    const GgufValue *types = find_array(gguf, "tokenizer.ggml.token_type", true, count);
    std::vector<float> score_values(count, 0.0f);
    std::vector<uint32_t> attributes(count, kTokenNormal);  // no types: every token is text
    for (size_t i = 0; i < count; ++i) {
        if (scores) score_values[i] = static_cast<float>(scores->float_at(i));
        if (types) attributes[i] = attributes_from_gguf_type(types->int_at(i));
    }
    vocab->tokens_ = std::make_unique<TokenTable>(texts->strings, std::move(score_values), std::move(attributes));

    vocab->pre_name_ = std::string(gguf.get_string("tokenizer.ggml.pre"));
    vocab->load_special_tokens(gguf);

    const TokenTable &table = *vocab->tokens_;
    const int32_t unknown = vocab->special_.unknown;
    switch (vocab->kind_) {
    case TokenizerKind::SentencePiece:
        vocab->add_bos_ = true;
        vocab->add_space_prefix_ = gguf.get_bool("tokenizer.ggml.add_space_prefix", true);
        vocab->strips_leading_space_ = vocab->add_space_prefix_;
        vocab->spm_ = std::make_unique<SentencePieceEncoder>(table, unknown);
        break;
    case TokenizerKind::BytePairEncoding: {
        if (vocab->pre_name_.empty()) {
            log(LQ_LOG_WARN, "tokenizer.ggml.pre is missing: using the 'default' pre-tokenizer, which may "
                             "tokenize differently from the model's training");
            vocab->pre_name_ = "default";
        }
        vocab->pre_tokenizer_ = PreTokenizer::create(vocab->pre_name_);
        vocab->pre_name_ = vocab->pre_tokenizer_->name();
        vocab->add_bos_ = vocab->pre_tokenizer_->default_add_bos();
        const GgufValue *merges = find_array(gguf, "tokenizer.ggml.merges", false, SIZE_MAX);
        if (!merges) fail(LQ_ERR_MODEL_FORMAT, "tokenizer.ggml.merges is missing (needed by a gpt2 tokenizer)");
        vocab->bpe_ = std::make_unique<BpeEncoder>(table, *merges, *vocab->pre_tokenizer_, unknown);
        break;
    }
    case TokenizerKind::WordPiece:
        vocab->add_bos_ = true;
        vocab->add_eos_ = true;
        vocab->strips_leading_space_ = true;  // '▁' marks word starts, not text
        vocab->wordpiece_ = std::make_unique<WordPieceEncoder>(table, unknown);
        break;
    }
    vocab->add_bos_ = gguf.get_bool("tokenizer.ggml.add_bos_token", vocab->add_bos_);
    vocab->add_eos_ = gguf.get_bool("tokenizer.ggml.add_eos_token", vocab->add_eos_);

    const SpecialTokens &s = vocab->special_;
    vocab->prefix_token_ = vocab->add_bos_ ? s.bos : -1;
    if (vocab->add_eos_)
        vocab->suffix_token_ = vocab->kind_ == TokenizerKind::WordPiece && s.separator >= 0 ? s.separator : s.eos;
    if (vocab->add_bos_ && s.bos < 0) log(LQ_LOG_WARN, "the vocabulary asks for BOS but has no BOS token");

    vocab->special_matcher_ = std::make_unique<SpecialTokenMatcher>(table);
    vocab->build_pieces();
    log(LQ_LOG_INFO, "vocabulary: %s, %d tokens, pre-tokenizer '%s', %zu special tokens", vocab->model_name_.c_str(),
        vocab->n_tokens(), vocab->pre_name_.c_str(), vocab->special_matcher_->size());
    return vocab;
}

void Vocab::load_special_tokens(const GgufFile &gguf) {
    const int32_t n = tokens_->size();
    auto read_id = [&](const char *key, int32_t fallback) -> int32_t {
        const GgufValue *v = gguf.find(key);
        if (!v) return fallback;
        int64_t id;
        if (!v->to_int(&id)) fail(LQ_ERR_MODEL_FORMAT, "%s: expected an integer, found %s", key, gguf_type_name(v->type));
        // GGUF writers say "no such token" with -1, stored as an int32 or as
        // the uint32 0xFFFFFFFF: silently none. Other ids outside the
        // vocabulary are a writer's mistake worth a warning.
        if (id == -1 || id == INT64_C(0xFFFFFFFF)) return fallback;
        if (id < 0 || id >= n) {
            log(LQ_LOG_WARN, "%s = %lld is not a token id (vocabulary of %d): ignored", key,
                static_cast<long long>(id), n);
            return fallback;
        }
        return static_cast<int32_t>(id);
    };
    auto existing = [&](int32_t id) { return id < n ? id : -1; };

    // Conventional ids when the metadata is silent: Llama's <unk> <s> </s>,
    // and BERT's [PAD] [UNK] [CLS] [SEP] [MASK].
    SpecialTokens &s = special_;
    const bool spm = kind_ == TokenizerKind::SentencePiece;
    const bool bert = kind_ == TokenizerKind::WordPiece;
    s.unknown = read_id("tokenizer.ggml.unknown_token_id", spm ? existing(0) : bert ? existing(100) : -1);
    s.cls = read_id("tokenizer.ggml.cls_token_id", bert ? existing(101) : -1);
    s.bos = read_id("tokenizer.ggml.bos_token_id", spm ? existing(1) : bert ? s.cls : -1);  // BERT starts with [CLS]
    s.eos = read_id("tokenizer.ggml.eos_token_id", spm ? existing(2) : -1);
    s.eot = read_id("tokenizer.ggml.eot_token_id", -1);
    s.eom = read_id("tokenizer.ggml.eom_token_id", -1);
    s.separator = read_id("tokenizer.ggml.seperator_token_id", bert ? existing(102) : -1);  // sic: GGUF's spelling
    s.padding = read_id("tokenizer.ggml.padding_token_id", bert ? existing(0) : -1);
    s.mask = read_id("tokenizer.ggml.mask_token_id", bert ? existing(103) : -1);
    // The fill-in-the-middle keys replaced prefix/suffix/middle_token_id.
    s.fim_prefix = read_id("tokenizer.ggml.fim_pre_token_id", read_id("tokenizer.ggml.prefix_token_id", -1));
    s.fim_suffix = read_id("tokenizer.ggml.fim_suf_token_id", read_id("tokenizer.ggml.suffix_token_id", -1));
    s.fim_middle = read_id("tokenizer.ggml.fim_mid_token_id", read_id("tokenizer.ggml.middle_token_id", -1));
    s.fim_pad = read_id("tokenizer.ggml.fim_pad_token_id", -1);
    s.fim_repo = read_id("tokenizer.ggml.fim_rep_token_id", -1);
    s.fim_separator = read_id("tokenizer.ggml.fim_sep_token_id", -1);

    auto by_text = [&](int32_t &id, std::initializer_list<const char *> texts) {
        if (id >= 0) return;
        for (const char *text : texts) {
            const int32_t found = tokens_->find(text);
            if (found >= 0) {
                id = found;
                return;
            }
        }
    };
    by_text(s.eot, kEndOfTurnTexts);
    by_text(s.eom, kEndOfMessageTexts);
    by_text(s.fim_prefix, kFimPrefixTexts);
    by_text(s.fim_suffix, kFimSuffixTexts);
    by_text(s.fim_middle, kFimMiddleTexts);
    by_text(s.fim_pad, kFimPadTexts);
    by_text(s.fim_repo, kFimRepoTexts);
    by_text(s.fim_separator, kFimSeparatorTexts);

    for (int32_t id : {s.eos, s.eot, s.eom, s.fim_pad, s.fim_repo, s.fim_separator})
        if (id >= 0) tokens_->add_attributes(id, kTokenEndOfGeneration);
    for (const char *text : kEndOfGenerationTexts) {
        const int32_t id = tokens_->find(text);
        if (id >= 0) tokens_->add_attributes(id, kTokenEndOfGeneration);
    }
}

void Vocab::check_token(int32_t id) const {
    if (!is_valid(id)) fail(LQ_ERR_INVALID_ARGUMENT, "token id %d is out of range (vocabulary of %d tokens)", id, n_tokens());
}

std::vector<int32_t> Vocab::tokenize(std::string_view text, bool add_special, bool parse_special) const {
    std::vector<int32_t> out;
    tokenize(text, add_special, parse_special, out);
    return out;
}

void Vocab::tokenize(std::string_view text, bool add_special, bool parse_special, std::vector<int32_t> &out) const {
    if (text.size() > max_text_bytes())
        fail(LQ_ERR_INVALID_ARGUMENT, "text of %zu bytes is longer than the %zu bytes one call accepts", text.size(),
             max_text_bytes());
    out.clear();
    out.reserve(text.size() / 3 + 4);
    if (add_special && prefix_token_ >= 0) out.push_back(prefix_token_);

    std::vector<Fragment> fragments;
    special_matcher_->partition(text, parse_special, fragments);
    // SentencePiece's dummy prefix goes in front of text that starts the
    // input or follows a special token, as in the reference tokenizer.
    bool after_special = true;
    for (const Fragment &fragment : fragments) {
        if (fragment.token >= 0) {
            out.push_back(fragment.token);
            after_special = true;
            continue;
        }
        const std::string_view raw = text.substr(fragment.begin, fragment.end - fragment.begin);
        switch (kind_) {
        case TokenizerKind::SentencePiece: spm_->encode(raw, add_space_prefix_ && after_special, out); break;
        case TokenizerKind::BytePairEncoding: bpe_->encode(raw, out); break;
        case TokenizerKind::WordPiece: wordpiece_->encode(raw, out); break;
        }
        after_special = false;
    }

    if (add_special && suffix_token_ >= 0) out.push_back(suffix_token_);
}

}  // namespace lq
