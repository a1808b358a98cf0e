// Every operation of every available backend against the reference: the CPU
// backend on its reference kernel rows. Random inputs with outlier channels,
// ragged sizes, strided views inside wide slots, every matrix type, batches
// of 1 to 17 tokens, attention over a growing cache of every KV type.
// A backend that leaves an operation out is tested through the per-op CPU
// fallback, as contexts use it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "backend/registry.h"
#include "backend_test_util.h"
#include "backends/cpu/cpu_executor.h"
#include "core/random.h"
#include "core/types.h"
#include "kernels/kernels.h"

using namespace lq;
using backend::Executor;
using backend::Op;
using backend::Slot;
using backend::View;

namespace {
using lq_test::random_activations;
using lq_test::relative_error;

constexpr uint32_t kWidth = 1600;  // every slot; views sit inside at offsets
constexpr uint32_t kBatch = 17;

backend::ExecutorOptions options_for(const Model &model, TensorType kv_type, bool reference) {
    backend::ExecutorOptions o;
    o.n_ctx = 32;
    o.n_threads = 2;
    o.kv_type = kv_type;
    o.plan.n_batch = kBatch;
    for (uint32_t &w : o.plan.width) w = kWidth;
    o.rope_factors = nullptr;
    (void)model;
    o.reference_kernels = reference;
    return o;
}

// One executor under test and the reference, fed the same inputs; `own`
// is the backend's executor without the fallback, asked what it runs itself.
struct Pair {
    std::string name;
    std::unique_ptr<Executor> test;
    std::unique_ptr<Executor> reference;
    std::unique_ptr<Executor> own;
    bool runs(Op op, TensorType type) const { return own->supports(op, type); }
};

std::vector<Pair> pairs(const Model &model, TensorType kv_type = TensorType::F16) {
    std::vector<Pair> out;
    for (const backend::Backend *b : backend::all_backends()) {
        if (!b->availability().available) continue;
        Pair p;
        p.name = b->name();
        p.test = backend::create_context_executor(*b, model, options_for(model, kv_type, false));
        p.reference = std::make_unique<cpu::CpuExecutor>(model, options_for(model, kv_type, true));
        p.own = b->create_executor(model, options_for(model, kv_type, false));
        out.push_back(std::move(p));
    }
    REQUIRE(!out.empty());  // the CPU backend is always there
    return out;
}

// Tolerances, relative to the largest reference value. The CPU's SIMD
// kernels differ from the reference only in summation order; so do the ops
// another backend leaves to the CPU fallback.
double tolerance(const Pair &p, Op op, TensorType type) {
    if (p.name == "cpu" || !p.runs(op, type))
        return op == Op::Matmul || op == Op::MatmulToHost || op == Op::Attention ? 1e-4 : 1e-6;
    if (p.name == "onednn") return 1e-5;  // against the W8A8 emulation below: integer sums, one rounding per scale
    // The Vulkan shaders decode weights exactly and keep F32 activations:
    // against the exact product below, only the summation order differs.
    if (p.name == "vulkan" && (op == Op::Matmul || op == Op::MatmulToHost)) return 1e-5;
    return 2e-3;
}

// What oneDNN's W8A8 products compute, written out: each weight row on 255
// levels with one scale (lq_i8_row as stored; other types decoded and
// rounded again with max |w| / 127), each token's activations likewise, the
// products summed exactly in integers and scaled once.
std::vector<float> w8a8_product(const TensorView &w, const std::vector<float> &x, uint32_t n) {
    const uint64_t k = w.cols;
    const auto to_levels = [](const float *v, uint64_t len, int8_t *q) {
        float amax = 0;
        for (uint64_t i = 0; i < len; ++i) amax = std::max(amax, std::fabs(v[i]));
        const float d = amax / 127.0f;
        const float inv = d > 0 ? 1.0f / d : 0.0f;
        for (uint64_t i = 0; i < len; ++i) q[i] = static_cast<int8_t>(std::nearbyint(v[i] * inv));
        return d;
    };
    std::vector<int8_t> wq(w.rows * k), xq(static_cast<size_t>(n) * k);
    std::vector<float> ws(w.rows), xs(n), row(k);
    for (uint64_t r = 0; r < w.rows; ++r) {
        if (w.type == TensorType::LQ_I8_ROW) {
            std::memcpy(&ws[r], w.row(r), sizeof(float));
            std::memcpy(&wq[r * k], w.row(r) + sizeof(float), k);
        } else {
            quant_kernels(w.type)->to_float(w.row(r), row.data(), static_cast<int64_t>(k));
            ws[r] = to_levels(row.data(), k, &wq[r * k]);
        }
    }
    for (uint32_t t = 0; t < n; ++t) xs[t] = to_levels(&x[t * k], k, &xq[t * k]);
    std::vector<float> y(static_cast<size_t>(n) * w.rows);
    for (uint32_t t = 0; t < n; ++t)
        for (uint64_t r = 0; r < w.rows; ++r) {
            int64_t acc = 0;
            for (uint64_t i = 0; i < k; ++i) acc += int32_t{wq[r * k + i]} * int32_t{xq[t * k + i]};
            y[t * w.rows + r] = static_cast<float>(acc) * (xs[t] * ws[r]);
        }
    return y;
}

// The exact product of the decoded weights and F32 activations, summed in
// double: what a backend computes that keeps activations in F32 (Vulkan).
std::vector<float> f32_product(const TensorView &w, const std::vector<float> &x, uint32_t n) {
    const uint64_t k = w.cols;
    std::vector<float> row(k), y(static_cast<size_t>(n) * w.rows);
    for (uint64_t r = 0; r < w.rows; ++r) {
        quant_kernels(w.type)->to_float(w.row(r), row.data(), static_cast<int64_t>(k));
        for (uint32_t t = 0; t < n; ++t) {
            double acc = 0;
            for (uint64_t i = 0; i < k; ++i) acc += static_cast<double>(row[i]) * x[t * k + i];
            y[t * w.rows + r] = static_cast<float>(acc);
        }
    }
    return y;
}

// What @p p's backend is compared with for a product of @p type weights.
std::vector<float> expected_product(Pair &p, const TensorView &w, const std::vector<float> &x, uint32_t n,
                                    const View &y) {
    if (p.name == "onednn" && p.runs(Op::Matmul, w.type)) return w8a8_product(w, x, n);
    if (p.name == "vulkan" && p.runs(Op::Matmul, w.type)) return f32_product(w, x, n);
    std::vector<float> b(static_cast<size_t>(n) * y.cols);
    p.reference->download(y, n, b.data());
    return b;
}

void upload_both(Pair &p, const View &v, uint32_t n, const std::vector<float> &data) {
    p.test->upload(data.data(), v, n);
    p.reference->upload(data.data(), v, n);
}

void expect_close(Pair &p, const View &v, uint32_t n, Op op, TensorType type, const std::string &what) {
    std::vector<float> a(static_cast<size_t>(n) * v.cols), b(a.size());
    p.test->download(v, n, a.data());
    p.reference->download(v, n, b.data());
    const double err = relative_error(a, b);
    INFO(p.name << ": " << what << " relative error " << err);
    CHECK(err <= tolerance(p, op, type));
}


std::vector<int32_t> random_tokens(uint32_t n, uint32_t n_vocab, uint64_t seed) {
    Random rng(seed);
    std::vector<int32_t> t(n);
    for (int32_t &x : t) x = static_cast<int32_t>(rng.next() % n_vocab);
    return t;
}

void begin_both(Pair &p, uint32_t n, uint32_t pos0, uint32_t n_vocab = 512) {
    const std::vector<int32_t> tokens = random_tokens(n, n_vocab, 100 + n + pos0);
    p.test->begin_batch(tokens.data(), n, pos0);
    p.reference->begin_batch(tokens.data(), n, pos0);
}

// Column widths a type can hold: whole blocks, or ragged widths for
// libquant's types.
std::vector<uint64_t> widths_for(TensorType type) {
    const TypeInfo &info = *type_info(type);
    if (info.ragged) return {45, 256};
    if (info.block_size >= 256) return {256, 512};
    if (info.block_size > 1) return {32, 96, 256};
    return {7, 256};
}

}  // namespace

