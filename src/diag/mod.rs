//! Diagnostics are data: input errors and findings, each with a code, a
//! severity, a message, an optional source location and an optional hint.
//!
//! Input errors mean the inputs cannot be trusted (`build` and `check` stop);
//! findings describe a compliance problem in valid inputs (`build` reports them
//! inside the package). The two are kept apart by [`Kind`].

mod code;
pub mod color;
mod render;
pub mod sarif;
mod sources;

pub use code::{docs_page, Code};
pub use render::{render_json, render_text, render_text_styled, Style};
pub use sources::{in_project, Sources, Span};

use serde::Serialize;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    /// The word printed before the message.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Whether a diagnostic is about the inputs or about the compliance posture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The inputs cannot be trusted.
    Input,
    /// Valid inputs that describe a compliance problem.
    Finding,
}

/// One problem, located where possible.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub kind: Kind,
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An input error.
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            kind: Kind::Input,
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    /// A finding with the given severity.
    pub fn finding(code: Code, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            kind: Kind::Finding,
            severity,
            code,
            message: message.into(),
            span: None,
            hint: None,
        }
    }

    /// Attach a location.
    pub fn at(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Attach a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach a hint when there is one.
    pub fn maybe_hint(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

/// Collects diagnostics: validation goes on after the first problem.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when an input error was collected.
    pub fn has_input_errors(&self) -> bool {
        self.items
            .iter()
            .any(|d| d.kind == Kind::Input && d.severity == Severity::Error)
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by file, position, then code, for stable output.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        sort(&mut self.items);
        self.items
    }
}

/// Sort diagnostics by location (unlocated last), then code and message.
pub fn sort(items: &mut [Diagnostic]) {
    items.sort_by(order);
}

/// The order of [`sort`].
pub fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
    order_within(a, b, "")
}

/// [`order`] with file names read without `prefix` (a project folder), so
/// that the order does not depend on where the project was read from.
pub fn order_within(a: &Diagnostic, b: &Diagnostic, prefix: &str) -> std::cmp::Ordering {
    fn key<'a>(d: &'a Diagnostic, prefix: &str) -> (u8, &'a str, u32, u32) {
        d.span
            .as_ref()
            .map(|s| (0, in_project(&s.file, prefix), s.line, s.column))
            .unwrap_or((1, "", 0, 0))
    }
    key(a, prefix)
        .cmp(&key(b, prefix))
        .then(a.code.cmp(&b.code))
        .then(a.message.cmp(&b.message))
}

/// Counts that decide the exit code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub errors: usize,
    pub warnings: usize,
    pub notes: usize,
}

impl Tally {
    pub fn of(items: &[Diagnostic]) -> Self {
        let mut t = Tally::default();
        for d in items {
            match d.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Note => t.notes += 1,
            }
        }
        t
    }

    /// The exit code of `check`: 1 on errors, or on warnings with `--strict`.
    pub fn exit_code(self, strict: bool) -> u8 {
        if self.errors > 0 || (strict && self.warnings > 0) {
            1
        } else {
            0
        }
    }
}

/// The exit code of a command that read a project: 2 when a file or folder
/// could not be read that no input points at (the project folder itself,
/// `auditpack.yaml`): an I/O error; otherwise the [`Tally`] rule.
pub fn exit_code(items: &[Diagnostic], strict: bool) -> u8 {
    let io = items
        .iter()
        .any(|d| d.kind == Kind::Input && d.code == Code::Io && d.span.is_none());
    if io {
        2
    } else {
        Tally::of(items).exit_code(strict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlocated_io_errors_exit_2() {
        let io = Diagnostic::error(Code::Io, "p: no such project folder");
        let located = io.clone().at(Some(Span {
            file: "auditpack.yaml".into(),
            line: 3,
            column: 1,
        }));
        let warn = Diagnostic::finding(Code::StaleEvidence, Severity::Warning, "w");
        assert_eq!(exit_code(&[io], false), 2);
        assert_eq!(exit_code(&[located], false), 1);
        assert_eq!(exit_code(std::slice::from_ref(&warn), false), 0);
        assert_eq!(exit_code(&[warn], true), 1);
        assert_eq!(exit_code(&[], true), 0);
    }

    #[test]
    fn exit_code_table() {
        let cases = [
            (0, 0, false, 0),
            (0, 0, true, 0),
            (0, 3, false, 0),
            (0, 3, true, 1),
            (1, 0, false, 1),
            (2, 5, true, 1),
        ];
        for (errors, warnings, strict, want) in cases {
            let t = Tally {
                errors,
                warnings,
                notes: 4,
            };
            assert_eq!(t.exit_code(strict), want, "{errors} {warnings} {strict}");
        }
    }
}
