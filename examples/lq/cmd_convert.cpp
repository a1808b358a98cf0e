// lq convert IN OUT.gguf [--tokenizer TOK] [--type f32|f16|bf16] [--name NAME]
#include <cstdio>
#include <string>

#include "cli.h"
#include "commands.h"

namespace lq_cli {

int cmd_convert(int argc, char **argv) {
    Args args("convert", argc, argv, 2,
              {{"tokenizer", nullptr, true, "llama2.c tokenizer.bin"},
               {"type", nullptr, true, "weight type: f32 (default), f16 or bf16"},
               {"name", nullptr, true, "general.name to record"}});
    const std::string &input = args.positional(0, "IN");
    const std::string &output = args.positional(1, "OUT.gguf");
    args.expect_at_most(2);
    lq_convert_options options = LQ_CONVERT_OPTIONS_INIT;
    const std::string type = args.get("type", "f32");
    if (type == "f32") options.weight_type = LQ_TYPE_F32;
    else if (type == "f16") options.weight_type = LQ_TYPE_F16;
    else if (type == "bf16") options.weight_type = LQ_TYPE_BF16;
    else throw UsageError("--type expects f32, f16 or bf16");
    const std::string tokenizer = args.get("tokenizer");
    const std::string name = args.get("name");
    if (!tokenizer.empty()) options.tokenizer_path = tokenizer.c_str();
    if (!name.empty()) options.name = name.c_str();
    check(lq_convert(input.c_str(), output.c_str(), &options), "conversion failed");
    std::fprintf(stderr, "lq: wrote %s\n", output.c_str());
    return 0;
}

}  // namespace lq_cli
