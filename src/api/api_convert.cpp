// lq_convert: a conversion is a quantization to a float type.
#include "api/guard.h"
#include "quantize/quantizer.h"

using lq::api::guarded;
using lq::api::require;

extern "C" {

LQ_API void lq_convert_options_init(lq_convert_options *options) {
    if (!options) return;
    const lq_convert_options defaults = LQ_CONVERT_OPTIONS_INIT;
    *options = defaults;
}

LQ_API lq_status lq_convert(const char *input_path, const char *output_path, const lq_convert_options *options) {
    return guarded([&] {
        require(input_path, "input_path");
        require(output_path, "output_path");
        lq_convert_options opts = LQ_CONVERT_OPTIONS_INIT;
        lq::api::read_options(options, &opts, "lq_convert_options");
        lq::QuantizeOptions convert;
        switch (opts.weight_type) {
        case LQ_TYPE_F32: convert.target = "f32"; break;
        case LQ_TYPE_F16: convert.target = "f16"; break;
        case LQ_TYPE_BF16: convert.target = "bf16"; break;
        default: lq::fail(LQ_ERR_INVALID_ARGUMENT, "conversion writes f32, f16 or bf16 weights, not type %u", opts.weight_type);
        }
        if (opts.tokenizer_path) convert.tokenizer_path = opts.tokenizer_path;
        if (opts.name) convert.name = opts.name;
        convert.progress = lq::api::progress_function(opts.progress, opts.progress_user_data);
        lq::quantize_model(input_path, output_path, convert);
    });
}

}  // extern "C"
