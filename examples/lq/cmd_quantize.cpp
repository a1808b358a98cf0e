// lq quantize IN OUT TYPE [--method rtn|gptq|awq|importance|smoothquant] [--smooth] [--smooth-alpha A]
//            [--calib TEXT] [-t THREADS]
//            [--tensor-type PATTERN=TYPE ...] [--calib-samples N] [--calib-ctx N] [--tokenizer TOK] [--json]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "cli.h"
#include "commands.h"
#include "core/json.h"

namespace lq_cli {
namespace {

int32_t progress_line(float fraction, void *) {
    std::fprintf(stderr, "\rquantizing %3d%%", static_cast<int>(fraction * 100.0f + 0.5f));
    if (fraction >= 1.0f) std::fprintf(stderr, "\n");
    return 0;
}

void print_message(const char *line, void *user) {
    if (*static_cast<bool *>(user) || std::string(line).compare(0, 8, "warning:") == 0)
        std::fprintf(stderr, "lq: %s\n", line);
}

uint32_t parse_method(const std::string &name) {
    if (name == "rtn") return LQ_QUANT_RTN;
    if (name == "gptq") return LQ_QUANT_GPTQ;
    if (name == "awq") return LQ_QUANT_AWQ;
    if (name == "importance") return LQ_QUANT_IMPORTANCE;
    if (name == "smoothquant") return LQ_QUANT_SMOOTHQUANT;
    throw UsageError("--method expects rtn, gptq, awq, importance or smoothquant, got '" + name + "'");
}

}  // namespace

int cmd_quantize(int argc, char **argv) {
    Args args("quantize", argc, argv, 2,
              {{"method", nullptr, true, "rtn (default), gptq, awq, importance or smoothquant"},
               {"smooth", nullptr, false, "SmoothQuant smoothing before rtn, importance or gptq (needs --calib)"},
               {"smooth-alpha", nullptr, true, "SmoothQuant migration strength in (0, 1] (default 0.5)"},
               {"calib", nullptr, true, "calibration text (or token ids)"},
               {"calib-samples", nullptr, true, "calibration sequences (default 64)"},
               {"calib-ctx", nullptr, true, "tokens per calibration sequence (default 256)"},
               {"tensor-type", nullptr, true, "PATTERN=TYPE override (repeatable)"},
               {"no-act-order", nullptr, false, "GPTQ: keep the stored block order"},
               {"exhaustive", nullptr, false, "rtn: exhaustive scale search (slower, a little less error)"},
               {"tokenizer", nullptr, true, "tokenizer.bin of a llama2.c input"},
               {"threads", "t", true, "threads (default: all)"},
               {"verbose", "v", false, "print the type chosen for every tensor"},
               {"json", nullptr, false, "print a JSON summary"}});
    const std::string &input = args.positional(0, "IN");
    const std::string &output = args.positional(1, "OUT");
    const std::string &target = args.positional(2, "TYPE");
    args.expect_at_most(3);

    lq_quantize_options options = LQ_QUANTIZE_OPTIONS_INIT;
    options.target = target.c_str();
    options.method = parse_method(args.get("method", "rtn"));
    const std::string calib = args.get("calib"), tokenizer = args.get("tokenizer");
    if (!calib.empty()) options.calibration_path = calib.c_str();
    if (!tokenizer.empty()) options.tokenizer_path = tokenizer.c_str();
    options.calibration_samples = static_cast<uint32_t>(args.get_int("calib-samples", 64, 1, 1 << 20));
    options.calibration_ctx = static_cast<uint32_t>(args.get_int("calib-ctx", 256, 8, 1 << 20));
    options.n_threads = static_cast<uint32_t>(args.get_int("threads", 0, 0, 1024));
    if (args.has("no-act-order")) options.flags |= LQ_QUANTIZE_GPTQ_NO_ACT_ORDER;
    if (args.has("exhaustive")) options.flags |= LQ_QUANTIZE_EXHAUSTIVE;
    if (args.has("smooth")) options.flags |= LQ_QUANTIZE_SMOOTH;
    if (args.has("smooth-alpha")) {
        options.smooth_alpha = static_cast<float>(args.get_float("smooth-alpha", 0.5, 0.0, 1.0));
        if (!(options.smooth_alpha > 0.0f)) throw UsageError("--smooth-alpha expects a value in (0, 1]");
    }
    std::string overrides;
    for (const std::string &o : args.get_all("tensor-type")) overrides += (overrides.empty() ? "" : ",") + o;
    if (!overrides.empty()) options.tensor_types = overrides.c_str();
    bool verbose = args.has("verbose");
    options.on_message = print_message;
    options.message_user_data = &verbose;
    if (isatty(STDERR_FILENO) && !verbose) options.progress = progress_line;

    const auto start = std::chrono::steady_clock::now();
    check(lq_quantize(input.c_str(), output.c_str(), &options), "quantization failed");
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    // Report from the written file.
    lq_model_options load = LQ_MODEL_OPTIONS_INIT;
    load.flags = LQ_MODEL_METADATA_ONLY;
    lq_model *model = nullptr;
    check(lq_model_load(&model, output.c_str(), &load), "cannot read the output");
    lq_model_info info = LQ_MODEL_INFO_INIT;
    check(lq_model_get_info(model, &info), "model info");
    uint64_t matrix_bytes = 0, matrix_weights = 0;
    for (uint32_t i = 0; i < info.n_tensors; ++i) {
        lq_tensor_info t = LQ_TENSOR_INFO_INIT;
        check(lq_model_tensor_info(model, i, &t), "tensor info");
        if (t.n_dims < 2) continue;
        matrix_bytes += t.n_bytes;
        matrix_weights += t.n_elements;
    }
    lq_model_free(model);
    const double bpw = matrix_weights ? 8.0 * double(matrix_bytes) / double(matrix_weights) : 0.0;
    if (args.has("json")) {
        std::printf("{\"output\":%s,\"target\":%s,\"method\":%s,\"bits_per_weight\":%s,\"bytes\":%llu,\"seconds\":%s}\n",
                    lq::json::quote(output).c_str(), lq::json::quote(target).c_str(),
                    lq::json::quote(args.get("method", "rtn")).c_str(), lq::json::number(bpw).c_str(),
                    static_cast<unsigned long long>(info.n_tensor_bytes), lq::json::number(seconds).c_str());
    } else {
        std::fprintf(stderr, "lq: wrote %s: %s bytes of tensors, %.3f bits per weight over the matrices, %.2f s\n",
                     output.c_str(), with_commas(info.n_tensor_bytes).c_str(), bpw, seconds);
    }
    return 0;
}

}  // namespace lq_cli
