#include "backends/vulkan/device.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/error.h"

namespace lq::vulkan {
namespace {

const char *type_name(VkPhysicalDeviceType type) {
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return "discrete GPU";
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return "integrated GPU";
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return "virtual GPU";
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return "CPU";
    default: return "other";
    }
}

int type_rank(VkPhysicalDeviceType type) {
    switch (type) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return 4;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return 3;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return 2;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return 1;
    default: return 0;
    }
}

bool contains_nocase(const std::string &haystack, const std::string &needle) {
    auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    return it != haystack.end();
}

// The instance of the process (never destroyed: drivers keep state and
// threads that must outlive every context, and exit tears them down).
VkInstance instance(std::string *why) {
    static VkInstance handle = VK_NULL_HANDLE;
    static std::string error;
    static std::once_flag once;
    std::call_once(once, [] {
        if (!load_loader(&error)) return;
        uint32_t version = VK_API_VERSION_1_0;
        if (vk().vkEnumerateInstanceVersion) vk().vkEnumerateInstanceVersion(&version);
        if (version < VK_API_VERSION_1_1) {
            error = "the Vulkan loader supports only Vulkan 1.0; 1.1 is needed";
            return;
        }
        auto app = make<VkApplicationInfo>(VK_STRUCTURE_TYPE_APPLICATION_INFO);
        app.pApplicationName = "libquant";
        app.pEngineName = "libquant";
        app.apiVersion = VK_API_VERSION_1_1;
        auto info = make<VkInstanceCreateInfo>(VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO);
        info.pApplicationInfo = &app;
        VkInstance created = VK_NULL_HANDLE;
        const VkResult r = vk().vkCreateInstance(&info, nullptr, &created);
        if (r != VK_SUCCESS) {
            error = std::string("vkCreateInstance failed: ") + result_name(r);
            return;
        }
        if (!load_instance(created, &error)) return;
        handle = created;
    });
    if (!handle) *why = error;
    return handle;
}

std::vector<VkPhysicalDevice> physical_devices(VkInstance inst) {
    uint32_t n = 0;
    vk().vkEnumeratePhysicalDevices(inst, &n, nullptr);
    std::vector<VkPhysicalDevice> out(n);
    if (n) vk().vkEnumeratePhysicalDevices(inst, &n, out.data());
    out.resize(n);
    return out;
}

// A queue family with compute, preferring one without graphics.
bool compute_family(VkPhysicalDevice pd, uint32_t *family) {
    uint32_t n = 0;
    vk().vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, nullptr);
    std::vector<VkQueueFamilyProperties> families(n);
    vk().vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, families.data());
    int best = -1;
    for (uint32_t i = 0; i < n; ++i) {
        if (!(families[i].queueFlags & VK_QUEUE_COMPUTE_BIT) || families[i].queueCount == 0) continue;
        if (best < 0 || !(families[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) best = static_cast<int>(i);
    }
    if (best < 0) return false;
    *family = static_cast<uint32_t>(best);
    return true;
}

// A device that was created but could not be set up (see Device::get).
Device *g_abandoned = nullptr;

}  // namespace

std::vector<std::string> list_devices(std::string *why) {
    std::vector<std::string> out;
    VkInstance inst = instance(why);
    if (!inst) return out;
    const auto devices = physical_devices(inst);
    for (size_t i = 0; i < devices.size(); ++i) {
        VkPhysicalDeviceProperties p;
        vk().vkGetPhysicalDeviceProperties(devices[i], &p);
        out.push_back(std::to_string(i) + ": " + p.deviceName + " (" + type_name(p.deviceType) + ")");
    }
    return out;
}

Device *Device::get(std::string *why) {
    static Device *device = nullptr;
    static std::string error;
    static std::once_flag once;
    std::call_once(once, [] {
        auto *d = new Device();
        if (d->init(&error)) {
            device = d;
        } else if (d->device_ != VK_NULL_HANDLE) {
            // Created but unusable: kept, as its handle belongs to a driver
            // that may be in a bad state and destroying it is no safer.
            g_abandoned = d;
        } else {
            delete d;
        }
    });
    if (!device) *why = error;
    return device;
}

