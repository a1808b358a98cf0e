// Stores the batch's keys and values (rows of n_embd_kv floats) at
// positions pos0 .. pos0 + n - 1 of one layer's caches, as F16 pairs or F32.
#version 450

layout(local_size_x = 256) in;
layout(constant_id = 0) const uint kF16 = 1;

layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) buffer Cache { uint cache[]; };

layout(push_constant) uniform Args {
    uint off, ld, width, pos0, n;
} p;

void main() {
    const uint i = gl_GlobalInvocationID.x, t = gl_GlobalInvocationID.y;
    if (t >= p.n) return;
    const uint s = p.off + t * p.ld;
    if (kF16 != 0u) {
        if (2u * i >= p.width) return;
        const uint row = (p.pos0 + t) * (p.width / 2u);
        cache[row + i] = packHalf2x16(vec2(src[s + 2u * i], src[s + 2u * i + 1u]));
    } else {
        if (i >= p.width) return;
        cache[(p.pos0 + t) * p.width + i] = floatBitsToUint(src[s + i]);
    }
}
