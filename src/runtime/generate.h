// The generation loop: evaluate the prompt (reusing whatever prefix of it
// the context already holds), then sample, stream and stop.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/context.h"
#include "runtime/sampler.h"

namespace lq {

enum class StopReason : uint32_t {
    MaxTokens = 0,
    EndOfGeneration = 1,  // the model produced an end-of-generation token
    StopString = 2,
    Callback = 3,         // the caller's callback asked to stop
    ContextFull = 4,
    Cancelled = 5,        // Context::cancel() stopped it (the result holds what was done)
};

struct GenerateRequest {
    std::vector<int32_t> prompt;    // at least one token
    int32_t max_tokens = 256;       // < 0: until the context is full
    SamplerParams sampling;
    std::vector<std::string> stop;  // stop strings (never emitted)
    /// Receives each piece of text that is ready (UTF-8 complete) with the
    /// token that completed it, and finally what was held back, with token
    /// -1. Returns false to stop. May be empty.
    std::function<bool(std::string_view text, int32_t token)> on_text;
};

struct GenerateResult {
    StopReason stop_reason = StopReason::MaxTokens;
    uint32_t n_prompt_tokens = 0;
    uint32_t n_reused_tokens = 0;    // prompt tokens found already in the cache
    uint32_t n_generated_tokens = 0;
    double prompt_seconds = 0.0;
    double generate_seconds = 0.0;
    std::vector<int32_t> tokens;     // the generated tokens
};

/// Runs a generation in @p context. Throws LQ_ERR_CONTEXT_FULL when the
/// prompt does not fit, LQ_ERR_CANCELLED after Context::cancel().
GenerateResult generate(Context &context, const GenerateRequest &request);

}  // namespace lq
