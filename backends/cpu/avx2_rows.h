// The AVX2 + FMA + F16C kernels, by name. The declarations are plain C++ so
// that the dispatcher (compiled for baseline x86-64) can take their
// addresses; only avx2_*.cpp are compiled with the extra instruction sets,
// and nothing may call these before cpu_kernels() has checked the CPU.
// Signatures and results follow kernels/kernels.h.
//
// The avx2_*.cpp files use no inline function that baseline files also use
// (core/half.h, <cmath>): the linker keeps one copy of such a function, and
// it could keep the AVX2-compiled one for every caller.
#pragma once

#include <cstdint>

namespace lq::cpu::avx2 {

/// Every half as a float (256 KiB), filled by cpu_kernels.cpp before any
/// kernel runs: for per-block scales a load beats the F16C sequence.
extern float g_half_table[1 << 16];

// avx2_float.cpp
float f32_dot(int64_t n, const void *w, const void *a);
float f16_dot(int64_t n, const void *w, const void *a);
float bf16_dot(int64_t n, const void *w, const void *a);
void f16_to_float(const void *in, float *out, int64_t n);
void bf16_to_float(const void *in, float *out, int64_t n);
void f16_from_float(const float *in, void *out, int64_t n);
void bf16_from_float(const float *in, void *out, int64_t n);

// avx2_legacy.cpp
float q4_0_dot_q8_0(int64_t n, const void *w, const void *a);
float q5_0_dot_q8_0(int64_t n, const void *w, const void *a);
float q8_0_dot_q8_0(int64_t n, const void *w, const void *a);
float iq4_nl_dot_q8_0(int64_t n, const void *w, const void *a);
float q4_1_dot_q8_1(int64_t n, const void *w, const void *a);
float q5_1_dot_q8_1(int64_t n, const void *w, const void *a);
void q8_0_from_float(const float *in, void *blocks, int64_t n);
void q8_1_from_float(const float *in, void *blocks, int64_t n);
void q4_0_to_float(const void *blocks, float *out, int64_t n);
void q8_0_to_float(const void *blocks, float *out, int64_t n);

// avx2_kquants.cpp
float q2_k_dot_q8_k(int64_t n, const void *w, const void *a);
float q3_k_dot_q8_k(int64_t n, const void *w, const void *a);
float q4_k_dot_q8_k(int64_t n, const void *w, const void *a);
float q5_k_dot_q8_k(int64_t n, const void *w, const void *a);
float q6_k_dot_q8_k(int64_t n, const void *w, const void *a);
float iq4_xs_dot_q8_k(int64_t n, const void *w, const void *a);
void q8_k_from_float(const float *in, void *blocks, int64_t n);
void q4_k_to_float(const void *blocks, float *out, int64_t n);
void q6_k_to_float(const void *blocks, float *out, int64_t n);

// avx2_lq_nl.cpp: libquant's non-linear types, F32 activations.
/// Fills the kernels' scale and level tables from the reference ones
/// (kernels/kernels.h); cpu_kernels.cpp calls it before any of them runs.
void lq_nl_init_tables();
float lq_nl3_dot_f32(int64_t n, const void *w, const void *a);
float lq_nl4_dot_f32(int64_t n, const void *w, const void *a);
float lq_nl5_dot_f32(int64_t n, const void *w, const void *a);

// avx2_lq_int.cpp: lq_i8_row, F32 activations.
float lq_i8_row_dot_f32(int64_t n, const void *w, const void *a);

// avx2_encode.cpp: the fast weight encoders (kernels.h, from_float_fast).
void q4_0_from_float_fast(const float *in, void *blocks, int64_t n);
void q4_1_from_float_fast(const float *in, void *blocks, int64_t n);
void q5_0_from_float_fast(const float *in, void *blocks, int64_t n);
void q5_1_from_float_fast(const float *in, void *blocks, int64_t n);
void q8_0_from_float_fast(const float *in, void *blocks, int64_t n);
void q2_k_from_float_fast(const float *in, void *blocks, int64_t n);
void q3_k_from_float_fast(const float *in, void *blocks, int64_t n);
void q4_k_from_float_fast(const float *in, void *blocks, int64_t n);
void q5_k_from_float_fast(const float *in, void *blocks, int64_t n);
void q6_k_from_float_fast(const float *in, void *blocks, int64_t n);
void iq4_nl_from_float_fast(const float *in, void *blocks, int64_t n);
void iq4_xs_from_float_fast(const float *in, void *blocks, int64_t n);

}  // namespace lq::cpu::avx2
