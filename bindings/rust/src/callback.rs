//! Rust closures behind C callbacks: [`Flow`], panic capture, and the progress and message
//! trampolines shared by model loading and quantization.
//!
//! A panic must never unwind into C. Each trampoline runs the closure under `catch_unwind`,
//! keeps the payload, asks the C call to stop, and the wrapper resumes the panic once the C
//! call has returned.

use std::any::Any;
use std::ffi::{c_void, CStr};
use std::os::raw::c_char;
use std::panic::{self, AssertUnwindSafe};

/// What a callback wants next: go on, or stop the work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Stop: generation ends with [`StopReason::Callback`](crate::StopReason::Callback); loading
    /// and quantization fail with [`Status::Cancelled`](crate::Status::Cancelled).
    Stop,
}

impl From<()> for Flow {
    /// A callback that returns nothing lets the work go on.
    fn from(_: ()) -> Flow {
        Flow::Continue
    }
}

impl Flow {
    /// The value a C callback returns: 0 to continue, 1 to stop.
    pub(crate) fn to_c(self) -> i32 {
        match self {
            Flow::Continue => 0,
            Flow::Stop => 1,
        }
    }
}

/// Holds the payload of the first panic of a callback until the C call has returned.
#[derive(Default)]
pub(crate) struct PanicSlot {
    payload: Option<Box<dyn Any + Send + 'static>>,
}

impl PanicSlot {
    /// Runs `f`, catching a panic. `None` when it panicked now or a callback panicked before
    /// (then `f` is not run): the caller asks the C call to stop.
    pub(crate) fn call<R>(&mut self, f: impl FnOnce() -> R) -> Option<R> {
        if self.payload.is_some() {
            return None;
        }
        match panic::catch_unwind(AssertUnwindSafe(f)) {
            Ok(value) => Some(value),
            Err(payload) => {
                self.payload = Some(payload);
                None
            }
        }
    }

    /// Continues the caught panic, if there was one.
    pub(crate) fn resume(self) {
        if let Some(payload) = self.payload {
            panic::resume_unwind(payload);
        }
    }
}

/// A progress closure: the fraction done, in [0, 1].
pub(crate) type ProgressFn<'a> = Box<dyn FnMut(f32) -> Flow + 'a>;
/// A message closure: one line of text.
pub(crate) type MessageFn<'a> = Box<dyn FnMut(&str) + 'a>;

/// The closures of one C call with progress and message callbacks, and its panic slot.
/// Its address is the `user_data` of both callbacks.
#[derive(Default)]
pub(crate) struct Callbacks<'a> {
    pub(crate) progress: Option<ProgressFn<'a>>,
    pub(crate) message: Option<MessageFn<'a>>,
    pub(crate) panic: PanicSlot,
}

impl<'a> Callbacks<'a> {
    /// The `user_data` pointer for the trampolines below.
    pub(crate) fn user_data(&mut self) -> *mut c_void {
        (self as *mut Callbacks<'a>).cast()
    }
}

/// `lq_progress_callback` calling [`Callbacks::progress`]; it stops the work once any closure
/// of the call has panicked.
///
/// # Safety
/// `user_data` comes from [`Callbacks::user_data`] of a value that outlives the C call.
pub(crate) unsafe extern "C" fn progress_trampoline(progress: f32, user_data: *mut c_void) -> i32 {
    // SAFETY: see the function's contract; the C call runs callbacks one at a time.
    let callbacks = unsafe { &mut *user_data.cast::<Callbacks<'_>>() };
    let Callbacks {
        progress: on_progress,
        panic,
        ..
    } = callbacks;
    panic
        .call(|| on_progress.as_mut().map_or(Flow::Continue, |f| f(progress)))
        .unwrap_or(Flow::Stop)
        .to_c()
}

/// `lq_message_callback` calling [`Callbacks::message`]. After a panic the remaining messages
/// are dropped, and the next progress report stops the work.
///
/// # Safety
/// `line` is a NUL-terminated string; `user_data` as for [`progress_trampoline`].
pub(crate) unsafe extern "C" fn message_trampoline(line: *const c_char, user_data: *mut c_void) {
    // SAFETY: see the function's contract; the C call runs callbacks one at a time.
    let callbacks = unsafe { &mut *user_data.cast::<Callbacks<'_>>() };
    let Callbacks { message, panic, .. } = callbacks;
    if let Some(f) = message {
        // SAFETY: the library passes a NUL-terminated line, valid during the call.
        let text = unsafe { CStr::from_ptr(line) }.to_string_lossy();
        panic.call(|| f(&text));
    }
}
