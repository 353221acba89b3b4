//! The responsibility matrix as CSV (also `auditpack matrix --format csv`).

use crate::model::{FrameworkView, ReportModel};

/// Header of the matrix.
pub const HEADER: [&str; 9] = [
    "framework",
    "requirement",
    "requirement_title",
    "control",
    "control_title",
    "responsibility",
    "status",
    "freshness",
    "coverage",
];

/// The matrix of the given frameworks as CSV.
pub fn csv_of<'a>(frameworks: impl Iterator<Item = &'a FrameworkView>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(HEADER);
    for f in frameworks {
        for r in &f.matrix {
            let _ = w.write_record(
                [
                    &r.framework,
                    &r.requirement,
                    &r.requirement_title,
                    &r.control,
                    &r.control_title,
                    &r.responsibility,
                    &r.status,
                    &r.freshness,
                    &r.coverage,
                ]
                .map(|cell| inert(cell).into_owned()),
            );
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A cell that a spreadsheet will not run as a formula (`=`, `+`, `-`, `@`
/// at the start get a leading apostrophe).
fn inert(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// The whole package's matrix.
pub fn csv(model: &ReportModel) -> String {
    csv_of(model.frameworks.iter())
}
