// Fill-in-the-middle prompts: the tokens a code model expects around the
// text before and after the cursor, built from the vocabulary's FIM tokens.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace lq {

class Vocab;

/// Another file given to the model as context (repository-level completion).
struct InfillFile {
    std::string_view name;
    std::string_view text;
};

struct InfillRequest {
    std::string_view prefix;          // text before the cursor
    std::string_view suffix;          // text after the cursor
    std::vector<InfillFile> files;    // extra context, most important first
    std::string_view repo_name;       // for the repository layout; may be empty
    std::string_view file_name;       // the file being edited; may be empty
    uint32_t max_tokens = 0;          // the prompt's budget in tokens (> 0)
    bool suffix_first = false;        // SPM order: suffix, then prefix
};

/// The prompt, and how much of each part it kept.
struct InfillPrompt {
    std::vector<int32_t> tokens;
    uint32_t n_prefix_tokens = 0;     // kept of the prefix (its end)
    uint32_t n_suffix_tokens = 0;     // kept of the suffix (its beginning)
    uint32_t n_files = 0;             // extra files that fit
};

/// Builds the FIM prompt: [BOS] [REP repo \n SEP name \n text ... SEP file \n]
/// PRE prefix SUF suffix MID (or PRE SUF suffix MID prefix with
/// suffix_first). Fails with LQ_ERR_UNSUPPORTED when the vocabulary has no
/// prefix/suffix/middle tokens, LQ_ERR_CONTEXT_FULL when not even the
/// fixed tokens fit the budget.
InfillPrompt build_infill_prompt(const Vocab &vocab, const InfillRequest &request);

}  // namespace lq
