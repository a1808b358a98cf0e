// The backends compiled into this library, defined in backends/*/. Only the
// registry includes this header; the runtime reaches backends through it.
#pragma once

#include <memory>

#include "backend/backend.h"

namespace lq::cpu {
const backend::Backend &cpu_backend();
}

#if defined(LQ_HAVE_ONEDNN)
namespace lq::onednn {
const backend::Backend &onednn_backend();
}
#endif

#if defined(LQ_HAVE_VULKAN)
namespace lq::vulkan {
const backend::Backend &vulkan_backend();
}
#endif

namespace lq::cpu {
/// A CPU executor for per-op fallback: its slots are @p lent_slots where
/// those are not null (host memory of another executor), its own elsewhere;
/// with @p with_cache false it holds no KV cache.
std::unique_ptr<backend::Executor> create_fallback_executor(const Model &model,
                                                            const backend::ExecutorOptions &options,
                                                            float *const *lent_slots, bool with_cache);
}
