// Weights a backend prepares for one model (uploaded to a device, repacked
// into a kernel's layout): made once per (model, backend) on first use and
// shared by every context of that model, so that the model itself stays
// immutable and any number of contexts start without copying weights again.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace lq::backend {

/// A backend's prepared form of a model's weights; backends derive from it.
class PreparedWeights {
public:
    virtual ~PreparedWeights() = default;
};

using PreparedPtr = std::shared_ptr<const PreparedWeights>;

/// The per-model cache of prepared weights, keyed by backend id.
class PreparedCache {
public:
    /// The entry of @p backend_id, made by @p make on the first call. Calls
    /// from several threads prepare once: the others wait for the first.
    /// When @p make throws, nothing is cached and the error propagates.
    PreparedPtr get(uint32_t backend_id, const std::function<PreparedPtr()> &make) const {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const auto &entry : entries_)
            if (entry.first == backend_id) return entry.second;
        PreparedPtr made = make();
        entries_.emplace_back(backend_id, made);
        return made;
    }

    /// How many backends have prepared this model.
    size_t size() const {
        std::lock_guard<std::mutex> lock(mutex_);
        return entries_.size();
    }

private:
    mutable std::mutex mutex_;
    mutable std::vector<std::pair<uint32_t, PreparedPtr>> entries_;
};

}  // namespace lq::backend
