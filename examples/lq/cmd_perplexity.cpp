// lq perplexity -m MODEL -f TEXT [-c CTX] [--stride S] [--ref FULL_MODEL | --kld-base OUT | --kld BASE] [--json]
//
// Without a base file this is a client of lq_evaluate_text() (with --ref:
// against a reference model, both in memory); --kld-base writes the
// model's log-probabilities to a file and --kld compares with one, so that
// the reference model need not be loaded again.
//
// The protocol of the other GGUF runtimes, so that figures compare: the
// whole text is tokenized with BOS and cut into chunks of n_ctx tokens; the
// first token of every chunk is replaced by BOS; each chunk is evaluated
// from an empty cache and only its second half is scored (the logits at
// positions n_ctx/2 .. n_ctx-2 predict the next token).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "core/json.h"
#include "core/log_softmax.h"
#include "core/running_mean.h"
#include "kld_file.h"

namespace lq_cli {
namespace {

std::vector<int32_t> tokenize_text(const lq_model *model, const std::string &text) {
    size_t needed = 0;
    lq_status status = lq_tokenize(model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, nullptr, 0, &needed);
    if (status != LQ_ERR_BUFFER_TOO_SMALL && status != LQ_OK) check(status, "cannot tokenize the text");
    std::vector<int32_t> tokens(needed);
    check(lq_tokenize(model, text.data(), text.size(), LQ_TOKENIZE_ADD_SPECIAL, tokens.data(), tokens.size(), &needed),
          "cannot tokenize the text");
    tokens.resize(needed);
    return tokens;
}

int32_t progress_line_for_windows(float fraction, void *) {
    std::fprintf(stderr, "\revaluating %3.0f %%", 100.0 * fraction);
    return 0;
}

int evaluate_in_library(const Args &args) {
    const bool json = args.has("json");
    if (args.has("batch-size")) throw UsageError("-b applies to --kld-base and --kld runs (evaluation batches whole windows)");
    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(args.get("model"), 0), lq_model_free);
    std::unique_ptr<lq_model, void (*)(lq_model *)> reference(nullptr, lq_model_free);
    if (args.has("ref")) reference.reset(load_model(args.get("ref"), 0));
    const std::string text = read_file(args.get("file"));
    lq_evaluate_options o = LQ_EVALUATE_OPTIONS_INIT;
    o.n_ctx = static_cast<uint32_t>(args.get_int("ctx-size", 512, 4, 1 << 20));
    o.stride = static_cast<uint32_t>(args.get_int("stride", 0, 1, o.n_ctx - 1));
    o.max_windows = static_cast<uint32_t>(args.get_int("chunks", 0, 1, 1 << 30));
    o.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    o.backend = static_cast<uint32_t>(parse_backend(args.get("backend", "auto")));
    o.reference = reference.get();
    const bool progress = isatty(STDERR_FILENO) && !json;
    if (progress) o.progress = progress_line_for_windows;
    lq_evaluate_result r = LQ_EVALUATE_RESULT_INIT;
    const auto start = std::chrono::steady_clock::now();
    check(lq_evaluate_text(model.get(), text.data(), text.size(), &o, &r), "evaluation failed");
    if (progress) std::fprintf(stderr, "\n");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (json) {
        std::string out = "{\"model\":" + lq::json::quote(args.get("model"));
        out += ",\"n_ctx\":" + std::to_string(o.n_ctx) + ",\"stride\":" + std::to_string(o.stride);
        out += ",\"n_chunks\":" + std::to_string(r.n_windows) + ",\"n_scored\":" + std::to_string(r.n_scored);
        out += ",\"ppl\":" + lq::json::number(r.perplexity) + ",\"ppl_error\":" + lq::json::number(r.perplexity_error);
        if (reference) {
            out += ",\"reference\":" + lq::json::quote(args.get("ref"));
            out += ",\"reference_ppl\":" + lq::json::number(r.reference_perplexity);
            out += ",\"kld\":" + lq::json::number(r.kld_mean) + ",\"kld_ci95\":" + lq::json::number(r.kld_ci95);
            out += ",\"kld_median\":" + lq::json::number(r.kld_median) + ",\"kld_p99\":" + lq::json::number(r.kld_p99);
            out += ",\"kld_max\":" + lq::json::number(r.kld_max);
            out += ",\"same_top\":" + lq::json::number(r.same_top) + ",\"same_top_error\":" + lq::json::number(r.same_top_error);
            out += ",\"delta_p\":" + lq::json::number(r.delta_p_mean) + ",\"delta_p_rms\":" + lq::json::number(r.delta_p_rms);
        }
        out += ",\"seconds\":" + lq::json::number(seconds) + "}";
        std::printf("%s\n", out.c_str());
        return 0;
    }
    std::printf("chunks:        %u of %u tokens (%s tokens scored)\n", r.n_windows, o.n_ctx,
                with_commas(r.n_scored).c_str());
    std::printf("PPL:           %.4f +/- %.4f\n", r.perplexity, r.perplexity_error);
    if (reference) {
        std::printf("reference PPL: %.4f +/- %.4f\n", r.reference_perplexity, r.reference_perplexity_error);
        std::printf("mean KLD:      %.6f +/- %.6f (95 %%)\n", r.kld_mean, r.kld_ci95);
        std::printf("KLD median:    %.6f, p99 %.6f, max %.6f\n", r.kld_median, r.kld_p99, r.kld_max);
        std::printf("same top:      %.2f %% +/- %.2f %%\n", 100.0 * r.same_top, 100.0 * r.same_top_error);
        std::printf("delta p:       %+.4f %% (rms %.4f %%)\n", 100.0 * r.delta_p_mean, 100.0 * r.delta_p_rms);
    }
    std::printf("time:          %.2f s\n", seconds);
    return 0;
}

}  // namespace

