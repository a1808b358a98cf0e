// The CPU's kernel rows: the fastest implementation of each quant-type
// kernel that this processor can run, chosen once at run time.
//
// On x86-64 with AVX2, FMA and F16C the rows use the AVX2 kernels of this
// folder; every other CPU (and any build for another architecture) gets the
// reference rows of kernels/kernels.h. A field without a fast version (the
// weight quantizers, for instance) is the reference one, so a row is always
// complete. Results: encoders and decoders are bit-identical to the
// reference; dot products differ only by float summation order.
//
// Setting the environment variable LQ_CPU_KERNELS=reference before the
// first call forces the reference rows, as does cpu_kernels_force_reference.
#pragma once

#include "kernels/kernels.h"

namespace lq::cpu {

/// The row for @p type on this CPU, or nullptr for types without kernels.
/// Thread-safe; the pointer stays valid for the life of the process.
const QuantKernels *cpu_kernels(TensorType type);

/// The instruction set of the rows cpu_kernels() returns now: "avx2" or
/// "reference".
const char *cpu_kernels_isa();

/// Forces the reference rows (true) or returns to the detected ones (false),
/// for tests and comparisons. Takes effect for later cpu_kernels() calls;
/// callers must not race it with work that holds rows already.
void cpu_kernels_force_reference(bool force);

/// A choice of kernel rows that one executor keeps: the detected rows
/// (cpu_kernels) or the reference rows (the test oracle), independent of
/// every other executor.
class KernelTable {
public:
    explicit KernelTable(bool reference = false) : reference_(reference) {}
    bool reference() const { return reference_; }
    /// The row for @p type, which must have kernels (bound weights do).
    const QuantKernels &row(TensorType type) const {
        return *(reference_ ? quant_kernels(type) : cpu_kernels(type));
    }
    /// Whether @p type has kernels at all.
    static bool has(TensorType type) { return quant_kernels(type) != nullptr; }

private:
    bool reference_;
};

}  // namespace lq::cpu
