#include "backends/cpu/attention.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "backends/cpu/cpu_kernels.h"

namespace lq::cpu {
namespace {

// Layout of one thread's scratch: scores (n_kv floats), the probabilities
// in the value type (n_kv elements), the query head in the key dot type.
struct ThreadBuffers {
    float *scores;
    uint8_t *probabilities;
    uint8_t *query;
};

size_t round_up(size_t n) { return (n + 63) / 64 * 64; }

}  // namespace

void attention(ThreadPool &pool, const KernelTable &kernels, const AttentionArgs &a, AttentionScratch &scratch) {
    const QuantKernels &kk = kernels.row(a.kv_type);
    const QuantKernels &key_dot = kernels.row(kk.dot_type);
    const TensorType prob_type = a.v_transposed ? a.kv_type : TensorType::F32;
    const QuantKernels &pk = kernels.row(prob_type);
    const uint32_t n_kv_max = a.pos0 + a.n_tokens;
    const size_t scores_bytes = round_up(n_kv_max * sizeof(float));
    const size_t prob_bytes = round_up(std::max(n_kv_max, a.head_dim) * sizeof(float));
    const size_t query_bytes = round_up(a.head_dim * sizeof(float) + 64);
    const size_t per_thread = scores_bytes + prob_bytes + query_bytes;
    scratch.per_thread.resize(static_cast<size_t>(pool.size()));
    for (auto &buffer : scratch.per_thread)
        if (buffer.size() < per_thread) buffer.resize(per_thread);

    const uint32_t group = a.n_head / a.n_head_kv;
    const size_t head_key_bytes = row_bytes(*type_info(a.kv_type), a.head_dim);
    const size_t elem_bytes_v = a.v_transposed ? type_info(a.kv_type)->type_size : 0;

    pool.parallel_for(static_cast<int64_t>(a.n_tokens) * a.n_head, [&](int64_t task, int thread) {
        const uint32_t t = static_cast<uint32_t>(task / a.n_head);
        const uint32_t h = static_cast<uint32_t>(task % a.n_head);
        const uint32_t g = h / group;
        uint8_t *base = scratch.per_thread[static_cast<size_t>(thread)].data();
        ThreadBuffers buf{reinterpret_cast<float *>(base), base + scores_bytes, base + scores_bytes + prob_bytes};

        const uint32_t pos = a.pos0 + t;
        const uint32_t first = (a.n_swa && pos + 1 > a.n_swa) ? pos + 1 - a.n_swa : 0;
        const uint32_t n_kv = pos + 1 - first;

        // Scores: q . k for every visible position, with q in the key's dot type.
        const float *q = a.q + static_cast<size_t>(t) * a.ld_q + h * a.head_dim;
        key_dot.from_float(q, buf.query, a.head_dim);
        float max_score = -INFINITY;
        for (uint32_t j = 0; j < n_kv; ++j) {
            const uint8_t *key = a.k + static_cast<size_t>(first + j) * a.k_row_bytes + g * head_key_bytes;
            const float s = kk.vec_dot(a.head_dim, key, buf.query) * a.scale;
            buf.scores[j] = s;
            max_score = std::max(max_score, s);
        }
        double sum = 0.0;
        for (uint32_t j = 0; j < n_kv; ++j) {
            const float e = std::exp(buf.scores[j] - max_score);
            buf.scores[j] = e;
            sum += e;
        }
        const float inv = static_cast<float>(1.0 / sum);
        for (uint32_t j = 0; j < n_kv; ++j) buf.scores[j] *= inv;

        float *out = a.out + static_cast<size_t>(t) * a.ld_out + h * a.head_dim;
        if (a.v_transposed) {
            // Each output dimension is a dot of the probabilities with one
            // contiguous value row (probabilities in the cache type).
            const void *probs = buf.scores;
            if (prob_type != TensorType::F32) {
                pk.from_float(buf.scores, buf.probabilities, n_kv);
                probs = buf.probabilities;
            }
            for (uint32_t d = 0; d < a.head_dim; ++d) {
                const uint8_t *row = a.v + static_cast<size_t>(g * a.head_dim + d) * a.v_row_bytes + first * elem_bytes_v;
                out[d] = kk.vec_dot(n_kv, row, probs);
            }
        } else {
            std::memset(out, 0, a.head_dim * sizeof(float));
            float *decoded = reinterpret_cast<float *>(buf.probabilities);
            for (uint32_t j = 0; j < n_kv; ++j) {
                const uint8_t *value = a.v + static_cast<size_t>(first + j) * a.v_row_bytes + g * head_key_bytes;
                kk.to_float(value, decoded, a.head_dim);
                const float p = buf.scores[j];
                for (uint32_t d = 0; d < a.head_dim; ++d) out[d] += p * decoded[d];
            }
        }
    });
}

}  // namespace lq::cpu
