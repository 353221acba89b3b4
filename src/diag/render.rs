//! Text and JSON forms of a diagnostic list.
//!
//! Text: `path:line:col: error[code]: message`, then the source line with a
//! caret under the column, then the hint.

use super::color::Paint;
use super::{Diagnostic, Sources, Tally};
use std::fmt::Write;

/// How text diagnostics look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Colours (or none).
    pub paint: Paint,
    /// End with the count of errors, warnings and notes.
    pub summary: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            paint: Paint::default(),
            summary: true,
        }
    }
}

/// Render diagnostics for a log: no colour, with the counts.
pub fn render_text(items: &[Diagnostic], sources: &Sources) -> String {
    render_text_styled(items, sources, Style::default())
}

/// Render diagnostics for a terminal or a log in the given style.
pub fn render_text_styled(items: &[Diagnostic], sources: &Sources, style: Style) -> String {
    let paint = style.paint;
    let mut out = String::new();
    for d in items {
        if let Some(s) = &d.span {
            let _ = write!(out, "{}: ", paint.bold(&s.to_string()));
        }
        let head = format!("{}[{}]", d.severity.label(), d.code.name());
        let _ = writeln!(out, "{}: {}", paint.severity(d.severity, &head), d.message);
        if let Some(s) = &d.span {
            if let Some(src) = sources.line(&s.file, s.line) {
                let src = src.trim_end();
                let gutter = s.line.to_string();
                let pad = " ".repeat(gutter.len());
                let col = (s.column.max(1) - 1) as usize;
                let caret_at: usize = src
                    .chars()
                    .take(col)
                    .map(|c| if c == '\t' { 4 } else { 1 })
                    .sum();
                let shown: String = src
                    .chars()
                    .map(|c| {
                        if c == '\t' {
                            "    ".to_string()
                        } else {
                            c.to_string()
                        }
                    })
                    .collect();
                let bar = paint.gutter("|");
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(out, "{} {bar} {shown}", paint.gutter(&gutter));
                let caret = paint.severity(d.severity, "^");
                let _ = writeln!(out, "{pad} {bar} {}{caret}", " ".repeat(caret_at));
            }
        }
        if let Some(h) = &d.hint {
            let _ = writeln!(out, "  = hint: {h}");
        }
    }
    let t = Tally::of(items);
    if style.summary && !items.is_empty() {
        let _ = writeln!(
            out,
            "{} error(s), {} warning(s), {} note(s)",
            t.errors, t.warnings, t.notes
        );
    }
    out
}

/// Render diagnostics as a JSON document (`check --format json`).
pub fn render_json(items: &[Diagnostic]) -> String {
    let t = Tally::of(items);
    let doc = serde_json::json!({
        "diagnostics": items,
        "summary": {"errors": t.errors, "warnings": t.warnings, "notes": t.notes},
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
