// Causal attention of one query head of one token over the cache: the
// positions are walked in chunks; each thread scores positions of the
// chunk, the chunk's maximum and the running sum rescale the accumulated
// output (online softmax), and each thread owns a few output dimensions.
#version 450

layout(local_size_x = 64) in;
layout(constant_id = 0) const uint kF16 = 1;

layout(std430, binding = 0) readonly buffer Q { float q[]; };
layout(std430, binding = 1) readonly buffer K { uint kc[]; };
layout(std430, binding = 2) readonly buffer V { uint vc[]; };
layout(std430, binding = 3) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Args {
    uint q_off, q_ld, o_off, o_ld;
    uint pos0, n_head, n_head_kv, head_dim;
    uint n_swa, width;  // width: floats per cache row (n_embd_kv)
    float scale;
} p;

const uint kThreads = 64, kChunk = 64, kMaxDims = 4;  // head_dim <= 256
shared float qs[256];
shared float scores[kChunk];
shared float reduce[kThreads];

float cache_at(uint which, uint index) {
    if (kF16 != 0u) {
        const uint word = which == 0u ? kc[index >> 1] : vc[index >> 1];
        return unpackHalf2x16(word).x * float(1u - (index & 1u)) + unpackHalf2x16(word).y * float(index & 1u);
    }
    return uintBitsToFloat(which == 0u ? kc[index] : vc[index]);
}

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint h = gl_WorkGroupID.x, t = gl_WorkGroupID.y;
    const uint g = h / (p.n_head / p.n_head_kv);
    const uint pos = p.pos0 + t;
    const uint first = (p.n_swa != 0u && pos + 1u > p.n_swa) ? pos + 1u - p.n_swa : 0u;
    for (uint d = tid; d < p.head_dim; d += kThreads) qs[d] = q[p.q_off + t * p.q_ld + h * p.head_dim + d];
    barrier();

    float acc[kMaxDims];
    for (uint i = 0; i < kMaxDims; ++i) acc[i] = 0.0;
    float run_max = -1.0 / 0.0, run_sum = 0.0;
    for (uint c0 = first; c0 <= pos; c0 += kChunk) {
        const uint count = min(kChunk, pos + 1u - c0);
        float s = -1.0 / 0.0;
        if (tid < count) {
            const uint base = (c0 + tid) * p.width + g * p.head_dim;
            float dot = 0.0;
            for (uint d = 0; d < p.head_dim; ++d) dot += qs[d] * cache_at(0u, base + d);
            s = dot * p.scale;
        }
        reduce[tid] = s;
        barrier();
        for (uint r = kThreads / 2u; r > 0u; r >>= 1) {
            if (tid < r) reduce[tid] = max(reduce[tid], reduce[tid + r]);
            barrier();
        }
        const float new_max = max(run_max, reduce[0]);
        barrier();
        if (tid < count) scores[tid] = exp(s - new_max);
        const float rescale = exp(run_max - new_max);
        barrier();
        float chunk_sum = 0.0;
        for (uint j = 0; j < count; ++j) chunk_sum += scores[j];
        run_sum = run_sum * rescale + chunk_sum;
        for (uint i = 0; i < kMaxDims; ++i) {
            const uint d = tid + i * kThreads;
            if (d >= p.head_dim) break;
            float v = 0.0;
            for (uint j = 0; j < count; ++j) v += scores[j] * cache_at(1u, (c0 + j) * p.width + g * p.head_dim + d);
            acc[i] = acc[i] * rescale + v;
        }
        run_max = new_max;
        barrier();
    }
    for (uint i = 0; i < kMaxDims; ++i) {
        const uint d = tid + i * kThreads;
        if (d < p.head_dim) o[p.o_off + t * p.o_ld + h * p.head_dim + d] = acc[i] / run_sum;
    }
}
