//! Raw declarations of the part of the C API (`libquant/libquant.h`) this crate uses.
//!
//! Hand-written mirrors of the C structs and functions, for the safe wrappers of this crate and
//! for callers that need something those do not offer. Everything here follows the C header's
//! rules: set `struct_size` to `size_of` the mirror (the `Default` impls do, with the values of
//! the header's `_INIT` macros), and see the header for what each call requires.
//!
//! The C `_init()` functions are deliberately not declared: they write the library's own
//! `sizeof`, which overruns a smaller mirror when the library is newer than this crate.
#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::marker::{PhantomData, PhantomPinned};
use std::mem::size_of;
use std::os::raw::c_char;
use std::ptr;

/// Result of every fallible call: [`LQ_OK`] or a negative error code.
pub type lq_status = i32;
/// Success.
pub const LQ_OK: lq_status = 0;
/// A NULL pointer, an out-of-range value or an unknown option.
pub const LQ_ERR_INVALID_ARGUMENT: lq_status = -1;
/// Memory could not be allocated.
pub const LQ_ERR_OOM: lq_status = -2;
/// A file could not be opened, read, mapped or written.
pub const LQ_ERR_IO: lq_status = -3;
/// A model file is malformed.
pub const LQ_ERR_MODEL_FORMAT: lq_status = -4;
/// Well-formed input this build cannot handle.
pub const LQ_ERR_UNSUPPORTED: lq_status = -5;
/// The output buffer is too small; `*needed_out` says how large it must be.
pub const LQ_ERR_BUFFER_TOO_SMALL: lq_status = -6;
/// A callback or `lq_context_cancel()` stopped the work.
pub const LQ_ERR_CANCELLED: lq_status = -7;
/// The tokens do not fit in the context window.
pub const LQ_ERR_CONTEXT_FULL: lq_status = -8;
/// The requested key, token or item does not exist.
pub const LQ_ERR_NOT_FOUND: lq_status = -9;
/// The item exists with another type than the one asked for.
pub const LQ_ERR_TYPE_MISMATCH: lq_status = -10;
/// A compute backend or its driver failed.
pub const LQ_ERR_BACKEND: lq_status = -11;
/// A bug in libquant.
pub const LQ_ERR_INTERNAL: lq_status = -99;

/// `LQ_MODEL_NO_MMAP`: read the file into memory instead of mapping it.
pub const LQ_MODEL_NO_MMAP: u32 = 1 << 0;
/// `LQ_MODEL_VOCAB_ONLY`: load metadata and vocabulary only.
pub const LQ_MODEL_VOCAB_ONLY: u32 = 1 << 1;
/// `LQ_MODEL_METADATA_ONLY`: validate the file and read its metadata and tensor table only.
pub const LQ_MODEL_METADATA_ONLY: u32 = 1 << 2;

/// `LQ_TOKENIZE_ADD_SPECIAL`: add BOS/EOS as the model's metadata says.
pub const LQ_TOKENIZE_ADD_SPECIAL: u32 = 1 << 0;
/// `LQ_TOKENIZE_PARSE_SPECIAL`: turn the text of control tokens into those tokens.
pub const LQ_TOKENIZE_PARSE_SPECIAL: u32 = 1 << 1;
/// `LQ_DETOKENIZE_RENDER_SPECIAL`: write the text of control, unknown and unused tokens.
pub const LQ_DETOKENIZE_RENDER_SPECIAL: u32 = 1 << 0;
/// `LQ_DETOKENIZE_KEEP_LEADING_SPACE`: keep the space SentencePiece puts in front of text.
pub const LQ_DETOKENIZE_KEEP_LEADING_SPACE: u32 = 1 << 1;

/// `LQ_EVAL_ALL_LOGITS`: return the logits of every token, not just the last.
pub const LQ_EVAL_ALL_LOGITS: u32 = 1 << 0;

