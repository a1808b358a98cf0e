//! The hand-written `#[repr(C)]` mirrors of `libquant::sys` against the C compiler's layout,
//! as printed by the lq_layout tool (`$LQ_LAYOUT_TOOL`).

use std::collections::BTreeMap;
use std::env;
use std::mem::{size_of, MaybeUninit};
use std::path::{Path, PathBuf};
use std::process::Command;

use libquant::sys;

/// One struct: its size and, by field name, each field's offset and size.
#[derive(Debug, Default, PartialEq)]
struct Layout {
    size: usize,
    fields: BTreeMap<String, (usize, usize)>,
}

fn size_of_pointee<T>(_: *const T) -> usize {
    size_of::<T>()
}

/// The layout of a mirror, from `size_of` and `addr_of!` on every field listed.
macro_rules! mirror {
    ($ty:ident { $($field:ident),* $(,)? }) => {{
        let value = MaybeUninit::<sys::$ty>::uninit();
        let base = value.as_ptr();
        let mut layout = Layout { size: size_of::<sys::$ty>(), fields: BTreeMap::new() };
        $(
            // SAFETY: addr_of! computes a field's address without reading the uninitialised value.
            let field = unsafe { std::ptr::addr_of!((*base).$field) };
            layout.fields.insert(
                stringify!($field).to_string(),
                (field as usize - base as usize, size_of_pointee(field)),
            );
        )*
        (stringify!($ty), layout)
    }};
}

fn layout_tool() -> PathBuf {
    match env::var_os("LQ_LAYOUT_TOOL") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../build/bin/lq_layout"),
    }
}

/// Parses "name size" and "name.field offset size" lines.
fn c_layouts() -> BTreeMap<String, Layout> {
    let tool = layout_tool();
    let output = Command::new(&tool).output().unwrap_or_else(|error| {
        panic!(
            "cannot run {} (set LQ_LAYOUT_TOOL): {}",
            tool.display(),
            error
        )
    });
    assert!(output.status.success(), "{} failed", tool.display());
    let mut layouts: BTreeMap<String, Layout> = BTreeMap::new();
    for line in String::from_utf8(output.stdout)
        .expect("UTF-8 output")
        .lines()
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let number = |i: usize| -> usize {
            words[i]
                .parse()
                .unwrap_or_else(|_| panic!("bad line {:?}", line))
        };
        match words.len() {
            2 => layouts.entry(words[0].to_string()).or_default().size = number(1),
            3 => {
                let (name, field) = words[0]
                    .split_once('.')
                    .unwrap_or_else(|| panic!("bad line {:?}", line));
                layouts
                    .entry(name.to_string())
                    .or_default()
                    .fields
                    .insert(field.to_string(), (number(1), number(2)));
            }
            0 => {}
            _ => panic!("bad line {:?}", line),
        }
    }
    layouts
}

#[test]
fn mirrors_match_the_c_layout() {
    let mirrors = [
        mirror!(lq_model_options {
            struct_size,
            flags,
            progress,
            progress_user_data
        }),
        mirror!(lq_model_info {
            struct_size,
            gguf_version,
            architecture,
            name,
            n_params,
            n_tensor_bytes,
            tensor_types_mask,
            n_tensors,
            n_vocab,
            n_ctx_train,
            n_embd,
            n_layer,
            n_head,
            n_head_kv,
            reserved,
        }),
        mirror!(lq_vocab_info {
            struct_size,
            tokenizer_type,
            n_tokens,
            bos,
            eos,
            eot,
            eom,
            unk,
            sep,
            pad,
            cls,
            mask,
            fim_pre,
            fim_suf,
            fim_mid,
            fim_pad,
            fim_rep,
            fim_sep,
            add_bos,
            add_eos,
            add_space_prefix,
            reserved,
            model,
            pre,
        }),
        mirror!(lq_context_options {
            struct_size,
            n_ctx,
            n_batch,
            n_threads,
            kv_type,
            backend
        }),
        mirror!(lq_context_info {
            struct_size,
            n_ctx,
            n_past,
            n_batch,
            n_threads,
            n_vocab,
            kv_type,
            backend,
            kv_bytes,
        }),
        mirror!(lq_generate_options {
            struct_size,
            flags,
            prompt,
            prompt_len,
            prompt_tokens,
            n_prompt_tokens,
            max_tokens,
            temperature,
            top_k,
            top_p,
            min_p,
            repeat_penalty,
            repeat_last_n,
            frequency_penalty,
            presence_penalty,
            reserved,
            seed,
            stop,
            n_stop,
            on_text,
            user_data,
        }),
        mirror!(lq_generate_result {
            struct_size,
            stop_reason,
            n_prompt_tokens,
            n_reused_tokens,
            n_generated_tokens,
            reserved,
            prompt_seconds,
            generate_seconds,
        }),
        mirror!(lq_quantize_options {
            struct_size,
            method,
            target,
            tensor_types,
            calibration_path,
            calibration_samples,
            calibration_ctx,
            n_threads,
            flags,
            tokenizer_path,
            progress,
            progress_user_data,
            on_message,
            message_user_data,
            smooth_alpha,
        }),
    ];
    let c = c_layouts();
    for (name, mirror) in &mirrors {
        let expected = c
            .get(*name)
            .unwrap_or_else(|| panic!("lq_layout does not describe {}", name));
        // Field by field first, for a precise message, then the whole (every field, the size).
        for (field, c_field) in &expected.fields {
            assert_eq!(
                mirror.fields.get(field),
                Some(c_field),
                "{}.{}: (offset, size) of the mirror differ from C's",
                name,
                field
            );
        }
        assert_eq!(mirror, expected, "{}: the mirror differs from C", name);
    }
}

#[test]
fn defaults_set_struct_size() {
    assert_eq!(
        sys::lq_generate_options::default().struct_size as usize,
        size_of::<sys::lq_generate_options>()
    );
    assert_eq!(
        sys::lq_quantize_options::default().struct_size as usize,
        size_of::<sys::lq_quantize_options>()
    );
    assert_eq!(
        sys::lq_model_info::default().struct_size as usize,
        size_of::<sys::lq_model_info>()
    );
}
