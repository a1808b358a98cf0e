//! Loading, model information, errors and tokenization.

mod common;

use std::fs;

use libquant::{
    CancelHandle, Context, ContextOptions, DetokenizeFlags, Flow, Model, ModelOptions, Status,
    TensorType, TokenizeFlags,
};

fn assert_send_sync<T: Send + Sync>() {}
fn assert_send<T: Send>() {}

#[test]
fn thread_safety_of_the_types() {
    assert_send_sync::<Model>();
    assert_send_sync::<CancelHandle>();
    assert_send::<Context>();
    // `Context: !Sync` is checked by a compile_fail doc test on `Context`.
}

#[test]
fn version_and_abi() {
    assert_eq!(libquant::abi_version(), libquant::ABI_VERSION);
    assert_eq!(libquant::version(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn load_and_info() {
    let model = common::model();
    let info = model.info();
    assert_eq!(info.architecture, "llama");
    assert_eq!(info.n_vocab, 512);
    assert!(info.n_params > 0);
    assert!(info.n_layer > 0 && info.n_head > 0 && info.n_head_kv > 0 && info.n_embd > 0);
    assert!(info.n_ctx_train > 0);
    assert!(info.has_tensor_type(TensorType::F32));

    let vocab = model.vocab().expect("the model has a vocabulary");
    assert_eq!(vocab.n_tokens, 512);
    assert_eq!(vocab.model, "llama");
    assert_eq!(vocab.bos, Some(1));

    assert_eq!(
        model.metadata("general.architecture").unwrap().as_deref(),
        Some("llama")
    );
    assert_eq!(model.metadata("no.such.key").unwrap(), None);
}

#[test]
fn load_with_progress_and_cancel() {
    let mut fractions = Vec::new();
    let model = Model::load_with(
        common::model_path(),
        ModelOptions::new()
            .no_mmap(true)
            .progress(|f| fractions.push(f)),
    )
    .expect("load");
    assert_eq!(model.info().n_vocab, 512);
    assert!(
        fractions.iter().all(|f| (0.0..=1.0).contains(f)),
        "{:?}",
        fractions
    );

    assert!(!fractions.is_empty(), "loading reports progress");

    let error = Model::load_with(
        common::model_path(),
        ModelOptions::new().progress(|_| Flow::Stop),
    )
    .expect_err("the progress callback cancels");
    assert_eq!(error.status(), Status::Cancelled, "{}", error);
}

#[test]
fn a_panic_in_the_load_progress_reaches_the_caller() {
    let outcome = std::panic::catch_unwind(|| {
        Model::load_with(
            common::model_path(),
            ModelOptions::new().progress(|_| -> Flow { panic!("load progress failed") }),
        )
    });
    let payload = outcome.expect_err("the panic must reach the caller");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"load progress failed")
    );
    assert_eq!(common::model().info().n_vocab, 512);
}

#[test]
fn missing_file_is_an_io_error_naming_the_path() {
    let dir = common::TempDir::new("missing");
    let path = dir.path().join("no-such-model.gguf");
    let error = Model::load(&path).expect_err("a missing file must not load");
    assert_eq!(error.status(), Status::Io);
    assert_eq!(error.status().code(), -3);
    assert!(
        error.message().contains(path.to_str().unwrap()),
        "the message {:?} does not name the path",
        error.message()
    );
    assert!(error.to_string().contains(error.message()));
}

#[test]
fn non_gguf_file_is_a_format_error() {
    let dir = common::TempDir::new("format");
    let path = dir.path().join("not-a-model.gguf");
    fs::write(&path, b"this is plain text, not a GGUF file\n").unwrap();
    let error = Model::load(&path).expect_err("a text file must not load");
    assert_eq!(error.status(), Status::ModelFormat);
    assert_eq!(error.status().code(), -4);
    assert!(!error.message().is_empty());
}

#[test]
fn path_with_nul_is_an_invalid_argument() {
    let error = Model::load("bad\0path.gguf").expect_err("NUL in a path");
    assert_eq!(error.status(), Status::InvalidArgument);
}

#[test]
fn bad_kv_type_is_an_error_with_a_message() {
    let model = common::model();
    let error = Context::new(
        &model,
        ContextOptions::new().n_ctx(64).kv_type(TensorType(12345)),
    )
    .expect_err("kv type 12345 must be refused");
    assert!(
        matches!(
            error.status(),
            Status::InvalidArgument | Status::Unsupported
        ),
        "{:?}",
        error
    );
    assert!(!error.message().is_empty());
}

#[test]
fn vocab_only_model_tokenizes_but_has_no_context() {
    let model =
        Model::load_with(common::model_path(), ModelOptions::new().vocab_only(true)).unwrap();
    assert_eq!(
        model.tokenize("Once", TokenizeFlags::NONE).unwrap(),
        common::model()
            .tokenize("Once", TokenizeFlags::NONE)
            .unwrap()
    );
    let error = Context::new(&model, ContextOptions::new()).expect_err("no weights");
    assert_eq!(error.status(), Status::InvalidArgument);
}

#[test]
fn tokenize_round_trip() {
    let model = common::model();
    let text = "Once upon a time, there was a little girl.";
    let tokens = model.tokenize(text, TokenizeFlags::ADD_SPECIAL).unwrap();
    assert_eq!(tokens[0], 1, "BOS first");
    assert!(tokens.len() > 2 && tokens.iter().all(|&t| (0..512).contains(&t)));
    assert_eq!(
        model.detokenize(&tokens, DetokenizeFlags::NONE).unwrap(),
        text
    );

    let plain = model.tokenize(text, TokenizeFlags::NONE).unwrap();
    assert_eq!(plain, tokens[1..].to_vec());
    assert_eq!(
        model.detokenize(&plain, DetokenizeFlags::NONE).unwrap(),
        text
    );

    let rendered = model
        .detokenize(&tokens, DetokenizeFlags::RENDER_SPECIAL)
        .unwrap();
    assert!(rendered.ends_with(text), "{:?}", rendered);
    let piece = model
        .token_to_piece(plain[0], DetokenizeFlags::NONE)
        .unwrap();
    assert!(!piece.is_empty());

    assert!(model.tokenize("", TokenizeFlags::NONE).unwrap().is_empty());
}

#[test]
fn detokenize_rejects_a_token_outside_the_vocabulary() {
    let model = common::model();
    let error = model
        .detokenize(&[1, 100_000], DetokenizeFlags::NONE)
        .unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument);
    assert!(!error.message().is_empty());
}