/// `LQ_GENERATE_NO_SPECIAL`: do not add BOS/EOS to a text prompt.
pub const LQ_GENERATE_NO_SPECIAL: u32 = 1 << 0;
/// `LQ_GENERATE_PARSE_SPECIAL`: turn special-token text in the prompt into those tokens.
pub const LQ_GENERATE_PARSE_SPECIAL: u32 = 1 << 1;
/// `LQ_SEED_RANDOM`: the seed value that asks for a random seed.
pub const LQ_SEED_RANDOM: u64 = u64::MAX;

/// `LQ_QUANTIZE_GPTQ_NO_ACT_ORDER`: GPTQ keeps the stored order of blocks.
pub const LQ_QUANTIZE_GPTQ_NO_ACT_ORDER: u32 = 1 << 0;
/// `LQ_QUANTIZE_EXHAUSTIVE`: round to nearest with the exhaustive scale search.
pub const LQ_QUANTIZE_EXHAUSTIVE: u32 = 1 << 1;
/// `LQ_QUANTIZE_SMOOTH`: apply SmoothQuant's smoothing before the method's rounding.
pub const LQ_QUANTIZE_SMOOTH: u32 = 1 << 2;

/// `lq_tensor_type` `LQ_TYPE_F32`.
pub const LQ_TYPE_F32: u32 = 0;
/// `lq_tensor_type` `LQ_TYPE_F16`, the default key/value cache type.
pub const LQ_TYPE_F16: u32 = 1;
/// `lq_backend` `LQ_BACKEND_CPU`, the default backend.
pub const LQ_BACKEND_CPU: u32 = 0;
/// `lq_quant_method` `LQ_QUANT_RTN`, the default method.
pub const LQ_QUANT_RTN: u32 = 0;

/// An opaque loaded model (`lq_model`).
#[repr(C)]
#[derive(Debug)]
pub struct lq_model {
    _opaque: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

/// An opaque inference context (`lq_context`).
#[repr(C)]
#[derive(Debug)]
pub struct lq_context {
    _opaque: [u8; 0],
    _marker: PhantomData<(*mut u8, PhantomPinned)>,
}

/// `lq_progress_callback`: fraction done in [0, 1]; return non-zero to cancel.
pub type lq_progress_callback =
    Option<unsafe extern "C" fn(progress: f32, user_data: *mut c_void) -> i32>;

/// `lq_token_callback`: a piece of generated UTF-8 text; return non-zero to stop.
pub type lq_token_callback = Option<
    unsafe extern "C" fn(
        text: *const c_char,
        text_len: usize,
        token: i32,
        user_data: *mut c_void,
    ) -> i32,
>;

/// `lq_message_callback`: one line about the work of `lq_quantize()`.
pub type lq_message_callback =
    Option<unsafe extern "C" fn(line: *const c_char, user_data: *mut c_void)>;

/// Size of a mirror as the `struct_size` field wants it.
fn struct_size<T>() -> u32 {
    size_of::<T>() as u32
}

/// Options of `lq_model_load()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_model_options {
    /// `size_of::<lq_model_options>()`.
    pub struct_size: u32,
    /// Bitwise OR of the `LQ_MODEL_*` flags.
    pub flags: u32,
    /// Called while loading; may cancel.
    pub progress: lq_progress_callback,
    /// Passed to `progress`.
    pub progress_user_data: *mut c_void,
}

impl Default for lq_model_options {
    /// `LQ_MODEL_OPTIONS_INIT`.
    fn default() -> Self {
        lq_model_options {
            struct_size: struct_size::<Self>(),
            flags: 0,
            progress: None,
            progress_user_data: ptr::null_mut(),
        }
    }
}

