#include "prompt/infill.h"

#include <algorithm>
#include <string>

#include "core/error.h"
#include "tokenizer/vocab.h"

namespace lq {
namespace {

void append(std::vector<int32_t> &out, const std::vector<int32_t> &tokens) {
    out.insert(out.end(), tokens.begin(), tokens.end());
}

}  // namespace

InfillPrompt build_infill_prompt(const Vocab &vocab, const InfillRequest &request) {
    const SpecialTokens &special = vocab.special();
    if (special.fim_prefix < 0 || special.fim_suffix < 0 || special.fim_middle < 0)
        fail(LQ_ERR_UNSUPPORTED,
             "the model has no fill-in-the-middle tokens (prefix %d, suffix %d, middle %d): it is not a code "
             "model trained for infilling",
             special.fim_prefix, special.fim_suffix, special.fim_middle);
    // User text never forges control tokens: no special-token parsing.
    auto tokens_of = [&](std::string_view text) { return vocab.tokenize(text, false, false); };
    // The repository layout when the vocabulary has its tokens and there is a
    // repository to describe.
    const bool repository = special.fim_repo >= 0 && special.fim_separator >= 0 &&
                            (!request.repo_name.empty() || !request.files.empty());

    // The fixed part: BOS, the repository header, the current file's header
    // and the three FIM markers.
    std::vector<int32_t> head;
    if (vocab.add_bos() && special.bos >= 0) head.push_back(special.bos);
    std::vector<int32_t> file_header;
    if (repository) {
        head.push_back(special.fim_repo);
        append(head, tokens_of(std::string(request.repo_name) + "\n"));
        file_header.push_back(special.fim_separator);
        append(file_header, tokens_of(std::string(request.file_name) + "\n"));
    }
    const size_t fixed = head.size() + file_header.size() + 3;
    if (request.max_tokens < fixed)
        fail(LQ_ERR_CONTEXT_FULL, "a budget of %u tokens cannot hold the %zu fixed tokens of the infill prompt",
             request.max_tokens, fixed);
    const size_t available = request.max_tokens - fixed;

    // Prefix and suffix share the budget 3:1, each giving the other what it
    // does not need. The prefix keeps its end (next to the cursor), the
    // suffix its beginning.
    const std::vector<int32_t> prefix = tokens_of(request.prefix);
    const std::vector<int32_t> suffix = tokens_of(request.suffix);
    size_t prefix_share = available - available / 4;
    size_t suffix_share = available - prefix_share;
    if (prefix.size() < prefix_share) suffix_share += prefix_share - prefix.size();
    if (suffix.size() < suffix_share) prefix_share += suffix_share - suffix.size();
    const size_t keep_prefix = std::min(prefix.size(), prefix_share);
    const size_t keep_suffix = std::min(suffix.size(), std::min(suffix_share, available - keep_prefix));

    // Extra files fill what is left, whole, in the order given.
    size_t left = available - keep_prefix - keep_suffix;
    std::vector<int32_t> files;
    InfillPrompt out;
    for (const InfillFile &file : request.files) {
        std::vector<int32_t> part;
        if (repository) {
            part.push_back(special.fim_separator);
            append(part, tokens_of(std::string(file.name) + "\n" + std::string(file.text)));
        } else {
            append(part, tokens_of(std::string(file.name) + "\n" + std::string(file.text) + "\n\n"));
        }
        if (part.size() > left) break;
        left -= part.size();
        append(files, part);
        ++out.n_files;
    }

    std::vector<int32_t> &t = out.tokens;
    t = head;
    if (repository) {
        append(t, files);
        append(t, file_header);
    }
    const auto prefix_begin = prefix.end() - static_cast<std::ptrdiff_t>(keep_prefix);
    const auto suffix_end = suffix.begin() + static_cast<std::ptrdiff_t>(keep_suffix);
    auto put_prefix = [&] {
        if (!repository) append(t, files);
        t.insert(t.end(), prefix_begin, prefix.end());
    };
    t.push_back(special.fim_prefix);
    if (request.suffix_first) {
        t.push_back(special.fim_suffix);
        t.insert(t.end(), suffix.begin(), suffix_end);
        t.push_back(special.fim_middle);
        put_prefix();
    } else {
        put_prefix();
        t.push_back(special.fim_suffix);
        t.insert(t.end(), suffix.begin(), suffix_end);
        t.push_back(special.fim_middle);
    }
    out.n_prefix_tokens = static_cast<uint32_t>(keep_prefix);
    out.n_suffix_tokens = static_cast<uint32_t>(keep_suffix);
    return out;
}

}  // namespace lq
