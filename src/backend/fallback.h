// Per-op fallback: an executor that runs what its backend supports on that
// backend and everything else on the CPU backend, moving the activations
// involved between device and host memory around each such operation. A
// backend that only accelerates matrix products (oneDNN) or that leaves a
// weight type out (Vulkan) relies on it. The first time an operation falls
// back the log says so, once per operation and weight type.
#pragma once

#include <memory>

#include "backend/backend.h"

namespace lq::backend {

/// Wraps @p primary (created for @p options) with the CPU fallback.
/// @p name is the backend's name for the log.
std::unique_ptr<Executor> with_cpu_fallback(std::unique_ptr<Executor> primary, const char *name, const Model &model,
                                            const ExecutorOptions &options);

}  // namespace lq::backend
