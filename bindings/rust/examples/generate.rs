//! Loads a model, streams ~64 tokens after "Once upon a time" to stdout, prints the stop reason.
//!
//! Run: `cargo run --example generate -- [MODEL]` (default: ../models/stories260K.gguf).

use std::io::{self, Write};

use libquant::{Context, ContextOptions, GenerateOptions, Model};

const DEFAULT_MODEL: &str = "../models/stories260K.gguf";

fn run(path: &str) -> Result<(), libquant::Error> {
    let model = Model::load(path)?;
    let mut context = Context::new(&model, ContextOptions::new().n_ctx(256))?;

    let prompt = "Once upon a time";
    let options = GenerateOptions::new(prompt).max_tokens(64).seed(42);
    print!("{}", prompt);
    let generation = context.generate_streaming(&options, |piece| {
        print!("{}", piece);
        io::stdout().flush().ok();
    })?;
    println!();
    println!(
        "stop reason: {:?} ({} tokens in {:.1} ms)",
        generation.stop_reason,
        generation.n_generated_tokens,
        generation.generate_time.as_secs_f64() * 1e3
    );
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let path = args.get(1).map_or(DEFAULT_MODEL, String::as_str);
    if let Err(error) = run(path) {
        eprintln!("error: {}", error);
        std::process::exit(1);
    }
}
