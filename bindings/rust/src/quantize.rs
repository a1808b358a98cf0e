//! Quantization: [`quantize`] a model file into a new GGUF file.

use std::ffi::CString;
use std::fmt;
use std::os::raw::c_char;
use std::path::{Path, PathBuf};
use std::ptr;

use crate::callback::{message_trampoline, progress_trampoline, Callbacks, Flow};
use crate::cstr::{path_to_cstring, to_cstring};
use crate::error::{check, Result};
use crate::sys;
use crate::version::ensure_abi;

/// How weights are rounded (`lq_quant_method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum QuantMethod {
    /// Round to nearest, with scales searched for the least squared error; the default.
    #[default]
    Rtn,
    /// GPTQ: rounding errors compensated with the calibration inputs' Hessian.
    Gptq,
    /// AWQ: activation-aware per-channel scaling folded into the model, then rounding.
    Awq,
    /// Round to nearest, each column's error weighted by its mean squared input.
    Importance,
    /// SmoothQuant: channel ranges moved from the activations into the weights, then
    /// rounding as `Importance`; made for W8A8 execution (the oneDNN backend).
    SmoothQuant,
}

impl QuantMethod {
    fn to_raw(self) -> u32 {
        match self {
            QuantMethod::Rtn => 0,
            QuantMethod::Gptq => 1,
            QuantMethod::Awq => 2,
            QuantMethod::Importance => 3,
            QuantMethod::SmoothQuant => 4,
        }
    }
}

/// What [`quantize`] makes, and how; the defaults are those of the C API (Q8_0, round to
/// nearest, all hardware threads).
///
/// ```no_run
/// # fn main() -> Result<(), libquant::Error> {
/// let options = libquant::QuantizeOptions::new("q4_k_m")
///     .progress(|done| eprint!("\r{:3.0} %", done * 100.0))
///     .on_message(|line| eprintln!("{}", line));
/// libquant::quantize("model-f16.gguf", "model-q4_k_m.gguf", options)?;
/// # Ok(())
/// # }
/// ```
#[derive(Default)]
#[must_use]
pub struct QuantizeOptions<'a> {
    target: Option<String>,
    method: QuantMethod,
    tensor_types: Option<String>,
    calibration_path: Option<PathBuf>,
    calibration_samples: u32,
    calibration_ctx: u32,
    n_threads: u32,
    flags: u32,
    tokenizer_path: Option<PathBuf>,
    smooth_alpha: f32,
    callbacks: Callbacks<'a>,
}

impl<'a> QuantizeOptions<'a> {
    /// Options for a target mix or type name: a GGUF mix (`"q8_0"`, `"q6_k"`, `"q5_k_m"`,
    /// `"q4_k_m"`, `"q4_0"`, `"iq4_xs"`, `"f16"`, ...), one of libquant's (`"lq-int8"`,
    /// `"lq-int4"`, `"lq-int4-g64"`, ...), or a type name that puts every matrix in that type.
    pub fn new(target: impl Into<String>) -> Self {
        QuantizeOptions {
            target: Some(target.into()),
            ..Self::default()
        }
    }

    /// The rounding method (default [`QuantMethod::Rtn`]); the calibrated ones need
    /// [`calibration`](QuantizeOptions::calibration) text.
    pub fn method(mut self, method: QuantMethod) -> Self {
        self.method = method;
        self
    }

    /// Per-tensor overrides, `"PATTERN=TYPE,PATTERN=TYPE"` (glob patterns on tensor names).
    pub fn tensor_types(mut self, overrides: impl Into<String>) -> Self {
        self.tensor_types = Some(overrides.into());
        self
    }

    /// Calibration text (or token ids) for GPTQ, AWQ, importance and SmoothQuant.
    pub fn calibration(mut self, path: impl Into<PathBuf>) -> Self {
        self.calibration_path = Some(path.into());
        self
    }

    /// Calibration sequences; 0 (the default) means 64.
    pub fn calibration_samples(mut self, samples: u32) -> Self {
        self.calibration_samples = samples;
        self
    }

    /// Tokens per calibration sequence; 0 (the default) means 256.
    pub fn calibration_ctx(mut self, tokens: u32) -> Self {
        self.calibration_ctx = tokens;
        self
    }

    /// Threads; 0 (the default): all hardware threads.
    pub fn n_threads(mut self, n_threads: u32) -> Self {
        self.n_threads = n_threads;
        self
    }

    fn flag(mut self, flag: u32, on: bool) -> Self {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
        self
    }

    /// Round to nearest with the exhaustive scale search (10 to 100 times slower, a few percent
    /// less error).
    pub fn exhaustive(self, on: bool) -> Self {
        self.flag(sys::LQ_QUANTIZE_EXHAUSTIVE, on)
    }

    /// GPTQ: quantize blocks most important first (the default, `true`) or in stored order.
    pub fn gptq_act_order(self, on: bool) -> Self {
        self.flag(sys::LQ_QUANTIZE_GPTQ_NO_ACT_ORDER, !on)
    }

