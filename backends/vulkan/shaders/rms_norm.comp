// out[t] = x[row0 + t] / rms(x[row0 + t]) * weight: one workgroup per row.
#version 450

layout(local_size_x = 128) in;

layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer Weight { float weight[]; };
layout(std430, binding = 2) writeonly buffer Out { float o[]; };

layout(push_constant) uniform Args {
    uint cols, x_off, x_ld, out_off, out_ld;
    float eps;
} p;

shared float partial[128];

void main() {
    const uint tid = gl_LocalInvocationID.x, t = gl_WorkGroupID.x;
    const uint xr = p.x_off + t * p.x_ld, orow = p.out_off + t * p.out_ld;
    float sum = 0.0;
    for (uint i = tid; i < p.cols; i += 128u) sum += x[xr + i] * x[xr + i];
    partial[tid] = sum;
    barrier();
    for (uint s = 64u; s > 0u; s >>= 1) {
        if (tid < s) partial[tid] += partial[tid + s];
        barrier();
    }
    const float scale = inversesqrt(partial[0] / float(p.cols) + p.eps);
    for (uint i = tid; i < p.cols; i += 128u) o[orow + i] = x[xr + i] * scale * weight[i];
}
