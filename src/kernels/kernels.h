// The quant-type kernel table: for each tensor type that libquant computes
// with, how to decode it, encode it and take dot products with it.
//
// These are the reference kernels: plain loops, the oracle every fast path
// (backends/cpu) is tested against. A row of n elements is n / block_size
// consecutive blocks (kernels/blocks.h); n must be a multiple of the type's
// block size (core/types.h) in every call.
//
// A matrix-vector product W x with W of type T works as in the other GGUF
// runtimes: the activation row x is first encoded into T's dot_type with
// quant_kernels(dot_type)->from_float, then each weight row is dotted with it
// by T's vec_dot. Because the activation encoding is fixed by convention
// (e.g. Q8_0: d = amax / 127 stored as F16, q = round(x / d)), results match
// those of other runtimes up to float summation order.
//
// Thread safety: every function is pure (no state), callable from any thread.
#pragma once

#include <cstdint>

#include "core/types.h"

namespace lq {

struct QuantKernels {
    TensorType type;
    /// The type activations are encoded into before vec_dot.
    TensorType dot_type;

    /// Decodes n elements from @p blocks into @p out.
    void (*to_float)(const void *blocks, float *out, int64_t n);

    /// Encodes n floats. For weight types: round-to-nearest with searched
    /// scales minimising the squared error (the same as from_float_weighted
    /// with uniform importance). For the activation types Q8_0, Q8_1 and Q8_K:
    /// the ecosystem's fixed rule, byte-identical with other runtimes (Q8_0
    /// is both, so its weights are best encoded with from_float_weighted).
    void (*from_float)(const float *in, void *blocks, int64_t n);

    /// Encodes n floats minimising sum importance[i] * (in[i] - decoded[i])^2.
    /// @p importance has n non-negative entries, one per element, or is
    /// nullptr for uniform importance (negative or non-finite entries count
    /// as 0; a block without a positive entry is encoded as if uniform).
    /// This is what a file quantizer calls. nullptr for the activation-only
    /// types Q8_1 and Q8_K.
    void (*from_float_weighted)(const float *in, void *blocks, int64_t n, const float *importance);

    /// Dot product of one row of n weights (this type) with n activations
    /// already encoded in dot_type. nullptr for the activation-only types.
    float (*vec_dot)(int64_t n, const void *weights, const void *activations);

    /// Rounds elements [first, first + count) of the n floats @p in onto the
    /// grid that @p blocks (their encoding) already holds: the scales stay,
    /// each element takes its nearest level, and the decoded values go to
    /// @p decoded (count floats). This is how GPTQ rounds one column at a
    /// time after choosing a block's scales. nullptr for the activation-only
    /// types.
    void (*requantize)(const float *in, void *blocks, int64_t n, int64_t first, int64_t count, float *decoded);

    /// Encodes n floats as a file quantizer without calibration wants them,
    /// quickly: round-to-nearest with scales chosen among a few candidates
    /// and refitted by least squares (kernels/fast_search.h), 10-100 times
    /// faster than from_float_weighted, with 0.5-8% more error (and less
    /// than llama.cpp's quantizers for every type). Rows holding a
    /// non-finite value or one beyond +-65504 are encoded by
    /// from_float_weighted instead. The float types store the values as
    /// from_float does. nullptr for the activation-only types Q8_1 and Q8_K.
    void (*from_float_fast)(const float *in, void *blocks, int64_t n);
};

/// The reference row of @p type, or nullptr for types without kernels.
/// Types with kernels: F32, F16, BF16, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q8_1,
/// Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K, IQ4_NL, IQ4_XS, and libquant's
/// LQ_I8_ROW, LQ_I4_G32, LQ_I4_G64, LQ_I4_G128 (kernels/lq_types.cpp), and
/// LQ_NL3, LQ_NL4, LQ_NL5 (kernels/lq_nl_types.cpp).
const QuantKernels *quant_kernels(TensorType type);

/// The factor an lq_nl group's scale byte stands for, divided by 127 (the
/// level tables' unit): value = lq_nl_unit(s) * level (docs/formats.md).
float lq_nl_unit(uint8_t scale);

/// The 2^@p bits int8 levels of lq_nl3, lq_nl4 or lq_nl5 (@p bits 3, 4 or 5),
/// ascending; nullptr for other @p bits.
const int8_t *lq_nl_levels(int bits);

}  // namespace lq
