//! Generation: [`GenerateOptions`], [`Context::generate`] and its streaming form.

use std::ffi::{c_void, CString};
use std::os::raw::c_char;
use std::ptr;
use std::slice;
use std::time::Duration;

use crate::callback::{Flow, PanicSlot};
use crate::context::Context;
use crate::cstr::to_cstring;
use crate::error::{check, Result, Status};
use crate::sys;
use crate::Token;

/// The seed value that asks for a random seed (the default of [`GenerateOptions::seed`]).
pub const SEED_RANDOM: u64 = sys::LQ_SEED_RANDOM;

/// What generation starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// UTF-8 text, tokenized with the model's vocabulary.
    Text(String),
    /// Token ids, used as they are.
    Tokens(Vec<Token>),
}

impl From<&str> for Prompt {
    fn from(text: &str) -> Prompt {
        Prompt::Text(text.to_owned())
    }
}

impl From<String> for Prompt {
    fn from(text: String) -> Prompt {
        Prompt::Text(text)
    }
}

impl From<Vec<Token>> for Prompt {
    fn from(tokens: Vec<Token>) -> Prompt {
        Prompt::Tokens(tokens)
    }
}

impl From<&[Token]> for Prompt {
    fn from(tokens: &[Token]) -> Prompt {
        Prompt::Tokens(tokens.to_vec())
    }
}

/// The prompt, sampling chain and stopping rules of one [`Context::generate`] call.
///
/// Built from the C API's defaults (256 tokens at most, temperature 0.8, top-k 40, top-p 0.95,
/// min-p 0.05, no penalties, a random seed):
///
/// ```
/// let greedy = libquant::GenerateOptions::new("Once upon a time")
///     .max_tokens(64)
///     .temperature(0.0)
///     .stop("\n\n");
/// ```
///
/// Sampling applies, in order: repetition/frequency/presence penalties, top-k, top-p, min-p,
/// temperature. A temperature of 0 or less is greedy.
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct GenerateOptions {
    prompt: Prompt,
    add_special: bool,
    parse_special: bool,
    max_tokens: i32,
    temperature: f32,
    top_k: i32,
    top_p: f32,
    min_p: f32,
    repeat_penalty: f32,
    repeat_last_n: i32,
    frequency_penalty: f32,
    presence_penalty: f32,
    seed: u64,
    stop: Vec<String>,
}

impl Default for GenerateOptions {
    /// The C defaults with an empty text prompt.
    fn default() -> Self {
        let raw = sys::lq_generate_options::default();
        GenerateOptions {
            prompt: Prompt::Text(String::new()),
            add_special: raw.flags & sys::LQ_GENERATE_NO_SPECIAL == 0,
            parse_special: raw.flags & sys::LQ_GENERATE_PARSE_SPECIAL != 0,
            max_tokens: raw.max_tokens,
            temperature: raw.temperature,
            top_k: raw.top_k,
            top_p: raw.top_p,
            min_p: raw.min_p,
            repeat_penalty: raw.repeat_penalty,
            repeat_last_n: raw.repeat_last_n,
            frequency_penalty: raw.frequency_penalty,
            presence_penalty: raw.presence_penalty,
            seed: raw.seed,
            stop: Vec::new(),
        }
    }
}

impl GenerateOptions {
    /// The defaults with this prompt (text or token ids).
    pub fn new(prompt: impl Into<Prompt>) -> Self {
        GenerateOptions {
            prompt: prompt.into(),
            ..Self::default()
        }
    }

    /// Replaces the prompt.
    pub fn prompt(mut self, prompt: impl Into<Prompt>) -> Self {
        self.prompt = prompt.into();
        self
    }

    /// Whether a text prompt gets the model's BOS/EOS tokens (default `true`).
    pub fn add_special(mut self, on: bool) -> Self {
        self.add_special = on;
        self
    }

    /// Whether special-token text in a text prompt (`<|im_start|>`) becomes those tokens
    /// (default `false`).
    pub fn parse_special(mut self, on: bool) -> Self {
        self.parse_special = on;
        self
    }

    /// Tokens to generate at most (default 256); negative: until the context is full.
    pub fn max_tokens(mut self, max_tokens: i32) -> Self {
        self.max_tokens = max_tokens;
        self
    }

    /// Sampling temperature (default 0.8); 0 or less is greedy.
    pub fn temperature(mut self, temperature: f32) -> Self {
        self.temperature = temperature;
        self
    }

    /// Keep the `top_k` most likely tokens (default 40); 0: off.
    pub fn top_k(mut self, top_k: i32) -> Self {
        self.top_k = top_k;
        self
    }

    /// Nucleus sampling threshold (default 0.95); 1: off.
    pub fn top_p(mut self, top_p: f32) -> Self {
        self.top_p = top_p;
        self
    }

