#include "backends/cpu/cpu_backend.h"

#include <string>

#include "backend/builtin.h"
#include "backends/cpu/cpu_executor.h"

namespace lq::cpu {
namespace {

class CpuBackend final : public backend::Backend {
public:
    lq_backend id() const override { return LQ_BACKEND_CPU; }
    const char *name() const override { return "cpu"; }
    const backend::Availability &availability() const override {
        static const backend::Availability a = [] {
            backend::Availability probe;
            probe.available = true;
            probe.device = std::string("host CPU, ") + cpu_kernels_isa() + " kernels";
            return probe;
        }();
        return a;
    }
    int auto_priority(const Model &) const override { return 1; }
    std::unique_ptr<backend::Executor> create_executor(const Model &model,
                                                       const backend::ExecutorOptions &options) const override {
        return std::make_unique<CpuExecutor>(model, options);
    }
};

}  // namespace

const backend::Backend &cpu_backend() {
    static const CpuBackend backend;
    return backend;
}

}  // namespace lq::cpu

namespace lq::cpu {

std::unique_ptr<backend::Executor> create_fallback_executor(const Model &model,
                                                            const backend::ExecutorOptions &options,
                                                            float *const *lent_slots, bool with_cache) {
    return std::make_unique<CpuExecutor>(model, options, lent_slots, with_cache);
}

}  // namespace lq::cpu
