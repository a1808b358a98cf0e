// The Vulkan functions the backend calls, loaded at run time from the
// system's loader (libvulkan.so.1) rather than linked: libquant then loads
// and runs on machines without Vulkan, and the backend reports "no Vulkan
// loader" as the reason it is unavailable.
#pragma once

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <string>

namespace lq::vulkan {

// Global and instance-level functions.
#define LQ_VK_INSTANCE_FUNCTIONS(X)            \
    X(vkDestroyInstance)                       \
    X(vkEnumeratePhysicalDevices)              \
    X(vkGetPhysicalDeviceProperties)           \
    X(vkGetPhysicalDeviceProperties2)          \
    X(vkGetPhysicalDeviceFeatures2)            \
    X(vkGetPhysicalDeviceQueueFamilyProperties) \
    X(vkGetPhysicalDeviceMemoryProperties)     \
    X(vkEnumerateDeviceExtensionProperties)    \
    X(vkCreateDevice)                          \
    X(vkGetDeviceProcAddr)

// Device-level functions.
#define LQ_VK_DEVICE_FUNCTIONS(X)     \
    X(vkDestroyDevice)                \
    X(vkGetDeviceQueue)               \
    X(vkDeviceWaitIdle)               \
    X(vkCreateBuffer)                 \
    X(vkDestroyBuffer)                \
    X(vkGetBufferMemoryRequirements)  \
    X(vkAllocateMemory)               \
    X(vkFreeMemory)                   \
    X(vkBindBufferMemory)             \
    X(vkMapMemory)                    \
    X(vkUnmapMemory)                  \
    X(vkCreateShaderModule)           \
    X(vkDestroyShaderModule)          \
    X(vkCreateDescriptorSetLayout)    \
    X(vkDestroyDescriptorSetLayout)   \
    X(vkCreatePipelineLayout)         \
    X(vkDestroyPipelineLayout)        \
    X(vkCreateComputePipelines)       \
    X(vkDestroyPipeline)              \
    X(vkCreateDescriptorPool)         \
    X(vkDestroyDescriptorPool)        \
    X(vkResetDescriptorPool)          \
    X(vkAllocateDescriptorSets)       \
    X(vkUpdateDescriptorSets)         \
    X(vkCreateCommandPool)            \
    X(vkDestroyCommandPool)           \
    X(vkAllocateCommandBuffers)       \
    X(vkResetCommandBuffer)           \
    X(vkBeginCommandBuffer)           \
    X(vkEndCommandBuffer)             \
    X(vkCmdBindPipeline)              \
    X(vkCmdBindDescriptorSets)        \
    X(vkCmdPushConstants)             \
    X(vkCmdDispatch)                  \
    X(vkCmdPipelineBarrier)           \
    X(vkCmdCopyBuffer)                \
    X(vkCmdFillBuffer)                \
    X(vkQueueSubmit)                  \
    X(vkCreateFence)                  \
    X(vkDestroyFence)                 \
    X(vkWaitForFences)                \
    X(vkGetFenceStatus)               \
    X(vkResetFences)

/// The loaded entry points. Instance functions are filled by load_instance(),
/// device functions by load_device(); both are process-wide, as the backend
/// uses one instance and one device.
struct Api {
    PFN_vkGetInstanceProcAddr vkGetInstanceProcAddr = nullptr;
    PFN_vkCreateInstance vkCreateInstance = nullptr;
    PFN_vkEnumerateInstanceVersion vkEnumerateInstanceVersion = nullptr;
#define LQ_VK_MEMBER(name) PFN_##name name = nullptr;
    LQ_VK_INSTANCE_FUNCTIONS(LQ_VK_MEMBER)
    LQ_VK_DEVICE_FUNCTIONS(LQ_VK_MEMBER)
#undef LQ_VK_MEMBER
};

/// The process's function table (empty until load_loader() succeeds).
Api &vk();

/// Opens the Vulkan loader; false with @p why filled when there is none.
bool load_loader(std::string *why);
/// Fills the instance-level entry points; false names the one missing.
bool load_instance(VkInstance instance, std::string *why);
/// Fills the device-level entry points; false names the one missing.
bool load_device(VkDevice device, std::string *why);

/// A zeroed Vulkan structure of type @p type (`auto info =
/// make<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);`).
template <typename T>
T make(VkStructureType type) {
    T value{};
    value.sType = type;
    return value;
}

/// Throws lq::Error for a failed call: LQ_ERR_OOM for the out-of-memory
/// results, LQ_ERR_BACKEND for the rest (a lost device included), the
/// message naming @p what and the result.
void check(VkResult result, const char *what);

/// VkResult's name ("VK_ERROR_DEVICE_LOST").
const char *result_name(VkResult result);

}  // namespace lq::vulkan
