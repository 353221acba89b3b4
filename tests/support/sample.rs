//! The sample package, built from a test: `build` writes the package of
//! `samples/acme` as of 2026-09-30 in the given formats into `out`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository, where `samples/acme` is.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Build the sample into `out` with `--format formats`; panics with the
/// build's stderr when it fails.
pub fn build(out: &Path, formats: &str) {
    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["build", "samples/acme", "--as-of", "2026-09-30"])
        .args(["--format", formats, "-o"])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}