TEST_CASE("matrix products of every weight type, batch size and width match the reference") {
    const Model &model = lq_test::stories_model();
    for (Pair &p : pairs(model)) {
        uint64_t seed = 1;
        for (TensorType type : lq_test::matmul_types()) {
            for (uint64_t cols : widths_for(type)) {
                for (uint32_t rows : {1u, 7u, 70u}) {
                    const lq_test::EncodedWeight w = lq_test::encode_weight(type, rows, cols, seed++);
                    for (uint32_t n : {1u, 3u, 17u}) {
                        const View x{Slot::XN, 3, static_cast<uint32_t>(cols), kWidth};
                        const View y{Slot::Proj, 5, rows, kWidth};
                        begin_both(p, n, 0);
                        const std::vector<float> input = random_activations(n, cols, seed++);
                        upload_both(p, x, n, input);
                        p.test->matmul(w.view, x, n, y);
                        p.reference->matmul(w.view, x, n, y);
                        const std::string what = std::string(type_name(type)) + " " + std::to_string(rows) + "x" +
                                                 std::to_string(cols) + " n=" + std::to_string(n);
                        std::vector<float> a(static_cast<size_t>(n) * rows);
                        p.test->download(y, n, a.data());
                        const std::vector<float> b = expected_product(p, w.view, input, n, y);
                        INFO(p.name << ": " << what);
                        CHECK(relative_error(a, b) <= tolerance(p, Op::Matmul, type));

                        std::vector<float> c(a.size());
                        p.test->matmul_to_host(w.view, x, n, c.data());
                        INFO(p.name << ": to host " << what);
                        CHECK(relative_error(c, a) == 0.0);  // the same product, only its destination differs
                    }
                }
            }
        }
    }
}

