// Records the dispatches of one context into command buffers and submits
// them. Barriers come from the real buffer ranges each dispatch reads and
// writes: a dispatch waits only when it reads or writes bytes that an
// earlier, unbarriered one wrote (or writes bytes one read). Work is
// handed to the device at flush points (after each layer) without waiting,
// and waited for only where the host needs a result.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "backends/vulkan/memory.h"
#include "backends/vulkan/pipelines.h"

namespace lq::vulkan {

/// A buffer range a dispatch binds.
struct Binding {
    const Buffer *buffer = nullptr;
    uint64_t offset = 0;
    uint64_t range = 0;  ///< bytes, at most the device's max_binding()
    bool write = false;
    /// The bytes the dispatch really touches, for barriers ([lo, hi) inside
    /// the binding); both 0: the whole binding.
    uint64_t touch_lo = 0, touch_hi = 0;
};

class Recorder {
public:
    explicit Recorder(Device &device);
    ~Recorder();
    Recorder(const Recorder &) = delete;
    Recorder &operator=(const Recorder &) = delete;

    void dispatch(const Pipeline &pipeline, std::initializer_list<Binding> bindings, const void *push,
                  uint32_t push_bytes, uint32_t groups_x, uint32_t groups_y = 1, uint32_t groups_z = 1);
    void copy(const Buffer &src, uint64_t src_offset, const Buffer &dst, uint64_t dst_offset, uint64_t bytes);

    /// Submits what is recorded without waiting.
    void submit();
    /// Submits what is recorded and waits for all of it (host reads may follow).
    void finish();
    /// Drops what is recorded and not submitted, and waits for the rest
    /// (after an error or a cancellation mid-batch).
    void discard();

    /// Dispatches and barriers recorded since creation (for tests and logs).
    uint64_t n_dispatches() const { return n_dispatches_; }
    uint64_t n_barriers() const { return n_barriers_; }

private:
    struct Segment {
        VkCommandBuffer commands = VK_NULL_HANDLE;
        VkDescriptorPool pool = VK_NULL_HANDLE;
        VkFence fence = VK_NULL_HANDLE;
        uint32_t sets = 0;
        bool in_flight = false;
    };
    struct Access {
        VkBuffer buffer;
        uint64_t lo, hi;
        bool write;
    };

    void release();
    Segment &current();  // the segment being recorded, begun on demand
    void begin(Segment &s);
    void end_and_submit(bool to_host);
    void wait_for(Segment &s);
    void hazard_check(std::initializer_list<Binding> bindings, Segment &s);
    void barrier(Segment &s);

    Device &device_;
    VkCommandPool pool_ = VK_NULL_HANDLE;
    std::vector<Segment> segments_;
    int recording_ = -1;  // index of the segment being recorded
    size_t next_ = 0;     // the segment to reuse next
    std::vector<Access> pending_;
    uint64_t n_dispatches_ = 0, n_barriers_ = 0;
};

}  // namespace lq::vulkan
