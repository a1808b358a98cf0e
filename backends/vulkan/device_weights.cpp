#include "backends/vulkan/device_weights.h"

#include <chrono>

#include "model/model.h"

namespace lq::vulkan {
namespace {

uint64_t fingerprint(const TensorView &w) {
    const size_t n = static_cast<size_t>(w.rows) * w.row_bytes;
    uint64_t h = 1469598103934665603ull ^ n ^ (static_cast<uint64_t>(w.type) << 48);
    for (size_t i = 0; i < n; ++i) h = (h ^ w.data[i]) * 1099511628211ull;
    return h;
}

}  // namespace

DeviceWeights::DeviceWeights(Device &device, const Model &model) : device_(device), uploader_(device) {
    const auto start = std::chrono::steady_clock::now();
    const ModelWeights &mw = model.weights();
    std::lock_guard<std::mutex> lock(mutex_);
    const auto add = [&](const TensorView &w) {
        if (w && !tensors_.count(w.data)) upload(w, true);
    };
    for (const LayerWeights &l : mw.layers)
        for (const TensorView *w : {&l.attn_norm, &l.wq, &l.wk, &l.wv, &l.bq, &l.bk, &l.bv, &l.wqkv, &l.wo,
                                    &l.ffn_norm, &l.ffn_gate, &l.ffn_up, &l.ffn_gate_up, &l.ffn_down})
            add(*w);
    add(mw.output_norm);
    add(mw.output);
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

DeviceTensor &DeviceWeights::upload(const TensorView &w, bool from_model) const {
    const uint64_t bytes = static_cast<uint64_t>(w.rows) * w.row_bytes;
    DeviceTensor t;
    t.buffer = std::make_unique<Buffer>(device_, bytes, Buffer::Kind::DeviceLocal, w.name ? w.name : "a weight");
    uploader_.upload(*t.buffer, 0, w.data, bytes);
    t.from_model = from_model;
    if (!from_model) t.fingerprint = fingerprint(w);
    auto it = tensors_.find(w.data);
    if (it != tensors_.end()) {
        // A context may still have work in flight that reads the old copy.
        bytes_ -= it->second.buffer->size();
        retired_.push_back(std::move(it->second.buffer));
        it->second = std::move(t);
    } else {
        it = tensors_.emplace(w.data, std::move(t)).first;
    }
    bytes_ += it->second.buffer->size();
    return it->second;
}

const Buffer &DeviceWeights::get(const TensorView &w) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = tensors_.find(w.data);
    if (it != tensors_.end() && (it->second.from_model || it->second.fingerprint == fingerprint(w)))
        return *it->second.buffer;
    return *upload(w, false).buffer;
}

}  // namespace lq::vulkan