TEST_CASE("matrix products over every batch size a prompt can split into") {
    // 1 to 600 tokens: oneDNN's row buckets (powers of two from 16 to 512,
    // a padded remainder) and every kernel's tail handling.
    const Model &model = lq_test::stories_model();
    constexpr uint32_t kLong = 600;
    for (const backend::Backend *b : backend::all_backends()) {
        if (!b->availability().available) continue;
        backend::ExecutorOptions o = options_for(model, TensorType::F16, false);
        o.plan.n_batch = kLong;
        Pair p;
        p.name = b->name();
        p.test = backend::create_context_executor(*b, model, o);
        p.own = b->create_executor(model, o);
        o.reference_kernels = true;
        p.reference = std::make_unique<cpu::CpuExecutor>(model, o);
        uint64_t seed = 900;
        for (TensorType type : {TensorType::Q8_0, TensorType::LQ_I8_ROW, TensorType::Q4_0}) {
            const uint64_t cols = type == TensorType::LQ_I8_ROW ? 301 : 288;
            const lq_test::EncodedWeight w = lq_test::encode_weight(type, 37, cols, seed++);
            for (uint32_t n : {2u, 5u, 8u, 15u, 16u, 31u, 32u, 33u, 64u, 100u, 128u, 255u, 256u, 257u, 512u, 513u, kLong}) {
                const View x{Slot::XN, 0, static_cast<uint32_t>(cols), kWidth};
                const View y{Slot::Proj, 0, 37, kWidth};
                begin_both(p, n, 0);
                const std::vector<float> input = random_activations(n, cols, seed++);
                upload_both(p, x, n, input);
                p.test->matmul(w.view, x, n, y);
                p.reference->matmul(w.view, x, n, y);
                std::vector<float> a(static_cast<size_t>(n) * 37);
                p.test->download(y, n, a.data());
                const std::vector<float> ref = expected_product(p, w.view, input, n, y);
                INFO(p.name << ": " << type_name(type) << " 37x" << cols << " n=" << n);
                CHECK(relative_error(a, ref) <= tolerance(p, Op::Matmul, type));
            }
        }
    }
}

TEST_CASE("embedding rows of every type match the reference") {
    const Model &model = lq_test::stories_model();
    for (Pair &p : pairs(model)) {
        uint64_t seed = 500;
        for (TensorType type : lq_test::matmul_types()) {
            const uint64_t cols = widths_for(type).back();
            const lq_test::EncodedWeight table = lq_test::encode_weight(type, 40, cols, seed++);
            const View out{Slot::X, 11, static_cast<uint32_t>(cols), kWidth};
            begin_both(p, 9, 0, 40);
            p.test->embed(table.view, out);
            p.reference->embed(table.view, out);
            expect_close(p, out, 9, Op::Embed, type, std::string("embedding ") + type_name(type));
        }
    }
}

