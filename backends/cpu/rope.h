// Rotary position embeddings (RoPE), with linear scaling, YaRN and
// per-dimension frequency factors (Llama-3 rope_freqs, Phi-3 LongRoPE).
#pragma once

#include <cstdint>

#include "model/hparams.h"

namespace lq::cpu {

/// Fills @p cos_sin with n_rot/2 (cos, sin) pairs for position @p pos.
/// @p freq_factors holds n_rot/2 divisors of the frequencies, or is null.
void rope_angles(const RopeParams &rope, const float *freq_factors, uint32_t pos, float *cos_sin);

/// Rotates the first n_rot dimensions of one head in place.
void rope_apply(const RopeParams &rope, const float *cos_sin, float *head);

}  // namespace lq::cpu
