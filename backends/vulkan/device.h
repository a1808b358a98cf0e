// The Vulkan device the backend runs on: one instance and one logical
// device per process, chosen once (discrete GPU > integrated > virtual >
// CPU driver, or LQ_VULKAN_DEVICE: an index or part of a name), shared by
// every context and model.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "backends/vulkan/vk_api.h"

namespace lq::vulkan {

class Device {
public:
    /// The process's device, created on the first call; null with @p why
    /// filled when there is no loader, no device, or none that fits.
    static Device *get(std::string *why);

    VkDevice handle() const { return device_; }
    VkPhysicalDevice physical() const { return physical_; }
    uint32_t queue_family() const { return queue_family_; }
    const VkPhysicalDeviceLimits &limits() const { return properties_.limits; }
    /// "NVIDIA H200 (discrete GPU, Vulkan 1.3, subgroup 32)".
    const std::string &description() const { return description_; }
    /// Largest range one storage-buffer binding may cover.
    uint64_t max_binding() const { return max_binding_; }
    /// Largest single allocation.
    uint64_t max_allocation() const { return max_allocation_; }

    /// The property flags of memory type @p type.
    VkMemoryPropertyFlags memory_flags(uint32_t type) const { return memory_.memoryTypes[type].propertyFlags; }

    /// A memory type for @p type_bits with all of @p required, preferring
    /// @p preferred too; throws LQ_ERR_OOM when none exists.
    uint32_t memory_type(uint32_t type_bits, VkMemoryPropertyFlags required, VkMemoryPropertyFlags preferred) const;

    /// Submits one command buffer to the queue (which the contexts share)
    /// and signals @p fence. A lost device stays lost: later submits fail.
    void submit(VkCommandBuffer commands, VkFence fence);
    /// Waits for @p fence; throws on a lost device or after the timeout.
    void wait(VkFence fence);

private:
    Device() = default;
    bool init(std::string *why);

    VkInstance instance_ = VK_NULL_HANDLE;
    VkPhysicalDevice physical_ = VK_NULL_HANDLE;
    VkDevice device_ = VK_NULL_HANDLE;
    VkQueue queue_ = VK_NULL_HANDLE;
    uint32_t queue_family_ = 0;
    VkPhysicalDeviceProperties properties_{};
    VkPhysicalDeviceMemoryProperties memory_{};
    uint64_t max_binding_ = 0, max_allocation_ = 0;
    std::string description_;
    std::mutex queue_mutex_;
    std::atomic<bool> lost_{false};
};

/// One line per physical device the loader reports ("0: llvmpipe (CPU)"),
/// for messages and `lq info --backends`.
std::vector<std::string> list_devices(std::string *why);

}  // namespace lq::vulkan
