// lq compare -m MODEL --ref FULL -f PROMPTS [-n N] [--temp T] [--seed S] [--json] [--html OUT]
//
// One prompt per line of PROMPTS (empty lines skipped). For each: both
// continuations, where they first differ, and the quantized model's
// agreement and KL divergence along the reference's continuation
// (compare.h). Text on stdout, or one JSON object; --html writes a
// self-contained report.
#include <fstream>
#include <memory>
#include <sstream>

#include "cli.h"
#include "commands.h"
#include "compare.h"
#include "core/json.h"

namespace lq_cli {

int cmd_compare(int argc, char **argv) {
    Args args("compare", argc, argv, 2,
              {{"model", "m", true, "the model to check (quantized)"},
               {"ref", nullptr, true, "the reference model (full precision)"},
               {"file", "f", true, "prompts, one per line"},
               {"n-predict", "n", true, "tokens to generate per prompt (default 64)"},
               {"temp", nullptr, true, "temperature (default 0: greedy)"},
               {"seed", nullptr, true, "seed of both sides when sampling (default 1)"},
               {"ctx-size", "c", true, "context size (default: the model's)"},
               {"threads", "t", true, "threads (default: all)"},
               {"backend", nullptr, true, kBackendHelp},
               {"html", nullptr, true, "write a self-contained HTML report here"},
               {"json", nullptr, false, "print one JSON object"}});
    args.expect_at_most(0);
    if (!args.has("model") || !args.has("ref") || !args.has("file"))
        throw UsageError("lq compare needs -m MODEL, --ref FULL and -f PROMPTS");
    CompareSettings s;
    s.n_predict = static_cast<int32_t>(args.get_int("n-predict", 64, 1, 1 << 20));
    s.temperature = static_cast<float>(args.get_float("temp", 0.0, 0.0, 100.0));
    s.seed = static_cast<uint64_t>(args.get_int("seed", 1, 0, INT64_MAX));
    s.n_ctx = static_cast<uint32_t>(args.get_int("ctx-size", 0, 0, 1 << 20));
    s.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    s.backend = static_cast<uint32_t>(parse_backend(args.get("backend", "auto")));

    std::vector<std::string> prompts;
    std::istringstream lines(read_file(args.get("file")));
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (!line.empty()) prompts.push_back(line);
    }
    if (prompts.empty()) throw Failure("no prompts in " + args.get("file"));

    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(args.get("model"), 0), lq_model_free);
    std::unique_ptr<lq_model, void (*)(lq_model *)> reference(load_model(args.get("ref"), 0), lq_model_free);
    lq_model_info a = LQ_MODEL_INFO_INIT, b = LQ_MODEL_INFO_INIT;
    check(lq_model_get_info(model.get(), &a), "model info");
    check(lq_model_get_info(reference.get(), &b), "model info");
    if (a.n_vocab != b.n_vocab)
        throw Failure("the models have different vocabularies (" + std::to_string(a.n_vocab) + " and " +
                      std::to_string(b.n_vocab) + " tokens)");

    std::vector<CompareRow> rows;
    for (const std::string &p : prompts) rows.push_back(compare_prompt(model.get(), reference.get(), p, s));

    double agreement = 0, kld = 0;
    size_t identical = 0;
    for (const CompareRow &r : rows) {
        agreement += r.agreement;
        kld += r.kld_mean;
        identical += r.first_divergence < 0;
    }
    agreement /= static_cast<double>(rows.size());
    kld /= static_cast<double>(rows.size());

    if (args.has("html")) {
        std::ofstream out(args.get("html"), std::ios::binary);
        const auto base = [](const std::string &path) { return path.substr(path.find_last_of('/') + 1); };
        out << compare_html(rows, base(args.get("model")), base(args.get("ref")));
        if (!out) throw Failure("cannot write " + args.get("html"));
    }
    if (args.has("json")) {
        using lq::json::number;
        using lq::json::quote;
        std::string j = "{\"model\":" + quote(args.get("model")) + ",\"reference\":" + quote(args.get("ref"));
        j += ",\"prompts\":[";
        for (size_t i = 0; i < rows.size(); ++i) {
            const CompareRow &r = rows[i];
            j += std::string(i ? "," : "") + "{\"prompt\":" + quote(r.prompt) + ",\"reference\":" + quote(r.reference.text) +
                 ",\"model\":" + quote(r.model.text) + ",\"first_divergence\":" + std::to_string(r.first_divergence) +
                 ",\"n_forced\":" + std::to_string(r.n_forced) + ",\"agreement\":" + number(r.agreement) +
                 ",\"kld\":" + number(r.kld_mean) + "}";
        }
        j += "],\"identical\":" + std::to_string(identical) + ",\"agreement\":" + number(agreement) +
             ",\"kld\":" + number(kld) + "}";
        std::printf("%s\n", j.c_str());
        return 0;
    }
    for (size_t i = 0; i < rows.size(); ++i) {
        const CompareRow &r = rows[i];
        std::printf("== %zu. %s\n", i + 1, r.prompt.c_str());
        std::printf("reference: %s\n", r.reference.text.c_str());
        std::printf("model:     %s\n", r.model.text.c_str());
        if (r.first_divergence < 0) std::printf("identical; ");
        else std::printf("first difference at token %d; ", r.first_divergence);
        std::printf("agreement %.1f %% over %u tokens, KLD %.5f\n", 100.0 * r.agreement, r.n_forced, r.kld_mean);
    }
    std::printf("== %zu prompts: %zu identical, mean agreement %.1f %%, mean KLD %.5f\n", rows.size(), identical,
                100.0 * agreement, kld);
    return 0;
}

}  // namespace lq_cli
