// The backends this library knows, built or not, and how a context picks
// one: an explicit lq_backend, or LQ_BACKEND_AUTO for the best one that is
// available for the model.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "backend/backend.h"

namespace lq::backend {

/// Every backend in lq_backend order (cpu, onednn, vulkan). Backends left
/// out of this build are present and say why in their availability().
const std::vector<const Backend *> &all_backends();

/// The backend with id @p id, or nullptr for an unknown id.
const Backend *find_backend(uint32_t id);

/// The backend a context on @p model gets when it asks for @p requested
/// (an lq_backend value, LQ_BACKEND_AUTO included). Throws LQ_ERR_UNSUPPORTED
/// with the backend's reason when an explicit one is not available, and
/// LQ_ERR_INVALID_ARGUMENT for an unknown value.
const Backend &select_backend(uint32_t requested, const Model &model);

/// The executor of a context: @p backend's, wrapped with the per-op CPU
/// fallback when it is not the CPU backend itself.
std::unique_ptr<Executor> create_context_executor(const Backend &backend, const Model &model,
                                                  const ExecutorOptions &options);

}  // namespace lq::backend
