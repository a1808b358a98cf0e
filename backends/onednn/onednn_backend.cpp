// The oneDNN backend: available where oneDNN runs and the CPU has VNNI
// (exact u8 x s8 dot products; without VNNI oneDNN's INT8 kernels saturate
// 16-bit sums silently, so the backend refuses rather than be wrong).
#include <cstdio>
#include <string>

#include <oneapi/dnnl/dnnl.hpp>

#include "backend/builtin.h"
#include "backends/onednn/auto_choice.h"
#include "backends/onednn/onednn_executor.h"
#include "backends/onednn/packed_weights.h"
#include "core/error.h"
#include "core/log.h"
#include "model/model.h"

namespace lq::onednn {
namespace {

const char *isa_name(dnnl_cpu_isa_t isa) {
    switch (static_cast<int>(isa)) {
    case dnnl_cpu_isa_sse41: return "sse41";
    case dnnl_cpu_isa_avx: return "avx";
    case dnnl_cpu_isa_avx2: return "avx2";
    case dnnl_cpu_isa_avx512_core: return "avx512_core";
    case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni";
    case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16";
    case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx";
    case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni";
    default: return "unknown";
    }
}

// oneDNN encodes an ISA as the set of its features: 0x40 is AVX-512 VNNI
// (with AVX-512 core, 0x20), 0x400 AVX-VNNI, in 2.x and 3.x alike.
bool has_vnni(dnnl_cpu_isa_t isa) {
    const unsigned v = static_cast<unsigned>(isa);
    return ((v & 0x60u) == 0x60u) || (v & 0x400u) != 0;
}

// Of a model's matrix-product weights, the fraction (by size) this backend
// runs.
double packable_fraction(const Model &model) {
    if (!model.has_weights()) return 0;
    double all = 0, ours = 0;
    const auto count = [&](const TensorView &w) {
        if (!w) return;
        const double n = static_cast<double>(w.rows) * static_cast<double>(w.cols);
        all += n;
        if (packable(w.type)) ours += n;
    };
    for (const LayerWeights &l : model.weights().layers)
        for (const TensorView *w : {&l.wq, &l.wk, &l.wv, &l.wqkv, &l.wo, &l.ffn_gate, &l.ffn_up, &l.ffn_gate_up,
                                    &l.ffn_down})
            count(*w);
    count(model.weights().output);
    return all > 0 ? ours / all : 0;
}

const dnnl::engine &cpu_engine() {
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

class OnednnBackend final : public backend::Backend {
public:
    lq_backend id() const override { return LQ_BACKEND_ONEDNN; }
    const char *name() const override { return "onednn"; }

    const backend::Availability &availability() const override {
        static const backend::Availability a = [] {
            backend::Availability probe;
            const dnnl_version_t *v = dnnl_version();
            char version[64];
            std::snprintf(version, sizeof version, "oneDNN %d.%d.%d", v->major, v->minor, v->patch);
            try {
                (void)cpu_engine();
            } catch (const dnnl::error &e) {
                probe.reason = std::string(version) + " has no CPU engine here: " + e.what();
                return probe;
            }
            const dnnl_cpu_isa_t isa = dnnl_get_effective_cpu_isa();
            if (!has_vnni(isa)) {
                probe.reason = std::string("the CPU (oneDNN ISA ") + isa_name(isa) +
                               ") lacks AVX-512 VNNI and AVX-VNNI; without them oneDNN's INT8 products "
                               "saturate 16-bit sums (the cpu backend runs INT8 models exactly)";
                return probe;
            }
            probe.available = true;
            probe.device = std::string("host CPU, ") + version + ", " + isa_name(isa) + " INT8 kernels";
            return probe;
        }();
        return a;
    }

    // Ahead of the CPU where it was measured faster (auto_choice.h).
    int auto_priority(const Model &model) const override {
        if (!model.has_weights()) return 0;
        return auto_prefers(model.hparams().n_embd, packable_fraction(model)) ? 2 : 0;
    }

    std::unique_ptr<backend::Executor> create_executor(const Model &model,
                                                       const backend::ExecutorOptions &options) const override {
        const backend::Availability &a = availability();
        if (!a.available) fail(LQ_ERR_UNSUPPORTED, "the onednn backend is not available: %s", a.reason.c_str());
        const int threads = options.n_threads ? static_cast<int>(options.n_threads) : 1;
        backend::PreparedPtr prepared = model.prepared().get(LQ_BACKEND_ONEDNN, [&]() -> backend::PreparedPtr {
            auto packed = std::make_shared<const PackedModel>(model, cpu_engine(), threads);
            log(LQ_LOG_INFO, "onednn backend: packed %zu INT8 matrices (%.1f MiB) in %.2f s", packed->n_matrices(),
                     static_cast<double>(packed->bytes()) / (1 << 20), packed->seconds());
            return packed;
        });
        auto packed = std::static_pointer_cast<const PackedModel>(prepared);
        return std::make_unique<OnednnExecutor>(options, std::move(packed));
    }
};

}  // namespace

const backend::Backend &onednn_backend() {
    static const OnednnBackend backend;
    return backend;
}

}  // namespace lq::onednn
