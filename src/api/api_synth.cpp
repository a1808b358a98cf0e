// lq_synth (experimental): options -> SynthOptions.
#include "api/guard.h"
#include "libquant/libquant_experimental.h"
#include "model/synth.h"

using lq::api::guarded;
using lq::api::require;

extern "C" {

LQ_API lq_status lq_synth(const char *output_path, const lq_synth_options *options) {
    return guarded([&] {
        require(output_path, "output_path");
        require(options, "options");
        lq_synth_options opts = LQ_SYNTH_OPTIONS_INIT;
        lq::api::read_options(options, &opts, "lq_synth_options");
        require(opts.preset, "options->preset");
        require(opts.vocab_path, "options->vocab_path");
        lq::SynthOptions synth;
        synth.preset = opts.preset;
        synth.vocab_path = opts.vocab_path;
        const lq::TypeInfo *type = lq::type_info(opts.weight_type);
        if (!type || type->removed) lq::fail(LQ_ERR_INVALID_ARGUMENT, "unknown weight type %u", opts.weight_type);
        synth.matrix_type = type->type;
        synth.seed = opts.seed;
        synth.std = opts.weight_std;
        synth.progress = lq::api::progress_function(opts.progress, opts.progress_user_data);
        lq::synth_model(output_path, synth);
    });
}

}  // extern "C"