/// Summary of a model, filled by `lq_model_get_info()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_model_info {
    /// `size_of::<lq_model_info>()`.
    pub struct_size: u32,
    /// GGUF version of the file.
    pub gguf_version: u32,
    /// `general.architecture`, owned by the model.
    pub architecture: *const c_char,
    /// `general.name`, owned by the model.
    pub name: *const c_char,
    /// Number of weights.
    pub n_params: u64,
    /// Bytes of tensor data.
    pub n_tensor_bytes: u64,
    /// Bit t set when a tensor of type t is present.
    pub tensor_types_mask: u64,
    /// Number of tensors.
    pub n_tensors: u32,
    /// Vocabulary size.
    pub n_vocab: u32,
    /// Training context length.
    pub n_ctx_train: u32,
    /// Embedding width.
    pub n_embd: u32,
    /// Transformer blocks.
    pub n_layer: u32,
    /// Attention query heads.
    pub n_head: u32,
    /// Attention key/value heads.
    pub n_head_kv: u32,
    /// Zero.
    pub reserved: u32,
}

impl Default for lq_model_info {
    /// `LQ_MODEL_INFO_INIT`.
    fn default() -> Self {
        lq_model_info {
            struct_size: struct_size::<Self>(),
            gguf_version: 0,
            architecture: ptr::null(),
            name: ptr::null(),
            n_params: 0,
            n_tensor_bytes: 0,
            tensor_types_mask: 0,
            n_tensors: 0,
            n_vocab: 0,
            n_ctx_train: 0,
            n_embd: 0,
            n_layer: 0,
            n_head: 0,
            n_head_kv: 0,
            reserved: 0,
        }
    }
}

/// A model's vocabulary, filled by `lq_model_get_vocab_info()`. Token ids are -1 when absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_vocab_info {
    /// `size_of::<lq_vocab_info>()`.
    pub struct_size: u32,
    /// An `lq_tokenizer_type`.
    pub tokenizer_type: u32,
    /// Number of tokens.
    pub n_tokens: u32,
    /// Beginning of sequence.
    pub bos: i32,
    /// End of sequence.
    pub eos: i32,
    /// End of turn.
    pub eot: i32,
    /// End of message.
    pub eom: i32,
    /// Unknown token.
    pub unk: i32,
    /// Separator.
    pub sep: i32,
    /// Padding.
    pub pad: i32,
    /// Classification.
    pub cls: i32,
    /// Mask.
    pub mask: i32,
    /// Fill-in-the-middle: prefix.
    pub fim_pre: i32,
    /// Fill-in-the-middle: suffix.
    pub fim_suf: i32,
    /// Fill-in-the-middle: middle.
    pub fim_mid: i32,
    /// Fill-in-the-middle: padding.
    pub fim_pad: i32,
    /// Fill-in-the-middle: repository name.
    pub fim_rep: i32,
    /// Fill-in-the-middle: file separator.
    pub fim_sep: i32,
    /// 1 when `LQ_TOKENIZE_ADD_SPECIAL` puts BOS first.
    pub add_bos: u32,
    /// 1 when `LQ_TOKENIZE_ADD_SPECIAL` puts EOS last.
    pub add_eos: u32,
    /// 1 when SentencePiece puts a space in front of the text.
    pub add_space_prefix: u32,
    /// Zero.
    pub reserved: u32,
    /// `tokenizer.ggml.model`, owned by the model.
    pub model: *const c_char,
    /// Pre-tokenizer name, owned by the model.
    pub pre: *const c_char,
}

impl Default for lq_vocab_info {
    /// `LQ_VOCAB_INFO_INIT`.
    fn default() -> Self {
        lq_vocab_info {
            struct_size: struct_size::<Self>(),
            tokenizer_type: 0,
            n_tokens: 0,
            bos: -1,
            eos: -1,
            eot: -1,
            eom: -1,
            unk: -1,
            sep: -1,
            pad: -1,
            cls: -1,
            mask: -1,
            fim_pre: -1,
            fim_suf: -1,
            fim_mid: -1,
            fim_pad: -1,
            fim_rep: -1,
            fim_sep: -1,
            add_bos: 0,
            add_eos: 0,
            add_space_prefix: 0,
            reserved: 0,
            model: ptr::null(),
            pre: ptr::null(),
        }
    }
}

