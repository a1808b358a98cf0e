//! Generation: greedy determinism, streaming, stop strings, callback stops, cancellation from
//! another thread, panics in the callback, and contexts on one model in several threads.

mod common;

use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::thread;

use libquant::{Context, Flow, GenerateOptions, Generation, Status, StopReason, TokenizeFlags};

/// The greedy text on a fresh context, for comparison.
fn reference() -> Generation {
    let model = common::model();
    common::context(&model).generate(&common::greedy()).unwrap()
}

#[test]
fn greedy_is_deterministic_and_streams_the_text() {
    let model = common::model();
    let mut context = common::context(&model);
    let mut pieces: Vec<String> = Vec::new();
    let first = context
        .generate_streaming(&common::greedy(), |piece| pieces.push(piece.to_string()))
        .unwrap();
    assert!(first.n_generated_tokens > 0);
    assert!(!first.text.is_empty());
    assert_eq!(pieces.concat(), first.text);
    assert!(pieces.iter().all(|p| !p.is_empty()));
    assert!(matches!(
        first.stop_reason,
        StopReason::MaxTokens | StopReason::EndOfGeneration
    ));
    if first.stop_reason == StopReason::MaxTokens {
        assert_eq!(first.n_generated_tokens, 48);
    }
    assert_eq!(
        first.n_prompt_tokens as usize,
        model
            .tokenize("Once upon a time", TokenizeFlags::ADD_SPECIAL)
            .unwrap()
            .len()
    );

    // The same call again, on the same context (which reuses the cached prompt) ...
    let second = context.generate(&common::greedy()).unwrap();
    assert_eq!(second.text, first.text);
    assert_eq!(second.n_generated_tokens, first.n_generated_tokens);
    assert!(second.n_reused_tokens > 0);
    // ... and on a fresh one.
    assert_eq!(reference().text, first.text);
}

#[test]
fn a_prompt_of_token_ids_gives_the_same_text() {
    let model = common::model();
    let tokens = model
        .tokenize("Once upon a time", TokenizeFlags::ADD_SPECIAL)
        .unwrap();
    let mut context = common::context(&model);
    let by_tokens = context.generate(&common::greedy().prompt(tokens)).unwrap();
    assert_eq!(by_tokens.text, reference().text);
}

#[test]
fn stop_string_ends_the_text_before_it() {
    let greedy = reference();
    let words: Vec<&str> = greedy.text.split_whitespace().collect();
    assert!(words.len() >= 4, "too little text: {:?}", greedy.text);
    // A word from the middle whose first occurrence is not at the very start.
    let word = words[words.len() / 2..]
        .iter()
        .chain(words[..words.len() / 2].iter().rev())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .find(|w| w.len() >= 3 && greedy.text.find(*w).map_or(false, |at| at > 0))
        .expect("a word to stop at");
    let expected = &greedy.text[..greedy.text.find(word).unwrap()];

    let model = common::model();
    let mut context = common::context(&model);
    let mut streamed = String::new();
    let stopped = context
        .generate_streaming(&common::greedy().stop(word), |piece| {
            streamed.push_str(piece)
        })
        .unwrap();
    assert_eq!(
        stopped.stop_reason,
        StopReason::StopString,
        "stop string {:?}",
        word
    );
    assert_eq!(stopped.text, expected, "stop string {:?}", word);
    assert_eq!(streamed, stopped.text);
}

#[test]
fn stop_string_with_nul_is_an_invalid_argument() {
    let model = common::model();
    let mut context = common::context(&model);
    let error = context
        .generate(&common::greedy().stop("a\0b"))
        .unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument);
}

#[test]
fn callback_stops_after_three_pieces() {
    let greedy = reference();
    let model = common::model();
    let mut context = common::context(&model);
    let mut pieces = Vec::new();
    let stopped = context
        .generate_streaming(&common::greedy(), |piece| {
            pieces.push(piece.to_string());
            if pieces.len() == 3 {
                Flow::Stop
            } else {
                Flow::Continue
            }
        })
        .unwrap();
    assert_eq!(stopped.stop_reason, StopReason::Callback);
    assert_eq!(pieces.len(), 3);
    assert_eq!(stopped.text, pieces.concat());
    assert!(greedy.text.starts_with(&stopped.text));
    assert!(stopped.n_generated_tokens < greedy.n_generated_tokens);
}

