// The CPU backend behind the backend interface (src/backend/backend.h): it
// runs every operation of the forward pass, for every weight type with
// kernels, at once on the calling thread and the context's thread pool.
// It is the fallback every other backend relies on and the reference the
// backend tests compare them against.
#pragma once

#include "backend/backend.h"

namespace lq::cpu {

/// The process-wide CPU backend.
const backend::Backend &cpu_backend();

}  // namespace lq::cpu
