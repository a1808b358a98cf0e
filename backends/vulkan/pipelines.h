// Compute pipelines of the embedded shaders, made on first use per
// (shader, specialization constants) and shared by every context on the
// device. Every shader binds its storage buffers at 0..n-1 and takes at
// most 128 bytes of push constants (the minimum every device offers).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "backends/vulkan/device.h"

namespace lq::vulkan {

constexpr uint32_t kMaxPushBytes = 128;

struct Pipeline {
    VkPipeline pipeline = VK_NULL_HANDLE;
    VkPipelineLayout layout = VK_NULL_HANDLE;
    VkDescriptorSetLayout set_layout = VK_NULL_HANDLE;
    uint32_t n_bindings = 0;
};

class Pipelines {
public:
    /// The process's pipelines on @p device.
    static Pipelines &of(Device &device);

    /// The pipeline of embedded shader @p shader with @p n_bindings storage
    /// buffers and the given specialization constants (ids 0, 1, ...).
    /// Throws LQ_ERR_INTERNAL for a shader that is not embedded.
    const Pipeline &get(const std::string &shader, uint32_t n_bindings, std::initializer_list<uint32_t> spec = {});

    /// Whether the library embeds @p shader.
    static bool has_shader(const std::string &shader);

private:
    explicit Pipelines(Device &device) : device_(device) {}
    VkDescriptorSetLayout set_layout(uint32_t n_bindings);

    Device &device_;
    std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Pipeline>> pipelines_;
    std::map<uint32_t, VkDescriptorSetLayout> set_layouts_;
};

}  // namespace lq::vulkan
