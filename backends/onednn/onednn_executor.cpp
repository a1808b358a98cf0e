#include "backends/onednn/onednn_executor.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>
#include <unordered_map>

#include "backends/onednn/activations.h"
#include "core/error.h"

namespace lq::onednn {

using backend::Op;
using backend::View;
using dnnl::memory;

std::vector<std::pair<uint32_t, uint32_t>> split_rows(uint32_t n) {
    std::vector<std::pair<uint32_t, uint32_t>> pieces;
    while (n >= 16) {
        uint32_t b = 512;
        while (b > n) b /= 2;
        pieces.emplace_back(b, b);
        n -= b;
    }
    if (n > 0) {
        uint32_t b = 1;
        while (b < n) b *= 2;
        pieces.emplace_back(n, b);
    }
    return pieces;
}

OnednnExecutor::OnednnExecutor(const backend::ExecutorOptions &options, std::shared_ptr<const PackedModel> packed)
    : packed_(std::move(packed)),
      n_threads_(options.n_threads ? static_cast<int>(options.n_threads) : 1),
      slots_(options.plan) {
    try {
        stream_ = dnnl::stream(packed_->engine());
    } catch (const dnnl::error &e) {
        fail(LQ_ERR_BACKEND, "oneDNN could not create a stream: %s", e.what());
    }
}

void OnednnExecutor::unsupported(Op op) {
    fail(LQ_ERR_INTERNAL, "the onednn executor was asked for %s, which it does not offer", backend::op_name(op));
}

bool OnednnExecutor::supports(Op op, TensorType weight_type) const {
    return (op == Op::Matmul || op == Op::MatmulToHost) && packable(weight_type);
}

void OnednnExecutor::download(const View &view, uint32_t n_rows, float *host) { slots_.download(view, n_rows, host); }

void OnednnExecutor::upload(const float *host, const View &view, uint32_t n_rows) { slots_.upload(host, view, n_rows); }

void OnednnExecutor::begin_batch(const int32_t *, uint32_t, uint32_t) {}

void OnednnExecutor::matmul(const TensorView &w, const View &x, uint32_t n, const View &out) {
    product(w, at(x), x.ld, n, at(out), out.ld);
}

void OnednnExecutor::matmul_to_host(const TensorView &w, const View &x, uint32_t n, float *out) {
    product(w, at(x), x.ld, n, out, static_cast<size_t>(w.rows));
}

void OnednnExecutor::product(const TensorView &w, const float *x, uint32_t ld_x, uint32_t n, float *out,
                             size_t ld_out) {
    const PackedMatrix *p = &packed_->matrix(w);
    const uint32_t K = p->k, N = p->n;
    const int threads = n_threads_;
    omp_set_num_threads(threads);
    uint32_t row0 = 0;
    for (const auto &[rows, bucket] : split_rows(n)) {
        const Gemm &g = packed_->gemm(bucket, *p);
        try {
            src_.resize(static_cast<size_t>(bucket) * K);
            src_scale_.resize(bucket);
            acc_.resize(static_cast<size_t>(bucket) * N);
            if (scratchpad_.size() < g.scratchpad_bytes) scratchpad_.resize(g.scratchpad_bytes);
        } catch (const std::bad_alloc &) {
            fail(LQ_ERR_OOM, "out of memory for a %u x %u INT8 product", bucket, N);
        }
        // Each token's activations onto 255 levels with one scale; the rows
        // that pad the bucket are zeros.
        int8_t *q = src_.data();
        float *qs = src_scale_.data();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t t = 0; t < static_cast<int64_t>(bucket); ++t) {
            int8_t *qt = q + t * K;
            if (t >= static_cast<int64_t>(rows)) {
                std::memset(qt, 0, K);
                qs[t] = 0;
                continue;
            }
            qs[t] = quantize_row_s8(x + (row0 + t) * static_cast<size_t>(ld_x), K, qt);
        }
        try {
            const memory::dim M = bucket, MK = K, MN = N;
            memory src({{M, MK}, memory::data_type::s8, memory::format_tag::ab}, packed_->engine(), src_.data());
            memory dst({{M, MN}, memory::data_type::s32, memory::format_tag::ab}, packed_->engine(), acc_.data());
            std::unordered_map<int, memory> args = {
                {DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, p->weights}, {DNNL_ARG_DST, dst}};
            if (g.scratchpad_bytes > 0)
                args.emplace(DNNL_ARG_SCRATCHPAD,
                             memory({{static_cast<memory::dim>(g.scratchpad_bytes)}, memory::data_type::u8,
                                     memory::format_tag::a},
                                    packed_->engine(), scratchpad_.data()));
            g.primitive.execute(stream_, args);
            stream_.wait();
        } catch (const dnnl::error &e) {
            fail(LQ_ERR_BACKEND, "oneDNN's INT8 matmul failed: %s", e.what());
        }
        // out = acc * token scale * channel scale.
        const int32_t *acc = acc_.data();
        const float *ws = p->scale.data();
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int64_t t = 0; t < static_cast<int64_t>(rows); ++t) {
            scale_row(acc + t * N, N, qs[t], ws, out + (row0 + t) * ld_out);
        }
        row0 += rows;
    }
}

}  // namespace lq::onednn
