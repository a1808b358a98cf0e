// lq bench -m MODEL [-p 128] [-n 32] [-r 5] [--backend B] [-t THREADS] [--session] [--json]
//
// The measurement of llama-bench, so that figures compare: "pp" evaluates a
// prompt of p tokens in one batch from an empty cache; "tg" generates n
// tokens one at a time from an empty cache. Each is run once to warm up,
// then r times; tokens per second are reported as mean and standard
// deviation over the runs.
#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "commands.h"
#include "core/json.h"

namespace lq_cli {
namespace {

struct Stats {
    double mean = 0.0, stdev = 0.0;
};

Stats summarize(const std::vector<double> &values) {
    Stats s;
    for (double v : values) s.mean += v;
    s.mean /= static_cast<double>(values.size());
    for (double v : values) s.stdev += (v - s.mean) * (v - s.mean);
    s.stdev = values.size() > 1 ? std::sqrt(s.stdev / static_cast<double>(values.size() - 1)) : 0.0;
    return s;
}

double now_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

int cmd_bench(int argc, char **argv) {
    Args args("bench", argc, argv, 2,
              {{"model", "m", true, "model file"},
               {"n-prompt", "p", true, "prompt tokens (default 128; 0: skip)"},
               {"n-gen", "n", true, "generated tokens (default 32; 0: skip)"},
               {"repetitions", "r", true, "measured runs (default 5)"},
               {"backend", nullptr, true, kBackendHelp},
               {"threads", "t", true, "threads (default: all)"},
               {"session", nullptr, false, "also time saving and restoring the prompt's session"},
               {"json", nullptr, false, "print one JSON object"}});
    args.expect_at_most(0);
    if (!args.has("model")) throw UsageError("missing -m MODEL");
    const uint32_t n_prompt = static_cast<uint32_t>(args.get_int("n-prompt", 128, 0, 1 << 16));
    const uint32_t n_gen = static_cast<uint32_t>(args.get_int("n-gen", 32, 0, 1 << 16));
    const int repetitions = static_cast<int>(args.get_int("repetitions", 5, 1, 1000));

    std::unique_ptr<lq_model, void (*)(lq_model *)> model(load_model(args.get("model"), 0), lq_model_free);
    lq_model_info info = LQ_MODEL_INFO_INIT;
    check(lq_model_get_info(model.get(), &info), "model info");
    lq_context_options options = LQ_CONTEXT_OPTIONS_INIT;
    options.n_ctx = std::max<uint32_t>(16, std::max(n_prompt, n_gen) + 1);
    options.n_batch = std::max<uint32_t>(1, n_prompt);
    options.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    options.backend = static_cast<uint32_t>(parse_backend(args.get("backend", "auto")));
    lq_context *raw = nullptr;
    check(lq_context_create(&raw, model.get(), &options), "cannot create a context");
    std::unique_ptr<lq_context, void (*)(lq_context *)> context(raw, lq_context_free);
    lq_context_info context_info = LQ_CONTEXT_INFO_INIT;
    check(lq_context_get_info(context.get(), &context_info), "context info");

    // Deterministic token ids spread over the vocabulary.
    std::vector<int32_t> tokens(std::max(n_prompt, n_gen));
    for (size_t i = 0; i < tokens.size(); ++i)
        tokens[i] = static_cast<int32_t>((i * 7919u + 13u) % info.n_vocab);
    std::vector<float> logits(info.n_vocab);

    auto run_prompt = [&] {
        check(lq_context_reset(context.get()), "reset");
        const double t0 = now_seconds();
        check(lq_context_eval(context.get(), tokens.data(), n_prompt, 0, logits.data(), logits.size()), "evaluation");
        return n_prompt / (now_seconds() - t0);
    };
    auto run_generation = [&] {
        check(lq_context_reset(context.get()), "reset");
        const double t0 = now_seconds();
        for (uint32_t i = 0; i < n_gen; ++i)
            check(lq_context_eval(context.get(), &tokens[i], 1, 0, logits.data(), logits.size()), "evaluation");
        return n_gen / (now_seconds() - t0);
    };

    std::vector<double> pp, tg;
    if (n_prompt) {
        run_prompt();
        for (int r = 0; r < repetitions; ++r) pp.push_back(run_prompt());
    }
    if (n_gen) {
        run_generation();
        for (int r = 0; r < repetitions; ++r) tg.push_back(run_generation());
    }
    // Sessions: restoring the prompt's state into a fresh context against
    // evaluating the prompt again.
    std::vector<double> restore_ms, eval_ms, save_ms;
    size_t session_bytes = 0;
    if (args.has("session") && n_prompt) {
        lq_context *raw_other = nullptr;
        check(lq_context_create(&raw_other, model.get(), &options), "cannot create a context");
        std::unique_ptr<lq_context, void (*)(lq_context *)> other(raw_other, lq_context_free);
        std::vector<uint8_t> image;
        for (int r = 0; r <= repetitions; ++r) {
            check(lq_context_reset(context.get()), "reset");
            double t0 = now_seconds();
            check(lq_context_eval(context.get(), tokens.data(), n_prompt, 0, logits.data(), logits.size()), "evaluation");
            const double evaluated = now_seconds() - t0;
            t0 = now_seconds();
            size_t needed = 0;
            lq_context_save_session_buffer(context.get(), nullptr, 0, &needed);
            image.resize(needed);
            check(lq_context_save_session_buffer(context.get(), image.data(), image.size(), &needed), "save session");
            const double saved = now_seconds() - t0;
            t0 = now_seconds();
            check(lq_context_load_session_buffer(other.get(), image.data(), image.size()), "load session");
            const double restored = now_seconds() - t0;
            if (r == 0) continue;  // warm-up
            eval_ms.push_back(evaluated * 1e3);
            save_ms.push_back(saved * 1e3);
            restore_ms.push_back(restored * 1e3);
        }
        session_bytes = image.size();
    }
    const Stats pp_stats = pp.empty() ? Stats() : summarize(pp);
    const Stats tg_stats = tg.empty() ? Stats() : summarize(tg);

    const double size_mib = static_cast<double>(info.n_tensor_bytes) / (1024.0 * 1024.0);
    if (args.has("json")) {
        std::string out = "{\"model\":" + lq::json::quote(args.get("model"));
        out += ",\"size_bytes\":" + std::to_string(info.n_tensor_bytes) + ",\"n_params\":" + std::to_string(info.n_params);
        out += ",\"threads\":" + std::to_string(context_info.n_threads);
        out += ",\"backend\":" + lq::json::quote(backend_name(context_info.backend));
        if (n_prompt)
            out += ",\"pp\":{\"n\":" + std::to_string(n_prompt) + ",\"tps\":" + lq::json::number(pp_stats.mean) +
                   ",\"stdev\":" + lq::json::number(pp_stats.stdev) + "}";
        if (n_gen)
            out += ",\"tg\":{\"n\":" + std::to_string(n_gen) + ",\"tps\":" + lq::json::number(tg_stats.mean) +
                   ",\"stdev\":" + lq::json::number(tg_stats.stdev) + "}";
        if (!restore_ms.empty())
            out += ",\"session\":{\"n\":" + std::to_string(n_prompt) + ",\"bytes\":" + std::to_string(session_bytes) +
                   ",\"cache_bytes\":" + std::to_string(context_info.kv_bytes * n_prompt / context_info.n_ctx) +
                   ",\"eval_ms\":" + lq::json::number(summarize(eval_ms).mean) +
                   ",\"save_ms\":" + lq::json::number(summarize(save_ms).mean) +
                   ",\"restore_ms\":" + lq::json::number(summarize(restore_ms).mean) + "}";
        out += "}";
        std::printf("%s\n", out.c_str());
        return 0;
    }
    std::printf("| model | size | params | backend | threads | test | t/s |\n|---|---|---|---|---|---|---|\n");
    auto row = [&](const char *test, uint32_t n, const Stats &s) {
        std::printf("| %s | %.2f MiB | %.2f M | %s | %u | %s%u | %.2f ± %.2f |\n", args.get("model").c_str(), size_mib,
                    static_cast<double>(info.n_params) / 1e6, backend_name(context_info.backend).c_str(),
                    context_info.n_threads, test, n, s.mean, s.stdev);
    };
    if (n_prompt) row("pp", n_prompt, pp_stats);
    if (n_gen) row("tg", n_gen, tg_stats);
    if (!restore_ms.empty()) {
        const double eval = summarize(eval_ms).mean, restore = summarize(restore_ms).mean;
        std::printf("\nsession of %u tokens: %zu bytes (cache %" PRIu64 " bytes raw); evaluate %.2f ms, save %.2f ms, "
                    "restore %.2f ms: restoring is %.1fx faster than evaluating\n",
                    n_prompt, session_bytes, context_info.kv_bytes * n_prompt / context_info.n_ctx, eval,
                    summarize(save_ms).mean, restore, restore > 0 ? eval / restore : 0.0);
    }
    return 0;
}

}  // namespace lq_cli
