// lq infill -m MODEL --prefix TEXT --suffix TEXT ...: the code that belongs
// between them (fill-in-the-middle), on stdout.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"

namespace lq_cli {
namespace {

int32_t print_text(const char *text, size_t length, int32_t, void *) {
    std::fwrite(text, 1, length, stdout);
    std::fflush(stdout);
    return 0;
}

std::string text_option(const Args &args, const char *inline_name, const char *file_name) {
    if (args.has(inline_name) && args.has(file_name))
        throw UsageError(std::string("give at most one of --") + inline_name + " and --" + file_name);
    if (args.has(file_name)) return read_file(args.get(file_name));
    return args.get(inline_name, "");
}

}  // namespace

int cmd_infill(int argc, char **argv) {
    Args args("infill", argc, argv, 2,
              {{"model", "m", true, "model file (a code model with fill-in-the-middle tokens)"},
               {"prefix", nullptr, true, "text before the cursor"},
               {"prefix-file", nullptr, true, "read the text before the cursor from a file"},
               {"suffix", nullptr, true, "text after the cursor"},
               {"suffix-file", nullptr, true, "read the text after the cursor from a file"},
               {"extra", nullptr, true, "NAME=PATH: another file of the project as context (repeatable)"},
               {"repo", nullptr, true, "the project's name (repository layout)"},
               {"name", nullptr, true, "the edited file's name (repository layout)"},
               {"spm", nullptr, false, "suffix before prefix"},
               {"budget", nullptr, true, "prompt budget in tokens (default: the context less -n)"},
               {"prompt-only", nullptr, false, "print the prompt (special tokens shown) instead of generating"},
               {"n-predict", "n", true, "tokens to generate at most (default 128)"},
               {"temp", nullptr, true, "temperature (default 0: greedy)"},
               {"seed", "s", true, "random seed"},
               {"backend", nullptr, true, kBackendHelp},
               {"threads", "t", true, "threads (default: all)"},
               {"ctx-size", "c", true, "context length"},
               {"quiet", "q", false, "no statistics on stderr"}});
    args.expect_at_most(0);
    if (!args.has("model")) throw UsageError("missing -m MODEL");
    const std::string prefix = text_option(args, "prefix", "prefix-file");
    const std::string suffix = text_option(args, "suffix", "suffix-file");
    std::vector<std::string> names, texts;
    for (const std::string &extra : args.get_all("extra")) {
        const size_t eq = extra.find('=');
        if (eq == std::string::npos || eq == 0) throw UsageError("--extra expects NAME=PATH, got '" + extra + "'");
        names.push_back(extra.substr(0, eq));
        texts.push_back(read_file(extra.substr(eq + 1)));
    }
    std::vector<const char *> name_pointers, text_pointers;
    for (size_t i = 0; i < names.size(); ++i) {
        name_pointers.push_back(names[i].c_str());
        text_pointers.push_back(texts[i].c_str());
    }
    const std::string repo = args.get("repo", ""), name = args.get("name", "");

    lq_infill_options infill = LQ_INFILL_OPTIONS_INIT;
    infill.prefix = prefix.data();
    infill.prefix_len = prefix.size();
    infill.suffix = suffix.data();
    infill.suffix_len = suffix.size();
    infill.file_names = name_pointers.data();
    infill.file_texts = text_pointers.data();
    infill.n_files = names.size();
    infill.repo_name = args.has("repo") ? repo.c_str() : nullptr;
    infill.file_name = args.has("name") ? name.c_str() : nullptr;
    infill.max_prompt_tokens = static_cast<uint32_t>(args.get_int("budget", 0, 0, 1 << 24));
    if (args.has("spm")) infill.flags |= LQ_INFILL_SUFFIX_FIRST;

    const bool prompt_only = args.has("prompt-only");
    std::unique_ptr<lq_model, void (*)(lq_model *)> model(
        load_model(args.get("model"), prompt_only ? static_cast<uint32_t>(LQ_MODEL_VOCAB_ONLY) : 0u), lq_model_free);
    if (prompt_only) {
        size_t n = 0;
        const lq_status sized = lq_infill_prompt(model.get(), &infill, nullptr, 0, &n);
        if (sized != LQ_ERR_BUFFER_TOO_SMALL) check(sized, "cannot build the infill prompt");
        std::vector<int32_t> tokens(n);
        check(lq_infill_prompt(model.get(), &infill, tokens.data(), tokens.size(), &n), "cannot build the infill prompt");
        size_t needed = 0;
        const uint32_t flags = LQ_DETOKENIZE_RENDER_SPECIAL | LQ_DETOKENIZE_KEEP_LEADING_SPACE;
        lq_detokenize(model.get(), tokens.data(), tokens.size(), flags, nullptr, 0, &needed);
        std::string text(needed, '\0');
        check(lq_detokenize(model.get(), tokens.data(), tokens.size(), flags, &text[0], text.size(), &needed),
              "cannot render the prompt");
        std::fwrite(text.data(), 1, needed - 1, stdout);
        std::fprintf(stdout, "\n");
        if (!args.has("quiet")) std::fprintf(stderr, "lq: infill prompt of %zu tokens\n", tokens.size());
        return 0;
    }

    const ContextHandle context = make_context(args, model.get());

    lq_generate_options generate = LQ_GENERATE_OPTIONS_INIT;
    generate.max_tokens = static_cast<int32_t>(args.get_int("n-predict", 128, -1, 1 << 24));
    generate.temperature = static_cast<float>(args.get_float("temp", 0.0, 0.0, 100.0));
    if (args.has("seed")) generate.seed = static_cast<uint64_t>(args.get_int("seed", 0, 0, INT64_MAX));
    generate.on_text = print_text;
    lq_generate_result result = LQ_GENERATE_RESULT_INIT;
    check(lq_infill(context.get(), &infill, &generate, &result), "infill failed");
    std::fputc('\n', stdout);
    std::fflush(stdout);
    if (!args.has("quiet"))
        std::fprintf(stderr, "lq: infill prompt %u tokens, generated %u tokens, stopped: %s\n", result.n_prompt_tokens,
                     result.n_generated_tokens, stop_reason_name(result.stop_reason));
    return 0;
}

}  // namespace lq_cli
