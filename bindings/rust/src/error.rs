//! Errors: the C status codes as [`Status`], and [`Error`], which carries one with its message.

use std::ffi::CStr;
use std::fmt;

use crate::sys;

/// Why a call failed: the `lq_status` codes of the C API, less `LQ_OK`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// A bad argument: an out-of-range value, an unknown option, a string with a NUL byte.
    InvalidArgument,
    /// Memory could not be allocated; nothing was changed.
    OutOfMemory,
    /// A file could not be opened, read, mapped or written.
    Io,
    /// A model file is malformed (truncated, inconsistent, hostile).
    ModelFormat,
    /// Well-formed input that this build cannot handle (architecture, tensor type, backend).
    Unsupported,
    /// An output buffer was too small (the wrappers retry, so this is rarely seen).
    BufferTooSmall,
    /// A callback or a cancel request stopped the work.
    Cancelled,
    /// The tokens do not fit in the context window.
    ContextFull,
    /// The requested key, token or item does not exist.
    NotFound,
    /// The item exists but has another type than the one asked for.
    TypeMismatch,
    /// A compute backend or its driver failed.
    Backend,
    /// A bug in libquant; please report it with the message.
    Internal,
    /// A code this version of the binding does not know.
    Unknown(i32),
}

impl Status {
    /// The status of a C error code; `None` for `LQ_OK` (0).
    pub fn from_code(code: i32) -> Option<Status> {
        Some(match code {
            sys::LQ_OK => return None,
            sys::LQ_ERR_INVALID_ARGUMENT => Status::InvalidArgument,
            sys::LQ_ERR_OOM => Status::OutOfMemory,
            sys::LQ_ERR_IO => Status::Io,
            sys::LQ_ERR_MODEL_FORMAT => Status::ModelFormat,
            sys::LQ_ERR_UNSUPPORTED => Status::Unsupported,
            sys::LQ_ERR_BUFFER_TOO_SMALL => Status::BufferTooSmall,
            sys::LQ_ERR_CANCELLED => Status::Cancelled,
            sys::LQ_ERR_CONTEXT_FULL => Status::ContextFull,
            sys::LQ_ERR_NOT_FOUND => Status::NotFound,
            sys::LQ_ERR_TYPE_MISMATCH => Status::TypeMismatch,
            sys::LQ_ERR_BACKEND => Status::Backend,
            sys::LQ_ERR_INTERNAL => Status::Internal,
            other => Status::Unknown(other),
        })
    }

    /// The C code (`LQ_ERR_IO` is -3, ...).
    pub fn code(self) -> i32 {
        match self {
            Status::InvalidArgument => sys::LQ_ERR_INVALID_ARGUMENT,
            Status::OutOfMemory => sys::LQ_ERR_OOM,
            Status::Io => sys::LQ_ERR_IO,
            Status::ModelFormat => sys::LQ_ERR_MODEL_FORMAT,
            Status::Unsupported => sys::LQ_ERR_UNSUPPORTED,
            Status::BufferTooSmall => sys::LQ_ERR_BUFFER_TOO_SMALL,
            Status::Cancelled => sys::LQ_ERR_CANCELLED,
            Status::ContextFull => sys::LQ_ERR_CONTEXT_FULL,
            Status::NotFound => sys::LQ_ERR_NOT_FOUND,
            Status::TypeMismatch => sys::LQ_ERR_TYPE_MISMATCH,
            Status::Backend => sys::LQ_ERR_BACKEND,
            Status::Internal => sys::LQ_ERR_INTERNAL,
            Status::Unknown(code) => code,
        }
    }
}

impl fmt::Display for Status {
    /// The library's short description (`lq_status_string`), e.g. "invalid argument".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: lq_status_string accepts any value and returns a static string.
        let text = unsafe { CStr::from_ptr(sys::lq_status_string(self.code())) };
        f.write_str(&text.to_string_lossy())
    }
}

/// A failed call: its [`Status`] and the library's message, which names what failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    status: Status,
    message: String,
}

impl Error {
    /// An error with a status and a message of the caller's own.
    pub fn new(status: Status, message: impl Into<String>) -> Error {
        Error {
            status,
            message: message.into(),
        }
    }

    /// Why the call failed.
    pub fn status(&self) -> Status {
        self.status
    }

    /// What failed, in the library's words (e.g. the path of a file that does not open).
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error of a C status, with the calling thread's last error message.
    ///
    /// Must be called right after the failing call, on the same thread.
    fn last(status: Status) -> Error {
        // SAFETY: lq_last_error_message never returns NULL; the text is copied at once.
        let message = unsafe { CStr::from_ptr(sys::lq_last_error_message()) };
        Error::new(status, message.to_string_lossy())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.message.is_empty() {
            write!(f, "{}", self.status)
        } else {
            write!(f, "{} ({})", self.message, self.status)
        }
    }
}

impl std::error::Error for Error {}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// `Ok(())` for `LQ_OK`, else the error with the calling thread's last message.
///
/// Call it directly after the C call, before anything else can call into libquant.
pub(crate) fn check(status: sys::lq_status) -> Result<()> {
    match Status::from_code(status) {
        None => Ok(()),
        Some(status) => Err(Error::last(status)),
    }
}
