//! [`Model`]: a loaded model file, with its description and metadata.

use std::fmt;
use std::path::Path;
use std::ptr::{self, NonNull};
use std::sync::Arc;

use crate::callback::{progress_trampoline, Callbacks, Flow};
use crate::cstr::{path_to_cstring, read_text, to_cstring, to_string};
use crate::error::{check, Error, Result, Status};
use crate::sys;
use crate::tensor_type::TensorType;
use crate::version::ensure_abi;
use crate::Token;

/// How [`Model::load_with`] loads a file. `ModelOptions::default()` maps the whole model.
#[derive(Default)]
#[must_use]
pub struct ModelOptions<'a> {
    flags: u32,
    progress: Option<Box<dyn FnMut(f32) -> Flow + 'a>>,
}

impl<'a> ModelOptions<'a> {
    /// The defaults: the file is mapped, weights and vocabulary are loaded.
    pub fn new() -> Self {
        Self::default()
    }

    fn flag(mut self, flag: u32, on: bool) -> Self {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
        self
    }

    /// Read the file into memory instead of mapping it.
    pub fn no_mmap(self, on: bool) -> Self {
        self.flag(sys::LQ_MODEL_NO_MMAP, on)
    }

    /// Load metadata and vocabulary only: enough to tokenize, not to create a context.
    pub fn vocab_only(self, on: bool) -> Self {
        self.flag(sys::LQ_MODEL_VOCAB_ONLY, on)
    }

    /// Validate the file and read its metadata and tensor table only (any architecture).
    pub fn metadata_only(self, on: bool) -> Self {
        self.flag(sys::LQ_MODEL_METADATA_ONLY, on)
    }

    /// Calls `f` with the fraction loaded, from 0 to 1; [`Flow::Stop`] cancels the load, which
    /// then fails with [`Status::Cancelled`](crate::Status::Cancelled). `f` may return `()`.
    pub fn progress<F, R>(mut self, mut f: F) -> Self
    where
        F: FnMut(f32) -> R + 'a,
        R: Into<Flow>,
    {
        self.progress = Some(Box::new(move |fraction| f(fraction).into()));
        self
    }
}

impl fmt::Debug for ModelOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ModelOptions")
            .field("flags", &self.flags)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// A summary of a model, read once when it is loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ModelInfo {
    /// `general.architecture`, e.g. `"llama"`; empty when absent.
    pub architecture: String,
    /// `general.name`; empty when absent.
    pub name: String,
    /// GGUF version of the file (2 or 3).
    pub gguf_version: u32,
    /// Number of weights (elements of all tensors).
    pub n_params: u64,
    /// Bytes of tensor data.
    pub n_tensor_bytes: u64,
    /// Bit t is set when a tensor of type t is present; see [`ModelInfo::has_tensor_type`].
    pub tensor_types_mask: u64,
    /// Number of tensors.
    pub n_tensors: u32,
    /// Vocabulary size; 0 when the file has none.
    pub n_vocab: u32,
    /// Context length the model was trained for; 0 when unknown.
    pub n_ctx_train: u32,
    /// Embedding width; 0 when unknown.
    pub n_embd: u32,
    /// Number of transformer blocks; 0 when unknown.
    pub n_layer: u32,
    /// Attention query heads; 0 when unknown.
    pub n_head: u32,
    /// Attention key/value heads; 0 when unknown.
    pub n_head_kv: u32,
}

impl ModelInfo {
    /// Whether the model has a tensor of type `ty`.
    pub fn has_tensor_type(&self, ty: TensorType) -> bool {
        ty.0 < 64 && self.tensor_types_mask & (1u64 << ty.0) != 0
    }
}

