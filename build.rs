//! Rebuild when the embedded library or templates change.
fn main() {
    println!("cargo:rerun-if-changed=controls");
    println!("cargo:rerun-if-changed=templates");
}