#[test]
fn cancel_from_another_thread() {
    let greedy = reference();
    assert!(greedy.n_generated_tokens > 8, "{:?}", greedy);
    let model = common::model();
    let mut context = common::context(&model);
    let handle = context.cancel_handle();

    let (request_tx, request_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let canceller = thread::spawn(move || {
        request_rx.recv().expect("a request to cancel");
        handle.cancel();
        done_tx.send(()).unwrap();
    });
    let mut pieces = 0;
    let cancelled = context
        .generate_streaming(&common::greedy(), |_| {
            pieces += 1;
            if pieces == 5 {
                request_tx.send(()).unwrap();
                done_rx.recv().expect("the canceller's answer");
            }
            Flow::Continue
        })
        .expect("cancellation is not an error");
    canceller.join().unwrap();

    assert_eq!(cancelled.stop_reason, StopReason::Cancelled);
    assert!(
        greedy.text.starts_with(&cancelled.text),
        "{:?} vs {:?}",
        cancelled.text,
        greedy.text
    );
    assert!(cancelled.text.len() < greedy.text.len());
    assert!(cancelled.n_generated_tokens < greedy.n_generated_tokens);
    assert!(pieces >= 5);

    // The request was consumed: the same context generates normally again.
    let again = context.generate(&common::greedy()).unwrap();
    assert_eq!(again.text, greedy.text);
    assert_eq!(again.stop_reason, greedy.stop_reason);
}

#[test]
fn a_pending_cancel_stops_the_next_call_unless_cleared() {
    let greedy = reference();
    let model = common::model();
    let mut context = common::context(&model);
    let handle = context.cancel_handle();

    handle.cancel();
    let cancelled = context.generate(&common::greedy()).unwrap();
    assert_eq!(cancelled.stop_reason, StopReason::Cancelled);
    assert!(greedy.text.starts_with(&cancelled.text));

    handle.cancel();
    handle.clear();
    assert_eq!(
        context.generate(&common::greedy()).unwrap().text,
        greedy.text
    );

    // A handle outlives its context harmlessly.
    drop(context);
    handle.cancel();
    handle.clone().clear();
}

#[test]
fn a_panic_in_the_callback_reaches_the_caller() {
    let greedy = reference();
    let model = common::model();
    let mut context = common::context(&model);
    let mut calls = 0;
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
        context.generate_streaming(&common::greedy(), |_| -> Flow {
            calls += 1;
            if calls == 2 {
                panic!("callback failed on purpose");
            }
            Flow::Continue
        })
    }));
    let payload = outcome.expect_err("the panic must reach the caller");
    assert_eq!(
        payload.downcast_ref::<&str>(),
        Some(&"callback failed on purpose")
    );
    assert_eq!(
        calls, 2,
        "the callback is not called again after it panicked"
    );

    // The context still works.
    assert_eq!(
        context.generate(&common::greedy()).unwrap().text,
        greedy.text
    );
}

#[test]
fn two_threads_share_one_model() {
    let greedy = reference();
    let model = common::model();
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let model = model.clone();
            thread::spawn(move || common::context(&model).generate(&common::greedy()).unwrap())
        })
        .collect();
    for worker in workers {
        assert_eq!(worker.join().unwrap().text, greedy.text);
    }

    // The same with borrowed models in scoped threads, and a context moved to another thread.
    let moved = common::context(&model);
    thread::scope(|scope| {
        let a = scope.spawn(|| common::context(&model).generate(&common::greedy()).unwrap());
        let b = scope.spawn(move || {
            let mut moved = moved;
            moved.generate(&common::greedy()).unwrap()
        });
        assert_eq!(a.join().unwrap().text, greedy.text);
        assert_eq!(b.join().unwrap().text, greedy.text);
    });
}

#[test]
fn bad_sampling_options_are_errors() {
    let model = common::model();
    let mut context = common::context(&model);
    let error = context.generate(&common::greedy().top_p(2.0)).unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument);
    assert!(!error.message().is_empty());
    let error = context
        .generate(&GenerateOptions::new(Vec::<libquant::Token>::new()))
        .unwrap_err();
    assert_eq!(error.status(), Status::InvalidArgument);
}

#[test]
fn prompt_larger_than_the_context_is_context_full() {
    let model = common::model();
    let mut context = Context::new(
        &model,
        libquant::ContextOptions::new().n_ctx(16).n_threads(1),
    )
    .unwrap();
    let long = "Once upon a time, there was a little girl. ".repeat(8);
    let error = context
        .generate(&GenerateOptions::new(long).max_tokens(4))
        .unwrap_err();
    assert_eq!(error.status(), Status::ContextFull);
}
