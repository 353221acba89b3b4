//! The one place that writes to stdout and stderr. Control characters from
//! inputs (a YAML `\e`, a file name) never reach a terminal raw: messages
//! show them escaped, and so does data written to a terminal.

use crate::diag::{render_text, Diagnostic, Sources};
use std::borrow::Cow;
use std::io::{IsTerminal, Write};

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

/// Write a message line to stderr.
pub fn message(s: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", printable(s));
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
        .write_all(printable(&render_text(items, sources)).as_bytes());
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
