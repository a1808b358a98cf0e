// The oneDNN backend's own passes around each INT8 product: every token's
// activations onto 255 levels with one scale (s8, max |x| / 127, rounded to
// nearest even), and the epilogue that turns the s32 sums into floats with
// the token's and the output channel's scales. AVX2 (every CPU the backend
// runs on has it: AVX-512 VNNI and AVX-VNNI both come with AVX2).
#pragma once

#include <cstdint>

namespace lq::onednn {

/// q[i] = round(x[i] / d) with d = max |x| / 127 (0 for a row of zeros);
/// returns d.
float quantize_row_s8(const float *x, uint32_t k, int8_t *q);

/// out[j] = acc[j] * (token_scale * channel_scale[j]).
void scale_row(const int32_t *acc, uint32_t n, float token_scale, const float *channel_scale, float *out);

}  // namespace lq::onednn
