// lq: inspect, tokenize, run, evaluate and quantize models with libquant.
#include <cstdio>
#include <cstring>
#include <exception>

#include "cli.h"
#include "commands.h"

namespace {

struct Command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
};

const Command kCommands[] = {
    {"info", lq_cli::cmd_info, "lq info MODEL [--json] | lq info --backends [--json]   metadata, tensor table, bits per weight; compute backends"},
    {"tokenize", lq_cli::cmd_tokenize,
     "lq tokenize -m MODEL [--no-bos] [--parse-special] [--stats]   stdin bytes -> token ids on one line"},
    {"detokenize", lq_cli::cmd_detokenize,
     "lq detokenize -m MODEL [--render-special] [--keep-leading-space]   token ids on stdin -> text"},
    {"generate", lq_cli::cmd_generate,
     "lq generate -m MODEL -p PROMPT [-n N] [--temp T] [--top-k K] [--top-p P] [--min-p P] [--seed S]\n"
     "              [--stop S] [--backend auto|cpu|onednn|vulkan] [-t THREADS] [-c CTX]\n"
     "              [--load-session F] [--save-session F]   generated text on stdout"},
    {"infill", lq_cli::cmd_infill,
     "lq infill -m MODEL --prefix TEXT --suffix TEXT [--prefix-file F] [--suffix-file F] [--extra NAME=PATH]\n"
     "              [--repo NAME] [--name FILE] [--spm] [--budget N] [--prompt-only] [-n N]   fill-in-the-middle"},
    {"chat", lq_cli::cmd_chat,
     "lq chat -m MODEL [--template NAME] [--system TEXT] [-n N] [--temp T]   one user turn per line of stdin"},
    {"perplexity", lq_cli::cmd_perplexity,
     "lq perplexity -m MODEL -f TEXT [-c CTX] [--chunks N] [--stride S] [--ref FULL | --kld-base OUT | --kld BASE] [--json]"},
    {"quantize", lq_cli::cmd_quantize,
     "lq quantize IN OUT TYPE [--method rtn|gptq|awq|importance] [--calib TEXT] [--tensor-type PATTERN=TYPE] [-t N]"},
    {"compare", lq_cli::cmd_compare,
     "lq compare -m MODEL --ref FULL -f PROMPTS [-n 64] [--temp T] [--seed S] [--html OUT] [--json]   side by side"},
    {"bench", lq_cli::cmd_bench,
     "lq bench -m MODEL [-p 128] [-n 32] [-r 5] [--backend B] [-t THREADS] [--session] [--json]"},
    {"synth", lq_cli::cmd_synth, "lq synth --preset NAME -o OUT.gguf --vocab VOCAB.gguf [--type f16|f32|bf16] [--seed S]"},
    {"convert", lq_cli::cmd_convert, "lq convert IN OUT.gguf [--tokenizer TOK] [--type f32|f16|bf16]   llama2.c checkpoints"},
};

void print_usage(std::FILE *out) {
    std::fprintf(out, "usage: lq COMMAND [OPTIONS]\n\ncommands:\n");
    for (const Command &c : kCommands) std::fprintf(out, "  %s\n", c.usage);
    std::fprintf(out, "\nlq --version prints the library version.\n");
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
        print_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (std::strcmp(argv[1], "--version") == 0) {
        std::printf("lq (libquant) %s, ABI %u\n", lq_version(), lq_abi_version());
        return 0;
    }
    lq_cli::install_stderr_log();
    for (const Command &c : kCommands) {
        if (std::strcmp(argv[1], c.name) != 0) continue;
        try {
            return c.run(argc, argv);
        } catch (const lq_cli::UsageError &e) {
            std::fprintf(stderr, "lq %s: %s\nusage: %s\n", c.name, e.what(), c.usage);
            return 2;
        } catch (const std::exception &e) {
            std::fprintf(stderr, "lq %s: %s\n", c.name, e.what());
            return 1;
        }
    }
    std::fprintf(stderr, "lq: unknown command '%s'\n", argv[1]);
    print_usage(stderr);
    return 2;
}
