//! [`Context`]: the mutable state of running a model on one sequence.

use std::cell::Cell;
use std::fmt;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::sync::Arc;

use crate::cancel::CancelHandle;
use crate::error::{check, Error, Result, Status};
use crate::model::Model;
use crate::sys;
use crate::tensor_type::TensorType;
use crate::Token;

/// A compute backend (`lq_backend`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Backend {
    /// The portable CPU backend (SIMD where the CPU has it); the default.
    #[default]
    Cpu,
    /// oneDNN INT8 on x86.
    OneDnn,
    /// Vulkan compute shaders on any GPU.
    Vulkan,
    /// The best backend available for the model (the CPU when no other is).
    Auto,
    /// A backend number this version of the binding has no name for.
    Unknown(u32),
}

impl Backend {
    pub(crate) fn from_raw(raw: u32) -> Backend {
        match raw {
            0 => Backend::Cpu,
            1 => Backend::OneDnn,
            2 => Backend::Vulkan,
            3 => Backend::Auto,
            other => Backend::Unknown(other),
        }
    }

    pub(crate) fn to_raw(self) -> u32 {
        match self {
            Backend::Cpu => 0,
            Backend::OneDnn => 1,
            Backend::Vulkan => 2,
            Backend::Auto => 3,
            Backend::Unknown(raw) => raw,
        }
    }
}

/// How [`Context::new`] sets up a context. The defaults are those of the C API.
#[derive(Debug, Clone, Copy, PartialEq)]
#[must_use]
pub struct ContextOptions {
    n_ctx: u32,
    n_batch: u32,
    n_threads: u32,
    kv_type: TensorType,
    backend: Backend,
}

impl Default for ContextOptions {
    fn default() -> Self {
        let raw = sys::lq_context_options::default();
        ContextOptions {
            n_ctx: raw.n_ctx,
            n_batch: raw.n_batch,
            n_threads: raw.n_threads,
            kv_type: TensorType(raw.kv_type),
            backend: Backend::from_raw(raw.backend),
        }
    }
}

impl ContextOptions {
    /// The defaults: the model's training length (at most 4096), batches of 512 tokens, all
    /// hardware threads, an F16 cache, the CPU backend.
    pub fn new() -> Self {
        Self::default()
    }

    /// Context length in tokens; 0: the model's training length, at most 4096.
    pub fn n_ctx(mut self, n_ctx: u32) -> Self {
        self.n_ctx = n_ctx;
        self
    }

    /// Tokens evaluated per forward pass; 0 means 512.
    pub fn n_batch(mut self, n_batch: u32) -> Self {
        self.n_batch = n_batch;
        self
    }

    /// Threads; 0: all hardware threads.
    pub fn n_threads(mut self, n_threads: u32) -> Self {
        self.n_threads = n_threads;
        self
    }

    /// Type of the key/value cache: [`TensorType::F16`] (default), `F32` or `Q8_0`.
    pub fn kv_type(mut self, kv_type: TensorType) -> Self {
        self.kv_type = kv_type;
        self
    }

    /// The compute backend; [`Backend::Auto`] picks the best available.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    fn to_raw(self) -> sys::lq_context_options {
        sys::lq_context_options {
            n_ctx: self.n_ctx,
            n_batch: self.n_batch,
            n_threads: self.n_threads,
            kv_type: self.kv_type.0,
            backend: self.backend.to_raw(),
            ..sys::lq_context_options::default()
        }
    }
}

/// Facts about a context, from [`Context::info`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ContextInfo {
    /// Context length in tokens.
    pub n_ctx: u32,
    /// Positions in use (tokens evaluated and kept).
    pub n_past: u32,
    /// Tokens per forward pass.
    pub n_batch: u32,
    /// Threads used.
    pub n_threads: u32,
    /// Logits per token.
    pub n_vocab: u32,
    /// Type of the key/value cache.
    pub kv_type: TensorType,
    /// The backend in use (never [`Backend::Auto`]).
    pub backend: Backend,
    /// Memory of the key/value cache, in bytes.
    pub kv_bytes: u64,
}

/// The C context, shared by a [`Context`] and its [`CancelHandle`]s, freed when all are gone.
pub(crate) struct Shared {
    raw: NonNull<sys::lq_context>,
    /// Dropped after `raw` is freed (fields drop after `Drop::drop`): the C rule.
    model: Model,
}

impl Shared {
    pub(crate) fn as_ptr(&self) -> *mut sys::lq_context {
        self.raw.as_ptr()
    }
}

// SAFETY: the C context may be used from any thread, one at a time. Only `Context` (which is
// not `Sync` and needs `&mut self` to run anything) uses it for work; through `&Shared` the
// other owners call only lq_context_cancel and lq_context_clear_cancel, which the C API allows
// from any thread at any time.
unsafe impl Send for Shared {}
// SAFETY: as above.
unsafe impl Sync for Shared {}

impl Drop for Shared {
    fn drop(&mut self) {
        // SAFETY: the last owner is going, so no call runs on the context; the model is alive.
        unsafe { sys::lq_context_free(self.raw.as_ptr()) }
    }
}