/// A model's vocabulary: its size and special tokens (`None` where it has no such token).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VocabInfo {
    /// `tokenizer.ggml.model`: `"llama"` (SentencePiece), `"gpt2"` (byte-level BPE) or `"bert"`.
    pub model: String,
    /// The pre-tokenizer (for `"gpt2"` the one in use, e.g. `"llama3"`), or empty.
    pub pre: String,
    /// Number of tokens; valid ids are `0..n_tokens`.
    pub n_tokens: u32,
    /// Beginning of sequence (WordPiece: `[CLS]`).
    pub bos: Option<Token>,
    /// End of sequence.
    pub eos: Option<Token>,
    /// End of turn (e.g. `<|eot_id|>`).
    pub eot: Option<Token>,
    /// End of message (`<|eom_id|>`).
    pub eom: Option<Token>,
    /// The unknown token.
    pub unk: Option<Token>,
    /// Separator (WordPiece: `[SEP]`).
    pub sep: Option<Token>,
    /// Padding.
    pub pad: Option<Token>,
    /// Classification (`[CLS]`).
    pub cls: Option<Token>,
    /// Mask (`[MASK]`).
    pub mask: Option<Token>,
    /// Fill-in-the-middle: prefix.
    pub fim_pre: Option<Token>,
    /// Fill-in-the-middle: suffix.
    pub fim_suf: Option<Token>,
    /// Fill-in-the-middle: middle.
    pub fim_mid: Option<Token>,
    /// Fill-in-the-middle: padding.
    pub fim_pad: Option<Token>,
    /// Fill-in-the-middle: repository name.
    pub fim_rep: Option<Token>,
    /// Fill-in-the-middle: file separator.
    pub fim_sep: Option<Token>,
    /// Whether [`TokenizeFlags::ADD_SPECIAL`](crate::TokenizeFlags::ADD_SPECIAL) puts `bos` first.
    pub add_bos: bool,
    /// Whether [`TokenizeFlags::ADD_SPECIAL`](crate::TokenizeFlags::ADD_SPECIAL) puts `eos` last.
    pub add_eos: bool,
    /// Whether SentencePiece puts a space in front of the text.
    pub add_space_prefix: bool,
}

/// Owns a C model and frees it on drop.
struct RawModel(NonNull<sys::lq_model>);

// SAFETY: an lq_model is immutable after lq_model_load returns; the C API allows any number of
// threads to use one at once, and to free it from any thread once nothing uses it.
unsafe impl Send for RawModel {}
// SAFETY: as above.
unsafe impl Sync for RawModel {}

impl Drop for RawModel {
    fn drop(&mut self) {
        // SAFETY: the pointer came from lq_model_load and is freed once. Every context holds a
        // `Model` clone, hence none is left when the last `Loaded` goes.
        unsafe { sys::lq_model_free(self.0.as_ptr()) }
    }
}

/// The C model and what was read from it at load time. Freed when the last [`Model`] clone
/// and the last context made from it are gone.
struct Loaded {
    raw: RawModel,
    info: ModelInfo,
    vocab: Option<VocabInfo>,
}

/// A loaded model: weights, hyper-parameters, vocabulary and metadata.
///
/// Immutable and thread-safe (`Send + Sync`). Cloning is cheap and shares the same loaded
/// model; each [`Context`](crate::Context) holds a clone, so the model stays loaded until the
/// last clone and the last context are dropped.
#[derive(Clone)]
pub struct Model {
    loaded: Arc<Loaded>,
}

impl Model {
    /// Loads a GGUF model file with the default options.
    ///
    /// # Errors
    /// [`Status::Io`](crate::Status::Io) when the file cannot be read (the message names it),
    /// [`Status::ModelFormat`](crate::Status::ModelFormat) when it is not a valid GGUF file,
    /// [`Status::Unsupported`](crate::Status::Unsupported) for an architecture this build
    /// cannot run or a library with another ABI.
    pub fn load(path: impl AsRef<Path>) -> Result<Model> {
        Model::load_with(path, ModelOptions::default())
    }

    /// Loads a model file with `options`; see [`Model::load`].
    ///
    /// A panic in the progress closure cancels the load and is resumed once it has stopped.
    ///
    /// # Errors
    /// As [`Model::load`], and [`Status::Cancelled`] when the progress closure stopped it.
    pub fn load_with(path: impl AsRef<Path>, options: ModelOptions<'_>) -> Result<Model> {
        ensure_abi()?;
        let path = path_to_cstring(path.as_ref())?;
        let mut callbacks = Callbacks {
            progress: options.progress,
            ..Callbacks::default()
        };
        let mut raw_options = sys::lq_model_options {
            flags: options.flags,
            ..sys::lq_model_options::default()
        };
        if callbacks.progress.is_some() {
            raw_options.progress = Some(progress_trampoline);
            raw_options.progress_user_data = callbacks.user_data();
        }
        let mut raw = ptr::null_mut();
        // SAFETY: valid pointers; `callbacks` outlives the call.
        let status = unsafe { sys::lq_model_load(&mut raw, path.as_ptr(), &raw_options) };
        let checked = check(status);
        // Owned before a callback's panic is resumed, so that unwinding frees it.
        let raw = NonNull::new(raw).map(RawModel);
        callbacks.panic.resume();
        checked?;
        let raw = raw.ok_or_else(|| {
            Error::new(
                Status::Internal,
                "lq_model_load returned LQ_OK without a model",
            )
        })?;
        let info = read_info(&raw)?;
        let vocab = read_vocab(&raw)?;
        Ok(Model {
            loaded: Arc::new(Loaded { raw, info, vocab }),
        })
    }

