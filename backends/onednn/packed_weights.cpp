#include "backends/onednn/packed_weights.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <new>

#include "backends/onednn/dnnl_shim.h"
#include "core/error.h"
#include "kernels/kernels.h"
#include "model/model.h"

namespace lq::onednn {

using dnnl::memory;

bool packable(TensorType type) { return type == TensorType::LQ_I8_ROW || type == TensorType::Q8_0; }

namespace {

// The layout oneDNN's INT8 matmul wants for a K x N s8 weight with an s8
// source (it carries the source-shift compensation). Every M gives the same
// layout, so one is asked for with a representative M.
memory::desc packed_desc(const dnnl::engine &engine, uint32_t n, uint32_t k) {
    const memory::dim M = 32, N = n, K = k;
    const memory::desc src({M, K}, memory::data_type::s8, memory::format_tag::ab);
    const memory::desc weights({K, N}, memory::data_type::s8, memory::format_tag::any);
    const memory::desc dst({M, N}, memory::data_type::s32, memory::format_tag::ab);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    return make_matmul_pd(engine, src, weights, dst, attr).weights_desc();
}

// Row r of @p w as int8 levels with one scale: lq_i8_row as stored; Q8_0
// decoded and rounded again onto one grid of 255 levels (max |value| / 127).
void row_to_int8(const TensorView &w, uint64_t r, int8_t *q, float *scale, std::vector<float> &tmp) {
    const uint8_t *row = w.row(r);
    const uint64_t k = w.cols;
    if (w.type == TensorType::LQ_I8_ROW) {
        std::memcpy(scale, row, sizeof(float));
        std::memcpy(q, row + sizeof(float), k);
        return;
    }
    tmp.resize(k);
    quant_kernels(w.type)->to_float(row, tmp.data(), static_cast<int64_t>(k));
    float amax = 0;
    for (float v : tmp) amax = std::max(amax, std::fabs(v));
    const float d = amax / 127.0f;
    const float inv = d > 0 ? 1.0f / d : 0.0f;
    for (uint64_t i = 0; i < k; ++i) q[i] = static_cast<int8_t>(std::nearbyint(tmp[i] * inv));
    *scale = d;
}

}  // namespace

PackedModel::PackedModel(const Model &model, const dnnl::engine &engine, int n_threads) : engine_(engine) {
    const auto t0 = std::chrono::steady_clock::now();
    omp_set_num_threads(n_threads > 0 ? n_threads : 1);
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const ModelWeights &mw = model.weights();
        for (const LayerWeights &l : mw.layers)
            for (const TensorView *w : {&l.wq, &l.wk, &l.wv, &l.wqkv, &l.wo, &l.ffn_gate, &l.ffn_up,
                                        &l.ffn_gate_up, &l.ffn_down})
                if (*w && packable(w->type)) pack(*w);
        if (mw.output && packable(mw.output.type)) pack(mw.output);
    }
    seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

namespace {
uint64_t fingerprint(const TensorView &w) {
    uint64_t h = 1469598103934665603ull;
    const auto mix = [&](const uint8_t *p, size_t n) {
        for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
    };
    const size_t n = std::min<size_t>(w.row_bytes, 64);
    mix(w.row(0), n);
    mix(w.row(w.rows - 1) + w.row_bytes - n, n);
    return h ^ (w.rows << 32) ^ w.cols ^ (static_cast<uint64_t>(w.type) << 48);
}
}  // namespace

const PackedMatrix &PackedModel::pack(const TensorView &w) const {
    if (!packable(w.type)) fail(LQ_ERR_INTERNAL, "tensor %s of type %s cannot be packed", w.name, type_name(w.type));
    if (w.rows == 0 || w.rows > INT32_MAX || w.cols > INT32_MAX)
        fail(LQ_ERR_UNSUPPORTED, "tensor %s has a shape oneDNN cannot take", w.name);
    const uint64_t print = fingerprint(w);
    std::unique_ptr<PackedMatrix> &slot = matrices_[w.data];
    if (slot && slot->fingerprint == print && slot->n == w.rows && slot->k == w.cols && slot->type == w.type)
        return *slot;
    if (slot) replaced_.push_back(std::move(slot));
    auto p = std::make_unique<PackedMatrix>();
    p->n = static_cast<uint32_t>(w.rows);
    p->k = static_cast<uint32_t>(w.cols);
    p->type = w.type;
    p->fingerprint = print;
    try {
        p->scale.resize(p->n);
        // Row-major [N][K] is oneDNN's K x N in format "ba".
        std::vector<int8_t> plain(static_cast<size_t>(p->n) * p->k);
        std::vector<float> tmp;
        for (uint32_t r = 0; r < p->n; ++r)
            row_to_int8(w, r, &plain[static_cast<size_t>(r) * p->k], &p->scale[r], tmp);
        dnnl::stream stream(engine_);
        const memory::desc plain_desc({p->k, p->n}, memory::data_type::s8, memory::format_tag::ba);
        memory source(plain_desc, engine_, plain.data());
        p->desc = packed_desc(engine_, p->n, p->k);
        p->weights = memory(p->desc, engine_);
        dnnl::reorder(source, p->weights).execute(stream, source, p->weights);
        stream.wait();
    } catch (const dnnl::error &e) {
        matrices_.erase(w.data);
        fail(LQ_ERR_BACKEND, "oneDNN could not pack %s: %s (status %d)", w.name, e.what(),
             static_cast<int>(e.status));
    } catch (const std::bad_alloc &) {
        matrices_.erase(w.data);
        fail(LQ_ERR_OOM, "out of memory packing %s for oneDNN", w.name);
    }
    bytes_ += p->desc.get_size() + p->scale.size() * sizeof(float);
    slot = std::move(p);
    return *slot;
}

const PackedMatrix &PackedModel::matrix(const TensorView &w) const {
    std::lock_guard<std::mutex> lock(mutex_);
    return pack(w);
}

size_t PackedModel::n_matrices() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return matrices_.size();
}

size_t PackedModel::bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
}

const Gemm &PackedModel::gemm(uint32_t m, const PackedMatrix &w) const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::unique_ptr<Gemm> &slot = gemms_[std::make_tuple(m, w.n, w.k)];
    if (slot) return *slot;
    const memory::dim M = m, N = w.n, K = w.k;
    const memory::desc src({M, K}, memory::data_type::s8, memory::format_tag::ab);
    const memory::desc dst({M, N}, memory::data_type::s32, memory::format_tag::ab);
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    try {
        const dnnl::matmul::primitive_desc pd = make_matmul_pd(engine_, src, w.desc, dst, attr);
        auto g = std::make_unique<Gemm>();
        g->primitive = dnnl::matmul(pd);
        g->scratchpad_bytes = pd.scratchpad_desc().get_size();
        slot = std::move(g);
    } catch (const dnnl::error &e) {
        gemms_.erase(std::make_tuple(m, w.n, w.k));
        fail(LQ_ERR_BACKEND, "oneDNN has no INT8 matmul for %u x %u x %u: %s", m, w.n, w.k, e.what());
    }
    return *slot;
}

}  // namespace lq::onednn
