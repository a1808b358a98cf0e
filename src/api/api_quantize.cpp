// lq_quantize: options -> QuantizeOptions.
#include <sstream>

#include "api/guard.h"
#include "quantize/quantizer.h"

using lq::api::guarded;
using lq::api::require;

extern "C" {

LQ_API void lq_quantize_options_init(lq_quantize_options *options) {
    if (!options) return;
    const lq_quantize_options defaults = LQ_QUANTIZE_OPTIONS_INIT;
    *options = defaults;
}

LQ_API lq_status lq_quantize(const char *input_path, const char *output_path, const lq_quantize_options *options) {
    return guarded([&] {
        require(input_path, "input_path");
        require(output_path, "output_path");
        lq_quantize_options opts = LQ_QUANTIZE_OPTIONS_INIT;
        lq::api::read_options(options, &opts, "lq_quantize_options");
        if (opts.method > LQ_QUANT_SMOOTHQUANT) lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown quantization method %u", opts.method);
        if (opts.flags & ~static_cast<uint32_t>(LQ_QUANTIZE_GPTQ_NO_ACT_ORDER | LQ_QUANTIZE_EXHAUSTIVE | LQ_QUANTIZE_SMOOTH))
            lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown quantize flags 0x%x", opts.flags);
        lq::QuantizeOptions q;
        q.target = opts.target ? opts.target : "q8_0";
        q.method = static_cast<lq::QuantMethod>(opts.method);
        if (opts.tensor_types) {
            std::stringstream list(opts.tensor_types);
            std::string item;
            while (std::getline(list, item, ','))
                if (!item.empty()) q.overrides.push_back(lq::parse_override(item));
        }
        if (opts.calibration_path) q.calibration_path = opts.calibration_path;
        if (opts.tokenizer_path) q.tokenizer_path = opts.tokenizer_path;
        q.calibration_samples = opts.calibration_samples ? opts.calibration_samples : 64;
        q.calibration_ctx = opts.calibration_ctx ? opts.calibration_ctx : 256;
        q.n_threads = opts.n_threads;
        q.gptq_act_order = !(opts.flags & LQ_QUANTIZE_GPTQ_NO_ACT_ORDER);
        q.exhaustive = (opts.flags & LQ_QUANTIZE_EXHAUSTIVE) != 0;
        q.smooth = (opts.flags & LQ_QUANTIZE_SMOOTH) != 0;
        q.smooth_alpha = opts.smooth_alpha == 0.0f ? 0.5f : opts.smooth_alpha;
        q.progress = lq::api::progress_function(opts.progress, opts.progress_user_data);
        if (opts.on_message) {
            const lq_message_callback callback = opts.on_message;
            void *user = opts.message_user_data;
            q.log = [callback, user](const std::string &line) { callback(line.c_str(), user); };
        }
        lq::quantize_model(input_path, output_path, q);
    });
}

}  // extern "C"
