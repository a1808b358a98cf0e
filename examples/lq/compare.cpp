#include "compare.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include "cli.h"
#include "core/log_softmax.h"

namespace lq_cli {
namespace {

using ContextPtr = std::unique_ptr<lq_context, void (*)(lq_context *)>;

ContextPtr make_context(lq_model *model, const CompareSettings &s) {
    lq_context_options o = LQ_CONTEXT_OPTIONS_INIT;
    o.n_ctx = s.n_ctx;
    o.n_threads = s.n_threads;
    o.backend = s.backend;
    lq_context *c = nullptr;
    check(lq_context_create(&c, model, &o), "cannot create a context");
    return ContextPtr(c, lq_context_free);
}

int32_t collect(const char *text, size_t length, int32_t token, void *user) {
    auto *side = static_cast<CompareSide *>(user);
    side->text.append(text, length);
    if (token >= 0) side->tokens.push_back(token);
    return 0;
}

CompareSide generate(lq_context *context, const std::vector<int32_t> &prompt, const CompareSettings &s) {
    CompareSide side;
    lq_generate_options g = LQ_GENERATE_OPTIONS_INIT;
    g.prompt_tokens = prompt.data();
    g.n_prompt_tokens = prompt.size();
    g.max_tokens = s.n_predict;
    g.temperature = s.temperature;
    g.seed = s.seed;
    g.on_text = collect;
    g.user_data = &side;
    check(lq_generate(context, &g, nullptr), "generation failed");
    return side;
}

std::vector<int32_t> tokenize(const lq_model *model, const std::string &text) {
    size_t n = 0;
    const lq_status first = lq_tokenize(model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, nullptr, 0, &n);
    if (first != LQ_OK && first != LQ_ERR_BUFFER_TOO_SMALL) check(first, "cannot tokenize the prompt");
    std::vector<int32_t> tokens(n);
    check(lq_tokenize(model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, tokens.data(), n, &n),
          "cannot tokenize the prompt");
    return tokens;
}

std::string detokenize(const lq_model *model, const int32_t *tokens, size_t n) {
    if (n == 0) return "";
    size_t needed = 0;
    const lq_status first = lq_detokenize(model, tokens, n, 0, nullptr, 0, &needed);
    if (first != LQ_OK && first != LQ_ERR_BUFFER_TOO_SMALL) check(first, "cannot detokenize");
    std::string text(needed, '\0');
    check(lq_detokenize(model, tokens, n, 0, text.data(), text.size(), &needed), "cannot detokenize");
    text.resize(needed > 0 && text[needed - 1] == '\0' ? needed - 1 : std::min(needed, text.size()));
    return text;
}

std::string escape_html(const std::string &s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += c;
        }
    }
    return out;
}

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

}  // namespace

CompareRow compare_prompt(lq_model *model, lq_model *reference, const std::string &prompt, const CompareSettings &s) {
    CompareRow row;
    row.prompt = prompt;
    const std::vector<int32_t> prompt_tokens = tokenize(reference, prompt);
    ContextPtr ref_context = make_context(reference, s), model_context = make_context(model, s);
    row.reference = generate(ref_context.get(), prompt_tokens, s);
    row.model = generate(model_context.get(), prompt_tokens, s);

    const size_t common = std::min(row.reference.tokens.size(), row.model.tokens.size());
    size_t d = 0;
    while (d < common && row.reference.tokens[d] == row.model.tokens[d]) ++d;
    const bool same = d == row.reference.tokens.size() && d == row.model.tokens.size();
    row.first_divergence = same ? -1 : static_cast<int>(d);
    row.common_text = detokenize(reference, row.reference.tokens.data(), d);
    const std::string ref_all = detokenize(reference, row.reference.tokens.data(), row.reference.tokens.size());
    const std::string model_all = detokenize(model, row.model.tokens.data(), row.model.tokens.size());
    // The rest is what follows the common text (detokenizing a prefix may
    // drop a leading space that the whole keeps; cut by length where it matches).
    const auto rest = [&](const std::string &all) {
        return all.compare(0, row.common_text.size(), row.common_text) == 0 ? all.substr(row.common_text.size()) : all;
    };
    row.reference_rest = rest(ref_all);
    row.model_rest = rest(model_all);

    // Teacher forcing along the reference's continuation.
    std::vector<int32_t> sequence = prompt_tokens;
    sequence.insert(sequence.end(), row.reference.tokens.begin(), row.reference.tokens.end());
    if (row.reference.tokens.empty()) return row;
    lq_model_info info = LQ_MODEL_INFO_INIT;
    check(lq_model_get_info(model, &info), "model info");
    const uint32_t n_vocab = info.n_vocab;
    std::vector<float> ref_logits(sequence.size() * n_vocab), model_logits(ref_logits.size());
    check(lq_context_reset(ref_context.get()), "reset");
    check(lq_context_reset(model_context.get()), "reset");
    const uint32_t n = static_cast<uint32_t>(sequence.size());
    check(lq_context_eval(ref_context.get(), sequence.data(), n, LQ_EVAL_ALL_LOGITS, ref_logits.data(), ref_logits.size()),
          "evaluation failed");
    check(lq_context_eval(model_context.get(), sequence.data(), n, LQ_EVAL_ALL_LOGITS, model_logits.data(),
                          model_logits.size()),
          "evaluation failed");
    std::vector<double> p, q;
    double kld = 0;
    uint32_t agree = 0;
    for (size_t i = prompt_tokens.size() - 1; i + 1 < sequence.size(); ++i) {
        uint32_t ref_top = 0, model_top = 0;
        lq::log_softmax(&ref_logits[i * n_vocab], n_vocab, p, &ref_top);
        lq::log_softmax(&model_logits[i * n_vocab], n_vocab, q, &model_top);
        kld += lq::kl_divergence(p, q);
        if (static_cast<int32_t>(model_top) == sequence[i + 1]) ++agree;
        ++row.n_forced;
    }
    row.agreement = static_cast<double>(agree) / row.n_forced;
    row.kld_mean = kld / row.n_forced;
    return row;
}

