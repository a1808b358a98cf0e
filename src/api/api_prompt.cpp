// lq_infill_prompt, lq_infill, lq_chat_template_name, lq_chat_apply_template.
#include <climits>
#include <string>
#include <vector>

#include "api/generate_request.h"
#include "api/guard.h"
#include "api/handles.h"
#include "prompt/chat.h"
#include "prompt/infill.h"
#include "tokenizer/vocab.h"

using lq::api::guarded;
using lq::api::require;

namespace {

const lq::Vocab &vocab_of(const lq_model *model) {
    require(model, "model");
    const lq::Vocab *vocab = model->impl->vocab();
    if (!vocab) lq::fail(LQ_ERR_NOT_FOUND, "the model has no vocabulary");
    return *vocab;
}

// The request of an lq_infill_options; max_tokens 0 stays 0 (the caller decides).
lq::InfillRequest infill_request(const lq_infill_options *options, lq_infill_options &o) {
    require(options, "options");
    o = LQ_INFILL_OPTIONS_INIT;
    lq::api::read_options(options, &o, "lq_infill_options");
    if (o.flags & ~static_cast<uint32_t>(LQ_INFILL_SUFFIX_FIRST))
        lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown infill flags 0x%x", o.flags);
    if (o.prefix_len) require(o.prefix, "prefix");
    if (o.suffix_len) require(o.suffix, "suffix");
    lq::InfillRequest request;
    request.prefix = std::string_view(o.prefix ? o.prefix : "", o.prefix_len);
    request.suffix = std::string_view(o.suffix ? o.suffix : "", o.suffix_len);
    if (o.n_files) {
        require(o.file_names, "file_names");
        require(o.file_texts, "file_texts");
    }
    for (size_t i = 0; i < o.n_files; ++i) {
        require(o.file_names[i], "file name");
        require(o.file_texts[i], "file text");
        request.files.push_back({o.file_names[i], o.file_texts[i]});
    }
    request.repo_name = o.repo_name ? o.repo_name : "";
    request.file_name = o.file_name ? o.file_name : "";
    request.max_tokens = o.max_prompt_tokens;
    request.suffix_first = (o.flags & LQ_INFILL_SUFFIX_FIRST) != 0;
    return request;
}

lq::ChatFamily family_of(const lq_model *model, const char *name) {
    if (name) {
        const auto family = lq::chat_family_from_name(name);
        if (!family)
            lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown chat template \"%s\"; known: %s", name,
                     lq::chat_family_names().c_str());
        return *family;
    }
    require(model, "model");
    const std::string_view text = model->impl->gguf().get_string("tokenizer.chat_template");
    if (text.empty())
        lq::fail(LQ_ERR_NOT_FOUND, "the model has no chat template (tokenizer.chat_template); name one of: %s",
                 lq::chat_family_names().c_str());
    const auto family = lq::detect_chat_family(text);
    if (!family)
        lq::fail(LQ_ERR_UNSUPPORTED,
                 "the model's chat template is of no family libquant knows (%s); name one to use it",
                 lq::chat_family_names().c_str());
    return *family;
}

}  // namespace

extern "C" {

LQ_API lq_status lq_infill_prompt(const lq_model *model, const lq_infill_options *options, int32_t *tokens,
                                  size_t capacity, size_t *n_tokens_out) {
    return guarded([&] {
        require(n_tokens_out, "n_tokens_out");
        *n_tokens_out = 0;
        const lq::Vocab &vocab = vocab_of(model);
        lq_infill_options o;
        lq::InfillRequest request = infill_request(options, o);
        if (request.max_tokens == 0) request.max_tokens = UINT32_MAX;
        const lq::InfillPrompt prompt = lq::build_infill_prompt(vocab, request);
        *n_tokens_out = prompt.tokens.size();
        if (prompt.tokens.size() > capacity)
            lq::fail(LQ_ERR_BUFFER_TOO_SMALL, "the infill prompt has %zu tokens; the buffer holds %zu",
                     prompt.tokens.size(), capacity);
        if (!prompt.tokens.empty()) require(tokens, "tokens");
        std::copy(prompt.tokens.begin(), prompt.tokens.end(), tokens);
    });
}

LQ_API lq_status lq_infill(lq_context *context, const lq_infill_options *infill, const lq_generate_options *generate,
                           lq_generate_result *result) {
    return guarded([&] {
        require(context, "context");
        const lq::Model &model = context->impl->model();
        const lq::Vocab *vocab = model.vocab();
        if (!vocab) lq::fail(LQ_ERR_UNSUPPORTED, "the model has no vocabulary");
        lq_infill_options o;
        lq::InfillRequest request = infill_request(infill, o);

        lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
        if (generate) {
            lq::api::read_options(generate, &g, "lq_generate_options");
        } else {
            g.temperature = 0.0f;
            g.max_tokens = 128;
        }
        lq::GenerateRequest generation = lq::api::make_generate_request(model, g, false);
        if (request.max_tokens == 0) {
            const uint32_t n_ctx = context->impl->n_ctx();
            const uint32_t reserve =
                g.max_tokens >= 0 && static_cast<uint32_t>(g.max_tokens) < n_ctx ? static_cast<uint32_t>(g.max_tokens)
                                                                                : n_ctx / 4;
            request.max_tokens = n_ctx - reserve;
        }
        generation.prompt = lq::build_infill_prompt(*vocab, request).tokens;
        lq::api::run_generate(*context->impl, generation, result);
    });
}

LQ_API lq_status lq_chat_template_name(const lq_model *model, char *buf, size_t capacity, size_t *needed_out) {
    return guarded([&] {
        require(model, "model");
        lq::api::copy_text_out(lq::chat_family_name(family_of(model, nullptr)), buf, capacity, needed_out);
    });
}

LQ_API lq_status lq_chat_apply_template(const lq_model *model, const char *template_name,
                                        const lq_chat_message *messages, size_t n_messages, uint32_t flags,
                                        char *buf, size_t capacity, size_t *needed_out) {
    return guarded([&] {
        if (flags & ~static_cast<uint32_t>(LQ_CHAT_ADD_ASSISTANT))
            lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown chat flags 0x%x", flags);
        if (n_messages) require(messages, "messages");
        const lq::ChatFamily family = family_of(model, template_name);
        std::vector<lq::ChatMessage> turns;
        turns.reserve(n_messages);
        for (size_t i = 0; i < n_messages; ++i) {
            require(messages[i].role, "message role");
            require(messages[i].content, "message content");
            turns.push_back({messages[i].role, messages[i].content});
        }
        const std::string text = lq::apply_chat_template(family, turns, (flags & LQ_CHAT_ADD_ASSISTANT) != 0);
        lq::api::copy_text_out(text, buf, capacity, needed_out);
    });
}

}  // extern "C"
