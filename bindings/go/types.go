package libquant

/*
#include "lqgo.h"
*/
import "C"

import "strconv"

// TensorType is an element type of tensors, numbered as in the GGUF format
// (C's lq_tensor_type). It names key/value cache types in ContextOptions.
type TensorType uint32

// Tensor types. Not every type can be computed by every backend.
const (
	TypeF32     TensorType = C.LQ_TYPE_F32
	TypeF16     TensorType = C.LQ_TYPE_F16
	TypeQ4_0    TensorType = C.LQ_TYPE_Q4_0
	TypeQ4_1    TensorType = C.LQ_TYPE_Q4_1
	TypeQ5_0    TensorType = C.LQ_TYPE_Q5_0
	TypeQ5_1    TensorType = C.LQ_TYPE_Q5_1
	TypeQ8_0    TensorType = C.LQ_TYPE_Q8_0
	TypeQ8_1    TensorType = C.LQ_TYPE_Q8_1
	TypeQ2_K    TensorType = C.LQ_TYPE_Q2_K
	TypeQ3_K    TensorType = C.LQ_TYPE_Q3_K
	TypeQ4_K    TensorType = C.LQ_TYPE_Q4_K
	TypeQ5_K    TensorType = C.LQ_TYPE_Q5_K
	TypeQ6_K    TensorType = C.LQ_TYPE_Q6_K
	TypeQ8_K    TensorType = C.LQ_TYPE_Q8_K
	TypeIQ2_XXS TensorType = C.LQ_TYPE_IQ2_XXS
	TypeIQ2_XS  TensorType = C.LQ_TYPE_IQ2_XS
	TypeIQ3_XXS TensorType = C.LQ_TYPE_IQ3_XXS
	TypeIQ1_S   TensorType = C.LQ_TYPE_IQ1_S
	TypeIQ4_NL  TensorType = C.LQ_TYPE_IQ4_NL
	TypeIQ3_S   TensorType = C.LQ_TYPE_IQ3_S
	TypeIQ2_S   TensorType = C.LQ_TYPE_IQ2_S
	TypeIQ4_XS  TensorType = C.LQ_TYPE_IQ4_XS
	TypeI8      TensorType = C.LQ_TYPE_I8
	TypeI16     TensorType = C.LQ_TYPE_I16
	TypeI32     TensorType = C.LQ_TYPE_I32
	TypeI64     TensorType = C.LQ_TYPE_I64
	TypeF64     TensorType = C.LQ_TYPE_F64
	TypeIQ1_M   TensorType = C.LQ_TYPE_IQ1_M
	TypeBF16    TensorType = C.LQ_TYPE_BF16
	TypeTQ1_0   TensorType = C.LQ_TYPE_TQ1_0
	TypeTQ2_0   TensorType = C.LQ_TYPE_TQ2_0
)

// String returns the type's name as GGUF tools print it ("q8_0", "f16"),
// or "unknown".
func (t TensorType) String() string {
	return C.GoString(C.lq_tensor_type_name(C.uint32_t(t)))
}

// Backend selects where a context computes (C's lq_backend).
type Backend uint32

// Compute backends.
const (
	BackendCPU    Backend = C.LQ_BACKEND_CPU    // the portable CPU backend (the default)
	BackendOneDNN Backend = C.LQ_BACKEND_ONEDNN // oneDNN INT8 on x86
	BackendVulkan Backend = C.LQ_BACKEND_VULKAN // Vulkan compute shaders
	BackendAuto   Backend = C.LQ_BACKEND_AUTO   // the best backend available for the model
)

// String returns "cpu", "onednn", "vulkan" or "auto".
func (b Backend) String() string {
	switch b {
	case BackendCPU:
		return "cpu"
	case BackendOneDNN:
		return "onednn"
	case BackendVulkan:
		return "vulkan"
	case BackendAuto:
		return "auto"
	}
	return "backend(" + strconv.FormatUint(uint64(b), 10) + ")"
}
