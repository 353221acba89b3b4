//! The one place that writes to stdout and stderr. Control characters from
//! inputs (a YAML `\e`, a file name) never reach a terminal raw: messages
//! show them escaped, and so does data written to a terminal.
//! `-q` keeps errors only; `--color` (and `NO_COLOR`) decide the colour of
//! diagnostics.

use crate::diag::color::{ColorChoice, Paint};
use crate::diag::{render_text_styled, Diagnostic, Severity, Sources, Style};
use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// `s` with every control character but line feed and tab shown escaped
/// (`\u{1b}`), so that text from inputs cannot drive a terminal.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' | '\t' => c.to_string(),
                c if c.is_control() => c.escape_unicode().to_string(),
                c => c.to_string(),
            })
            .collect(),
    )
}

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
    let text = if out.is_terminal() {
        printable(s)
    } else {
        Cow::Borrowed(s)
    };
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Write a message line to stderr (nothing under `-q`).
pub fn message(s: &str) {
    if !quiet() {
        let _ = writeln!(std::io::stderr().lock(), "{}", printable(s));
    }
}

/// A warning line to stderr (nothing under `-q`).
pub fn warning(s: &str) {
    message(&format!(
        "{}: {s}",
        paint().severity(Severity::Warning, "warning")
    ));
}

/// The error that stopped a command (printed even under `-q`, unless the
/// command has already reported); its exit code.
pub fn error(e: &super::CliError) -> u8 {
    if let Some(message) = &e.message {
        let label = paint().severity(Severity::Error, "error");
        let _ = writeln!(std::io::stderr().lock(), "{label}: {}", printable(message));
    }
    e.code
}

/// Print diagnostics to stderr; under `-q` only the errors, without counts.
pub fn diagnostics(items: &[Diagnostic], sources: &Sources) {
    let style = Style {
        paint: paint(),
        summary: !quiet(),
    };
    // Text from inputs is shown escaped; the colours are added after.
    let shown: Vec<Diagnostic> = items
        .iter()
        .filter(|d| !quiet() || d.severity == Severity::Error)
        .map(|d| {
            let mut d = d.clone();
            d.message = printable(&d.message).into_owned();
            d.hint = d.hint.map(|h| printable(&h).into_owned());
            d
        })
        .collect();
    let coloured = style.paint.on;
    let text = render_text_styled(&shown, sources, style);
    let text = if coloured {
        Cow::Owned(text)
    } else {
        printable(&text).into_owned().into()
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

#[cfg(test)]
mod tests {
    #[test]
    fn control_characters_are_shown_escaped() {
        assert_eq!(super::printable("a\u{1b}[31mb\r"), "a\\u{1b}[31mb\\u{d}");
        assert_eq!(super::printable("line\n\tnext"), "line\n\tnext");
    }
}
