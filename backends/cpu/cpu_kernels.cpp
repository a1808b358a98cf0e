#include "backends/cpu/cpu_kernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "core/half.h"

#if defined(LQ_CPU_AVX2)
#include "backends/cpu/avx2_rows.h"
#endif

namespace lq::cpu {
namespace {

// Rows by type id: the GGUF ids of core/types.h, all below 64.
constexpr uint32_t kMaxTypeId = 64;

struct Table {
    QuantKernels row[kMaxTypeId];
    bool present[kMaxTypeId];
    // libquant's own types with AVX2 kernels, by id - kFirstLibquantType.
    QuantKernels own[kMaxTypeId];
    bool own_present[kMaxTypeId];
};

enum Mode : int { kUndecided = 0, kReference = 1, kAvx2 = 2 };
std::atomic<int> g_mode{kUndecided};
std::atomic<bool> g_forced{false};

bool cpu_has_avx2() {
#if defined(LQ_CPU_AVX2)
    // CPUID directly (clang's __builtin_cpu_supports does not know "f16c"),
    // and XGETBV: the OS must save the YMM registers for AVX to be usable.
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
    const bool fma = ecx & (1u << 12), osxsave = ecx & (1u << 27), avx = ecx & (1u << 28), f16c = ecx & (1u << 29);
    if (!(fma && osxsave && avx && f16c)) return false;
    unsigned xcr0_low, xcr0_high;
    __asm__ volatile("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0x6u) != 0x6u) return false;  // XMM and YMM state enabled
    if (__get_cpuid_max(0, nullptr) < 7) return false;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    return (ebx & (1u << 5)) != 0;  // AVX2
#else
    return false;
#endif
}

int detect() {
    const char *env = std::getenv("LQ_CPU_KERNELS");
    if (env && std::strcmp(env, "reference") == 0) return kReference;
    return cpu_has_avx2() ? kAvx2 : kReference;
}

int mode() {
    if (g_forced.load(std::memory_order_relaxed)) return kReference;
    int m = g_mode.load(std::memory_order_acquire);
    if (m == kUndecided) {
        m = detect();
        g_mode.store(m, std::memory_order_release);
    }
    return m;
}

#if defined(LQ_CPU_AVX2)
}  // namespace

float avx2::g_half_table[1 << 16];

namespace {

// The reference rows with every field that has an AVX2 version replaced.
Table build_avx2_table() {
    Table t{};
    size_t count = 0;
    const TypeInfo *types = type_table(&count);
    for (size_t i = 0; i < count && i < kMaxTypeId; ++i) {
        if (const QuantKernels *k = quant_kernels(types[i].type)) {
            t.row[i] = *k;
            t.present[i] = true;
        }
    }
    auto row = [&](TensorType type) -> QuantKernels & { return t.row[static_cast<uint32_t>(type)]; };
    using namespace avx2;
    for (uint32_t h = 0; h < (1u << 16); ++h) g_half_table[h] = half_to_float(static_cast<uint16_t>(h));
    row(TensorType::F32).vec_dot = f32_dot;
    row(TensorType::F16).to_float = f16_to_float;
    row(TensorType::F16).from_float = f16_from_float;
    row(TensorType::F16).vec_dot = f16_dot;
    row(TensorType::BF16).to_float = bf16_to_float;
    row(TensorType::BF16).from_float = bf16_from_float;
    row(TensorType::BF16).vec_dot = bf16_dot;
    row(TensorType::Q4_0).vec_dot = q4_0_dot_q8_0;
    row(TensorType::Q4_0).to_float = q4_0_to_float;
    row(TensorType::Q4_1).vec_dot = q4_1_dot_q8_1;
    row(TensorType::Q5_0).vec_dot = q5_0_dot_q8_0;
    row(TensorType::Q5_1).vec_dot = q5_1_dot_q8_1;
    row(TensorType::Q8_0).vec_dot = q8_0_dot_q8_0;
    row(TensorType::Q8_0).from_float = q8_0_from_float;
    row(TensorType::Q8_0).to_float = q8_0_to_float;
    row(TensorType::Q8_1).from_float = q8_1_from_float;
    row(TensorType::Q2_K).vec_dot = q2_k_dot_q8_k;
    row(TensorType::Q3_K).vec_dot = q3_k_dot_q8_k;
    row(TensorType::Q4_K).vec_dot = q4_k_dot_q8_k;
    row(TensorType::Q4_K).to_float = q4_k_to_float;
    row(TensorType::Q5_K).vec_dot = q5_k_dot_q8_k;
    row(TensorType::Q6_K).vec_dot = q6_k_dot_q8_k;
    row(TensorType::Q6_K).to_float = q6_k_to_float;
    row(TensorType::Q8_K).from_float = q8_k_from_float;
    row(TensorType::IQ4_NL).vec_dot = iq4_nl_dot_q8_0;
    row(TensorType::IQ4_XS).vec_dot = iq4_xs_dot_q8_k;
    // The F16 and BF16 rows' fast encoders are their from_float.
    row(TensorType::F16).from_float_fast = f16_from_float;
    row(TensorType::BF16).from_float_fast = bf16_from_float;
    row(TensorType::Q4_0).from_float_fast = q4_0_from_float_fast;
    row(TensorType::Q4_1).from_float_fast = q4_1_from_float_fast;
    row(TensorType::Q5_0).from_float_fast = q5_0_from_float_fast;
    row(TensorType::Q5_1).from_float_fast = q5_1_from_float_fast;
    row(TensorType::Q8_0).from_float_fast = q8_0_from_float_fast;
    row(TensorType::Q2_K).from_float_fast = q2_k_from_float_fast;
    row(TensorType::Q3_K).from_float_fast = q3_k_from_float_fast;
    row(TensorType::Q4_K).from_float_fast = q4_k_from_float_fast;
    row(TensorType::Q5_K).from_float_fast = q5_k_from_float_fast;
    row(TensorType::Q6_K).from_float_fast = q6_k_from_float_fast;
    row(TensorType::IQ4_NL).from_float_fast = iq4_nl_from_float_fast;
    row(TensorType::IQ4_XS).from_float_fast = iq4_xs_from_float_fast;
    // libquant's non-linear types.
    lq_nl_init_tables();
    auto own = [&](TensorType type, float (*dot)(int64_t, const void *, const void *)) {
        const uint32_t i = static_cast<uint32_t>(type) - kFirstLibquantType;
        t.own[i] = *quant_kernels(type);
        t.own[i].vec_dot = dot;
        t.own_present[i] = true;
    };
    own(TensorType::LQ_NL3, lq_nl3_dot_f32);
    own(TensorType::LQ_NL4, lq_nl4_dot_f32);
    own(TensorType::LQ_NL5, lq_nl5_dot_f32);
    own(TensorType::LQ_I8_ROW, lq_i8_row_dot_f32);
    return t;
}

const Table &avx2_table() {
    static const Table table = build_avx2_table();
    return table;
}
#endif

}  // namespace

const QuantKernels *cpu_kernels(TensorType type) {
#if defined(LQ_CPU_AVX2)
    if (mode() == kAvx2) {
        // libquant's own types (ids from 1024) have their own part of the
        // table; those without AVX2 kernels take their reference rows.
        const auto id = static_cast<uint32_t>(type);
        const Table &t = avx2_table();
        if (id < kMaxTypeId && t.present[id]) return &t.row[id];
        if (id >= kFirstLibquantType && id - kFirstLibquantType < kMaxTypeId && t.own_present[id - kFirstLibquantType])
            return &t.own[id - kFirstLibquantType];
    }
#endif
    return quant_kernels(type);
}

const char *cpu_kernels_isa() { return mode() == kAvx2 ? "avx2" : "reference"; }

void cpu_kernels_force_reference(bool force) { g_forced.store(force, std::memory_order_relaxed); }

}  // namespace lq::cpu
