// lq synth --preset NAME -o OUT.gguf --vocab VOCAB.gguf [--type f16] [--seed S] [--std X]
#include <unistd.h>

#include <cstdio>
#include <string>

#include "cli.h"
#include "commands.h"
#include "libquant/libquant_experimental.h"

namespace lq_cli {
namespace {

int32_t progress_line(float fraction, void *) {
    std::fprintf(stderr, "\rwriting %3d%%", static_cast<int>(fraction * 100.0f + 0.5f));
    if (fraction >= 1.0f) std::fprintf(stderr, "\n");
    return 0;
}

}  // namespace

int cmd_synth(int argc, char **argv) {
    Args args("synth", argc, argv, 2,
              {{"preset", nullptr, true, "tiny, tiny-qwen2, tiny-phi3, 1b, 7b, qwen2-0.5b or phi3-mini"},
               {"output", "o", true, "output GGUF file"},
               {"vocab", nullptr, true, "GGUF file whose vocabulary the model uses"},
               {"type", nullptr, true, "f16 (default), f32 or bf16"},
               {"seed", nullptr, true, "seed of the weights (default 0)"},
               {"std", nullptr, true, "standard deviation of the weights (default 0.02)"}});
    args.expect_at_most(0);
    if (!args.has("preset")) throw UsageError("missing --preset NAME");
    if (!args.has("output")) throw UsageError("missing -o OUT.gguf");
    if (!args.has("vocab")) throw UsageError("missing --vocab VOCAB.gguf (e.g. a tokenizer test vocabulary)");
    const std::string preset = args.get("preset"), output = args.get("output"), vocab = args.get("vocab");
    lq_synth_options options = LQ_SYNTH_OPTIONS_INIT;
    options.preset = preset.c_str();
    options.vocab_path = vocab.c_str();
    const std::string type = args.get("type", "f16");
    if (type == "f16") options.weight_type = LQ_TYPE_F16;
    else if (type == "f32") options.weight_type = LQ_TYPE_F32;
    else if (type == "bf16") options.weight_type = LQ_TYPE_BF16;
    else throw UsageError("--type expects f16, f32 or bf16");
    options.seed = static_cast<uint64_t>(args.get_int("seed", 0, 0, INT64_MAX));
    options.weight_std = static_cast<float>(args.get_float("std", 0.02, 1e-6, 10.0));
    if (isatty(STDERR_FILENO)) options.progress = progress_line;
    check(lq_synth(output.c_str(), &options), "cannot write the model");
    return 0;
}

}  // namespace lq_cli