    /// Drop tokens below `min_p` times the most likely one's probability (default 0.05); 0: off.
    pub fn min_p(mut self, min_p: f32) -> Self {
        self.min_p = min_p;
        self
    }

    /// Repetition penalty (default 1: off).
    pub fn repeat_penalty(mut self, repeat_penalty: f32) -> Self {
        self.repeat_penalty = repeat_penalty;
        self
    }

    /// Recent tokens the penalties consider (default 64); -1: all.
    pub fn repeat_last_n(mut self, repeat_last_n: i32) -> Self {
        self.repeat_last_n = repeat_last_n;
        self
    }

    /// Frequency penalty (default 0).
    pub fn frequency_penalty(mut self, frequency_penalty: f32) -> Self {
        self.frequency_penalty = frequency_penalty;
        self
    }

    /// Presence penalty (default 0).
    pub fn presence_penalty(mut self, presence_penalty: f32) -> Self {
        self.presence_penalty = presence_penalty;
        self
    }

    /// Sampling seed: the same seed gives the same output. [`SEED_RANDOM`] (the default) picks one.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Adds a stop string: generation ends before it, and the text excludes it.
    pub fn stop(mut self, stop: impl Into<String>) -> Self {
        self.stop.push(stop.into());
        self
    }

    /// Adds several stop strings.
    pub fn stops<I>(mut self, stops: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.stop.extend(stops.into_iter().map(Into::into));
        self
    }

    /// The `lq_generate_flags` of these options.
    fn flags(&self) -> u32 {
        let mut flags = 0;
        if !self.add_special {
            flags |= sys::LQ_GENERATE_NO_SPECIAL;
        }
        if self.parse_special {
            flags |= sys::LQ_GENERATE_PARSE_SPECIAL;
        }
        flags
    }
}

/// Why generation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StopReason {
    /// `max_tokens` tokens were generated.
    MaxTokens,
    /// The model produced an end-of-generation token (EOS, EOT, ...).
    EndOfGeneration,
    /// A stop string appeared (`LQ_STOP_STRING`); the text ends before it.
    StopString,
    /// The streaming callback returned [`Flow::Stop`] (or panicked).
    Callback,
    /// The context has no positions left.
    ContextFull,
    /// A [`CancelHandle`](crate::CancelHandle) stopped it (`LQ_STOP_CANCELLED`); the text is what was
    /// produced so far.
    Cancelled,
    /// A reason this version of the binding does not know.
    Unknown(u32),
}

impl StopReason {
    fn from_raw(raw: u32) -> StopReason {
        match raw {
            0 => StopReason::MaxTokens,
            1 => StopReason::EndOfGeneration,
            2 => StopReason::StopString,
            3 => StopReason::Callback,
            4 => StopReason::ContextFull,
            5 => StopReason::Cancelled,
            other => StopReason::Unknown(other),
        }
    }
}

/// What a [`Context::generate`] call produced.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Generation {
    /// The generated text (not the prompt); the streamed pieces concatenated.
    pub text: String,
    /// Why generation ended.
    pub stop_reason: StopReason,
    /// Tokens in the prompt.
    pub n_prompt_tokens: u32,
    /// Prompt tokens found already evaluated in the context (not recomputed).
    pub n_reused_tokens: u32,
    /// Tokens generated (an end-of-generation token excluded).
    pub n_generated_tokens: u32,
    /// Time spent evaluating the prompt.
    pub prompt_time: Duration,
    /// Time spent generating.
    pub generate_time: Duration,
}

/// The state behind `user_data` during one lq_generate call.
struct Stream<'a> {
    text: String,
    on_text: &'a mut dyn FnMut(&str) -> Flow,
    panic: PanicSlot,
}

