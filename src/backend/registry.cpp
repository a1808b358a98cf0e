#include "backend/registry.h"

#include <string>

#include "backend/builtin.h"
#include "backend/fallback.h"
#include "core/error.h"

namespace lq::backend {
namespace {

// A backend that this build does not contain: never available, says why.
class AbsentBackend final : public Backend {
public:
    AbsentBackend(lq_backend id, const char *name, const char *reason) : id_(id), name_(name), reason_(reason) {
        availability_.reason = reason;
    }
    lq_backend id() const override { return id_; }
    const char *name() const override { return name_; }
    const Availability &availability() const override { return availability_; }
    std::unique_ptr<Executor> create_executor(const Model &, const ExecutorOptions &) const override {
        fail(LQ_ERR_UNSUPPORTED, "the %s backend is not available: %s", name_, reason_);
    }

private:
    lq_backend id_;
    const char *name_;
    const char *reason_;
    Availability availability_;
};

#if !defined(LQ_HAVE_ONEDNN)
const AbsentBackend g_onednn(LQ_BACKEND_ONEDNN, "onednn",
                             "this libquant was built without oneDNN (libdnnl-dev was not found at configure time)");
#endif
#if !defined(LQ_HAVE_VULKAN)
const AbsentBackend g_vulkan(LQ_BACKEND_VULKAN, "vulkan",
                             "this libquant was built without Vulkan (libvulkan-dev and glslc were not found at "
                             "configure time)");
#endif

}  // namespace

const std::vector<const Backend *> &all_backends() {
#if defined(LQ_HAVE_ONEDNN)
    const Backend *onednn = &onednn::onednn_backend();
#else
    const Backend *onednn = &g_onednn;
#endif
#if defined(LQ_HAVE_VULKAN)
    const Backend *vulkan = &vulkan::vulkan_backend();
#else
    const Backend *vulkan = &g_vulkan;
#endif
    static const std::vector<const Backend *> list = {&cpu::cpu_backend(), onednn, vulkan};
    return list;
}

const Backend *find_backend(uint32_t id) {
    for (const Backend *b : all_backends())
        if (static_cast<uint32_t>(b->id()) == id) return b;
    return nullptr;
}

const Backend &select_backend(uint32_t requested, const Model &model) {
    if (requested == LQ_BACKEND_AUTO) {
        const Backend *best = &cpu::cpu_backend();
        int best_priority = best->auto_priority(model);
        for (const Backend *b : all_backends()) {
            if (!b->availability().available) continue;
            const int priority = b->auto_priority(model);
            if (priority > best_priority) {
                best = b;
                best_priority = priority;
            }
        }
        return *best;
    }
    const Backend *b = find_backend(requested);
    if (!b) fail(LQ_ERR_INVALID_ARGUMENT, "unknown backend %u", requested);
    const Availability &a = b->availability();
    if (!a.available) fail(LQ_ERR_UNSUPPORTED, "the %s backend is not available: %s", b->name(), a.reason.c_str());
    return *b;
}

std::unique_ptr<Executor> create_context_executor(const Backend &backend, const Model &model,
                                                  const ExecutorOptions &options) {
    std::unique_ptr<Executor> primary = backend.create_executor(model, options);
    if (backend.id() == LQ_BACKEND_CPU) return primary;
    return with_cpu_fallback(std::move(primary), backend.name(), model, options);
}

}  // namespace lq::backend
