// lq tokenize -m MODEL [--no-bos] [--parse-special] [--stats]
//     stdin bytes -> token ids, space-separated, on one line.
// lq detokenize -m MODEL [--render-special] [--keep-leading-space]
//     token ids on stdin (separated by spaces, commas or newlines) -> text.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"

namespace lq_cli {
namespace {

using ModelPtr = std::unique_ptr<lq_model, void (*)(lq_model *)>;

ModelPtr load_vocab(const Args &args) {
    if (!args.has("model")) throw UsageError("missing -m MODEL");
    return ModelPtr(load_model(args.get("model"), LQ_MODEL_VOCAB_ONLY), lq_model_free);
}

std::vector<int32_t> tokenize(const lq_model *model, const std::string &text, uint32_t flags) {
    std::vector<int32_t> tokens(text.size() + 4);
    size_t count = 0;
    lq_status status = lq_tokenize(model, text.data(), text.size(), flags, tokens.data(), tokens.size(), &count);
    if (status == LQ_ERR_BUFFER_TOO_SMALL) {  // rare: more tokens than bytes
        tokens.resize(count);
        status = lq_tokenize(model, text.data(), text.size(), flags, tokens.data(), tokens.size(), &count);
    }
    check(status, "tokenize");
    tokens.resize(count);
    return tokens;
}

// Reads integers separated by anything that is not part of a number, so
// "1 2 3", "1,2,3" and "[1, 2, 3]" all work.
std::vector<int32_t> parse_ids(const std::string &input) {
    std::vector<int32_t> ids;
    size_t pos = 0;
    while (pos < input.size()) {
        const char c = input[pos];
        const bool starts_number = (c >= '0' && c <= '9') || (c == '-' && pos + 1 < input.size() &&
                                                               input[pos + 1] >= '0' && input[pos + 1] <= '9');
        if (!starts_number) {
            if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == '[' || c == ']'))
                throw Failure(std::string("unexpected character '") + c + "' in the token ids on stdin");
            ++pos;
            continue;
        }
        char *end = nullptr;
        const long long value = std::strtoll(input.c_str() + pos, &end, 10);
        if (value < INT32_MIN || value > INT32_MAX) throw Failure("token id out of range: " + input.substr(pos, 20));
        ids.push_back(static_cast<int32_t>(value));
        pos = static_cast<size_t>(end - input.c_str());
    }
    return ids;
}

}  // namespace

int cmd_tokenize(int argc, char **argv) {
    Args args("tokenize", argc, argv, 2,
              {{"model", "m", true, "model or vocabulary file"},
               {"no-bos", nullptr, false, "add no BOS/EOS, whatever the model says"},
               {"parse-special", nullptr, false, "turn special-token text into special tokens"},
               {"stats", nullptr, false, "print the count and the tokenization time to stderr"}});
    args.expect_at_most(0);
    ModelPtr model = load_vocab(args);
    const std::string text = read_file("-");
    uint32_t flags = 0;
    if (!args.has("no-bos")) flags |= LQ_TOKENIZE_ADD_SPECIAL;
    if (args.has("parse-special")) flags |= LQ_TOKENIZE_PARSE_SPECIAL;

    const auto start = std::chrono::steady_clock::now();
    const std::vector<int32_t> tokens = tokenize(model.get(), text, flags);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::string line;
    line.reserve(tokens.size() * 6 + 1);
    for (size_t i = 0; i < tokens.size(); ++i) {
        if (i) line += ' ';
        line += std::to_string(tokens[i]);
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stdout);
    if (args.has("stats"))
        std::fprintf(stderr, "%zu tokens from %zu bytes in %.3f ms (%.2f MB/s)\n", tokens.size(), text.size(),
                     seconds * 1e3, seconds > 0 ? static_cast<double>(text.size()) / seconds / 1e6 : 0.0);
    return 0;
}

int cmd_detokenize(int argc, char **argv) {
    Args args("detokenize", argc, argv, 2,
              {{"model", "m", true, "model or vocabulary file"},
               {"render-special", nullptr, false, "write the text of control tokens such as <s>"},
               {"keep-leading-space", nullptr, false, "keep the space SentencePiece puts in front of text"}});
    args.expect_at_most(0);
    ModelPtr model = load_vocab(args);
    const std::vector<int32_t> ids = parse_ids(read_file("-"));
    uint32_t flags = 0;
    if (args.has("render-special")) flags |= LQ_DETOKENIZE_RENDER_SPECIAL;
    if (args.has("keep-leading-space")) flags |= LQ_DETOKENIZE_KEEP_LEADING_SPACE;

    size_t needed = 0;
    lq_status status = lq_detokenize(model.get(), ids.data(), ids.size(), flags, nullptr, 0, &needed);
    if (status != LQ_ERR_BUFFER_TOO_SMALL) check(status, "detokenize");
    std::string text(needed, '\0');
    check(lq_detokenize(model.get(), ids.data(), ids.size(), flags, &text[0], text.size(), &needed), "detokenize");
    std::fwrite(text.data(), 1, needed - 1, stdout);  // exactly the text: no newline added
    return 0;
}

}  // namespace lq_cli
