//! [`TensorType`]: element types of tensors, numbered as in GGUF.

use std::ffi::CStr;
use std::fmt;

use crate::sys;

/// An element type of tensors (`lq_tensor_type`), numbered as in GGUF files.
///
/// The numbering is open (GGUF adds types), so this is a number with named constants rather
/// than an enum: `TensorType::Q8_0`, or `TensorType(8)`. Used for the key/value cache type of a
/// [`ContextOptions`](crate::ContextOptions), where F16 (the default), F32 and Q8_0 are accepted.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TensorType(pub u32);

macro_rules! tensor_types {
    ($($(#[$doc:meta])* $name:ident = $value:expr;)*) => {
        impl TensorType {
            $($(#[$doc])* pub const $name: TensorType = TensorType($value);)*
        }
    };
}

tensor_types! {
    /// 32-bit IEEE float.
    F32 = 0;
    /// 16-bit IEEE float.
    F16 = 1;
    /// 4-bit, blocks of 32, one scale.
    Q4_0 = 2;
    /// 4-bit, blocks of 32, scale and minimum.
    Q4_1 = 3;
    /// 5-bit, blocks of 32, one scale.
    Q5_0 = 6;
    /// 5-bit, blocks of 32, scale and minimum.
    Q5_1 = 7;
    /// 8-bit, blocks of 32, one scale.
    Q8_0 = 8;
    /// 8-bit, blocks of 32, scale and sum (activations).
    Q8_1 = 9;
    /// 2-bit k-quant.
    Q2_K = 10;
    /// 3-bit k-quant.
    Q3_K = 11;
    /// 4-bit k-quant.
    Q4_K = 12;
    /// 5-bit k-quant.
    Q5_K = 13;
    /// 6-bit k-quant.
    Q6_K = 14;
    /// 8-bit k-quant (activations).
    Q8_K = 15;
    /// 2-bit lattice quant.
    IQ2_XXS = 16;
    /// 2.3-bit lattice quant.
    IQ2_XS = 17;
    /// 3-bit lattice quant.
    IQ3_XXS = 18;
    /// 1.5-bit lattice quant.
    IQ1_S = 19;
    /// 4-bit non-linear, blocks of 32.
    IQ4_NL = 20;
    /// 3.4-bit lattice quant.
    IQ3_S = 21;
    /// 2.5-bit lattice quant.
    IQ2_S = 22;
    /// 4.25-bit non-linear, super-blocks of 256.
    IQ4_XS = 23;
    /// 8-bit integer.
    I8 = 24;
    /// 16-bit integer.
    I16 = 25;
    /// 32-bit integer.
    I32 = 26;
    /// 64-bit integer.
    I64 = 27;
    /// 64-bit IEEE float.
    F64 = 28;
    /// 1.75-bit lattice quant.
    IQ1_M = 29;
    /// bfloat16.
    BF16 = 30;
    /// Ternary, 1.69 bits.
    TQ1_0 = 34;
    /// Ternary, 2.06 bits.
    TQ2_0 = 35;
}

impl TensorType {
    /// The name GGUF tools print (`"q4_K"`, `"f16"`, ...); `"unknown"` for a number that is no type.
    pub fn name(self) -> &'static str {
        // SAFETY: lq_tensor_type_name accepts any value and returns a static string.
        let name = unsafe { CStr::from_ptr(sys::lq_tensor_type_name(self.0)) };
        name.to_str().unwrap_or("unknown")
    }
}

impl fmt::Display for TensorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Debug for TensorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TensorType({} {})", self.0, self.name())
    }
}
