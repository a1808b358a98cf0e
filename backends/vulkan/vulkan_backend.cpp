// The Vulkan backend: available where a Vulkan 1.1 loader and device exist
// (any vendor's GPU, or lavapipe on the CPU). Weights are uploaded once per
// model; each context gets an executor with its own activations and cache.
#include <string>

#include "backend/builtin.h"
#include "backends/vulkan/device.h"
#include "backends/vulkan/device_weights.h"
#include "backends/vulkan/vulkan_executor.h"
#include "core/error.h"
#include "core/log.h"
#include "model/model.h"

namespace lq::vulkan {
namespace {

class VulkanBackend final : public backend::Backend {
public:
    lq_backend id() const override { return LQ_BACKEND_VULKAN; }
    const char *name() const override { return "vulkan"; }

    const backend::Availability &availability() const override {
        static const backend::Availability a = [] {
            backend::Availability probe;
            std::string why;
            Device *device = Device::get(&why);
            if (!device) {
                probe.reason = why;
                return probe;
            }
            probe.available = true;
            probe.device = device->description();
            return probe;
        }();
        return a;
    }

    // Chosen by LQ_BACKEND_AUTO only once measured ahead of the CPU on the
    // device at hand; until then contexts ask for it by name.
    int auto_priority(const Model &) const override { return 0; }

    std::unique_ptr<backend::Executor> create_executor(const Model &model,
                                                       const backend::ExecutorOptions &options) const override {
        const backend::Availability &a = availability();
        if (!a.available) fail(LQ_ERR_UNSUPPORTED, "the vulkan backend is not available: %s", a.reason.c_str());
        std::string why;
        Device *device = Device::get(&why);
        backend::PreparedPtr prepared = model.prepared().get(LQ_BACKEND_VULKAN, [&]() -> backend::PreparedPtr {
            auto weights = std::make_shared<const DeviceWeights>(*device, model);
            log(LQ_LOG_INFO, "vulkan backend: uploaded %zu tensors (%.1f MiB) to %s in %.2f s", weights->n_tensors(),
                static_cast<double>(weights->bytes()) / (1 << 20), device->description().c_str(), weights->seconds());
            return weights;
        });
        return std::make_unique<VulkanExecutor>(*device, model, options,
                                                std::static_pointer_cast<const DeviceWeights>(prepared));
    }
};

}  // namespace

const backend::Backend &vulkan_backend() {
    static const VulkanBackend backend;
    return backend;
}

}  // namespace lq::vulkan
