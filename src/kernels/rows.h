// The reference rows of the kernel table, one per type, defined by the
// family files (float_rows.cpp, legacy_quants.cpp, k_quants.cpp,
// iq4_quants.cpp, lq_types.cpp, lq_nl_types.cpp) and gathered by kernels.cpp. Internal to
// src/kernels.
#pragma once

#include "kernels/kernels.h"

namespace lq {

extern const QuantKernels kF32Kernels;
extern const QuantKernels kF16Kernels;
extern const QuantKernels kBF16Kernels;

extern const QuantKernels kQ4_0Kernels;
extern const QuantKernels kQ4_1Kernels;
extern const QuantKernels kQ5_0Kernels;
extern const QuantKernels kQ5_1Kernels;
extern const QuantKernels kQ8_0Kernels;
extern const QuantKernels kQ8_1Kernels;

extern const QuantKernels kQ2_KKernels;
extern const QuantKernels kQ3_KKernels;
extern const QuantKernels kQ4_KKernels;
extern const QuantKernels kQ5_KKernels;
extern const QuantKernels kQ6_KKernels;
extern const QuantKernels kQ8_KKernels;

extern const QuantKernels kIQ4_NLKernels;
extern const QuantKernels kIQ4_XSKernels;

extern const QuantKernels kLqI8RowKernels;
extern const QuantKernels kLqI4G32Kernels;
extern const QuantKernels kLqI4G64Kernels;
extern const QuantKernels kLqI4G128Kernels;
extern const QuantKernels kLqNl3Kernels;
extern const QuantKernels kLqNl4Kernels;
extern const QuantKernels kLqNl5Kernels;

}  // namespace lq
