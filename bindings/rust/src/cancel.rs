//! [`CancelHandle`]: stops a context's work from any thread.

use std::fmt;
use std::sync::Arc;

use crate::context::Shared;
use crate::sys;

/// Cancels the work of one [`Context`](crate::Context) from any thread.
///
/// Made by [`Context::cancel_handle`](crate::Context::cancel_handle); `Send + Sync + Clone`.
/// [`cancel`](CancelHandle::cancel) makes the running [`generate`](crate::Context::generate)
/// return with [`StopReason::Cancelled`](crate::StopReason::Cancelled) (and the text so far),
/// and a running [`eval`](crate::Context::eval) fail with
/// [`Status::Cancelled`](crate::Status::Cancelled), within one layer's work.
///
/// These are the C API's semantics: **a request made while nothing runs stays pending and
/// cancels the next call** on the context. Call [`clear`](CancelHandle::clear) to withdraw a
/// request that no call has acted on, e.g. after a call that finished before a timeout fired.
///
/// A handle keeps the C context alive (not the `Context` value): the context is freed when the
/// `Context` and all its handles are dropped. Cancelling after the `Context` is gone does nothing.
#[derive(Clone)]
pub struct CancelHandle {
    shared: Arc<Shared>,
}

impl CancelHandle {
    pub(crate) fn new(shared: Arc<Shared>) -> CancelHandle {
        CancelHandle { shared }
    }

    /// Asks the call running on the context (or, if none runs, the next one) to stop.
    pub fn cancel(&self) {
        // SAFETY: the context is alive (we hold it); lq_context_cancel may come from any thread
        // at any time. It fails only for a NULL context.
        let status = unsafe { sys::lq_context_cancel(self.shared.as_ptr()) };
        debug_assert_eq!(status, sys::LQ_OK);
    }

    /// Withdraws a cancellation request that no call has acted on yet.
    pub fn clear(&self) {
        // SAFETY: as for `cancel`; lq_context_clear_cancel may come from any thread.
        let status = unsafe { sys::lq_context_clear_cancel(self.shared.as_ptr()) };
        debug_assert_eq!(status, sys::LQ_OK);
    }
}

impl fmt::Debug for CancelHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CancelHandle")
            .field("context", &self.shared.as_ptr())
            .finish()
    }
}
