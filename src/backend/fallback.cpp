#include "backend/fallback.h"

#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "backend/builtin.h"
#include "core/error.h"
#include "core/log.h"

namespace lq::backend {
namespace {

class FallbackExecutor final : public Executor {
public:
    FallbackExecutor(std::unique_ptr<Executor> primary, const char *name, const Model &model,
                     const ExecutorOptions &options)
        : primary_(std::move(primary)), name_(name), plan_(options.plan) {
        // The CPU works in place on the primary's host memory; device slots
        // get host mirrors.
        float *lent[kSlotCount] = {};
        for (size_t s = 0; s < kSlotCount; ++s) {
            const size_t n = static_cast<size_t>(plan_.n_batch) * plan_.width[s];
            if (n == 0) continue;
            lent[s] = primary_->host_slot(static_cast<Slot>(s));
            if (!lent[s]) {
                mirrors_[s].assign(n, 0.0f);
                lent[s] = mirrors_[s].data();
                device_slot_[s] = true;
            }
        }
        // The KV cache lives with whichever executor runs attention.
        const bool cache_on_cpu = !primary_->supports(Op::Attention, TensorType::F32);
        cpu_ = cpu::create_fallback_executor(model, options, lent, cache_on_cpu);
    }

    bool supports(Op op, TensorType weight_type) const override {
        return primary_->supports(op, weight_type) || cpu_->supports(op, weight_type);
    }
    float *host_slot(Slot slot) override { return primary_->host_slot(slot); }
    void download(const View &view, uint32_t n_rows, float *host) override { primary_->download(view, n_rows, host); }
    void upload(const float *host, const View &view, uint32_t n_rows) override {
        primary_->upload(host, view, n_rows);
    }

    void begin_batch(const int32_t *tokens, uint32_t n, uint32_t pos0) override {
        n_ = n;
        primary_->begin_batch(tokens, n, pos0);
        cpu_->begin_batch(tokens, n, pos0);
    }

    void embed(const TensorView &table, const View &out) override {
        if (primary_->supports(Op::Embed, table.type)) return primary_->embed(table, out);
        on_cpu(Op::Embed, table.type, {}, {out}, [&] { cpu_->embed(table, out); });
    }
    void rms_norm(const View &x, uint32_t row0, uint32_t n, const TensorView &weight, float eps,
                  const View &out) override {
        if (primary_->supports(Op::RmsNorm, weight.type)) return primary_->rms_norm(x, row0, n, weight, eps, out);
        on_cpu(Op::RmsNorm, weight.type, {x}, {out}, [&] { cpu_->rms_norm(x, row0, n, weight, eps, out); });
    }
    void matmul(const TensorView &w, const View &x, uint32_t n, const View &out) override {
        if (primary_->supports(Op::Matmul, w.type)) return primary_->matmul(w, x, n, out);
        on_cpu(Op::Matmul, w.type, {x}, {out}, [&] { cpu_->matmul(w, x, n, out); });
    }
    void matmul_to_host(const TensorView &w, const View &x, uint32_t n, float *out) override {
        if (primary_->supports(Op::MatmulToHost, w.type)) return primary_->matmul_to_host(w, x, n, out);
        on_cpu(Op::MatmulToHost, w.type, {x}, {}, [&] { cpu_->matmul_to_host(w, x, n, out); });
    }
    void add_bias(const View &x, const TensorView &bias) override {
        if (primary_->supports(Op::AddBias, bias.type)) return primary_->add_bias(x, bias);
        on_cpu(Op::AddBias, bias.type, {x}, {x}, [&] { cpu_->add_bias(x, bias); });
    }
    void rope(const View &x, uint32_t n_heads) override {
        if (primary_->supports(Op::Rope, TensorType::F32)) return primary_->rope(x, n_heads);
        on_cpu(Op::Rope, TensorType::F32, {x}, {x}, [&] { cpu_->rope(x, n_heads); });
    }
    void attention(uint32_t layer, const View &q, const View &k, const View &v, const View &out) override {
        if (primary_->supports(Op::Attention, TensorType::F32)) return primary_->attention(layer, q, k, v, out);
        on_cpu(Op::Attention, TensorType::F32, {q, k, v}, {out}, [&] { cpu_->attention(layer, q, k, v, out); });
    }
    void swiglu(const View &gate, const View &up) override {
        if (primary_->supports(Op::Swiglu, TensorType::F32)) return primary_->swiglu(gate, up);
        on_cpu(Op::Swiglu, TensorType::F32, {gate, up}, {gate}, [&] { cpu_->swiglu(gate, up); });
    }
    void add(const View &x, const View &y) override {
        if (primary_->supports(Op::Add, TensorType::F32)) return primary_->add(x, y);
        on_cpu(Op::Add, TensorType::F32, {x, y}, {x}, [&] { cpu_->add(x, y); });
    }
    void flush() override { primary_->flush(); }
    size_t kv_bytes() const override { return primary_->kv_bytes() + cpu_->kv_bytes(); }
    void export_kv(uint32_t n, std::vector<uint8_t> &out) override { cache_owner().export_kv(n, out); }
    Executor &cache_owner() { return primary_->supports(Op::Attention, TensorType::F32) ? *primary_ : *cpu_; }
    void import_kv(uint32_t n, const uint8_t *data, size_t size) override { cache_owner().import_kv(n, data, size); }

private:
    // The whole batch of a slot, as the mirror holds it.
    View whole(Slot slot) const {
        const uint32_t width = plan_[slot];
        return View{slot, 0, width, width};
    }

