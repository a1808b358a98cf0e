// Y = X W^T for a batch of tokens: 64 weight rows x 64 tokens per
// workgroup of 256 threads, each thread 4 x 4 outputs; each weight is
// decoded once per tile into shared memory and used by 64 tokens.
#version 450
#extension GL_GOOGLE_include_directive : require

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Weights { uint w[]; };
layout(std430, binding = 1) readonly buffer X { float x[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };

layout(push_constant) uniform Args {
    uint rows, k, row_bytes, n;
    uint x_off, x_ld, y_off, y_ld;
} p;

#include "weights.glsl"

const uint kTile = 64, kDepth = 16;
shared float tile_w[kTile][kDepth + 1];
shared float tile_x[kTile][kDepth + 1];

void main() {
    const uint tid = gl_LocalInvocationID.x;
    const uint tx = tid % 16u, ty = tid / 16u;
    const uint row0 = gl_WorkGroupID.x * kTile, tok0 = gl_WorkGroupID.y * kTile;
    float acc[4][4];
    for (uint i = 0; i < 4; ++i)
        for (uint j = 0; j < 4; ++j) acc[i][j] = 0.0;

    for (uint k0 = 0; k0 < p.k; k0 += kDepth) {
        for (uint e = tid; e < kTile * kDepth; e += 256u) {
            const uint r = e / kDepth, kk = e % kDepth;
            const uint row = row0 + r, t = tok0 + r, kidx = k0 + kk;
            tile_w[r][kk] = (row < p.rows && kidx < p.k) ? weight(row * p.row_bytes, kidx) : 0.0;
            tile_x[r][kk] = (t < p.n && kidx < p.k) ? x[p.x_off + t * p.x_ld + kidx] : 0.0;
        }
        barrier();
        for (uint kk = 0; kk < kDepth; ++kk) {
            float a[4], b[4];
            for (uint i = 0; i < 4; ++i) a[i] = tile_w[ty + 16u * i][kk];
            for (uint j = 0; j < 4; ++j) b[j] = tile_x[tx + 16u * j][kk];
            for (uint i = 0; i < 4; ++i)
                for (uint j = 0; j < 4; ++j) acc[i][j] += a[i] * b[j];
        }
        barrier();
    }
    for (uint i = 0; i < 4; ++i) {
        const uint row = row0 + ty + 16u * i;
        if (row >= p.rows) continue;
        for (uint j = 0; j < 4; ++j) {
            const uint t = tok0 + tx + 16u * j;
            if (t < p.n) y[p.y_off + t * p.y_ld + row] = acc[i][j];
        }
    }
}
