//! Versions of the loaded library, and the ABI check done before the first real call.

use std::ffi::CStr;

use crate::error::{Error, Result, Status};
use crate::sys;

/// The ABI generation this crate was written against (`LQ_ABI_VERSION`).
pub const ABI_VERSION: u32 = 1;

/// The version of the loaded library, e.g. `"0.2.0"`.
pub fn version() -> &'static str {
    // SAFETY: lq_version returns a static, NUL-terminated string.
    let text = unsafe { CStr::from_ptr(sys::lq_version()) };
    text.to_str().unwrap_or("unknown")
}

/// The ABI generation of the loaded library; this crate works with [`ABI_VERSION`] only.
pub fn abi_version() -> u32 {
    // SAFETY: no arguments, no state.
    unsafe { sys::lq_abi_version() }
}

/// Fails with [`Status::Unsupported`] when the loaded library has another ABI than this crate.
pub(crate) fn ensure_abi() -> Result<()> {
    let found = abi_version();
    if found == ABI_VERSION {
        Ok(())
    } else {
        Err(Error::new(
            Status::Unsupported,
            format!(
                "libquant {} has ABI version {}, but this binding needs ABI version {}",
                version(),
                found,
                ABI_VERSION
            ),
        ))
    }
}