    /// The C model, for calls through [`sys`](crate::sys). Valid while this `Model` lives.
    pub fn as_ptr(&self) -> *const sys::lq_model {
        self.loaded.raw.0.as_ptr()
    }

    /// The model's summary: architecture, name, sizes.
    pub fn info(&self) -> &ModelInfo {
        &self.loaded.info
    }

    /// The vocabulary's description; `None` when the model has none (or was loaded with
    /// [`ModelOptions::metadata_only`]).
    pub fn vocab(&self) -> Option<&VocabInfo> {
        self.loaded.vocab.as_ref()
    }

    /// A metadata entry as text (`"llama.context_length"` gives e.g. `"2048"`): strings as they
    /// are, numbers in decimal, booleans as `true`/`false`, arrays as JSON. `None` when the
    /// file has no such key.
    ///
    /// # Errors
    /// [`Status::InvalidArgument`] for a key with a NUL byte.
    pub fn metadata(&self, key: &str) -> Result<Option<String>> {
        let key = to_cstring(key, "metadata key")?;
        let text = read_text(256, |buf, capacity, needed| {
            // SAFETY: the model is alive; the buffer holds `capacity` bytes.
            unsafe { sys::lq_model_meta_string(self.as_ptr(), key.as_ptr(), buf, capacity, needed) }
        });
        match text {
            Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
            Err(error) if error.status() == Status::NotFound => Ok(None),
            Err(error) => Err(error),
        }
    }
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("architecture", &self.info().architecture)
            .field("name", &self.info().name)
            .field("n_params", &self.info().n_params)
            .finish()
    }
}

fn read_info(raw: &RawModel) -> Result<ModelInfo> {
    let mut info = sys::lq_model_info::default();
    // SAFETY: a loaded model and a mirror whose struct_size is set.
    check(unsafe { sys::lq_model_get_info(raw.0.as_ptr(), &mut info) })?;
    Ok(ModelInfo {
        // SAFETY: the strings are owned by the model, which is alive.
        architecture: unsafe { to_string(info.architecture) },
        // SAFETY: as above.
        name: unsafe { to_string(info.name) },
        gguf_version: info.gguf_version,
        n_params: info.n_params,
        n_tensor_bytes: info.n_tensor_bytes,
        tensor_types_mask: info.tensor_types_mask,
        n_tensors: info.n_tensors,
        n_vocab: info.n_vocab,
        n_ctx_train: info.n_ctx_train,
        n_embd: info.n_embd,
        n_layer: info.n_layer,
        n_head: info.n_head,
        n_head_kv: info.n_head_kv,
    })
}

fn read_vocab(raw: &RawModel) -> Result<Option<VocabInfo>> {
    let mut v = sys::lq_vocab_info::default();
    // SAFETY: a loaded model and a mirror whose struct_size is set.
    let status = unsafe { sys::lq_model_get_vocab_info(raw.0.as_ptr(), &mut v) };
    if status == sys::LQ_ERR_NOT_FOUND {
        return Ok(None);
    }
    check(status)?;
    let token = |id: i32| if id >= 0 { Some(id) } else { None };
    Ok(Some(VocabInfo {
        // SAFETY: the strings are owned by the model, which is alive.
        model: unsafe { to_string(v.model) },
        // SAFETY: as above.
        pre: unsafe { to_string(v.pre) },
        n_tokens: v.n_tokens,
        bos: token(v.bos),
        eos: token(v.eos),
        eot: token(v.eot),
        eom: token(v.eom),
        unk: token(v.unk),
        sep: token(v.sep),
        pad: token(v.pad),
        cls: token(v.cls),
        mask: token(v.mask),
        fim_pre: token(v.fim_pre),
        fim_suf: token(v.fim_suf),
        fim_mid: token(v.fim_mid),
        fim_pad: token(v.fim_pad),
        fim_rep: token(v.fim_rep),
        fim_sep: token(v.fim_sep),
        add_bos: v.add_bos != 0,
        add_eos: v.add_eos != 0,
        add_space_prefix: v.add_space_prefix != 0,
    }))
}
