// y[t][row] = W[row] . x[t] for a few tokens (up to 8) at once: one
// workgroup per weight row (looping when there are more rows than
// workgroups), the threads striding over k, then a shared-memory reduction
// (no subgroup operations: correct at every subgroup size, 8 on lavapipe).
#version 450
#extension GL_GOOGLE_include_directive : require

layout(local_size_x_id = 0) in;
layout(constant_id = 0) const uint kThreads = 64;

layout(std430, binding = 0) readonly buffer Weights { uint w[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };

layout(push_constant) uniform Args {
    uint rows, k, row_bytes, n;  // n <= 8 tokens
    uint x_off, x_ld, y_off, y_ld;
} p;

#include "weights.glsl"

const uint kMaxTokens = 8;
shared float partial[kMaxTokens][kThreads];

void main() {
    const uint tid = gl_LocalInvocationID.x;
    for (uint row = gl_WorkGroupID.x; row < p.rows; row += gl_NumWorkGroups.x) {
        float acc[kMaxTokens];
        for (uint t = 0; t < kMaxTokens; ++t) acc[t] = 0.0;
        const uint rb = row * p.row_bytes;
        for (uint i = tid; i < p.k; i += kThreads) {
            const float wv = weight(rb, i);
            for (uint t = 0; t < p.n; ++t) acc[t] += wv * x[p.x_off + t * p.x_ld + i];
        }
        for (uint t = 0; t < p.n; ++t) partial[t][tid] = acc[t];
        barrier();
        for (uint s = kThreads / 2; s > 0; s >>= 1) {
            if (tid < s)
                for (uint t = 0; t < p.n; ++t) partial[t][tid] += partial[t][tid + s];
            barrier();
        }
        if (tid < p.n) y[p.y_off + tid * p.y_ld + row] = partial[tid][0];
        barrier();
    }
}
