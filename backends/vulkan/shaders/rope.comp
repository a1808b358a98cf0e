// Rotary embedding of n_heads heads of every row of the batch, with the
// angles (cos, sin pairs, attention factor included) computed on the host
// per position, exactly as the CPU backend computes them.
#version 450

layout(local_size_x = 64) in;

layout(std430, binding = 0) buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Angles { float cs[]; };  // [t][n_rot]

layout(push_constant) uniform Args {
    uint x_off, x_ld, n_heads, head_dim, n_rot, neox, n;
} p;

void main() {
    const uint half_rot = p.n_rot / 2u;
    const uint i = gl_GlobalInvocationID.x, t = gl_GlobalInvocationID.y;
    if (i >= p.n_heads * half_rot || t >= p.n) return;
    const uint h = i / half_rot, pair = i % half_rot;
    const uint base = p.x_off + t * p.x_ld + h * p.head_dim;
    const uint ia = p.neox != 0u ? pair : 2u * pair;
    const uint ib = ia + (p.neox != 0u ? half_rot : 1u);
    const float c = cs[t * p.n_rot + 2u * pair], s = cs[t * p.n_rot + 2u * pair + 1u];
    const float x0 = x[base + ia], x1 = x[base + ib];
    x[base + ia] = x0 * c - x1 * s;
    x[base + ib] = x0 * s + x1 * c;
}
