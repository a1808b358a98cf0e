#include "kernels/kernels.h"

#include "kernels/rows.h"

namespace lq {

const QuantKernels *quant_kernels(TensorType type) {
    switch (type) {
    case TensorType::F32: return &kF32Kernels;
    case TensorType::F16: return &kF16Kernels;
    case TensorType::BF16: return &kBF16Kernels;
    case TensorType::Q4_0: return &kQ4_0Kernels;
    case TensorType::Q4_1: return &kQ4_1Kernels;
    case TensorType::Q5_0: return &kQ5_0Kernels;
    case TensorType::Q5_1: return &kQ5_1Kernels;
    case TensorType::Q8_0: return &kQ8_0Kernels;
    case TensorType::Q8_1: return &kQ8_1Kernels;
    case TensorType::Q2_K: return &kQ2_KKernels;
    case TensorType::Q3_K: return &kQ3_KKernels;
    case TensorType::Q4_K: return &kQ4_KKernels;
    case TensorType::Q5_K: return &kQ5_KKernels;
    case TensorType::Q6_K: return &kQ6_KKernels;
    case TensorType::Q8_K: return &kQ8_KKernels;
    case TensorType::IQ4_NL: return &kIQ4_NLKernels;
    case TensorType::IQ4_XS: return &kIQ4_XSKernels;
    case TensorType::LQ_I8_ROW: return &kLqI8RowKernels;
    case TensorType::LQ_I4_G32: return &kLqI4G32Kernels;
    case TensorType::LQ_I4_G64: return &kLqI4G64Kernels;
    case TensorType::LQ_I4_G128: return &kLqI4G128Kernels;
    case TensorType::LQ_NL3: return &kLqNl3Kernels;
    case TensorType::LQ_NL4: return &kLqNl4Kernels;
    case TensorType::LQ_NL5: return &kLqNl5Kernels;
    default: return nullptr;
    }
}

}  // namespace lq
