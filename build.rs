//! Rebuild when the embedded library or templates change.

// Cargo reads its directives from a build script's standard output.
#![allow(clippy::disallowed_macros)]

fn main() {
    println!("cargo:rerun-if-changed=controls");
    println!("cargo:rerun-if-changed=templates");
}
