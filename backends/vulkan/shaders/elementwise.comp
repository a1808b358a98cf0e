// The batch-wide element-wise operations, one shader with the operation as
// a specialization constant: x += y (residual), x += bias, and
// gate = silu(gate) * up.
#version 450

layout(local_size_x = 256) in;
layout(constant_id = 0) const uint kOp = 0;  // 0 add, 1 bias, 2 swiglu

layout(std430, binding = 0) buffer A { float a[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };

layout(push_constant) uniform Args {
    uint cols, n;
    uint a_off, a_ld, b_off, b_ld;
} p;

void main() {
    const uint i = gl_GlobalInvocationID.x, t = gl_GlobalInvocationID.y;
    if (i >= p.cols || t >= p.n) return;
    const uint ai = p.a_off + t * p.a_ld + i;
    if (kOp == 0u) {
        a[ai] += b[p.b_off + t * p.b_ld + i];
    } else if (kOp == 1u) {
        a[ai] += b[i];
    } else {
        const float g = a[ai];
        a[ai] = g / (1.0 + exp(-g)) * b[p.b_off + t * p.b_ld + i];
    }
}
