#include "backends/vulkan/recorder.h"

#include <algorithm>

#include "core/error.h"

namespace lq::vulkan {
namespace {

constexpr size_t kSegments = 4;         // in flight at once
constexpr uint32_t kSetsPerSegment = 512;  // dispatches per command buffer
constexpr uint32_t kMaxBindings = 4;

void touched(const Binding &b, uint64_t *lo, uint64_t *hi) {
    if (b.touch_lo == 0 && b.touch_hi == 0) {
        *lo = b.offset;
        *hi = b.offset + b.range;
    } else {
        *lo = b.touch_lo;
        *hi = b.touch_hi;
    }
}

}  // namespace

Recorder::Recorder(Device &device) : device_(device) {
    VkDevice dev = device.handle();
    auto pool = make<VkCommandPoolCreateInfo>(VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO);
    pool.flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT;
    pool.queueFamilyIndex = device.queue_family();
    check(vk().vkCreateCommandPool(dev, &pool, nullptr, &pool_), "vkCreateCommandPool");
    segments_.resize(kSegments);
    try {
        for (Segment &s : segments_) {
            auto alloc = make<VkCommandBufferAllocateInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO);
            alloc.commandPool = pool_;
            alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
            alloc.commandBufferCount = 1;
            check(vk().vkAllocateCommandBuffers(dev, &alloc, &s.commands), "vkAllocateCommandBuffers");
            VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, kSetsPerSegment * kMaxBindings};
            auto dp = make<VkDescriptorPoolCreateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO);
            dp.maxSets = kSetsPerSegment;
            dp.poolSizeCount = 1;
            dp.pPoolSizes = &size;
            check(vk().vkCreateDescriptorPool(dev, &dp, nullptr, &s.pool), "vkCreateDescriptorPool");
            auto fence = make<VkFenceCreateInfo>(VK_STRUCTURE_TYPE_FENCE_CREATE_INFO);
            check(vk().vkCreateFence(dev, &fence, nullptr, &s.fence), "vkCreateFence");
        }
    } catch (...) {
        release();
        throw;
    }
}

Recorder::~Recorder() { release(); }

void Recorder::release() {
    VkDevice dev = device_.handle();
    for (Segment &s : segments_) {
        if (s.in_flight && s.fence) vk().vkWaitForFences(dev, 1, &s.fence, VK_TRUE, UINT64_MAX);
        if (s.fence) vk().vkDestroyFence(dev, s.fence, nullptr);
        if (s.pool) vk().vkDestroyDescriptorPool(dev, s.pool, nullptr);
        s = Segment{};
    }
    if (pool_) vk().vkDestroyCommandPool(dev, pool_, nullptr);  // frees the command buffers
    pool_ = VK_NULL_HANDLE;
}

void Recorder::wait_for(Segment &s) {
    if (!s.in_flight) return;
    s.in_flight = false;  // a failed wait leaves the device lost; nothing to retry
    device_.wait(s.fence);
}

void Recorder::begin(Segment &s) {
    wait_for(s);
    VkDevice dev = device_.handle();
    check(vk().vkResetDescriptorPool(dev, s.pool, 0), "vkResetDescriptorPool");
    check(vk().vkResetCommandBuffer(s.commands, 0), "vkResetCommandBuffer");
    auto begin = make<VkCommandBufferBeginInfo>(VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO);
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    check(vk().vkBeginCommandBuffer(s.commands, &begin), "vkBeginCommandBuffer");
    s.sets = 0;
    // Work submitted before this command buffer may still write what it
    // reads: one barrier orders it after all of that.
    barrier(s);
}

Recorder::Segment &Recorder::current() {
    if (recording_ >= 0) {
        Segment &s = segments_[static_cast<size_t>(recording_)];
        if (s.sets < kSetsPerSegment) return s;
        end_and_submit(false);
    }
    const size_t i = next_;
    next_ = (next_ + 1) % segments_.size();
    begin(segments_[i]);
    recording_ = static_cast<int>(i);
    return segments_[i];
}

void Recorder::barrier(Segment &s) {
    auto b = make<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
    b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT |
                      VK_ACCESS_TRANSFER_WRITE_BIT;
    const VkPipelineStageFlags stages = VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
    vk().vkCmdPipelineBarrier(s.commands, stages, stages, 0, 1, &b, 0, nullptr, 0, nullptr);
    pending_.clear();
    ++n_barriers_;
}

