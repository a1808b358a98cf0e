#include "backends/vulkan/vk_api.h"

#include <dlfcn.h>

#include "core/error.h"

namespace lq::vulkan {

Api &vk() {
    static Api api;
    return api;
}

bool load_loader(std::string *why) {
    Api &a = vk();
    if (a.vkGetInstanceProcAddr) return true;
    void *lib = nullptr;
    for (const char *name : {"libvulkan.so.1", "libvulkan.so"}) {
        lib = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (lib) break;
    }
    if (!lib) {
        *why = "no Vulkan loader (libvulkan.so.1) on this system; install libvulkan1 and a driver "
               "(mesa-vulkan-drivers, or the GPU vendor's)";
        return false;
    }
    // The library stays loaded for the life of the process: drivers keep
    // threads and state that outlive any one context.
    auto gipa = reinterpret_cast<PFN_vkGetInstanceProcAddr>(dlsym(lib, "vkGetInstanceProcAddr"));
    if (!gipa) {
        *why = "the Vulkan loader has no vkGetInstanceProcAddr";
        return false;
    }
    a.vkCreateInstance = reinterpret_cast<PFN_vkCreateInstance>(gipa(nullptr, "vkCreateInstance"));
    a.vkEnumerateInstanceVersion =
        reinterpret_cast<PFN_vkEnumerateInstanceVersion>(gipa(nullptr, "vkEnumerateInstanceVersion"));
    if (!a.vkCreateInstance) {
        *why = "the Vulkan loader has no vkCreateInstance";
        return false;
    }
    a.vkGetInstanceProcAddr = gipa;
    return true;
}

bool load_instance(VkInstance instance, std::string *why) {
    Api &a = vk();
#define LQ_VK_LOAD(name)                                                                          \
    a.name = reinterpret_cast<PFN_##name>(a.vkGetInstanceProcAddr(instance, #name));               \
    if (!a.name) {                                                                                 \
        *why = "the Vulkan instance lacks " #name " (a Vulkan 1.1 loader and driver are needed)"; \
        return false;                                                                              \
    }
    LQ_VK_INSTANCE_FUNCTIONS(LQ_VK_LOAD)
#undef LQ_VK_LOAD
    return true;
}

bool load_device(VkDevice device, std::string *why) {
    Api &a = vk();
#define LQ_VK_LOAD(name)                                                        \
    a.name = reinterpret_cast<PFN_##name>(a.vkGetDeviceProcAddr(device, #name)); \
    if (!a.name) {                                                               \
        *why = "the Vulkan device lacks " #name;                                 \
        return false;                                                            \
    }
    LQ_VK_DEVICE_FUNCTIONS(LQ_VK_LOAD)
#undef LQ_VK_LOAD
    return true;
}

const char *result_name(VkResult result) {
    switch (result) {
    case VK_SUCCESS: return "VK_SUCCESS";
    case VK_NOT_READY: return "VK_NOT_READY";
    case VK_TIMEOUT: return "VK_TIMEOUT";
    case VK_INCOMPLETE: return "VK_INCOMPLETE";
    case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_LAYER_NOT_PRESENT: return "VK_ERROR_LAYER_NOT_PRESENT";
    case VK_ERROR_EXTENSION_NOT_PRESENT: return "VK_ERROR_EXTENSION_NOT_PRESENT";
    case VK_ERROR_FEATURE_NOT_PRESENT: return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
    case VK_ERROR_TOO_MANY_OBJECTS: return "VK_ERROR_TOO_MANY_OBJECTS";
    case VK_ERROR_FRAGMENTED_POOL: return "VK_ERROR_FRAGMENTED_POOL";
    case VK_ERROR_OUT_OF_POOL_MEMORY: return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default: return "an unknown VkResult";
    }
}

void check(VkResult result, const char *what) {
    if (result == VK_SUCCESS) return;
    if (result == VK_ERROR_OUT_OF_HOST_MEMORY || result == VK_ERROR_OUT_OF_DEVICE_MEMORY)
        fail(LQ_ERR_OOM, "vulkan backend: %s failed: %s (%s memory is exhausted)", what, result_name(result),
             result == VK_ERROR_OUT_OF_DEVICE_MEMORY ? "device" : "host");
    if (result == VK_ERROR_DEVICE_LOST)
        fail(LQ_ERR_BACKEND,
             "vulkan backend: %s failed: VK_ERROR_DEVICE_LOST (the GPU was reset, often by a driver watchdog); "
             "the device cannot be used again in this process",
             what);
    fail(LQ_ERR_BACKEND, "vulkan backend: %s failed: %s (%d)", what, result_name(result), static_cast<int>(result));
}

}  // namespace lq::vulkan
