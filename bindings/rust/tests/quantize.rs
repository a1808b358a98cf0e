//! Quantization with progress and messages, cancellation, and panics in the callbacks.

mod common;

use std::fs;
use std::panic::{self, AssertUnwindSafe};

use libquant::{quantize, Flow, Model, QuantizeOptions, Status, StopReason, TensorType};

#[test]
fn quantize_to_q8_0_with_progress() {
    let dir = common::TempDir::new("q8_0");
    let output = dir.path().join("stories260K-q8_0.gguf");
    let mut fractions = Vec::new();
    let mut messages = Vec::new();
    quantize(
        common::model_path(),
        &output,
        QuantizeOptions::new("q8_0")
            .n_threads(1)
            .progress(|fraction| fractions.push(fraction))
            .on_message(|line| messages.push(line.to_string())),
    )
    .expect("quantize");

    assert!(!fractions.is_empty());
    assert!(
        fractions.iter().all(|f| (0.0..=1.0).contains(f)),
        "{:?}",
        fractions
    );
    assert!(
        fractions.windows(2).all(|w| w[0] <= w[1]),
        "not non-decreasing: {:?}",
        fractions
    );
    assert!(!messages.is_empty());

    let model = Model::load(&output).expect("the output loads");
    assert_eq!(model.info().architecture, "llama");
    assert_eq!(model.info().n_vocab, 512);
    assert!(model.info().has_tensor_type(TensorType::Q8_0));
    let generation = common::context(&model).generate(&common::greedy()).unwrap();
    assert!(generation.n_generated_tokens > 0);
    assert!(!generation.text.is_empty());
    assert!(matches!(
        generation.stop_reason,
        StopReason::MaxTokens | StopReason::EndOfGeneration
    ));
}

#[test]
fn cancelled_quantize_leaves_no_file() {
    let dir = common::TempDir::new("cancel");
    let output = dir.path().join("cancelled.gguf");
    let error = quantize(
        common::model_path(),
        &output,
        QuantizeOptions::new("q8_0")
            .n_threads(1)
            .progress(|_| Flow::Stop),
    )
    .expect_err("the progress callback cancels");
    assert_eq!(error.status(), Status::Cancelled);
    assert!(!output.exists());
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file is left"
    );
}

#[test]
fn a_panic_in_the_progress_callback_reaches_the_caller() {
    let dir = common::TempDir::new("panic");
    let output = dir.path().join("panicked.gguf");
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        quantize(
            common::model_path(),
            &output,
            QuantizeOptions::new("q8_0")
                .n_threads(1)
                .progress(|_| -> Flow { panic!("progress failed") }),
        )
    }));
    let payload = outcome.expect_err("the panic must reach the caller");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"progress failed"));
    assert!(!output.exists());
}

#[test]
fn unknown_target_is_an_invalid_argument() {
    let dir = common::TempDir::new("target");
    let error = quantize(
        common::model_path(),
        dir.path().join("never.gguf"),
        QuantizeOptions::new("q9_9"),
    )
    .unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument);
    assert!(!error.message().is_empty());
}