    /// Apply SmoothQuant's smoothing before the method's rounding (needs calibration text).
    pub fn smooth(self, on: bool) -> Self {
        self.flag(sys::LQ_QUANTIZE_SMOOTH, on)
    }

    /// SmoothQuant's migration strength in (0, 1]; 0 (the default) means 0.5.
    pub fn smooth_alpha(mut self, alpha: f32) -> Self {
        self.smooth_alpha = alpha;
        self
    }

    /// For llama2.c inputs: their tokenizer.bin.
    pub fn tokenizer(mut self, path: impl Into<PathBuf>) -> Self {
        self.tokenizer_path = Some(path.into());
        self
    }

    /// Calls `f` with the fraction done, from 0 to 1, non-decreasing. [`Flow::Stop`] cancels:
    /// [`quantize`] then fails with [`Status::Cancelled`](crate::Status::Cancelled) and leaves
    /// no output file. `f` may return `()`.
    pub fn progress<F, R>(mut self, mut f: F) -> Self
    where
        F: FnMut(f32) -> R + 'a,
        R: Into<Flow>,
    {
        self.callbacks.progress = Some(Box::new(move |fraction| f(fraction).into()));
        self
    }

    /// Calls `f` with a line per tensor (its new type) and with warnings.
    pub fn on_message<F>(mut self, f: F) -> Self
    where
        F: FnMut(&str) + 'a,
    {
        self.callbacks.message = Some(Box::new(f));
        self
    }
}

impl fmt::Debug for QuantizeOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QuantizeOptions")
            .field("target", &self.target)
            .field("method", &self.method)
            .field("tensor_types", &self.tensor_types)
            .field("calibration_path", &self.calibration_path)
            .field("calibration_samples", &self.calibration_samples)
            .field("calibration_ctx", &self.calibration_ctx)
            .field("n_threads", &self.n_threads)
            .field("flags", &self.flags)
            .field("tokenizer_path", &self.tokenizer_path)
            .field("smooth_alpha", &self.smooth_alpha)
            .field("progress", &self.callbacks.progress.is_some())
            .field("on_message", &self.callbacks.message.is_some())
            .finish()
    }
}

fn optional<T>(
    value: Option<T>,
    convert: impl FnOnce(T) -> Result<CString>,
) -> Result<Option<CString>> {
    value.map(convert).transpose()
}

fn as_ptr(text: Option<&CString>) -> *const c_char {
    text.map_or(ptr::null(), |text| text.as_ptr())
}

/// Quantizes the model file `input` (GGUF, or a llama2.c checkpoint) into a new GGUF file
/// `output`, tensor by tensor with bounded memory. The output is written under a temporary name
/// and renamed into place at the end.
///
/// A panic in a callback cancels the work and is resumed once it has stopped.
///
/// # Errors
/// [`Status::InvalidArgument`](crate::Status::InvalidArgument) for an unknown target, method or
/// override, or a calibrated method without calibration text; [`Status::Io`](crate::Status::Io)
/// when a file cannot be read or written; [`Status::Cancelled`](crate::Status::Cancelled) when
/// the progress closure stopped it (no output file is left).
pub fn quantize(
    input: impl AsRef<Path>,
    output: impl AsRef<Path>,
    options: QuantizeOptions<'_>,
) -> Result<()> {
    ensure_abi()?;
    let QuantizeOptions {
        target,
        method,
        tensor_types,
        calibration_path,
        calibration_samples,
        calibration_ctx,
        n_threads,
        flags,
        tokenizer_path,
        smooth_alpha,
        mut callbacks,
    } = options;
    let input = path_to_cstring(input.as_ref())?;
    let output = path_to_cstring(output.as_ref())?;
    let target = optional(target, |t| to_cstring(&t, "quantization target"))?;
    let tensor_types = optional(tensor_types, |t| to_cstring(&t, "tensor type overrides"))?;
    let calibration_path = optional(calibration_path, |p| path_to_cstring(&p))?;
    let tokenizer_path = optional(tokenizer_path, |p| path_to_cstring(&p))?;

    let mut raw = sys::lq_quantize_options {
        method: method.to_raw(),
        target: as_ptr(target.as_ref()),
        tensor_types: as_ptr(tensor_types.as_ref()),
        calibration_path: as_ptr(calibration_path.as_ref()),
        calibration_samples,
        calibration_ctx,
        n_threads,
        flags,
        tokenizer_path: as_ptr(tokenizer_path.as_ref()),
        smooth_alpha,
        ..sys::lq_quantize_options::default()
    };
    let user_data = callbacks.user_data();
    raw.progress = Some(progress_trampoline);
    raw.progress_user_data = user_data;
    if callbacks.message.is_some() {
        raw.on_message = Some(message_trampoline);
        raw.message_user_data = user_data;
    }

    // SAFETY: every pointer in `raw` (strings, `callbacks`) outlives the call.
    let status = unsafe { sys::lq_quantize(input.as_ptr(), output.as_ptr(), &raw) };
    let checked = check(status);
    callbacks.panic.resume();
    checked
}
