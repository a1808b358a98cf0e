// lq chat -m MODEL: a conversation, one user turn per line of stdin. The
// whole conversation is rendered with the model's chat template at every
// turn; the context's cache keeps what earlier turns evaluated.
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli.h"
#include "commands.h"

namespace lq_cli {
namespace {

struct Reply {
    std::string text;
};

int32_t print_text(const char *text, size_t length, int32_t, void *user) {
    static_cast<Reply *>(user)->text.append(text, length);
    std::fwrite(text, 1, length, stdout);
    std::fflush(stdout);
    return 0;
}

std::string render(lq_model *model, const char *name, const std::vector<lq_chat_message> &messages) {
    size_t needed = 0;
    const lq_status sized = lq_chat_apply_template(model, name, messages.data(), messages.size(), LQ_CHAT_ADD_ASSISTANT,
                                                   nullptr, 0, &needed);
    if (sized != LQ_ERR_BUFFER_TOO_SMALL) check(sized, "cannot apply the chat template");
    std::string text(needed, '\0');
    check(lq_chat_apply_template(model, name, messages.data(), messages.size(), LQ_CHAT_ADD_ASSISTANT, &text[0],
                                 text.size(), &needed),
          "cannot apply the chat template");
    text.resize(needed - 1);
    return text;
}

}  // namespace

int cmd_chat(int argc, char **argv) {
    Args args("chat", argc, argv, 2,
              {{"model", "m", true, "model file"},
               {"template", nullptr, true, "chat template family (default: the model's)"},
               {"system", nullptr, true, "system message"},
               {"n-predict", "n", true, "tokens per answer at most (default 256)"},
               {"temp", nullptr, true, "temperature (default 0.8; 0: greedy)"},
               {"seed", "s", true, "random seed"},
               {"backend", nullptr, true, kBackendHelp},
               {"threads", "t", true, "threads (default: all)"},
               {"ctx-size", "c", true, "context length"},
               {"quiet", "q", false, "no statistics on stderr"}});
    args.expect_at_most(0);
    if (!args.has("model")) throw UsageError("missing -m MODEL");
    const std::string family = args.get("template", "");
    const char *template_name = args.has("template") ? family.c_str() : nullptr;

    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(args.get("model"), 0), lq_model_free);
    // Fail before the first turn when the template is unusable.
    render(model.get(), template_name, {{"user", ""}});
    const ContextHandle context = make_context(args, model.get());

    // The turns own their text; the messages point into it.
    std::vector<std::pair<std::string, std::string>> turns;
    const std::string system = args.get("system", "");
    if (args.has("system")) turns.emplace_back("system", system);
    const bool interactive = isatty(STDIN_FILENO) != 0;
    const int32_t max_tokens = static_cast<int32_t>(args.get_int("n-predict", 256, -1, 1 << 24));
    const float temperature = static_cast<float>(args.get_float("temp", 0.8, 0.0, 100.0));
    for (std::string line;;) {
        if (interactive) std::fprintf(stdout, "> "), std::fflush(stdout);
        if (!std::getline(std::cin, line)) break;
        if (line.empty()) continue;
        turns.emplace_back("user", line);
        std::vector<lq_chat_message> messages;
        for (const auto &turn : turns) messages.push_back({turn.first.c_str(), turn.second.c_str()});
        const std::string prompt = render(model.get(), template_name, messages);

        lq_generate_options options = LQ_GENERATE_OPTIONS_INIT;
        options.flags = LQ_GENERATE_PARSE_SPECIAL;
        options.prompt = prompt.data();
        options.prompt_len = prompt.size();
        options.max_tokens = max_tokens;
        options.temperature = temperature;
        if (args.has("seed")) options.seed = static_cast<uint64_t>(args.get_int("seed", 0, 0, INT64_MAX));
        Reply reply;
        options.on_text = print_text;
        options.user_data = &reply;
        lq_generate_result result = LQ_GENERATE_RESULT_INIT;
        check(lq_generate(context.get(), &options, &result), "generation failed");
        std::fputc('\n', stdout);
        std::fflush(stdout);
        if (!args.has("quiet"))
            std::fprintf(stderr, "lq: turn %zu: prompt %u tokens, %u reused from the cache, answer %u tokens, stopped: %s\n",
                         (turns.size() + 1) / 2, result.n_prompt_tokens, result.n_reused_tokens,
                         result.n_generated_tokens, stop_reason_name(result.stop_reason));
        turns.emplace_back("assistant", reply.text);
    }
    return 0;
}

}  // namespace lq_cli