/// Options of `lq_context_create()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_context_options {
    /// `size_of::<lq_context_options>()`.
    pub struct_size: u32,
    /// Context length in tokens; 0: the model's training length, at most 4096.
    pub n_ctx: u32,
    /// Tokens per forward pass; 0 means 512.
    pub n_batch: u32,
    /// Threads; 0: all hardware threads.
    pub n_threads: u32,
    /// Key/value cache tensor type.
    pub kv_type: u32,
    /// An `lq_backend`.
    pub backend: u32,
}

impl Default for lq_context_options {
    /// `LQ_CONTEXT_OPTIONS_INIT`.
    fn default() -> Self {
        lq_context_options {
            struct_size: struct_size::<Self>(),
            n_ctx: 0,
            n_batch: 512,
            n_threads: 0,
            kv_type: LQ_TYPE_F16,
            backend: LQ_BACKEND_CPU,
        }
    }
}

/// Facts about a context, filled by `lq_context_get_info()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_context_info {
    /// `size_of::<lq_context_info>()`.
    pub struct_size: u32,
    /// Context length in tokens.
    pub n_ctx: u32,
    /// Positions in use.
    pub n_past: u32,
    /// Tokens per forward pass.
    pub n_batch: u32,
    /// Threads used.
    pub n_threads: u32,
    /// Logits per token.
    pub n_vocab: u32,
    /// Key/value cache tensor type.
    pub kv_type: u32,
    /// The `lq_backend` in use.
    pub backend: u32,
    /// Memory of the key/value cache.
    pub kv_bytes: u64,
}

impl Default for lq_context_info {
    /// `LQ_CONTEXT_INFO_INIT`.
    fn default() -> Self {
        lq_context_info {
            struct_size: struct_size::<Self>(),
            n_ctx: 0,
            n_past: 0,
            n_batch: 0,
            n_threads: 0,
            n_vocab: 0,
            kv_type: 0,
            backend: 0,
            kv_bytes: 0,
        }
    }
}

/// Options of `lq_generate()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_generate_options {
    /// `size_of::<lq_generate_options>()`.
    pub struct_size: u32,
    /// Bitwise OR of the `LQ_GENERATE_*` flags.
    pub flags: u32,
    /// UTF-8 prompt, or NULL to use `prompt_tokens`.
    pub prompt: *const c_char,
    /// Bytes of `prompt`.
    pub prompt_len: usize,
    /// Prompt as token ids.
    pub prompt_tokens: *const i32,
    /// Number of `prompt_tokens`.
    pub n_prompt_tokens: usize,
    /// Tokens to generate at most; negative: until the context is full.
    pub max_tokens: i32,
    /// 0 or less: greedy.
    pub temperature: f32,
    /// 0: off.
    pub top_k: i32,
    /// 1: off.
    pub top_p: f32,
    /// 0: off.
    pub min_p: f32,
    /// 1: off.
    pub repeat_penalty: f32,
    /// Recent tokens the penalties consider; -1: all.
    pub repeat_last_n: i32,
    /// Frequency penalty.
    pub frequency_penalty: f32,
    /// Presence penalty.
    pub presence_penalty: f32,
    /// Zero.
    pub reserved: u32,
    /// Seed; [`LQ_SEED_RANDOM`] picks one.
    pub seed: u64,
    /// Stop strings (NUL-terminated UTF-8).
    pub stop: *const *const c_char,
    /// Number of `stop` strings.
    pub n_stop: usize,
    /// Streaming callback.
    pub on_text: lq_token_callback,
    /// Passed to `on_text`.
    pub user_data: *mut c_void,
}

