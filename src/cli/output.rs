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

/// The time of each stage (`--timings`), then the total since `started`.
pub fn timings(started: std::time::Instant) {
    for (stage, d) in crate::timings::take() {
        message(&format!("{stage:>12} {:>9.3} s", d.as_secs_f64()));
    }
    message(&format!(
        "{:>12} {:>9.3} s wall clock (hash is part of validate; formats render in parallel)",
        "total",
        started.elapsed().as_secs_f64()
    ));
}
