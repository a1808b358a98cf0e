//! Helpers shared by the integration tests: the test model, contexts, options, temp dirs.
#![allow(dead_code)]

use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use libquant::{Context, ContextOptions, GenerateOptions, Model};

/// `$LQ_TEST_MODEL`, else the bundled model of the source tree.
pub fn model_path() -> PathBuf {
    match env::var_os("LQ_TEST_MODEL") {
        Some(path) => PathBuf::from(path),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../models/stories260K.gguf"),
    }
}

/// The test model, loaded.
pub fn model() -> Model {
    let path = model_path();
    Model::load(&path).unwrap_or_else(|error| panic!("cannot load {}: {}", path.display(), error))
}

/// A small single-threaded context: the tests run in parallel on few cores.
pub fn context(model: &Model) -> Context {
    Context::new(model, ContextOptions::new().n_ctx(256).n_threads(1)).expect("context")
}

/// The greedy generation of the spec: "Once upon a time", temperature 0, seed 42, 48 tokens.
pub fn greedy() -> GenerateOptions {
    GenerateOptions::new("Once upon a time")
        .temperature(0.0)
        .seed(42)
        .max_tokens(48)
}

/// A fresh directory under the system's temp dir, removed with everything in it on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let path = env::temp_dir().join(format!(
            "libquant-rust-{}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst),
            name
        ));
        fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
