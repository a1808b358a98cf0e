#include "backends/vulkan/vulkan_executor.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <string>

#include "backends/cpu/rope.h"
#include "core/error.h"
#include "kernels/kernels.h"
#include "model/model.h"

namespace lq::vulkan {

using backend::Op;
using backend::Slot;
using backend::View;

namespace {

constexpr uint32_t kMatvecMaxTokens = 8;  // matvec.comp's kMaxTokens
constexpr uint32_t kTile = 64;            // matmul.comp's tile
constexpr uint32_t kMaxHeadDim = 256;     // attention.comp's limit

std::string shader_type(TensorType type) {
    std::string s = type_name(type);
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

uint32_t ceil_div(uint64_t a, uint64_t b) { return static_cast<uint32_t>((a + b - 1) / b); }

struct MatmulArgs {
    uint32_t rows, k, row_bytes, n;
    uint32_t x_off, x_ld, y_off, y_ld;
};
struct NormArgs {
    uint32_t cols, x_off, x_ld, out_off, out_ld;
    float eps;
};
struct ElementwiseArgs {
    uint32_t cols, n, a_off, a_ld, b_off, b_ld;
};
struct RopeArgs {
    uint32_t x_off, x_ld, n_heads, head_dim, n_rot, neox, n;
};
struct KvStoreArgs {
    uint32_t off, ld, width, pos0, n;
};
struct AttentionArgs {
    uint32_t q_off, q_ld, o_off, o_ld;
    uint32_t pos0, n_head, n_head_kv, head_dim;
    uint32_t n_swa, width;
    float scale;
};

}  // namespace

VulkanExecutor::VulkanExecutor(Device &device, const Model &model, const backend::ExecutorOptions &options,
                               std::shared_ptr<const DeviceWeights> weights)
    : device_(device),
      pipelines_(Pipelines::of(device)),
      hp_(model.hparams()),
      n_ctx_(options.n_ctx),
      kv_type_(options.kv_type),
      plan_(options.plan),
      weights_(std::move(weights)),
      recorder_(device) {
    if (options.rope_factors) rope_factors_ = reinterpret_cast<const float *>(options.rope_factors->data);
    const uint32_t n_batch = plan_.n_batch;
    for (size_t s = 0; s < backend::kSlotCount; ++s) {
        const uint64_t bytes = static_cast<uint64_t>(n_batch) * plan_.width[s] * sizeof(float);
        if (bytes == 0) continue;
        if (bytes > device.max_binding())
            fail(LQ_ERR_UNSUPPORTED,
                 "vulkan backend: a batch of %u tokens needs %.1f MiB per activation buffer, more than one binding "
                 "of %s may cover (%.1f MiB); use a smaller n_batch",
                 n_batch, static_cast<double>(bytes) / (1 << 20), device.description().c_str(),
                 static_cast<double>(device.max_binding()) / (1 << 20));
        slots_[s] = std::make_unique<Buffer>(device, bytes, Buffer::Kind::DeviceLocal, "an activation buffer");
    }
    if (kv_type_ == TensorType::F16 || kv_type_ == TensorType::F32) {
        const uint64_t bytes = static_cast<uint64_t>(n_ctx_) * hp_.n_embd_kv() * (kv_type_ == TensorType::F16 ? 2 : 4);
        if (bytes > device.max_binding())
            fail(LQ_ERR_UNSUPPORTED, "vulkan backend: a layer's KV cache of %u positions (%.1f MiB) exceeds one binding "
                 "(%.1f MiB); use a smaller n_ctx", n_ctx_, static_cast<double>(bytes) / (1 << 20),
                 static_cast<double>(device.max_binding()) / (1 << 20));
        for (uint32_t l = 0; l < hp_.n_layer; ++l) {
            keys_.push_back(std::make_unique<Buffer>(device, bytes, Buffer::Kind::DeviceLocal, "the key cache"));
            values_.push_back(std::make_unique<Buffer>(device, bytes, Buffer::Kind::DeviceLocal, "the value cache"));
            kv_bytes_ += 2 * bytes;
        }
    }
    // The embedding rows of a batch are as wide as the widest slot they may
    // be written to (the model's n_embd for a context).
    for (uint32_t w : plan_.width) embed_width_ = std::max(embed_width_, w);
    const uint64_t input_floats = static_cast<uint64_t>(n_batch) * (embed_width_ + hp_.rope.n_rot);
    input_ = std::make_unique<Buffer>(device, input_floats * 4, Buffer::Kind::Staging, "the batch input buffer");
    angles_ = std::make_unique<Buffer>(device, static_cast<uint64_t>(n_batch) * std::max(1u, hp_.rope.n_rot) * 4,
                                       Buffer::Kind::DeviceLocal, "the rotary angles");
}

VulkanExecutor::~VulkanExecutor() { recorder_.discard(); }

bool VulkanExecutor::supports(Op op, TensorType type) const {
    switch (op) {
    case Op::Embed: return quant_kernels(type) != nullptr;
    case Op::Matmul:
    case Op::MatmulToHost: return Pipelines::has_shader("matvec_" + shader_type(type));
    case Op::RmsNorm:
    case Op::AddBias: return type == TensorType::F32;
    case Op::Attention:
        return !keys_.empty() && hp_.head_dim <= kMaxHeadDim && hp_.n_embd_kv() % 2 == 0;
    default: return true;
    }
}

Binding VulkanExecutor::bind(const View &view, uint32_t row0, uint32_t n, bool write) const {
    const Buffer &b = slot(view.slot);
    Binding out{&b, 0, b.size(), write};
    if (n == 0) n = 1;
    out.touch_lo = (static_cast<uint64_t>(row0) * view.ld + view.col0) * 4;
    out.touch_hi = (static_cast<uint64_t>(row0 + n - 1) * view.ld + view.col0 + view.cols) * 4;
    return out;
}

Buffer &VulkanExecutor::staging(uint64_t bytes) {
    if (!staging_ || staging_->size() < bytes) {
        staging_.reset();
        staging_ = std::make_unique<Buffer>(device_, bytes, Buffer::Kind::Staging, "a staging buffer");
    }
    return *staging_;
}

void VulkanExecutor::read_back(const Buffer &buffer, uint64_t offset, uint64_t bytes, void *host) {
    if (buffer.mapped()) {
        recorder_.finish();
        std::memcpy(host, buffer.mapped() + offset, bytes);
        return;
    }
    Buffer &s = staging(bytes);
    recorder_.copy(buffer, offset, s, 0, bytes);
    recorder_.finish();
    std::memcpy(host, s.mapped(), bytes);
}

void VulkanExecutor::download(const View &view, uint32_t n_rows, float *host) {
    if (n_rows == 0) return;
    const uint64_t lo = static_cast<uint64_t>(view.col0) * 4;
    const uint64_t bytes = (static_cast<uint64_t>(n_rows - 1) * view.ld + view.cols) * 4;
    std::vector<float> rows(bytes / 4);
    read_back(slot(view.slot), lo, bytes, rows.data());
    for (uint32_t t = 0; t < n_rows; ++t)
        std::memcpy(host + static_cast<size_t>(t) * view.cols, rows.data() + static_cast<size_t>(t) * view.ld,
                    view.cols * sizeof(float));
}

void VulkanExecutor::upload(const float *host, const View &view, uint32_t n_rows) {
    if (n_rows == 0) return;
    const Buffer &dst = slot(view.slot);
    recorder_.finish();  // nothing in flight may still use the slot
    if (dst.mapped()) {
        for (uint32_t t = 0; t < n_rows; ++t)
            std::memcpy(dst.mapped() + (static_cast<size_t>(t) * view.ld + view.col0) * 4,
                        host + static_cast<size_t>(t) * view.cols, view.cols * sizeof(float));
        return;
    }
    Buffer &s = staging(static_cast<uint64_t>(n_rows) * view.cols * 4);
    std::memcpy(s.mapped(), host, static_cast<size_t>(n_rows) * view.cols * 4);
    copy_rows(s, view, n_rows);
    recorder_.finish();
}

void VulkanExecutor::copy_rows(const Buffer &src, const View &view, uint32_t n_rows) {
    const Buffer &dst = slot(view.slot);
    const uint64_t row = view.cols * 4ull;
    if (view.col0 == 0 && view.ld == view.cols) {
        recorder_.copy(src, 0, dst, 0, n_rows * row);
        return;
    }
    for (uint32_t t = 0; t < n_rows; ++t)
        recorder_.copy(src, t * row, dst, (static_cast<uint64_t>(t) * view.ld + view.col0) * 4, row);
}

void VulkanExecutor::begin_batch(const int32_t *tokens, uint32_t n, uint32_t pos0) {
    // Whatever an interrupted batch recorded is dropped; the input buffer
    // is free once nothing is in flight.
    recorder_.discard();
    tokens_.assign(tokens, tokens + n);
    n_ = n;
    pos0_ = pos0;
    const uint32_t n_rot = hp_.rope.n_rot;
    if (n_rot == 0) return;
    const size_t angles_at = static_cast<size_t>(plan_.n_batch) * embed_width_;
    float *angles = reinterpret_cast<float *>(input_->mapped()) + angles_at;
    for (uint32_t t = 0; t < n; ++t) cpu::rope_angles(hp_.rope, rope_factors_, pos0 + t, angles + t * n_rot);
    const uint64_t offset = angles_at * 4;
    recorder_.copy(*input_, offset, *angles_, 0, static_cast<uint64_t>(n) * n_rot * 4);
}

void VulkanExecutor::embed(const TensorView &table, const View &out) {
    // Rows of the table decoded on the host: only the batch's rows are
    // read, whatever the table's type, and the table need not be on the device.
    const QuantKernels *k = quant_kernels(table.type);
    if (!k) fail(LQ_ERR_UNSUPPORTED, "vulkan backend: cannot decode %s embeddings", type_name(table.type));
    if (out.cols > embed_width_ || n_ > plan_.n_batch)
        fail(LQ_ERR_INTERNAL, "vulkan backend: an embedding of %u columns does not fit the batch input", out.cols);
    auto *rows = reinterpret_cast<float *>(input_->mapped());
    for (uint32_t t = 0; t < n_; ++t)
        k->to_float(table.row(static_cast<uint64_t>(tokens_[t])), rows + static_cast<size_t>(t) * out.cols,
                    static_cast<int64_t>(out.cols));
    copy_rows(*input_, out, n_);
}

void VulkanExecutor::rms_norm(const View &x, uint32_t row0, uint32_t n, const TensorView &weight, float eps,
                              const View &out) {
    const Buffer &w = weights_->get(weight);
    NormArgs a{x.cols, row0 * x.ld + x.col0, x.ld, out.col0, out.ld, eps};
    recorder_.dispatch(pipelines_.get("rms_norm", 3),
                       {bind(x, row0, n, false), Binding{&w, 0, w.size(), false}, bind(out, 0, n, true)}, &a,
                       sizeof a, n);
}

void VulkanExecutor::record_matmul(const TensorView &w, const View &x, uint32_t n, const Binding &y, uint32_t y_off,
                                   uint32_t y_ld) {
    const Buffer &wb = weights_->get(w);
    const std::string type = shader_type(w.type);
    const bool vector = n <= kMatvecMaxTokens;
    const Pipeline &p = vector ? pipelines_.get("matvec_" + type, 3, {64u}) : pipelines_.get("matmul_" + type, 3);
    // Weights larger than one binding are bound in windows of whole rows
    // whose offsets keep the device's alignment (256 rows: any row size).
    const uint64_t total = static_cast<uint64_t>(w.rows) * w.row_bytes;
    uint64_t window_rows = w.rows;
    if (total > device_.max_binding()) {
        window_rows = device_.max_binding() / w.row_bytes / 256 * 256;
        if (window_rows == 0)
            fail(LQ_ERR_UNSUPPORTED, "vulkan backend: rows of %s are too large for one binding",
                 w.name ? w.name : "a weight");
    }
    for (uint64_t r0 = 0; r0 < w.rows; r0 += window_rows) {
        const uint64_t rows = std::min<uint64_t>(window_rows, w.rows - r0);
        MatmulArgs a{static_cast<uint32_t>(rows), static_cast<uint32_t>(w.cols), static_cast<uint32_t>(w.row_bytes),
                     n, x.col0, x.ld, static_cast<uint32_t>(y_off + r0), y_ld};
        // Bound in whole 32-bit words: the shaders read bytes out of words.
        const uint64_t offset = r0 * w.row_bytes;
        Binding weights{&wb, offset, std::min(wb.size() - offset, (rows * w.row_bytes + 3) / 4 * 4), false};
        Binding out = y;
        out.touch_lo = y.offset + (y_off + r0) * 4;
        out.touch_hi = y.offset + (y_off + static_cast<uint64_t>(n - 1) * y_ld + r0 + rows) * 4;
        if (vector)
            recorder_.dispatch(p, {weights, bind(x, 0, n, false), out}, &a, sizeof a,
                               static_cast<uint32_t>(std::min<uint64_t>(rows, 65535)));
        else
            recorder_.dispatch(p, {weights, bind(x, 0, n, false), out}, &a, sizeof a, ceil_div(rows, kTile),
                               ceil_div(n, kTile));
    }
}

void VulkanExecutor::matmul(const TensorView &w, const View &x, uint32_t n, const View &out) {
    if (n == 0) return;
    const Buffer &y = slot(out.slot);
    record_matmul(w, x, n, Binding{&y, 0, y.size(), true}, out.col0, out.ld);
}

void VulkanExecutor::matmul_to_host(const TensorView &w, const View &x, uint32_t n, float *out) {
    if (n == 0) return;
    const uint64_t row_bytes = w.rows * 4;
    const uint64_t bytes = row_bytes * n;
    if (!logits_ || logits_->size() < bytes) {
        recorder_.finish();
        logits_.reset();
        logits_ = std::make_unique<Buffer>(device_, bytes, Buffer::Kind::DeviceLocal, "the logits");
    }
    // Logits larger than one binding go in pieces of tokens, each bound as a
    // window whose offset keeps the alignment (64 tokens x 4 bytes x rows).
    uint64_t per_piece = n;
    if (bytes > device_.max_binding()) per_piece = device_.max_binding() / row_bytes / 64 * 64;
    if (per_piece == 0)
        fail(LQ_ERR_UNSUPPORTED, "vulkan backend: the logits of 64 tokens (%llu each) exceed one binding",
             static_cast<unsigned long long>(w.rows));
    for (uint64_t t0 = 0; t0 < n; t0 += per_piece) {
        const uint32_t count = static_cast<uint32_t>(std::min<uint64_t>(per_piece, n - t0));
        View xs = x;
        xs.col0 = static_cast<uint32_t>(x.col0 + t0 * x.ld);
        record_matmul(w, xs, count, Binding{logits_.get(), t0 * row_bytes, count * row_bytes, true}, 0,
                      static_cast<uint32_t>(w.rows));
    }
    read_back(*logits_, 0, bytes, out);
}

void VulkanExecutor::elementwise(uint32_t op, const View &a, const View &b, const Buffer *b_buffer) {
    ElementwiseArgs args{a.cols, n_, a.col0, a.ld, b.col0, b.ld};
    Binding second = b_buffer ? Binding{b_buffer, 0, b_buffer->size(), false} : bind(b, 0, n_, false);
    recorder_.dispatch(pipelines_.get("elementwise", 2, {op}), {bind(a, 0, n_, true), second}, &args, sizeof args,
                       ceil_div(a.cols, 256), n_);
}

void VulkanExecutor::add_bias(const View &x, const TensorView &bias) { elementwise(1, x, x, &weights_->get(bias)); }
void VulkanExecutor::swiglu(const View &gate, const View &up) { elementwise(2, gate, up, nullptr); }
void VulkanExecutor::add(const View &x, const View &y) { elementwise(0, x, y, nullptr); }

void VulkanExecutor::rope(const View &x, uint32_t n_heads) {
    const uint32_t n_rot = hp_.rope.n_rot;
    if (n_rot == 0 || n_ == 0) return;
    RopeArgs a{x.col0, x.ld, n_heads, hp_.head_dim, n_rot, hp_.rope.style == RopeStyle::Normal ? 0u : 1u, n_};
    recorder_.dispatch(pipelines_.get("rope", 2), {bind(x, 0, n_, true), Binding{angles_.get(), 0, angles_->size(), false}},
                       &a, sizeof a, ceil_div(n_heads * (n_rot / 2), 64), n_);
}

void VulkanExecutor::attention(uint32_t layer, const View &q, const View &k, const View &v, const View &out) {
    if (keys_.empty()) fail(LQ_ERR_BACKEND, "vulkan backend: this executor holds no KV cache");
    const uint32_t width = hp_.n_embd_kv();
    const uint32_t f16 = kv_type_ == TensorType::F16 ? 1u : 0u;
    const uint64_t elem = f16 ? 2 : 4;
    const Buffer &kc = *keys_[layer], &vc = *values_[layer];
    const auto store = [&](const View &src, const Buffer &cache) {
        KvStoreArgs a{src.col0, src.ld, width, pos0_, n_};
        Binding dst{&cache, 0, cache.size(), true};
        dst.touch_lo = pos0_ * width * elem;
        dst.touch_hi = (pos0_ + n_) * width * elem;
        recorder_.dispatch(pipelines_.get("kv_store", 2, {f16}), {bind(src, 0, n_, false), dst}, &a, sizeof a,
                           ceil_div(f16 ? width / 2 : width, 256), n_);
    };
    store(k, kc);
    store(v, vc);
    AttentionArgs a{q.col0, q.ld, out.col0, out.ld, pos0_, hp_.n_head, hp_.n_head_kv, hp_.head_dim,
                    hp_.n_swa, width, 1.0f / std::sqrt(static_cast<float>(hp_.head_dim))};
    // Attention reads every position up to the batch's last.
    Binding kb{&kc, 0, kc.size(), false}, vb{&vc, 0, vc.size(), false};
    kb.touch_hi = vb.touch_hi = (pos0_ + n_) * width * elem;
    recorder_.dispatch(pipelines_.get("attention", 4, {f16}), {bind(q, 0, n_, false), kb, vb, bind(out, 0, n_, true)},
                       &a, sizeof a, hp_.n_head, n_);
}

}  // namespace lq::vulkan
