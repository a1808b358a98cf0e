// The forward pass of the Llama family (llama, qwen2, phi3), written once
// against the backend interface: every backend runs exactly this sequence of
// operations, so a new backend never copies a model's structure.
#pragma once

#include <cstdint>
#include <functional>

#include "backend/backend.h"
#include "model/model.h"

namespace lq {

/// The distinct inputs of the matrix products of a layer. Several weights
/// may share one input (Q, K and V read the same normalised activations).
enum class MatmulInput { AttentionIn, AttentionOut, FfnIn, FfnDownIn, OutputIn };

/// Receives the F32 input rows of the matrix products during evaluation
/// (for calibration statistics). @p layer is unused for OutputIn.
using ActivationObserver =
    std::function<void(MatmulInput input, uint32_t layer, const float *rows, uint32_t n_rows, uint32_t n_cols)>;

/// The activation slots a batch of @p n_batch tokens of @p model needs.
backend::ActivationPlan activation_plan(const Model &model, uint32_t n_batch);

/// The rotary frequency factors a context of @p n_ctx positions uses (the
/// Llama-3 tensor, or Phi-3's long or short LongRoPE factors), or null.
const TensorView *rope_factors(const Model &model, uint32_t n_ctx);

struct ForwardHooks {
    /// Called before every layer and before the output layer; throws to stop.
    std::function<void()> check_cancel;
    /// Optional observer of the matrix products' inputs.
    const ActivationObserver *observer = nullptr;
};

/// Runs @p n tokens at positions pos0 .. pos0 + n - 1 (n <= the plan's
/// n_batch) through @p executor, storing their keys and values in its cache.
/// Writes the logits of every token (n x n_vocab) when @p all_logits, else of
/// the last one, into @p logits unless it is null.
void forward_batch(backend::Executor &executor, const Model &model, const int32_t *tokens, uint32_t n, uint32_t pos0,
                   float *logits, bool all_logits, const ForwardHooks &hooks);

}  // namespace lq
