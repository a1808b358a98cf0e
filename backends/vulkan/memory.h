// Device memory: a buffer with its own allocation (weights, activations,
// caches and staging all use one each; a model has a few hundred), and a
// one-off transfer path for uploading weights.
#pragma once

#include <cstdint>
#include <memory>

#include "backends/vulkan/device.h"

namespace lq::vulkan {

class Buffer {
public:
    enum class Kind {
        DeviceLocal,  ///< weights, activations, caches (mapped too when the memory is host-visible)
        Staging,      ///< host-visible and coherent, for transfers both ways
    };
    /// Throws LQ_ERR_OOM when the device has no room, or @p bytes exceeds
    /// its largest allocation.
    Buffer(Device &device, uint64_t bytes, Kind kind, const char *what);
    ~Buffer();
    Buffer(const Buffer &) = delete;
    Buffer &operator=(const Buffer &) = delete;

    VkBuffer handle() const { return buffer_; }
    uint64_t size() const { return size_; }
    /// Host address of the memory when it is host-visible, else null.
    uint8_t *mapped() const { return mapped_; }

private:
    Device &device_;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VkDeviceMemory memory_ = VK_NULL_HANDLE;
    uint64_t size_ = 0;
    uint8_t *mapped_ = nullptr;
};

/// Copies host bytes into device buffers, directly when they are mapped,
/// otherwise through a staging buffer in pieces (each submitted and waited
/// for). Used for weights, once per model.
class Uploader {
public:
    explicit Uploader(Device &device);
    ~Uploader();
    Uploader(const Uploader &) = delete;
    Uploader &operator=(const Uploader &) = delete;

    void upload(Buffer &dst, uint64_t offset, const void *data, uint64_t bytes);

private:
    Device &device_;
    std::unique_ptr<Buffer> staging_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    VkCommandBuffer commands_ = VK_NULL_HANDLE;
    VkFence fence_ = VK_NULL_HANDLE;
};

}  // namespace lq::vulkan
