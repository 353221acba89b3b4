//! Rebuild when the embedded library or templates change, and name the
//! format of the parsed-file cache (`load::cache`) after what decides it.

// Cargo reads its directives from a build script's standard output.
#![allow(clippy::disallowed_macros)]

use std::hash::{DefaultHasher, Hash, Hasher};

/// The files that decide what a parsed project file looks like: its types,
/// the parser's options, the parser's version (in the lock file).
const PARSE_FORMAT_INPUTS: [&str; 3] = ["src/load/raw.rs", "src/load/yaml.rs", "Cargo.lock"];

fn main() {
    println!("cargo:rerun-if-changed=controls");
    println!("cargo:rerun-if-changed=templates");
    let mut h = DefaultHasher::new();
    for f in PARSE_FORMAT_INPUTS {
        println!("cargo:rerun-if-changed={f}");
        std::fs::read(f).unwrap_or_default().hash(&mut h);
    }
    println!("cargo:rustc-env=AUDITPACK_PARSE_FORMAT={:016x}", h.finish());
}
