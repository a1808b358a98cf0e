#include "backends/vulkan/memory.h"

#include <algorithm>
#include <cstring>

#include "core/error.h"

namespace lq::vulkan {

Buffer::Buffer(Device &device, uint64_t bytes, Kind kind, const char *what) : device_(device) {
    size_ = std::max<uint64_t>(4, (bytes + 3) / 4 * 4);
    if (size_ > device.max_allocation())
        fail(LQ_ERR_OOM, "vulkan backend: %s needs %.1f MiB in one allocation, more than the device allows (%.1f MiB)",
             what, static_cast<double>(size_) / (1 << 20), static_cast<double>(device.max_allocation()) / (1 << 20));
    auto info = make<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
    info.size = size_;
    info.usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                 VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    VkDevice dev = device.handle();
    check(vk().vkCreateBuffer(dev, &info, nullptr, &buffer_), "vkCreateBuffer");
    VkMemoryRequirements req;
    vk().vkGetBufferMemoryRequirements(dev, buffer_, &req);
    const VkMemoryPropertyFlags host = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
    uint32_t type;
    try {
        type = kind == Kind::DeviceLocal ? device.memory_type(req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0)
                                         : device.memory_type(req.memoryTypeBits, host, VK_MEMORY_PROPERTY_HOST_CACHED_BIT);
    } catch (...) {
        vk().vkDestroyBuffer(dev, buffer_, nullptr);
        throw;
    }
    auto alloc = make<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    alloc.allocationSize = req.size;
    alloc.memoryTypeIndex = type;
    const VkResult r = vk().vkAllocateMemory(dev, &alloc, nullptr, &memory_);
    if (r != VK_SUCCESS) {
        vk().vkDestroyBuffer(dev, buffer_, nullptr);
        if (r == VK_ERROR_OUT_OF_DEVICE_MEMORY || r == VK_ERROR_OUT_OF_HOST_MEMORY)
            fail(LQ_ERR_OOM, "vulkan backend: out of device memory allocating %.1f MiB for %s",
                 static_cast<double>(size_) / (1 << 20), what);
        check(r, "vkAllocateMemory");
    }
    check(vk().vkBindBufferMemory(dev, buffer_, memory_, 0), "vkBindBufferMemory");
    // Host-visible memory stays mapped: device-local memory that is also
    // host-visible (CPU drivers, integrated GPUs) takes uploads by memcpy.
    if ((device.memory_flags(type) & host) == host) {
        void *p = nullptr;
        if (vk().vkMapMemory(dev, memory_, 0, VK_WHOLE_SIZE, 0, &p) == VK_SUCCESS) mapped_ = static_cast<uint8_t *>(p);
    }
    if (kind == Kind::Staging && !mapped_) {
        vk().vkDestroyBuffer(dev, buffer_, nullptr);
        vk().vkFreeMemory(dev, memory_, nullptr);
        fail(LQ_ERR_BACKEND, "vulkan backend: could not map a staging buffer");
    }
}

Buffer::~Buffer() {
    VkDevice dev = device_.handle();
    if (mapped_) vk().vkUnmapMemory(dev, memory_);
    vk().vkDestroyBuffer(dev, buffer_, nullptr);
    vk().vkFreeMemory(dev, memory_, nullptr);
}

Uploader::Uploader(Device &device) : device_(device) {}

Uploader::~Uploader() {
    VkDevice dev = device_.handle();
    if (fence_) vk().vkDestroyFence(dev, fence_, nullptr);
    if (pool_) vk().vkDestroyCommandPool(dev, pool_, nullptr);
}

void Uploader::upload(Buffer &dst, uint64_t offset, const void *data, uint64_t bytes) {
    if (dst.mapped()) {
        std::memcpy(dst.mapped() + offset, data, bytes);
        return;
    }
    VkDevice dev = device_.handle();
    if (!staging_) {
        staging_ = std::make_unique<Buffer>(device_, 32ull << 20, Buffer::Kind::Staging, "the upload staging buffer");
        auto pool = make<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
        pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
        pool.queueFamilyIndex = device_.queue_family();
        check(vk().vkCreateCommandPool(dev, &pool, nullptr, &pool_), "vkCreateCommandPool");
        auto alloc = make<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
        alloc.commandPool = pool_;
        alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
        alloc.commandBufferCount = 1;
        check(vk().vkAllocateCommandBuffers(dev, &alloc, &commands_), "vkAllocateCommandBuffers");
        auto fence = make<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
        check(vk().vkCreateFence(dev, &fence, nullptr, &fence_), "vkCreateFence");
    }
    const auto *src = static_cast<const uint8_t *>(data);
    for (uint64_t done = 0; done < bytes;) {
        const uint64_t piece = std::min(bytes - done, staging_->size());
        std::memcpy(staging_->mapped(), src + done, piece);
        check(vk().vkResetCommandBuffer(commands_, 0), "vkResetCommandBuffer");
        auto begin = make<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
        begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
        check(vk().vkBeginCommandBuffer(commands_, &begin), "vkBeginCommandBuffer");
        VkBufferCopy region{0, offset + done, piece};
        vk().vkCmdCopyBuffer(commands_, staging_->handle(), dst.handle(), 1, &region);
        check(vk().vkEndCommandBuffer(commands_), "vkEndCommandBuffer");
        check(vk().vkResetFences(dev, 1, &fence_), "vkResetFences");
        device_.submit(commands_, fence_);
        device_.wait(fence_);
        done += piece;
    }
}

}  // namespace lq::vulkan
