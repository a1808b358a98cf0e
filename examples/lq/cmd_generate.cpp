// lq generate -m MODEL -p PROMPT ...: generated text on stdout, statistics
// on stderr, so that scripts can compare outputs.
#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"

namespace lq_cli {
namespace {

int32_t print_text(const char *text, size_t length, int32_t, void *user) {
    if (length > 0) *static_cast<char *>(user) = text[length - 1];
    std::fwrite(text, 1, length, stdout);
    std::fflush(stdout);
    return 0;
}


}  // namespace

int cmd_generate(int argc, char **argv) {
    Args args("generate", argc, argv, 2,
              {{"model", "m", true, "model file"},
               {"prompt", "p", true, "prompt text"},
               {"file", "f", true, "read the prompt from a file"},
               {"n-predict", "n", true, "tokens to generate (default 128, -1: until the context is full)"},
               {"temp", nullptr, true, "temperature (default 0.8; 0: greedy)"},
               {"top-k", nullptr, true, "top-k (default 40; 0: off)"},
               {"top-p", nullptr, true, "top-p (default 0.95)"},
               {"min-p", nullptr, true, "min-p (default 0.05)"},
               {"repeat-penalty", nullptr, true, "repetition penalty (default 1: off)"},
               {"repeat-last-n", nullptr, true, "tokens the penalty considers (default 64)"},
               {"frequency-penalty", nullptr, true, "frequency penalty (default 0)"},
               {"presence-penalty", nullptr, true, "presence penalty (default 0)"},
               {"seed", "s", true, "random seed (default: random)"},
               {"stop", nullptr, true, "stop string (repeatable)"},
               {"backend", nullptr, true, kBackendHelp},
               {"threads", "t", true, "threads (default: all)"},
               {"ctx-size", "c", true, "context length"},
               {"batch-size", "b", true, "tokens per forward pass"},
               {"kv-type", nullptr, true, "KV cache type: f16, f32 or q8_0"},
               {"no-bos", nullptr, false, "do not add BOS/EOS to the prompt"},
               {"parse-special", nullptr, false, "turn special-token text in the prompt into tokens"},
               {"load-session", nullptr, true, "restore this session file first (its tokens become a cached prefix)"},
               {"save-session", nullptr, true, "save the context's state to this file at the end"},
               {"quiet", "q", false, "no statistics on stderr"}});
    args.expect_at_most(0);
    if (!args.has("model")) throw UsageError("missing -m MODEL");
    if (args.has("prompt") == args.has("file")) throw UsageError("give exactly one of -p PROMPT or -f FILE");
    const std::string prompt = args.has("prompt") ? args.get("prompt") : read_file(args.get("file"));

    lq_context_options context_options = LQ_CONTEXT_OPTIONS_INIT;
    context_options.n_ctx = static_cast<uint32_t>(args.get_int("ctx-size", 0, 0, 1 << 24));
    context_options.n_batch = static_cast<uint32_t>(args.get_int("batch-size", 512, 1, 1 << 16));
    context_options.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    context_options.backend = static_cast<uint32_t>(parse_backend(args.get("backend", "auto")));
    const std::string kv_type = args.get("kv-type", "f16");
    if (kv_type == "f16") context_options.kv_type = LQ_TYPE_F16;
    else if (kv_type == "f32") context_options.kv_type = LQ_TYPE_F32;
    else if (kv_type == "q8_0") context_options.kv_type = LQ_TYPE_Q8_0;
    else throw UsageError("--kv-type expects f16, f32 or q8_0");

    lq_generate_options options = LQ_GENERATE_OPTIONS_INIT;
    options.prompt = prompt.data();
    options.prompt_len = prompt.size();
    options.max_tokens = static_cast<int32_t>(args.get_int("n-predict", 128, -1, 1 << 24));
    options.temperature = static_cast<float>(args.get_float("temp", 0.8, 0.0, 100.0));
    options.top_k = static_cast<int32_t>(args.get_int("top-k", 40, 0, 1 << 24));
    options.top_p = static_cast<float>(args.get_float("top-p", 0.95, 0.0, 1.0));
    options.min_p = static_cast<float>(args.get_float("min-p", 0.05, 0.0, 1.0));
    options.repeat_penalty = static_cast<float>(args.get_float("repeat-penalty", 1.0, 0.01, 100.0));
    options.repeat_last_n = static_cast<int32_t>(args.get_int("repeat-last-n", 64, -1, 1 << 24));
    options.frequency_penalty = static_cast<float>(args.get_float("frequency-penalty", 0.0, -100.0, 100.0));
    options.presence_penalty = static_cast<float>(args.get_float("presence-penalty", 0.0, -100.0, 100.0));
    if (args.has("seed")) options.seed = static_cast<uint64_t>(args.get_int("seed", 0, 0, INT64_MAX));
    if (args.has("no-bos")) options.flags |= LQ_GENERATE_NO_SPECIAL;
    if (args.has("parse-special")) options.flags |= LQ_GENERATE_PARSE_SPECIAL;
    const std::vector<std::string> stops = args.get_all("stop");
    std::vector<const char *> stop_pointers;
    for (const std::string &s : stops) stop_pointers.push_back(s.c_str());
    options.stop = stop_pointers.data();
    options.n_stop = stop_pointers.size();
    options.on_text = print_text;
    char last_byte = '\n';
    options.user_data = &last_byte;

    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(args.get("model"), 0), lq_model_free);
    lq_context *raw_context = nullptr;
    check(lq_context_create(&raw_context, model.get(), &context_options), "cannot create a context");
    std::unique_ptr<lq_context, void (*)(lq_context *)> context(raw_context, lq_context_free);

    if (args.has("load-session"))
        check(lq_context_load_session(context.get(), args.get("load-session").c_str()), "cannot restore the session");
    lq_generate_result result = LQ_GENERATE_RESULT_INIT;
    check(lq_generate(context.get(), &options, &result), "generation failed");
    if (args.has("save-session"))
        check(lq_context_save_session(context.get(), args.get("save-session").c_str()), "cannot save the session");
    // End the text's line and flush before the statistics: stdout and stderr
    // often share a terminal or a pipe, and stdout may be fully buffered.
    if (last_byte != '\n') std::fputc('\n', stdout);
    std::fflush(stdout);
    if (!args.has("quiet")) {
        lq_context_info info = LQ_CONTEXT_INFO_INIT;
        check(lq_context_get_info(context.get(), &info), "context info");
        const double pp = result.prompt_seconds > 0 ? (result.n_prompt_tokens - result.n_reused_tokens) / result.prompt_seconds : 0;
        const double tg = result.generate_seconds > 0 ? result.n_generated_tokens / result.generate_seconds : 0;
        std::fprintf(stderr, "lq: prompt %u tokens (%.1f t/s), generated %u tokens (%.1f t/s), stopped: %s, %u threads\n",
                     result.n_prompt_tokens, pp, result.n_generated_tokens, tg, stop_reason_name(result.stop_reason),
                     info.n_threads);
    }
    return 0;
}

}  // namespace lq_cli