#[test]
fn context_info_and_reset() {
    let model = common::model();
    let mut context = Context::new(
        &model,
        ContextOptions::new().n_ctx(128).n_batch(32).n_threads(1),
    )
    .unwrap();
    let info = context.info().unwrap();
    assert_eq!(info.n_ctx, 128);
    assert_eq!(info.n_batch, 32);
    assert_eq!(info.n_threads, 1);
    assert_eq!(info.n_vocab, 512);
    assert_eq!(info.kv_type, TensorType::F16);
    assert_eq!(info.n_past, 0);

    let tokens = model
        .tokenize("Once upon a time", TokenizeFlags::ADD_SPECIAL)
        .unwrap();
    let logits = context.eval(&tokens).unwrap();
    assert_eq!(logits.len(), 512);
    assert!(logits.iter().all(|l| l.is_finite()));
    assert_eq!(context.info().unwrap().n_past as usize, tokens.len());
    context.truncate(1).unwrap();
    assert_eq!(context.info().unwrap().n_past, 1);
    context.reset().unwrap();
    assert_eq!(context.info().unwrap().n_past, 0);
    let all = context.eval_all(&tokens).unwrap();
    assert_eq!(all.len(), tokens.len() * 512);
    let last = &all[all.len() - 512..];
    let worst = last
        .iter()
        .zip(&logits)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0f32, f32::max);
    assert!(worst < 1e-3, "the last token's logits differ by {}", worst);
}

#[test]
fn a_context_keeps_its_model_alive() {
    let mut context = common::context(&common::model());
    let generation = context.generate(&common::greedy().max_tokens(4)).unwrap();
    assert!(generation.n_generated_tokens > 0);
    assert_eq!(context.model().info().n_vocab, 512);
}
