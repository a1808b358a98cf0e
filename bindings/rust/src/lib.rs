//! Safe Rust binding of libquant: load quantized language models
//! (GGUF), tokenize, generate and quantize, on the local machine.
//!
//! - [`Model`] is a loaded model file: immutable, `Send + Sync`, cheap to clone.
//! - [`Context`] runs a model on one sequence: `Send`, used by one thread at a time.
//!   [`Context::generate`] returns a [`Generation`]; [`Context::generate_streaming`] also hands
//!   each piece of text to a closure, which may stop it.
//! - [`CancelHandle`] stops a context's work from another thread.
//! - [`quantize()`] writes a quantized copy of a model file.
//!
//! Every failing call returns an [`Error`] with the library's [`Status`] and message.
//!
//! ```no_run
//! use libquant::{Context, ContextOptions, GenerateOptions, Model};
//!
//! fn main() -> Result<(), libquant::Error> {
//!     let model = Model::load("models/stories260K.gguf")?;
//!     let mut context = Context::new(&model, ContextOptions::new().n_ctx(512))?;
//!     let options = GenerateOptions::new("Once upon a time").max_tokens(64).seed(42);
//!     let generation = context.generate_streaming(&options, |piece| print!("{}", piece))?;
//!     println!("\n[{:?}, {} tokens]", generation.stop_reason, generation.n_generated_tokens);
//!     Ok(())
//! }
//! ```
//!
//! The crate links `libquant.so` at build time; see the README for how `build.rs` finds it.
#![warn(
    missing_docs,
    missing_debug_implementations,
    rust_2018_idioms,
    unreachable_pub
)]
#![deny(unsafe_op_in_unsafe_fn)]

mod callback;
mod cancel;
mod context;
mod cstr;
mod error;
mod generate;
mod model;
mod quantize;
pub mod sys;
mod tensor_type;
mod tokenize;
mod version;

pub use crate::callback::Flow;
pub use crate::cancel::CancelHandle;
pub use crate::context::{Backend, Context, ContextInfo, ContextOptions};
pub use crate::error::{Error, Result, Status};
pub use crate::generate::{GenerateOptions, Generation, Prompt, StopReason, SEED_RANDOM};
pub use crate::model::{Model, ModelInfo, ModelOptions, VocabInfo};
pub use crate::quantize::{quantize, QuantMethod, QuantizeOptions};
pub use crate::tensor_type::TensorType;
pub use crate::tokenize::{DetokenizeFlags, TokenizeFlags};
pub use crate::version::{abi_version, version, ABI_VERSION};

/// A token id of a model's vocabulary.
pub type Token = i32;
