//! The sample company (`samples/acme` as of 2026-09-30) through the binary.
//!
//! [`package`] is the sample built once per test binary with `--format all`
//! (every file every format writes) and shared by every test of that binary
//! that only reads it; a test that changes a package or needs other
//! arguments builds its own with [`build`] or [`build_with`], Markdown only
//! unless the format is what it tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The as-of date every sample test uses.
pub const AS_OF: &str = "2026-09-30";

/// The repository, where `samples/acme` is.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample project folder.
pub fn project() -> PathBuf {
    root().join("samples/acme")
}

/// The binary, run from the repository with no `SOURCE_DATE_EPOCH` and no
/// `NO_COLOR` from the environment.
pub fn auditpack() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_auditpack"));
    c.current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("NO_COLOR");
    c
}

/// `auditpack build samples/acme --as-of 2026-09-30 -o OUT EXTRA…`.
pub fn build_with(out: &Path, extra: &[&str]) -> Output {
    auditpack()
        .args(["build", "samples/acme", "--as-of", AS_OF, "-o"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Build the sample into `out` with `--format formats`; panics with the
/// build's stderr when it fails.
pub fn build(out: &Path, formats: &str) {
    let o = build_with(out, &["--format", formats]);
    assert!(
        o.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The sample package in every format, built once for this test binary.
/// Read it, never change it.
pub fn package() -> &'static Path {
    static DIR: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DIR.get_or_init(|| {
        let t = tempfile::tempdir().unwrap();
        let out = t.path().join("all");
        build(&out, "all");
        (t, out)
    })
    .1
}

/// The shared package's `model.json`.
pub fn model() -> &'static serde_json::Value {
    static MODEL: OnceLock<serde_json::Value> = OnceLock::new();
    MODEL.get_or_init(|| super::files::json(&package().join("model.json")))
}

/// A copy of the sample project in a new temporary folder: (the folder
/// that holds it, the project).
pub fn copy() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dst = tmp.path().join("acme");
    super::files::copy_tree(&project(), &dst);
    (tmp, dst)
}
