//! Finds the shared libquant library and tells rustc how to link it.
//!
//! Directories are tried in this order, the first that holds the library wins:
//!
//! 1. `LIBQUANT_LIB_DIR`, when set;
//! 2. the `-L` directories of `pkg-config --libs-only-L libquant`, when pkg-config is installed
//!    (`PKG_CONFIG` names another pkg-config program);
//! 3. `/usr/local/lib` (the default install prefix);
//! 4. the system's library directories.
//!
//! For a directory outside the system's, an rpath is embedded so that this package's tests and
//! examples run without `LD_LIBRARY_PATH`. Dependent crates learn the directory through the
//! `links` metadata as `DEP_QUANT_LIB_DIR`.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=LIBQUANT_LIB_DIR");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_PATH");
    println!("cargo:rerun-if-env-changed=PKG_CONFIG_LIBDIR");

    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let file_name = library_file_name(&target_os);
    let mut tried: Vec<String> = Vec::new();

    let found = find_in_env(file_name, &mut tried)
        .or_else(|| find_with_pkg_config(file_name, &mut tried))
        .or_else(|| find_in(&[PathBuf::from("/usr/local/lib")], file_name, &mut tried))
        .map(|dir| (dir, false))
        .or_else(|| find_in(&system_dirs(), file_name, &mut tried).map(|dir| (dir, true)));

    let (dir, in_system_dir) = match found {
        Some(found) => found,
        None => panic!(
            "libquant: {} not found; tried:\n  {}\nSet LIBQUANT_LIB_DIR to the folder that holds it.",
            file_name,
            tried.join("\n  ")
        ),
    };

    println!("cargo:rustc-link-lib=dylib=quant");
    println!("cargo:lib_dir={}", dir.display());
    if !in_system_dir {
        println!("cargo:rustc-link-search=native={}", dir.display());
        if target_os != "windows" {
            println!("cargo:rustc-link-arg=-Wl,-rpath,{}", dir.display());
        }
    }
}

/// The file the linker looks for with `-lquant`.
fn library_file_name(target_os: &str) -> &'static str {
    match target_os {
        "windows" => "quant.lib",
        "macos" | "ios" => "libquant.dylib",
        _ => "libquant.so",
    }
}

/// The first of `dirs` that holds `file_name`; every directory looked at is added to `tried`.
fn find_in(dirs: &[PathBuf], file_name: &str, tried: &mut Vec<String>) -> Option<PathBuf> {
    for dir in dirs {
        tried.push(dir.join(file_name).display().to_string());
        if dir.join(file_name).is_file() {
            return Some(dir.clone());
        }
    }
    None
}

fn find_in_env(file_name: &str, tried: &mut Vec<String>) -> Option<PathBuf> {
    let dir = match env::var_os("LIBQUANT_LIB_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            tried.push("LIBQUANT_LIB_DIR (not set)".to_string());
            return None;
        }
    };
    let found = find_in(&[absolute(&dir)], file_name, tried);
    if found.is_none() {
        println!(
            "cargo:warning=LIBQUANT_LIB_DIR={} holds no {}; looking elsewhere",
            dir.display(),
            file_name
        );
    }
    found
}

fn find_with_pkg_config(file_name: &str, tried: &mut Vec<String>) -> Option<PathBuf> {
    let program = env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".to_string());
    let output = match Command::new(&program)
        .args(["--libs-only-L", "libquant"])
        .output()
    {
        Ok(output) => output,
        Err(error) => {
            tried.push(format!(
                "{} --libs-only-L libquant (not run: {})",
                program, error
            ));
            return None;
        }
    };
    if !output.status.success() {
        tried.push(format!(
            "{} --libs-only-L libquant (libquant.pc not found)",
            program
        ));
        return None;
    }
    let dirs: Vec<PathBuf> = String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .filter_map(|flag| flag.strip_prefix("-L"))
        .map(PathBuf::from)
        .collect();
    if dirs.is_empty() {
        tried.push(format!(
            "{} --libs-only-L libquant (no -L directory)",
            program
        ));
        return None;
    }
    find_in(&dirs, file_name, tried)
}

/// Directories the linker and loader search by default.
fn system_dirs() -> Vec<PathBuf> {
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    vec![
        PathBuf::from(format!("/usr/lib/{}-linux-gnu", arch)),
        PathBuf::from("/usr/lib64"),
        PathBuf::from("/usr/lib"),
        PathBuf::from(format!("/lib/{}-linux-gnu", arch)),
        PathBuf::from("/lib64"),
        PathBuf::from("/lib"),
    ]
}

/// `dir` relative to the current directory when it is relative: rpaths must be absolute.
fn absolute(dir: &Path) -> PathBuf {
    if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        env::current_dir()
            .map(|cwd| cwd.join(dir))
            .unwrap_or_else(|_| dir.to_path_buf())
    }
}
