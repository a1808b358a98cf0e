//! Text across the C boundary: Rust strings and paths in, C strings and text buffers out.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::path::Path;

use crate::error::{check, Error, Result, Status};
use crate::sys;

/// `text` as a NUL-terminated C string; `what` names it in the error when it holds a NUL byte.
pub(crate) fn to_cstring(text: &str, what: &str) -> Result<CString> {
    CString::new(text).map_err(|_| {
        Error::new(
            Status::InvalidArgument,
            format!("{} contains a NUL byte: {:?}", what, text),
        )
    })
}

/// A path as the C API takes it: its bytes on Unix, UTF-8 elsewhere.
pub(crate) fn path_to_cstring(path: &Path) -> Result<CString> {
    #[cfg(unix)]
    let bytes = {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    };
    #[cfg(not(unix))]
    let bytes = match path.to_str() {
        Some(text) => text.as_bytes().to_vec(),
        None => {
            return Err(Error::new(
                Status::InvalidArgument,
                format!("{} is not valid UTF-8", path.display()),
            ))
        }
    };
    CString::new(bytes).map_err(|_| {
        Error::new(
            Status::InvalidArgument,
            format!("path contains a NUL byte: {}", path.display()),
        )
    })
}

/// A C string the library owns, copied; NULL gives "".
///
/// # Safety
/// `text` is NULL or points to a NUL-terminated string that stays valid during the call.
pub(crate) unsafe fn to_string(text: *const c_char) -> String {
    if text.is_null() {
        String::new()
    } else {
        // SAFETY: see the function's contract.
        unsafe { CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned()
    }
}

/// Runs a C call that writes NUL-terminated output to a caller's buffer (`buf`, `capacity`,
/// `needed_out`), growing the buffer when the library reports `LQ_ERR_BUFFER_TOO_SMALL`.
/// Returns the bytes without the terminator (they may contain NUL bytes).
pub(crate) fn read_text<F>(initial_capacity: usize, mut call: F) -> Result<Vec<u8>>
where
    F: FnMut(*mut c_char, usize, &mut usize) -> sys::lq_status,
{
    let mut buf = vec![0u8; initial_capacity.max(1)];
    loop {
        let mut needed = 0usize;
        let status = call(buf.as_mut_ptr().cast(), buf.len(), &mut needed);
        if status == sys::LQ_ERR_BUFFER_TOO_SMALL && needed > buf.len() {
            buf.resize(needed, 0);
            continue;
        }
        check(status)?;
        buf.truncate(needed.saturating_sub(1));
        return Ok(buf);
    }
}