impl Default for lq_generate_options {
    /// `LQ_GENERATE_OPTIONS_INIT`.
    fn default() -> Self {
        lq_generate_options {
            struct_size: struct_size::<Self>(),
            flags: 0,
            prompt: ptr::null(),
            prompt_len: 0,
            prompt_tokens: ptr::null(),
            n_prompt_tokens: 0,
            max_tokens: 256,
            temperature: 0.8,
            top_k: 40,
            top_p: 0.95,
            min_p: 0.05,
            repeat_penalty: 1.0,
            repeat_last_n: 64,
            frequency_penalty: 0.0,
            presence_penalty: 0.0,
            reserved: 0,
            seed: LQ_SEED_RANDOM,
            stop: ptr::null(),
            n_stop: 0,
            on_text: None,
            user_data: ptr::null_mut(),
        }
    }
}

/// What a generation did, filled by `lq_generate()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_generate_result {
    /// `size_of::<lq_generate_result>()`.
    pub struct_size: u32,
    /// An `lq_stop_reason`.
    pub stop_reason: u32,
    /// Tokens in the prompt.
    pub n_prompt_tokens: u32,
    /// Prompt tokens found already evaluated in the context.
    pub n_reused_tokens: u32,
    /// Tokens generated.
    pub n_generated_tokens: u32,
    /// Zero.
    pub reserved: u32,
    /// Time spent evaluating the prompt.
    pub prompt_seconds: f64,
    /// Time spent generating.
    pub generate_seconds: f64,
}

impl Default for lq_generate_result {
    /// `LQ_GENERATE_RESULT_INIT`.
    fn default() -> Self {
        lq_generate_result {
            struct_size: struct_size::<Self>(),
            stop_reason: 0,
            n_prompt_tokens: 0,
            n_reused_tokens: 0,
            n_generated_tokens: 0,
            reserved: 0,
            prompt_seconds: 0.0,
            generate_seconds: 0.0,
        }
    }
}

/// Options of `lq_quantize()`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct lq_quantize_options {
    /// `size_of::<lq_quantize_options>()`.
    pub struct_size: u32,
    /// An `lq_quant_method`.
    pub method: u32,
    /// Mix or type name; NULL: "q8_0".
    pub target: *const c_char,
    /// Overrides "PATTERN=TYPE,...", or NULL.
    pub tensor_types: *const c_char,
    /// Calibration text for the calibrated methods, or NULL.
    pub calibration_path: *const c_char,
    /// Calibration sequences; 0: 64.
    pub calibration_samples: u32,
    /// Tokens per calibration sequence; 0: 256.
    pub calibration_ctx: u32,
    /// Threads; 0: all hardware threads.
    pub n_threads: u32,
    /// Bitwise OR of the `LQ_QUANTIZE_*` flags.
    pub flags: u32,
    /// For llama2.c inputs: their tokenizer.bin.
    pub tokenizer_path: *const c_char,
    /// Called as work proceeds; may cancel.
    pub progress: lq_progress_callback,
    /// Passed to `progress`.
    pub progress_user_data: *mut c_void,
    /// Receives a line per tensor and warnings.
    pub on_message: lq_message_callback,
    /// Passed to `on_message`.
    pub message_user_data: *mut c_void,
    /// SmoothQuant's alpha; 0: 0.5.
    pub smooth_alpha: f32,
}

impl Default for lq_quantize_options {
    /// `LQ_QUANTIZE_OPTIONS_INIT`, except that `target` is NULL (which means "q8_0").
    fn default() -> Self {
        lq_quantize_options {
            struct_size: struct_size::<Self>(),
            method: LQ_QUANT_RTN,
            target: ptr::null(),
            tensor_types: ptr::null(),
            calibration_path: ptr::null(),
            calibration_samples: 64,
            calibration_ctx: 256,
            n_threads: 0,
            flags: 0,
            tokenizer_path: ptr::null(),
            progress: None,
            progress_user_data: ptr::null_mut(),
            on_message: None,
            message_user_data: ptr::null_mut(),
            smooth_alpha: 0.0,
        }
    }
}