TEST_CASE("RMSNorm, bias, SwiGLU and residual add match the reference") {
    const Model &model = lq_test::stories_model();
    for (Pair &p : pairs(model)) {
        for (uint32_t cols : {1u, 64u, 333u}) {
            const uint32_t n = 9;
            begin_both(p, n, 0);
            const View x{Slot::X, 2, cols, kWidth};
            const View out{Slot::XN, 1, cols, kWidth};
            upload_both(p, x, n, random_activations(n, cols, cols));
            std::vector<float> weight = random_activations(1, cols, cols + 1);
            TensorView wv;
            wv.type = TensorType::F32;
            wv.cols = cols;
            wv.rows = 1;
            wv.data = reinterpret_cast<const uint8_t *>(weight.data());
            wv.row_bytes = cols * sizeof(float);
            // Rows 3..7 of x into rows 0..4 of out, as the output layer uses it.
            p.test->rms_norm(x, 3, 5, wv, 1e-5f, out);
            p.reference->rms_norm(x, 3, 5, wv, 1e-5f, out);
            expect_close(p, out, 5, Op::RmsNorm, TensorType::F32, "rms_norm " + std::to_string(cols));

            p.test->add_bias(x, wv);
            p.reference->add_bias(x, wv);
            expect_close(p, x, n, Op::AddBias, TensorType::F32, "bias " + std::to_string(cols));

            const View gate{Slot::Gate, 0, cols, kWidth}, up{Slot::Gate, cols, cols, kWidth};
            upload_both(p, View{Slot::Gate, 0, 2 * cols, kWidth}, n, random_activations(n, 2 * cols, 3 * cols));
            p.test->swiglu(gate, up);
            p.reference->swiglu(gate, up);
            expect_close(p, gate, n, Op::Swiglu, TensorType::F32, "swiglu " + std::to_string(cols));

            p.test->add(x, gate);
            p.reference->add(x, gate);
            expect_close(p, x, n, Op::Add, TensorType::F32, "add " + std::to_string(cols));
        }
    }
}

TEST_CASE("RoPE (normal and NeoX) on strided views matches the reference") {
    for (const Model *model : {&lq_test::stories_model(), &lq_test::tiny_qwen2_model()}) {
        const HParams &hp = model->hparams();
        for (Pair &p : pairs(*model)) {
            for (uint32_t pos0 : {0u, 13u}) {
                const uint32_t n = 6;
                begin_both(p, n, pos0);
                const View q{Slot::QKV, 4, hp.n_embd_q(), kWidth};
                const View k{Slot::QKV, 4 + hp.n_embd_q(), hp.n_embd_kv(), kWidth};
                upload_both(p, View{Slot::QKV, 0, kWidth, kWidth}, n, random_activations(n, kWidth, pos0 + 1));
                p.test->rope(q, hp.n_head);
                p.reference->rope(q, hp.n_head);
                p.test->rope(k, hp.n_head_kv);
                p.reference->rope(k, hp.n_head_kv);
                expect_close(p, View{Slot::QKV, 0, kWidth, kWidth}, n, Op::Rope, TensorType::F32,
                             hp.arch_name + " rope at " + std::to_string(pos0));
            }
        }
    }
}

TEST_CASE("attention over a growing cache of every KV type matches the reference") {
    struct Case {
        const Model *model;
        TensorType kv;
    };
    const Case cases[] = {{&lq_test::stories_model(), TensorType::F16},
                          {&lq_test::stories_model(), TensorType::F32},
                          {&lq_test::tiny_qwen2_model(), TensorType::F16},
                          {&lq_test::tiny_qwen2_model(), TensorType::Q8_0}};
    for (const Case &c : cases) {
        const HParams &hp = c.model->hparams();
        for (Pair &p : pairs(*c.model, c.kv)) {
            uint32_t pos0 = 0;
            for (uint32_t n : {5u, 1u, 17u, 2u}) {
                begin_both(p, n, pos0);
                const View q{Slot::Q, 1, hp.n_embd_q(), kWidth};
                const View k{Slot::K, 2, hp.n_embd_kv(), kWidth};
                const View v{Slot::V, 0, hp.n_embd_kv(), kWidth};
                const View out{Slot::Attn, 3, hp.n_embd_q(), kWidth};
                upload_both(p, q, n, random_activations(n, q.cols, 10 + pos0));
                upload_both(p, k, n, random_activations(n, k.cols, 20 + pos0));
                upload_both(p, v, n, random_activations(n, v.cols, 30 + pos0));
                for (uint32_t layer : {0u, 1u}) {
                    p.test->attention(layer, q, k, v, out);
                    p.reference->attention(layer, q, k, v, out);
                    expect_close(p, out, n, Op::Attention, c.kv,
                                 hp.arch_name + " " + type_name(c.kv) + " attention n=" + std::to_string(n) +
                                     " at " + std::to_string(pos0) + " layer " + std::to_string(layer));
                }
                pos0 += n;
            }
        }
    }
}