/// The mutable state of running a model on one sequence: its key/value cache, buffers and
/// threads.
///
/// `Send` but not `Sync`: a context is used by one thread at a time, and every call that runs
/// the model takes `&mut self`. To stop a running call from another thread, use a
/// [`CancelHandle`]. The context holds a clone of its [`Model`], which therefore stays loaded.
///
/// ```compile_fail
/// fn shared_between_threads<T: Sync>() {}
/// shared_between_threads::<libquant::Context>();
/// ```
pub struct Context {
    shared: Arc<Shared>,
    n_vocab: usize,
    _not_sync: PhantomData<Cell<()>>,
}

impl Context {
    /// Creates a context for `model`.
    ///
    /// # Errors
    /// [`Status::InvalidArgument`] for bad options or a model loaded without weights;
    /// [`Status::Unsupported`] when the backend or cache type is not available here (the
    /// message gives the reason); [`Status::OutOfMemory`] when the cache does not fit.
    pub fn new(model: &Model, options: ContextOptions) -> Result<Context> {
        let raw_options = options.to_raw();
        let mut raw = ptr::null_mut();
        // SAFETY: valid pointers; the model outlives the context (Shared holds a clone).
        check(unsafe { sys::lq_context_create(&mut raw, model.as_ptr(), &raw_options) })?;
        let raw = NonNull::new(raw).ok_or_else(|| {
            Error::new(
                Status::Internal,
                "lq_context_create returned LQ_OK without a context",
            )
        })?;
        let mut context = Context {
            shared: Arc::new(Shared {
                raw,
                model: model.clone(),
            }),
            n_vocab: 0,
            _not_sync: PhantomData,
        };
        context.n_vocab = context.info()?.n_vocab as usize;
        Ok(context)
    }

    /// The model this context runs.
    pub fn model(&self) -> &Model {
        &self.shared.model
    }

    /// The C context, for calls through [`sys`](crate::sys). Valid while this `Context` lives;
    /// the borrow rules of this type apply to what is done with it.
    pub fn as_ptr(&self) -> *mut sys::lq_context {
        self.shared.as_ptr()
    }

    /// A handle that cancels this context's calls from any thread; see [`CancelHandle`].
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle::new(Arc::clone(&self.shared))
    }

    /// The context's length, positions in use, cache type and backend.
    ///
    /// # Errors
    /// Only if the library refuses the request, which it does not for a live context.
    pub fn info(&self) -> Result<ContextInfo> {
        let mut info = sys::lq_context_info::default();
        // SAFETY: a live context and a mirror whose struct_size is set.
        check(unsafe { sys::lq_context_get_info(self.as_ptr(), &mut info) })?;
        Ok(ContextInfo {
            n_ctx: info.n_ctx,
            n_past: info.n_past,
            n_batch: info.n_batch,
            n_threads: info.n_threads,
            n_vocab: info.n_vocab,
            kv_type: TensorType(info.kv_type),
            backend: Backend::from_raw(info.backend),
            kv_bytes: info.kv_bytes,
        })
    }

    /// Forgets every position: the next call starts a new sequence.
    ///
    /// # Errors
    /// Only if the library refuses the request, which it does not for a live context.
    pub fn reset(&mut self) -> Result<()> {
        // SAFETY: a live context, used by this thread only (`&mut self`).
        check(unsafe { sys::lq_context_reset(self.as_ptr()) })
    }

    /// Forgets the positions from `n_keep` on, to rewind the sequence.
    ///
    /// # Errors
    /// [`Status::InvalidArgument`] when `n_keep` is more than the positions in use.
    pub fn truncate(&mut self, n_keep: u32) -> Result<()> {
        // SAFETY: a live context, used by this thread only (`&mut self`).
        check(unsafe { sys::lq_context_truncate(self.as_ptr(), n_keep) })
    }

    /// Evaluates `tokens` after those already in the context and returns the raw logits
    /// (before softmax) of the last one: `n_vocab` values.
    ///
    /// # Errors
    /// [`Status::ContextFull`] when the tokens do not fit (nothing changed);
    /// [`Status::Cancelled`] when a [`CancelHandle`] stopped it (the tokens were not kept).
    pub fn eval(&mut self, tokens: &[Token]) -> Result<Vec<f32>> {
        self.eval_raw(tokens, 0, self.n_vocab)
    }

    /// As [`Context::eval`], but returns the logits of every token: `tokens.len() * n_vocab`
    /// values, token by token.
    ///
    /// # Errors
    /// As [`Context::eval`].
    pub fn eval_all(&mut self, tokens: &[Token]) -> Result<Vec<f32>> {
        self.eval_raw(tokens, sys::LQ_EVAL_ALL_LOGITS, tokens.len() * self.n_vocab)
    }

    fn eval_raw(&mut self, tokens: &[Token], flags: u32, n_logits: usize) -> Result<Vec<f32>> {
        let mut logits = vec![0.0f32; n_logits];
        // SAFETY: a live context used by this thread only; the buffers hold what their lengths say.
        check(unsafe {
            sys::lq_context_eval(
                self.as_ptr(),
                tokens.as_ptr(),
                tokens.len(),
                flags,
                logits.as_mut_ptr(),
                logits.len(),
            )
        })?;
        Ok(logits)
    }
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("model", self.model())
            .field("info", &self.info().ok())
            .finish()
    }
}
