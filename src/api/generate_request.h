// The parts of lq_generate() that lq_infill() shares: options to request,
// and running it into an lq_generate_result.
#pragma once

#include "libquant/libquant.h"
#include "model/model.h"
#include "runtime/context.h"
#include "runtime/generate.h"

namespace lq::api {

/// The sampling, stop strings and callback of @p o, and its prompt when
/// @p with_prompt (otherwise the prompt fields must be empty).
lq::GenerateRequest make_generate_request(const lq::Model &model, const lq_generate_options &o, bool with_prompt);

/// Runs @p request, fills @p result (when not NULL), and fails with
/// LQ_ERR_CANCELLED after a cancelled generation.
void run_generate(lq::Context &context, const lq::GenerateRequest &request, lq_generate_result *result);

}  // namespace lq::api
