//! Tokenization: text to token ids and back, on a [`Model`].

use std::fmt;
use std::ops::{BitOr, BitOrAssign};

use crate::cstr::read_text;
use crate::error::{check, Result};
use crate::model::Model;
use crate::sys;
use crate::Token;

macro_rules! flags {
    ($(#[$doc:meta])* $name:ident { $($(#[$flag_doc:meta])* $flag:ident = $value:expr;)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(u32);

        impl $name {
            /// No flag.
            pub const NONE: $name = $name(0);
            $($(#[$flag_doc])* pub const $flag: $name = $name($value);)*

            /// The bits as the C API takes them.
            pub fn bits(self) -> u32 {
                self.0
            }

            /// Whether every flag of `other` is set in `self`.
            pub fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }
        }

        impl BitOr for $name {
            type Output = $name;
            fn bitor(self, other: $name) -> $name {
                $name(self.0 | other.0)
            }
        }

        impl BitOrAssign for $name {
            fn bitor_assign(&mut self, other: $name) {
                self.0 |= other.0;
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut set = f.debug_set();
                $(if self.contains($name::$flag) {
                    set.entry(&format_args!(stringify!($flag)));
                })*
                set.finish()
            }
        }
    };
}

flags! {
    /// Flags of [`Model::tokenize`]; combine them with `|`.
    TokenizeFlags {
        /// Add BOS and EOS as the model's metadata says (see [`VocabInfo`](crate::VocabInfo)).
        ADD_SPECIAL = sys::LQ_TOKENIZE_ADD_SPECIAL;
        /// Turn the text of control tokens (`<s>`, `<|im_start|>`) into those tokens. Off by
        /// default, so that user text cannot forge them.
        PARSE_SPECIAL = sys::LQ_TOKENIZE_PARSE_SPECIAL;
    }
}

flags! {
    /// Flags of [`Model::detokenize`]; combine them with `|`.
    DetokenizeFlags {
        /// Write the text of control, unknown and unused tokens (`<s>`); by default they give none.
        RENDER_SPECIAL = sys::LQ_DETOKENIZE_RENDER_SPECIAL;
        /// Keep the space a SentencePiece vocabulary puts in front of text: use it when the
        /// tokens continue earlier text.
        KEEP_LEADING_SPACE = sys::LQ_DETOKENIZE_KEEP_LEADING_SPACE;
    }
}

impl Model {
    /// Turns UTF-8 text into token ids. Thread-safe: any number of threads may tokenize with one
    /// model at once.
    ///
    /// # Errors
    /// [`Status::NotFound`](crate::Status::NotFound) when the model has no vocabulary.
    pub fn tokenize(&self, text: &str, flags: TokenizeFlags) -> Result<Vec<Token>> {
        let mut tokens: Vec<Token> = Vec::with_capacity(text.len() + 4);
        loop {
            let mut count = 0usize;
            // SAFETY: the model is alive; `tokens` has room for `capacity()` ids.
            let status = unsafe {
                sys::lq_tokenize(
                    self.as_ptr(),
                    text.as_ptr().cast(),
                    text.len(),
                    flags.bits(),
                    tokens.as_mut_ptr(),
                    tokens.capacity(),
                    &mut count,
                )
            };
            if status == sys::LQ_ERR_BUFFER_TOO_SMALL && count > tokens.capacity() {
                tokens.reserve_exact(count);
                continue;
            }
            check(status)?;
            // SAFETY: the library wrote `count` ids, no more than the capacity.
            unsafe { tokens.set_len(count.min(tokens.capacity())) };
            return Ok(tokens);
        }
    }

    /// Turns token ids back into text; for SentencePiece and byte-level BPE vocabularies the
    /// inverse of [`Model::tokenize`] with the same special-token handling.
    ///
    /// Bytes that are not valid UTF-8 (possible with byte tokens) become U+FFFD; use
    /// [`Model::detokenize_bytes`] for the exact bytes.
    ///
    /// # Errors
    /// [`Status::InvalidArgument`](crate::Status::InvalidArgument) for a token outside the
    /// vocabulary.
    pub fn detokenize(&self, tokens: &[Token], flags: DetokenizeFlags) -> Result<String> {
        let bytes = self.detokenize_bytes(tokens, flags)?;
        Ok(match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        })
    }

    /// Turns token ids back into the bytes they stand for; see [`Model::detokenize`].
    ///
    /// # Errors
    /// As [`Model::detokenize`].
    pub fn detokenize_bytes(&self, tokens: &[Token], flags: DetokenizeFlags) -> Result<Vec<u8>> {
        read_text(tokens.len() * 8 + 16, |buf, capacity, needed| {
            // SAFETY: the model is alive; the buffer holds `capacity` bytes.
            unsafe {
                sys::lq_detokenize(
                    self.as_ptr(),
                    tokens.as_ptr(),
                    tokens.len(),
                    flags.bits(),
                    buf,
                    capacity,
                    needed,
                )
            }
        })
    }

    /// The bytes one token stands for, with no space removed. A piece may be part of a UTF-8
    /// character (byte tokens). Of the flags, only [`DetokenizeFlags::RENDER_SPECIAL`] applies.
    ///
    /// # Errors
    /// [`Status::InvalidArgument`](crate::Status::InvalidArgument) for a token outside the
    /// vocabulary.
    pub fn token_to_piece(&self, token: Token, flags: DetokenizeFlags) -> Result<Vec<u8>> {
        read_text(32, |buf, capacity, needed| {
            // SAFETY: the model is alive; the buffer holds `capacity` bytes.
            unsafe {
                sys::lq_token_to_piece(self.as_ptr(), token, flags.bits(), buf, capacity, needed)
            }
        })
    }
}
