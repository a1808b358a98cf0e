// Two-level quantization of one 256-element super-block (the K-quants and
// IQ4_XS): each sub-block j has an integer scale sc[j] (and, for Q2_K, Q4_K
// and Q5_K, an integer min mn[j]) times F16 super-scales, and every element
// decodes as
//     (d * sc[j]) * levels.value(q) - (dmin * mn[j]).
//
// Method:
//   1. Per sub-block, the exact scale (and offset) search of scale_search.h
//      gives the float scale and min that sub-block wants, and how sharply
//      its error grows when they move (sum w q^2 for the scale, sum w for
//      the min).
//   2. Those float scales (and mins) are themselves quantized with the same
//      search, weighted by that sensitivity, giving d and sc[] (dmin, mn[]);
//      d and dmin are rounded to F16.
//   3. Refinement with the true error (every element reassigned to its
//      nearest level under the rounded scales): each sub-block tries its
//      neighbouring integer scale/min pairs, then d and dmin are refitted by
//      least squares over the whole super-block and rounded again; repeated
//      while the error falls.
#pragma once

#include <cstdint>

#include "kernels/levels.h"

namespace lq {

struct SuperBlockFormat {
    int sub_blocks;      // 8 or 16
    int sub_size;        // 32 or 16; sub_blocks * sub_size == 256
    Levels levels;       // element levels in units of d * sc[j]
    int scale_lo;        // integer sub-block scales lie in scale_lo..scale_hi
    int scale_hi;
    int min_hi;          // > 0: mins mn[j] in 0..min_hi (levels must be 0..top); 0: no mins
};

struct SuperBlockCode {
    uint16_t d = 0;      // F16 super-scale of the scales
    uint16_t dmin = 0;   // F16 super-scale of the mins (0 without mins)
    int scale[16] = {};  // sub-block scales, in scale_lo..scale_hi
    int min[16] = {};    // sub-block mins, in 0..min_hi
    uint8_t q[256] = {}; // level index of each element
};

/// Quantizes 256 floats @p x with importances @p w (nullptr: uniform).
void quantize_super_block(const SuperBlockFormat &format, const float *x, const float *w, SuperBlockCode *code);

}  // namespace lq