void Recorder::hazard_check(std::initializer_list<Binding> bindings, Segment &s) {
    bool hazard = false;
    for (const Binding &b : bindings) {
        const VkBuffer buf = b.buffer->handle();
        uint64_t lo, hi;
        touched(b, &lo, &hi);
        for (const Access &a : pending_)
            if (a.buffer == buf && a.lo < hi && lo < a.hi && (a.write || b.write)) hazard = true;
    }
    if (hazard) barrier(s);
    for (const Binding &b : bindings) {
        uint64_t lo, hi;
        touched(b, &lo, &hi);
        pending_.push_back({b.buffer->handle(), lo, hi, b.write});
    }
}

void Recorder::dispatch(const Pipeline &pipeline, std::initializer_list<Binding> bindings, const void *push,
                        uint32_t push_bytes, uint32_t groups_x, uint32_t groups_y, uint32_t groups_z) {
    if (bindings.size() != pipeline.n_bindings || bindings.size() > kMaxBindings || push_bytes > kMaxPushBytes)
        fail(LQ_ERR_INTERNAL, "vulkan backend: a dispatch does not match its pipeline");
    if (groups_x == 0 || groups_y == 0 || groups_z == 0) return;
    Segment &s = current();
    auto alloc = make<VkDescriptorSetAllocateInfo>(VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO);
    alloc.descriptorPool = s.pool;
    alloc.descriptorSetCount = 1;
    alloc.pSetLayouts = &pipeline.set_layout;
    VkDescriptorSet set;
    check(vk().vkAllocateDescriptorSets(device_.handle(), &alloc, &set), "vkAllocateDescriptorSets");
    ++s.sets;
    VkDescriptorBufferInfo infos[kMaxBindings];
    VkWriteDescriptorSet writes[kMaxBindings];
    uint32_t i = 0;
    for (const Binding &b : bindings) {
        infos[i] = {b.buffer->handle(), b.offset, b.range};
        writes[i] = make<VkWriteDescriptorSet>(VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET);
        writes[i].dstSet = set;
        writes[i].dstBinding = i;
        writes[i].descriptorCount = 1;
        writes[i].descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER;
        writes[i].pBufferInfo = &infos[i];
        ++i;
    }
    vk().vkUpdateDescriptorSets(device_.handle(), i, writes, 0, nullptr);
    hazard_check(bindings, s);
    vk().vkCmdBindPipeline(s.commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.pipeline);
    vk().vkCmdBindDescriptorSets(s.commands, VK_PIPELINE_BIND_POINT_COMPUTE, pipeline.layout, 0, 1, &set, 0, nullptr);
    if (push_bytes) vk().vkCmdPushConstants(s.commands, pipeline.layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, push_bytes, push);
    vk().vkCmdDispatch(s.commands, groups_x, groups_y, groups_z);
    ++n_dispatches_;
}

void Recorder::copy(const Buffer &src, uint64_t src_offset, const Buffer &dst, uint64_t dst_offset, uint64_t bytes) {
    if (bytes == 0) return;
    Segment &s = current();
    hazard_check({Binding{&src, src_offset, bytes, false}, Binding{&dst, dst_offset, bytes, true}}, s);
    VkBufferCopy region{src_offset, dst_offset, bytes};
    vk().vkCmdCopyBuffer(s.commands, src.handle(), dst.handle(), 1, &region);
}

void Recorder::end_and_submit(bool to_host) {
    if (recording_ < 0) return;
    Segment &s = segments_[static_cast<size_t>(recording_)];
    recording_ = -1;
    if (to_host) {
        auto b = make<VkMemoryBarrier>(VK_STRUCTURE_TYPE_MEMORY_BARRIER);
        b.srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_WRITE_BIT;
        b.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
        vk().vkCmdPipelineBarrier(s.commands, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                                  VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &b, 0, nullptr, 0, nullptr);
    }
    check(vk().vkEndCommandBuffer(s.commands), "vkEndCommandBuffer");
    check(vk().vkResetFences(device_.handle(), 1, &s.fence), "vkResetFences");
    device_.submit(s.commands, s.fence);
    s.in_flight = true;
    pending_.clear();
}

void Recorder::submit() { end_and_submit(false); }

void Recorder::finish() {
    end_and_submit(true);
    for (Segment &s : segments_) wait_for(s);
}

void Recorder::discard() {
    if (recording_ >= 0) {
        Segment &s = segments_[static_cast<size_t>(recording_)];
        vk().vkEndCommandBuffer(s.commands);
        recording_ = -1;
    }
    pending_.clear();
    for (Segment &s : segments_) {
        try {
            wait_for(s);
        } catch (...) {
            // A lost device: the next submit reports it.
        }
    }
}

}  // namespace lq::vulkan
