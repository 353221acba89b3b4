//! The one place that writes to stdout and stderr. `-q` keeps errors only;
//! `--color` (and `NO_COLOR`) decide the colour of diagnostics.

use crate::diag::color::{ColorChoice, Paint};
use crate::diag::{render_text_styled, Diagnostic, Severity, Sources, Style};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);
static COLOR: AtomicBool = AtomicBool::new(false);

/// Set `-q` and `--color` for the rest of the run.
pub fn configure(quiet: bool, color: ColorChoice) {
    QUIET.store(quiet, Ordering::Relaxed);
    let no_color = std::env::var("NO_COLOR").ok();
    let on = color.enabled(std::io::stderr().is_terminal(), no_color.as_deref());
    COLOR.store(on, Ordering::Relaxed);
}

/// True under `-q`.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

fn paint() -> Paint {
    Paint {
        on: COLOR.load(Ordering::Relaxed),
    }
}

/// Write data to stdout (a broken pipe is not an error).
pub fn data(s: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(s.as_bytes());
    let _ = out.flush();
}

/// Write a message line to stderr (nothing under `-q`).
pub fn message(s: &str) {
    if !quiet() {
        let _ = writeln!(std::io::stderr().lock(), "{s}");
    }
}

/// A warning line to stderr (nothing under `-q`).
pub fn warning(s: &str) {
    message(&format!(
        "{}: {s}",
        paint().severity(Severity::Warning, "warning")
    ));
}

/// An error that stops the command, with its exit code (printed even under `-q`).
pub fn fail(code: u8, s: &str) -> u8 {
    let label = paint().severity(Severity::Error, "error");
    let _ = writeln!(std::io::stderr().lock(), "{label}: {s}");
    code
}

/// Print diagnostics to stderr; under `-q` only the errors, without counts.
pub fn diagnostics(items: &[Diagnostic], sources: &Sources) {
    let style = Style {
        paint: paint(),
        summary: !quiet(),
    };
    let text = if quiet() {
        let errors: Vec<Diagnostic> = items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .cloned()
            .collect();
        render_text_styled(&errors, sources, style)
    } else {
        render_text_styled(items, sources, style)
    };
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
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