std::string compare_html(const std::vector<CompareRow> &rows, const std::string &model_name,
                         const std::string &reference_name) {
    double agreement = 0, kld = 0;
    size_t identical = 0;
    for (const CompareRow &r : rows) {
        agreement += r.agreement;
        kld += r.kld_mean;
        if (r.first_divergence < 0) ++identical;
    }
    const double n = rows.empty() ? 1.0 : static_cast<double>(rows.size());
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>lq compare</title>\n<style>\n"
         "body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse}"
         "td,th{border:1px solid #bbb;padding:.3em .6em;vertical-align:top}th{background:#eee}"
         ".pair td{width:50%;white-space:pre-wrap;font-family:monospace}mark.ref{background:#cde8ff}"
         "mark.model{background:#ffd9c2}.prompt{font-weight:bold}.num{text-align:right}\n</style></head><body>\n";
    h += "<h1>Side by side: " + escape_html(model_name) + " against " + escape_html(reference_name) + "</h1>\n";
    h += "<table id=\"summary\"><tr><th>prompts</th><th>identical continuations</th><th>mean token agreement</th>"
         "<th>mean KLD along the reference</th></tr>\n<tr><td class=\"num\">" + std::to_string(rows.size()) +
         "</td><td class=\"num\">" + std::to_string(identical) + "</td><td class=\"num\">" +
         fixed(100.0 * agreement / n, 1) + " %</td><td class=\"num\">" + fixed(kld / n, 5) + "</td></tr></table>\n";
    h += "<p>Each side continues the prompt on its own; the first token where they differ starts the marked text. "
         "Agreement and KLD are measured with the quantized model reading the reference's continuation.</p>\n";
    for (size_t i = 0; i < rows.size(); ++i) {
        const CompareRow &r = rows[i];
        h += "<h2>" + std::to_string(i + 1) + ". <span class=\"prompt\">" + escape_html(r.prompt) + "</span></h2>\n";
        h += "<p>" + (r.first_divergence < 0 ? std::string("identical continuations")
                                              : "first difference at token " + std::to_string(r.first_divergence)) +
             "; agreement " + fixed(100.0 * r.agreement, 1) + " % over " + std::to_string(r.n_forced) +
             " tokens; KLD " + fixed(r.kld_mean, 5) + "</p>\n";
        h += "<table class=\"pair\"><tr><th>" + escape_html(reference_name) + "</th><th>" + escape_html(model_name) +
             "</th></tr>\n<tr><td>" + escape_html(r.common_text) + "<mark class=\"ref\">" +
             escape_html(r.reference_rest) + "</mark></td><td>" + escape_html(r.common_text) +
             "<mark class=\"model\">" + escape_html(r.model_rest) + "</mark></td></tr></table>\n";
    }
    h += "</body></html>\n";
    return h;
}

}  // namespace lq_cli
