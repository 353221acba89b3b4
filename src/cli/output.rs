//! The one place that writes to stdout and stderr.

use crate::diag::{render_text, Diagnostic, Sources};
use std::io::Write;

/// Write data to stdout (a broken pipe is not an error).
pub fn data(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// Write a message line to stderr.
pub fn message(s: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{s}");
}

/// An error that stops the command, with its exit code.
pub fn fail(code: u8, s: &str) -> u8 {
    message(&format!("error: {s}"));
    code
}

/// Print diagnostics to stderr.
pub fn diagnostics(items: &[Diagnostic], sources: &Sources) {
    let _ = std::io::stderr()
        .lock()
        .write_all(render_text(items, sources).as_bytes());
}
