// The per-op CPU fallback and the per-model cache of prepared weights,
// through a test executor that behaves like a device: its activations are
// reachable only through download/upload, and it declines some operations.
// The whole forward pass must give the same logits as the CPU backend.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "backend/fallback.h"
#include "backend_test_util.h"
#include "backends/cpu/cpu_executor.h"
#include "libquant/libquant.h"
#include "runtime/forward.h"

using namespace lq;
using backend::Executor;
using backend::Op;
using backend::Slot;
using backend::View;

namespace {

constexpr uint32_t kTestBackendId = 1000;

struct TestPrepared : backend::PreparedWeights {};
std::atomic<int> g_prepared{0};

// A "device": CPU arithmetic behind an opaque memory, with a set of
// operations it leaves to the fallback.
class DeviceLikeExecutor final : public Executor {
public:
    DeviceLikeExecutor(const Model &model, const backend::ExecutorOptions &options, std::set<Op> declined)
        : inner_(model, options), declined_(std::move(declined)) {
        prepared_ = model.prepared().get(kTestBackendId, [] {
            ++g_prepared;
            return std::make_shared<const TestPrepared>();
        });
    }
    bool supports(Op op, TensorType type) const override {
        return declined_.count(op) == 0 && inner_.supports(op, type);
    }
    float *host_slot(Slot) override { return nullptr; }
    void download(const View &v, uint32_t n, float *host) override { inner_.download(v, n, host); }
    void upload(const float *host, const View &v, uint32_t n) override { inner_.upload(host, v, n); }
    void begin_batch(const int32_t *t, uint32_t n, uint32_t pos0) override { inner_.begin_batch(t, n, pos0); }
    void embed(const TensorView &w, const View &out) override { expect(Op::Embed), inner_.embed(w, out); }
    void rms_norm(const View &x, uint32_t r, uint32_t n, const TensorView &w, float eps, const View &o) override {
        expect(Op::RmsNorm), inner_.rms_norm(x, r, n, w, eps, o);
    }
    void matmul(const TensorView &w, const View &x, uint32_t n, const View &o) override {
        expect(Op::Matmul), inner_.matmul(w, x, n, o);
    }
    void matmul_to_host(const TensorView &w, const View &x, uint32_t n, float *o) override {
        expect(Op::MatmulToHost), inner_.matmul_to_host(w, x, n, o);
    }
    void add_bias(const View &x, const TensorView &b) override { expect(Op::AddBias), inner_.add_bias(x, b); }
    void rope(const View &x, uint32_t h) override { expect(Op::Rope), inner_.rope(x, h); }
    void attention(uint32_t l, const View &q, const View &k, const View &v, const View &o) override {
        expect(Op::Attention), inner_.attention(l, q, k, v, o);
    }
    void swiglu(const View &g, const View &u) override { expect(Op::Swiglu), inner_.swiglu(g, u); }
    void add(const View &x, const View &y) override { expect(Op::Add), inner_.add(x, y); }
    size_t kv_bytes() const override { return inner_.kv_bytes(); }

private:
    // The fallback must never call an operation this executor declined.
    void expect(Op op) const { REQUIRE(declined_.count(op) == 0); }

    cpu::CpuExecutor inner_;
    std::set<Op> declined_;
    backend::PreparedPtr prepared_;
};

backend::ExecutorOptions context_options(const Model &model) {
    backend::ExecutorOptions o;
    o.n_ctx = 64;
    o.n_threads = 2;
    o.plan = activation_plan(model, 16);
    o.rope_factors = rope_factors(model, 64);
    return o;
}

// Logits of two batches (all rows of the first, the last row of the second).
std::vector<float> run(Executor &ex, const Model &model) {
    const uint32_t n_vocab = model.hparams().n_vocab;
    std::vector<int32_t> tokens;
    for (int32_t i = 0; i < 21; ++i) tokens.push_back((i * 37 + 11) % static_cast<int32_t>(n_vocab));
    ForwardHooks hooks;
    hooks.check_cancel = [] {};
    std::vector<float> logits(16 * n_vocab + n_vocab);
    forward_batch(ex, model, tokens.data(), 16, 0, logits.data(), true, hooks);
    forward_batch(ex, model, tokens.data() + 16, 5, 16, logits.data() + 16 * n_vocab, false, hooks);
    return logits;
}

std::vector<std::string> g_log;
void collect(lq_log_level, const char *message, void *) { g_log.emplace_back(message); }

}  // namespace

TEST_CASE("operations a device declines run on the CPU with the same logits") {
    const std::set<Op> configs[] = {
        {Op::RmsNorm, Op::Attention, Op::MatmulToHost},
        {Op::Matmul, Op::Embed, Op::Swiglu},
        {Op::Rope, Op::Add, Op::AddBias},
        {},
    };
    for (const Model *model : {&lq_test::stories_model(), &lq_test::tiny_qwen2_model()}) {
        cpu::CpuExecutor plain(*model, context_options(*model));
        const std::vector<float> expected = run(plain, *model);
        for (const std::set<Op> &declined : configs) {
            g_log.clear();
            lq_log_set_callback(collect, nullptr, LQ_LOG_INFO);
            auto device = std::make_unique<DeviceLikeExecutor>(*model, context_options(*model), declined);
            std::unique_ptr<Executor> ex = backend::with_cpu_fallback(std::move(device), "test", *model,
                                                                      context_options(*model));
            const std::vector<float> logits = run(*ex, *model);
            lq_log_set_callback(nullptr, nullptr, LQ_LOG_ERROR);
            CHECK(logits == expected);
            // Each declined operation is logged once (per weight type), however often it ran.
            size_t fallback_lines = 0;
            for (const std::string &line : g_log)
                if (line.find("test backend: ") == 0 && line.find("runs on the CPU") != std::string::npos)
                    ++fallback_lines;
            // (llama has no biases, so a declined AddBias never runs there).
            const bool has_bias = model->architecture() == "qwen2";
            const size_t used = declined.size() - (has_bias ? 0 : declined.count(Op::AddBias));
            INFO("model " << model->architecture() << ", " << declined.size() << " declined");
            CHECK(fallback_lines == used);
            CHECK(ex->kv_bytes() > 0);
        }
    }
}

TEST_CASE("prepared weights are made once per model and backend, shared by contexts and threads") {
    const Model &model = lq_test::tiny_qwen2_model();
    const int before = g_prepared.load();
    const size_t entries_before = model.prepared().size();
    std::vector<std::thread> threads;
    std::vector<std::unique_ptr<DeviceLikeExecutor>> executors(4);
    for (size_t i = 0; i < executors.size(); ++i)
        threads.emplace_back([&, i] {
            executors[i] = std::make_unique<DeviceLikeExecutor>(model, context_options(model), std::set<Op>{});
        });
    for (std::thread &t : threads) t.join();
    // The first test case may have prepared this model already.
    CHECK(g_prepared.load() - before <= 1);
    CHECK(g_prepared.load() >= 1);
    CHECK(model.prepared().size() == (entries_before == 0 ? 1u : entries_before));
}