    template <typename Body>
    void on_cpu(Op op, TensorType type, std::initializer_list<View> inputs, std::initializer_list<View> outputs,
                const Body &body) {
        if (!cpu_->supports(op, type))
            fail(LQ_ERR_UNSUPPORTED, "neither the %s backend nor the CPU can run %s with %s weights", name_,
                 op_name(op), type_name(type));
        if (logged_.insert({op, type}).second)
            log(LQ_LOG_INFO, "%s backend: %s%s%s runs on the CPU", name_, op_name(op),
                op == Op::Embed || op == Op::Matmul || op == Op::MatmulToHost ? " with weights of type " : "",
                op == Op::Embed || op == Op::Matmul || op == Op::MatmulToHost ? type_name(type) : "");
        for (const View &v : inputs) {
            const size_t s = static_cast<size_t>(v.slot);
            if (device_slot_[s]) primary_->download(whole(v.slot), n_, mirrors_[s].data());
        }
        body();
        for (const View &v : outputs) {
            const size_t s = static_cast<size_t>(v.slot);
            if (device_slot_[s]) primary_->upload(mirrors_[s].data(), whole(v.slot), n_);
        }
    }

    std::unique_ptr<Executor> primary_;
    std::unique_ptr<Executor> cpu_;
    const char *name_;
    ActivationPlan plan_;
    std::vector<float> mirrors_[kSlotCount];
    bool device_slot_[kSlotCount] = {};
    uint32_t n_ = 0;
    std::set<std::pair<Op, TensorType>> logged_;
};

}  // namespace

std::unique_ptr<Executor> with_cpu_fallback(std::unique_ptr<Executor> primary, const char *name, const Model &model,
                                            const ExecutorOptions &options) {
    return std::make_unique<FallbackExecutor>(std::move(primary), name, model, options);
}

const char *op_name(Op op) {
    switch (op) {
    case Op::Embed: return "embedding lookup";
    case Op::RmsNorm: return "RMSNorm";
    case Op::Matmul: return "matrix product";
    case Op::MatmulToHost: return "output matrix product";
    case Op::AddBias: return "bias";
    case Op::Rope: return "RoPE";
    case Op::Attention: return "attention";
    case Op::Swiglu: return "SwiGLU";
    case Op::Add: return "residual add";
    default: return "unknown operation";
    }
}

}  // namespace lq::backend