/// `lq_token_callback` collecting the text and calling the caller's closure.
///
/// # Safety
/// `text` points to `text_len` bytes; `user_data` is the `Stream` of the running call.
unsafe extern "C" fn on_text_trampoline(
    text: *const c_char,
    text_len: usize,
    _token: i32,
    user_data: *mut c_void,
) -> i32 {
    // SAFETY: `user_data` is the `Stream` of the running call, used by nothing else meanwhile.
    let stream = unsafe { &mut *user_data.cast::<Stream<'_>>() };
    let bytes = if text_len == 0 {
        &[][..]
    } else {
        // SAFETY: the library passes `text_len` readable bytes, valid during the call.
        unsafe { slice::from_raw_parts(text.cast::<u8>(), text_len) }
    };
    let Stream {
        text,
        on_text,
        panic,
    } = stream;
    panic
        .call(|| {
            // Whole UTF-8 characters, except perhaps a final piece of invalid model output.
            let piece = String::from_utf8_lossy(bytes);
            text.push_str(&piece);
            on_text(&piece)
        })
        .unwrap_or(Flow::Stop)
        .to_c()
}

fn seconds(value: f64) -> Duration {
    if value.is_finite() && value > 0.0 && value < 1e12 {
        Duration::from_secs_f64(value)
    } else {
        Duration::ZERO
    }
}

impl Context {
    /// Generates text after the prompt and returns it when generation ends.
    ///
    /// The context's cache is reused for the longest prefix of the prompt it already holds.
    /// A [`CancelHandle::cancel`](crate::CancelHandle::cancel) makes it return `Ok` with
    /// [`StopReason::Cancelled`] and the text so far.
    ///
    /// # Errors
    /// [`Status::ContextFull`] when the prompt does not fit; [`Status::InvalidArgument`] for an
    /// empty prompt, out-of-range sampling options, a token outside the vocabulary, or a stop
    /// string with a NUL byte.
    pub fn generate(&mut self, options: &GenerateOptions) -> Result<Generation> {
        self.generate_streaming(options, |_: &str| Flow::Continue)
    }

    /// As [`Context::generate`], calling `on_text` with each piece of text as it is ready
    /// (whole UTF-8 characters). `on_text` returns [`Flow::Stop`] to end generation
    /// ([`StopReason::Callback`]), or [`Flow::Continue`] (or `()`) to go on.
    ///
    /// `on_text` runs on this thread and cannot use this context (it is borrowed). If it
    /// panics, generation stops and the panic is resumed once the C call has returned; the
    /// context stays usable.
    ///
    /// ```no_run
    /// # fn main() -> Result<(), libquant::Error> {
    /// # let model = libquant::Model::load("model.gguf")?;
    /// # let mut context = libquant::Context::new(&model, Default::default())?;
    /// use std::io::Write;
    /// let options = libquant::GenerateOptions::new("Once upon a time").max_tokens(64);
    /// let generation = context.generate_streaming(&options, |piece| {
    ///     print!("{}", piece);
    ///     std::io::stdout().flush().ok();
    /// })?;
    /// println!("\n[{:?}]", generation.stop_reason);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    /// As [`Context::generate`].
    pub fn generate_streaming<F, R>(
        &mut self,
        options: &GenerateOptions,
        mut on_text: F,
    ) -> Result<Generation>
    where
        F: FnMut(&str) -> R,
        R: Into<Flow>,
    {
        let stop: Vec<CString> = options
            .stop
            .iter()
            .map(|s| to_cstring(s, "stop string"))
            .collect::<Result<_>>()?;
        let stop_ptrs: Vec<*const c_char> = stop.iter().map(|s| s.as_ptr()).collect();

        let mut adapted = |piece: &str| -> Flow { on_text(piece).into() };
        let mut stream = Stream {
            text: String::new(),
            on_text: &mut adapted,
            panic: PanicSlot::default(),
        };

        let mut raw = sys::lq_generate_options {
            flags: options.flags(),
            max_tokens: options.max_tokens,
            temperature: options.temperature,
            top_k: options.top_k,
            top_p: options.top_p,
            min_p: options.min_p,
            repeat_penalty: options.repeat_penalty,
            repeat_last_n: options.repeat_last_n,
            frequency_penalty: options.frequency_penalty,
            presence_penalty: options.presence_penalty,
            seed: options.seed,
            stop: if stop_ptrs.is_empty() {
                ptr::null()
            } else {
                stop_ptrs.as_ptr()
            },
            n_stop: stop_ptrs.len(),
            on_text: Some(on_text_trampoline),
            user_data: ptr::addr_of_mut!(stream).cast(),
            ..sys::lq_generate_options::default()
        };
        match &options.prompt {
            Prompt::Text(text) => {
                raw.prompt = text.as_ptr().cast();
                raw.prompt_len = text.len();
            }
            Prompt::Tokens(tokens) => {
                raw.prompt_tokens = tokens.as_ptr();
                raw.n_prompt_tokens = tokens.len();
            }
        }

        let mut result = sys::lq_generate_result::default();
        // SAFETY: a live context used by this thread only (`&mut self`); every pointer in `raw`
        // (prompt, stop strings, `stream`) outlives the call.
        let status = unsafe { sys::lq_generate(self.as_ptr(), &raw, &mut result) };
        let checked = check(status);
        stream.panic.resume();

        let stop_reason = match checked {
            Ok(()) => StopReason::from_raw(result.stop_reason),
            Err(error) if error.status() == Status::Cancelled => StopReason::Cancelled,
            Err(error) => return Err(error),
        };
        Ok(Generation {
            text: stream.text,
            stop_reason,
            n_prompt_tokens: result.n_prompt_tokens,
            n_reused_tokens: result.n_reused_tokens,
            n_generated_tokens: result.n_generated_tokens,
            prompt_time: seconds(result.prompt_seconds),
            generate_time: seconds(result.generate_seconds),
        })
    }
}