int cmd_perplexity(int argc, char **argv) {
    Args args("perplexity", argc, argv, 2,
              {{"model", "m", true, "model file"},
               {"file", "f", true, "text file"},
               {"ctx-size", "c", true, "tokens per chunk (default 512)"},
               {"chunks", nullptr, true, "evaluate at most this many chunks"},
               {"batch-size", "b", true, "tokens per forward pass"},
               {"threads", "t", true, "threads (default: all)"},
               {"backend", nullptr, true, kBackendHelp},
               {"ref", nullptr, true, "compare with this reference (full-precision) model"},
               {"stride", nullptr, true, "score the last S predictions of a window every S tokens (default: halves)"},
               {"kld-base", nullptr, true, "write the model's log-probabilities to this file"},
               {"kld", nullptr, true, "compare with the log-probabilities of this base file"},
               {"json", nullptr, false, "print one JSON object"}});
    args.expect_at_most(0);
    if (!args.has("model")) throw UsageError("missing -m MODEL");
    if (args.has("kld-base") && args.has("kld")) throw UsageError("give --kld-base or --kld, not both");
    if (!args.has("file") && !args.has("kld")) throw UsageError("missing -f TEXT");
    const bool json = args.has("json");
    if ((args.has("ref") || args.has("stride")) && (args.has("kld-base") || args.has("kld")))
        throw UsageError("--ref and --stride do not combine with --kld-base or --kld");
    if (!args.has("kld-base") && !args.has("kld")) return evaluate_in_library(args);

    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(args.get("model"), 0), lq_model_free);
    lq_model_info model_info = LQ_MODEL_INFO_INIT;
    check(lq_model_get_info(model.get(), &model_info), "model info");
    const uint32_t n_vocab = model_info.n_vocab;

    // The chunks: from the text, or exactly those of the base file.
    std::unique_ptr<KldReader> base;
    uint32_t n_ctx = static_cast<uint32_t>(args.get_int("ctx-size", 512, 4, 1 << 20));
    std::vector<int32_t> chunks;
    uint32_t n_chunks = 0;
    if (args.has("kld")) {
        base = std::make_unique<KldReader>(args.get("kld"));
        const KldHeader &h = base->header();
        if (h.n_vocab != n_vocab)
            throw Failure("the base file has " + std::to_string(h.n_vocab) + " logits per token, the model " +
                          std::to_string(n_vocab));
        if (args.has("ctx-size") && n_ctx != h.n_ctx)
            throw Failure("the base file was made with -c " + std::to_string(h.n_ctx));
        n_ctx = h.n_ctx;
        n_chunks = h.n_chunks;
        chunks = base->tokens();
    } else {
        const std::vector<int32_t> tokens = tokenize_text(model.get(), read_file(args.get("file")));
        n_chunks = static_cast<uint32_t>(tokens.size() / n_ctx);
        if (n_chunks == 0)
            throw Failure("the text has " + std::to_string(tokens.size()) + " tokens, fewer than one chunk of " +
                          std::to_string(n_ctx));
        lq_vocab_info vocab = LQ_VOCAB_INFO_INIT;
        check(lq_model_get_vocab_info(model.get(), &vocab), "vocabulary info");
        chunks.assign(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(n_chunks) * n_ctx);
        if (vocab.add_bos && vocab.bos >= 0)
            for (uint32_t c = 0; c < n_chunks; ++c) chunks[static_cast<size_t>(c) * n_ctx] = vocab.bos;
    }
    if (args.has("chunks")) n_chunks = std::min(n_chunks, static_cast<uint32_t>(args.get_int("chunks", 0, 1, 1 << 30)));
    const uint32_t first = n_ctx / 2;

    lq_context_options context_options = LQ_CONTEXT_OPTIONS_INIT;
    context_options.n_ctx = n_ctx;
    context_options.n_batch = static_cast<uint32_t>(args.get_int("batch-size", n_ctx, 1, 1 << 20));
    context_options.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    context_options.backend = static_cast<uint32_t>(parse_backend(args.get("backend", "auto")));
    lq_context *raw_context = nullptr;
    check(lq_context_create(&raw_context, model.get(), &context_options), "cannot create a context");
    std::unique_ptr<lq_context, void (*)(lq_context *)> context(raw_context, lq_context_free);

    std::unique_ptr<KldWriter> writer;
    if (args.has("kld-base")) {
        KldHeader header;
        header.n_vocab = n_vocab;
        header.n_ctx = n_ctx;
        header.n_chunks = n_chunks;
        header.first = first;
        std::vector<int32_t> used(chunks.begin(), chunks.begin() + static_cast<std::ptrdiff_t>(n_chunks) * n_ctx);
        writer = std::make_unique<KldWriter>(args.get("kld-base"), header, used);
    }

    lq::RunningMean nll, kld;
    uint64_t same_top = 0;
    std::vector<float> logits(static_cast<size_t>(n_ctx) * n_vocab);
    std::vector<float> base_log_probs;
    const bool progress = isatty(STDERR_FILENO) && !json;
    const auto start = std::chrono::steady_clock::now();
    for (uint32_t c = 0; c < n_chunks; ++c) {
        const int32_t *chunk = &chunks[static_cast<size_t>(c) * n_ctx];
        check(lq_context_reset(context.get()), "reset");
        check(lq_context_eval(context.get(), chunk, n_ctx, LQ_EVAL_ALL_LOGITS, logits.data(), logits.size()),
              "evaluation failed");
        for (uint32_t i = first; i + 1 < n_ctx; ++i) {
            const float *row = &logits[static_cast<size_t>(i) * n_vocab];
            uint32_t top = 0;
            const double normaliser = lq::log_normaliser(row, n_vocab, &top);
            nll.add(normaliser - row[chunk[i + 1]]);
            if (writer) writer->write_position(row);
            if (base) {
                base->read_position(base_log_probs);
                double divergence = 0.0;
                uint32_t base_top = 0;
                for (uint32_t v = 0; v < n_vocab; ++v) {
                    const double p_log = base_log_probs[v];
                    if (p_log > base_log_probs[base_top]) base_top = v;
                    if (p_log > -25.0) divergence += std::exp(p_log) * (p_log - (row[v] - normaliser));
                }
                kld.add(divergence);
                if (base_top == top) ++same_top;
            }
        }
        if (progress)
            std::fprintf(stderr, "\rchunk %u/%u  PPL %.4f", c + 1, n_chunks, std::exp(nll.mean()));
    }
    if (progress) std::fprintf(stderr, "\n");
    if (writer) writer->finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const double ppl = std::exp(nll.mean());
    const double ppl_error = ppl * nll.error();
    const double top_rate = kld.count ? static_cast<double>(same_top) / static_cast<double>(kld.count) : 0.0;
    const double top_error = kld.count > 1 ? std::sqrt(top_rate * (1 - top_rate) / static_cast<double>(kld.count - 1)) : 0.0;
    if (json) {
        std::string out = "{\"model\":" + lq::json::quote(args.get("model"));
        out += ",\"n_ctx\":" + std::to_string(n_ctx) + ",\"n_chunks\":" + std::to_string(n_chunks);
        out += ",\"n_scored\":" + std::to_string(nll.count);
        out += ",\"ppl\":" + lq::json::number(ppl) + ",\"ppl_error\":" + lq::json::number(ppl_error);
        if (base) {
            out += ",\"kld\":" + lq::json::number(kld.mean()) + ",\"kld_error\":" + lq::json::number(kld.error());
            out += ",\"same_top\":" + lq::json::number(top_rate) + ",\"same_top_error\":" + lq::json::number(top_error);
        }
        out += ",\"seconds\":" + lq::json::number(seconds) + "}";
        std::printf("%s\n", out.c_str());
    } else {
        std::printf("chunks:        %u of %u tokens (%s tokens scored)\n", n_chunks, n_ctx,
                    with_commas(nll.count).c_str());
        std::printf("PPL:           %.4f +/- %.4f\n", ppl, ppl_error);
        if (base) {
            std::printf("mean KLD:      %.6f +/- %.6f\n", kld.mean(), kld.error());
            std::printf("same top:      %.2f %% +/- %.2f %%\n", 100.0 * top_rate, 100.0 * top_error);
        }
        std::printf("time:          %.2f s\n", seconds);
    }
    return 0;
}

}  // namespace lq_cli