extern "C" {
    /// Version of the loaded library, a static string.
    pub fn lq_version() -> *const c_char;
    /// ABI generation of the loaded library.
    pub fn lq_abi_version() -> u32;
    /// A static description of a status.
    pub fn lq_status_string(status: lq_status) -> *const c_char;
    /// The message of the last error on the calling thread.
    pub fn lq_last_error_message() -> *const c_char;
    /// Name of a tensor type ("q4_K", "f16", ...).
    pub fn lq_tensor_type_name(type_: u32) -> *const c_char;

    /// Loads a model file.
    pub fn lq_model_load(
        model_out: *mut *mut lq_model,
        path: *const c_char,
        options: *const lq_model_options,
    ) -> lq_status;
    /// Releases a model; accepts NULL.
    pub fn lq_model_free(model: *mut lq_model);
    /// Describes a model.
    pub fn lq_model_get_info(model: *const lq_model, info: *mut lq_model_info) -> lq_status;
    /// Describes the vocabulary of a model.
    pub fn lq_model_get_vocab_info(model: *const lq_model, info: *mut lq_vocab_info) -> lq_status;
    /// Any metadata entry as NUL-terminated text.
    pub fn lq_model_meta_string(
        model: *const lq_model,
        key: *const c_char,
        buf: *mut c_char,
        capacity: usize,
        needed_out: *mut usize,
    ) -> lq_status;

    /// Turns text into token ids.
    pub fn lq_tokenize(
        model: *const lq_model,
        text: *const c_char,
        text_len: usize,
        flags: u32,
        tokens: *mut i32,
        capacity: usize,
        n_tokens_out: *mut usize,
    ) -> lq_status;
    /// Turns token ids back into NUL-terminated text.
    pub fn lq_detokenize(
        model: *const lq_model,
        tokens: *const i32,
        n_tokens: usize,
        flags: u32,
        text: *mut c_char,
        capacity: usize,
        needed_out: *mut usize,
    ) -> lq_status;
    /// The bytes one token stands for.
    pub fn lq_token_to_piece(
        model: *const lq_model,
        token: i32,
        flags: u32,
        piece: *mut c_char,
        capacity: usize,
        needed_out: *mut usize,
    ) -> lq_status;

    /// Creates a context for a model.
    pub fn lq_context_create(
        context_out: *mut *mut lq_context,
        model: *const lq_model,
        options: *const lq_context_options,
    ) -> lq_status;
    /// Releases a context; accepts NULL. No call may be running on it.
    pub fn lq_context_free(context: *mut lq_context);
    /// Describes a context.
    pub fn lq_context_get_info(context: *const lq_context, info: *mut lq_context_info)
        -> lq_status;
    /// Evaluates tokens after those in the context and returns logits.
    pub fn lq_context_eval(
        context: *mut lq_context,
        tokens: *const i32,
        n_tokens: usize,
        flags: u32,
        logits: *mut f32,
        logits_capacity: usize,
    ) -> lq_status;
    /// Forgets every position.
    pub fn lq_context_reset(context: *mut lq_context) -> lq_status;
    /// Forgets the positions from `n_keep` on.
    pub fn lq_context_truncate(context: *mut lq_context, n_keep: u32) -> lq_status;
    /// Asks the running (or next) evaluation to stop; callable from any thread.
    pub fn lq_context_cancel(context: *mut lq_context) -> lq_status;
    /// Withdraws a pending cancellation request; callable from any thread.
    pub fn lq_context_clear_cancel(context: *mut lq_context) -> lq_status;

    /// Generates text after a prompt.
    pub fn lq_generate(
        context: *mut lq_context,
        options: *const lq_generate_options,
        result: *mut lq_generate_result,
    ) -> lq_status;

    /// Quantizes a model file into a new GGUF file.
    pub fn lq_quantize(
        input_path: *const c_char,
        output_path: *const c_char,
        options: *const lq_quantize_options,
    ) -> lq_status;
}