bool Device::init(std::string *why) {
    instance_ = instance(why);
    if (!instance_) return false;
    const auto devices = physical_devices(instance_);
    if (devices.empty()) {
        *why = "the Vulkan loader found no device (install a driver: mesa-vulkan-drivers, or the GPU vendor's)";
        return false;
    }

    // Choice: LQ_VULKAN_DEVICE (index or part of the name), else the best rank.
    const char *wanted = std::getenv("LQ_VULKAN_DEVICE");
    int chosen = -1, best_rank = -1;
    std::string names;
    for (size_t i = 0; i < devices.size(); ++i) {
        VkPhysicalDeviceProperties p;
        vk().vkGetPhysicalDeviceProperties(devices[i], &p);
        uint32_t family;
        const bool usable = p.apiVersion >= VK_API_VERSION_1_1 && compute_family(devices[i], &family);
        names += (names.empty() ? "" : ", ") + std::to_string(i) + ": " + p.deviceName;
        if (!usable) continue;
        if (wanted && *wanted) {
            char *end = nullptr;
            const long index = std::strtol(wanted, &end, 10);
            const bool match = (*end == '\0') ? index == static_cast<long>(i) : contains_nocase(p.deviceName, wanted);
            if (match && chosen < 0) chosen = static_cast<int>(i);
        } else if (type_rank(p.deviceType) > best_rank) {
            best_rank = type_rank(p.deviceType);
            chosen = static_cast<int>(i);
        }
    }
    if (chosen < 0) {
        *why = wanted && *wanted ? std::string("LQ_VULKAN_DEVICE=") + wanted +
                                       " matches no usable Vulkan device (devices: " + names + ")"
                                 : "no Vulkan 1.1 device with a compute queue (devices: " + names + ")";
        return false;
    }
    physical_ = devices[static_cast<size_t>(chosen)];
    vk().vkGetPhysicalDeviceProperties(physical_, &properties_);
    vk().vkGetPhysicalDeviceMemoryProperties(physical_, &memory_);
    compute_family(physical_, &queue_family_);

    auto subgroup = make<VkPhysicalDeviceSubgroupProperties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_SUBGROUP_PROPERTIES);
    auto maint3 = make<VkPhysicalDeviceMaintenance3Properties>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MAINTENANCE_3_PROPERTIES);
    subgroup.pNext = &maint3;
    auto props2 = make<VkPhysicalDeviceProperties2>(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2);
    props2.pNext = &subgroup;
    vk().vkGetPhysicalDeviceProperties2(physical_, &props2);
    max_binding_ = properties_.limits.maxStorageBufferRange;
    max_allocation_ = maint3.maxMemoryAllocationSize ? maint3.maxMemoryAllocationSize : (1ull << 30);

    const float priority = 1.0f;
    auto queue = make<VkDeviceQueueCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO);
    queue.queueFamilyIndex = queue_family_;
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;
    auto info = make<VkDeviceCreateInfo>(VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO);
    info.queueCreateInfoCount = 1;
    info.pQueueCreateInfos = &queue;
    const VkResult r = vk().vkCreateDevice(physical_, &info, nullptr, &device_);
    if (r != VK_SUCCESS) {
        *why = std::string("vkCreateDevice failed for ") + properties_.deviceName + ": " + result_name(r);
        return false;
    }
    if (!load_device(device_, why)) return false;
    vk().vkGetDeviceQueue(device_, queue_family_, 0, &queue_);

    const uint32_t v = properties_.apiVersion;
    description_ = std::string(properties_.deviceName) + " (" + type_name(properties_.deviceType) + ", Vulkan " +
                   std::to_string(VK_API_VERSION_MAJOR(v)) + "." + std::to_string(VK_API_VERSION_MINOR(v)) +
                   ", subgroup " + std::to_string(subgroup.subgroupSize) + ")";
    return true;
}

uint32_t Device::memory_type(uint32_t type_bits, VkMemoryPropertyFlags required,
                             VkMemoryPropertyFlags preferred) const {
    int fallback = -1;
    for (uint32_t i = 0; i < memory_.memoryTypeCount; ++i) {
        if (!(type_bits & (1u << i))) continue;
        const VkMemoryPropertyFlags f = memory_.memoryTypes[i].propertyFlags;
        if ((f & required) != required) continue;
        if ((f & preferred) == preferred) return i;
        if (fallback < 0) fallback = static_cast<int>(i);
    }
    if (fallback < 0) fail(LQ_ERR_OOM, "vulkan backend: the device has no memory type with the properties needed");
    return static_cast<uint32_t>(fallback);
}

void Device::submit(VkCommandBuffer commands, VkFence fence) {
    if (lost_) fail(LQ_ERR_BACKEND, "vulkan backend: the device was lost earlier in this process");
    auto info = make<VkSubmitInfo>(VK_STRUCTURE_TYPE_SUBMIT_INFO);
    info.commandBufferCount = 1;
    info.pCommandBuffers = &commands;
    VkResult r;
    {
        std::lock_guard<std::mutex> lock(queue_mutex_);
        r = vk().vkQueueSubmit(queue_, 1, &info, fence);
    }
    if (r == VK_ERROR_DEVICE_LOST) lost_ = true;
    check(r, "vkQueueSubmit");
}

void Device::wait(VkFence fence) {
    // Generous: a slow CPU driver running a large prompt takes minutes.
    const uint64_t timeout_ns = 600ull * 1000 * 1000 * 1000;
    const VkResult r = vk().vkWaitForFences(device_, 1, &fence, VK_TRUE, timeout_ns);
    if (r == VK_ERROR_DEVICE_LOST) lost_ = true;
    if (r == VK_TIMEOUT) fail(LQ_ERR_BACKEND, "vulkan backend: the device did not finish its work in 600 s");
    check(r, "vkWaitForFences");
}

}  // namespace lq::vulkan
