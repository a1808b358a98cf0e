// A model's weights on the device, as its prepared-weights entry
// (backend/prepared.h): each tensor is uploaded once, byte for byte as the
// file stores it (the shaders decode every block format in place), and
// shared by every context of the model. Tensors that are not the model's
// (a test's) are uploaded on first use and again when their bytes change.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "backend/prepared.h"
#include "backends/vulkan/memory.h"
#include "model/weights.h"

namespace lq {
class Model;
}

namespace lq::vulkan {

struct DeviceTensor {
    std::unique_ptr<Buffer> buffer;
    uint64_t fingerprint = 0;  // of the host bytes, for tensors outside the model
    bool from_model = false;
};

class DeviceWeights final : public backend::PreparedWeights {
public:
    /// Uploads every weight of @p model's forward pass except the token
    /// embedding (looked up on the host) unless the output shares it.
    DeviceWeights(Device &device, const Model &model);

    /// The device copy of @p w (uploading it if it is not the model's).
    const Buffer &get(const TensorView &w) const;

    uint64_t bytes() const { return bytes_; }
    size_t n_tensors() const { return tensors_.size(); }
    double seconds() const { return seconds_; }

private:
    DeviceTensor &upload(const TensorView &w, bool from_model) const;

    Device &device_;
    mutable std::mutex mutex_;
    mutable Uploader uploader_;
    mutable std::unordered_map<const uint8_t *, DeviceTensor> tensors_;
    mutable std::vector<std::unique_ptr<Buffer>> retired_;  // replaced copies, kept until the model goes
    mutable uint64_t bytes_ = 0;
    double seconds_ = 0;
};

}  // namespace lq::vulkan
