// lq compare: the same prompts through a quantized model and its reference,
// side by side. Each side generates on its own (greedy by default); then the
// quantized model reads the reference's continuation (teacher forcing), so
// that its agreement with the reference's next token and the KL divergence
// of its distributions are measured along one text.
#pragma once

#include <string>
#include <vector>

#include "libquant/libquant.h"

namespace lq_cli {

struct CompareSide {
    std::vector<int32_t> tokens;  // the continuation
    std::string text;
};

struct CompareRow {
    std::string prompt;
    CompareSide reference, model;
    int first_divergence = -1;    // index of the first differing token; -1: none
    std::string common_text;      // the continuations' common prefix, as text
    std::string reference_rest, model_rest;  // what follows it on each side
    uint32_t n_forced = 0;        // reference tokens the model was scored on
    double agreement = 0;         // fraction of them that were also the model's most likely token
    double kld_mean = 0;          // mean KL(reference || model) along them
};

struct CompareSettings {
    int32_t n_predict = 64;
    float temperature = 0.0f;
    uint64_t seed = 1;
    uint32_t n_ctx = 0;
    uint32_t n_threads = 0;
    uint32_t backend = LQ_BACKEND_AUTO;
};

/// Runs one prompt through both models. Throws Failure with the library's
/// message on an error.
CompareRow compare_prompt(lq_model *model, lq_model *reference, const std::string &prompt, const CompareSettings &s);

/// A self-contained HTML page (no external assets): the summary table, then
/// each prompt with the two continuations side by side, the divergence
/// marked.
std::string compare_html(const std::vector<CompareRow> &rows, const std::string &model_name,
                         const std::string &reference_name);

}  // namespace lq_cli
