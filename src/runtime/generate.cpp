#include "runtime/generate.h"

#include <algorithm>
#include <chrono>

#include "core/error.h"
#include "runtime/text_stream.h"
#include "tokenizer/vocab.h"

namespace lq {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Runs one decode; false when it was cancelled (any other failure propagates).
template <typename Decode>
bool cancellable(Decode &&decode) {
    try {
        decode();
        return true;
    } catch (const Error &error) {
        if (error.status() != LQ_ERR_CANCELLED) throw;
        return false;
    }
}

}  // namespace

GenerateResult generate(Context &context, const GenerateRequest &request) {
    const Model &model = context.model();
    const Vocab *vocab = model.vocab();
    if (!vocab) fail(LQ_ERR_UNSUPPORTED, "the model has no vocabulary: generation needs one");
    if (request.prompt.empty()) fail(LQ_ERR_INVALID_ARGUMENT, "the prompt has no tokens");
    const std::vector<int32_t> &prompt = request.prompt;
    if (prompt.size() > context.n_ctx())
        fail(LQ_ERR_CONTEXT_FULL, "the prompt has %zu tokens but the context holds %u", prompt.size(),
             context.n_ctx());

    GenerateResult result;
    result.n_prompt_tokens = static_cast<uint32_t>(prompt.size());

    // Keep the longest prefix of the prompt that is already in the cache, but
    // always evaluate at least the last prompt token to get its logits.
    const std::vector<int32_t> &cached = context.tokens();
    size_t common = 0;
    while (common < cached.size() && common < prompt.size() && cached[common] == prompt[common]) ++common;
    const size_t keep = std::min(common, prompt.size() - 1);
    context.truncate(static_cast<uint32_t>(keep));
    result.n_reused_tokens = static_cast<uint32_t>(keep);

    const uint32_t n_vocab = model.hparams().n_vocab;
    std::vector<float> logits(n_vocab);
    const auto prompt_start = std::chrono::steady_clock::now();
    if (!cancellable([&] {
            context.decode(prompt.data() + keep, static_cast<uint32_t>(prompt.size() - keep), logits.data(), false);
        })) {
        result.stop_reason = StopReason::Cancelled;
        result.prompt_seconds = seconds_since(prompt_start);
        return result;
    }
    result.prompt_seconds = seconds_since(prompt_start);

    Sampler sampler(request.sampling, n_vocab);
    TextStream stream(request.stop);
    std::vector<int32_t> recent(prompt.begin(), prompt.end());
    const auto generate_start = std::chrono::steady_clock::now();
    bool running = true;
    auto deliver = [&](const std::string &text, int32_t token) {
        if (request.on_text && !request.on_text(text, token)) {
            result.stop_reason = StopReason::Callback;
            running = false;
        }
    };

    for (;;) {
        if (request.max_tokens >= 0 && result.n_generated_tokens >= static_cast<uint32_t>(request.max_tokens)) {
            result.stop_reason = StopReason::MaxTokens;
            break;
        }
        const int32_t token = sampler.sample(logits.data(), recent);
        if (vocab->is_eog(token)) {
            result.stop_reason = StopReason::EndOfGeneration;
            break;
        }
        ++result.n_generated_tokens;
        result.tokens.push_back(token);
        recent.push_back(token);
        const std::string text = stream.push(vocab->token_to_piece(token, false));
        if (!text.empty()) deliver(text, token);
        if (stream.stopped()) {
            result.stop_reason = StopReason::StopString;
            break;
        }
        if (!running) break;
        if (context.n_past() >= context.n_ctx()) {
            result.stop_reason = StopReason::ContextFull;
            break;
        }
        if (!cancellable([&] { context.decode(&token, 1, logits.data(), false); })) {
            result.stop_reason = StopReason::Cancelled;
            break;
        }
    }
    if (result.stop_reason != StopReason::StopString && result.stop_reason != StopReason::Callback &&
        result.stop_reason != StopReason::Cancelled) {
        const std::string rest = stream.flush();
        if (!rest.empty()) deliver(rest, -1);
    }
    result.generate_seconds = seconds_since(generate_start);
    return result;
}

}  // namespace lq
