// Causal multi-head attention of a batch of query tokens over the cached
// keys and values of all earlier positions (grouped-query: several query
// heads share one key/value head).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "backends/cpu/cpu_kernels.h"
#include "core/thread_pool.h"
#include "core/types.h"

namespace lq::cpu {

struct AttentionArgs {
    const float *q = nullptr;  // [n_tokens] rows of n_head * head_dim, already rotated
    float *out = nullptr;      // [n_tokens] rows of n_head * head_dim
    uint32_t ld_q = 0, ld_out = 0;  // floats between rows
    uint32_t n_tokens = 0;
    uint32_t pos0 = 0;         // position of the first query token
    uint32_t n_head = 0, n_head_kv = 0, head_dim = 0;
    uint32_t n_swa = 0;        // sliding window (0: none)
    float scale = 1.0f;        // applied to q.k

    TensorType kv_type = TensorType::F16;
    const uint8_t *k = nullptr;  // key row of position p at k + p * k_row_bytes
    size_t k_row_bytes = 0;
    const uint8_t *v = nullptr;
    bool v_transposed = true;    // true: row of dimension d at v + d * v_row_bytes (n_ctx entries)
    size_t v_row_bytes = 0;      // false: row of position p at v + p * v_row_bytes
};

/// Per-thread working memory, grown on demand and reused between calls.
struct AttentionScratch {
    std::vector<std::vector<uint8_t>> per_thread;
};

/// Rows of q and out are @p ld floats apart (see AttentionArgs::ld).
void attention(ThreadPool &pool, const KernelTable &kernels, const AttentionArgs &args, AttentionScratch &scratch);

}  // namespace lq::cpu
