// lq_convert: options -> ConvertOptions.
#include "api/guard.h"
#include "model/convert.h"

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
        lq::ConvertOptions convert;
        const lq::TypeInfo *type = lq::type_info(opts.weight_type);
        if (!type || type->removed) lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown weight type %u", opts.weight_type);
        convert.matrix_type = type->type;
        if (opts.tokenizer_path) convert.tokenizer_path = opts.tokenizer_path;
        if (opts.name) convert.name = opts.name;
        if (opts.progress) {
            const lq_progress_callback callback = opts.progress;
            void *user = opts.progress_user_data;
            convert.progress = [callback, user](float fraction) { return callback(fraction, user) == 0; };
        }
        lq::convert_model(input_path, output_path, convert);
    });
}

}  // extern "C"
