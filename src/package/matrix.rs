//! The responsibility matrix (`matrix.csv`, also `auditpack matrix --format
//! csv`) and the requirement register (`requirements.csv`) as CSV.

use crate::model::{ReportModel, ResolvedFramework};
use crate::values::name;

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

/// Header of the requirement register.
pub const REQUIREMENTS_HEADER: [&str; 8] = [
    "framework",
    "requirement",
    "title",
    "responsibility",
    "status",
    "controls",
    "provider_attestations",
    "reason",
];

/// Records as CSV, every cell inert in a spreadsheet.
fn write<const N: usize>(header: [&str; N], rows: impl Iterator<Item = [String; N]>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(row.map(|cell| inert(&cell).into_owned()));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The matrix of the given frameworks as CSV.
pub fn csv_of<'a>(frameworks: impl Iterator<Item = &'a ResolvedFramework>) -> String {
    let opt = |v: Option<String>| v.unwrap_or_default();
    write(
        HEADER,
        frameworks.flat_map(|f| f.matrix.iter()).map(|r| {
            [
                r.framework.clone(),
                r.requirement.clone(),
                r.requirement_title.clone(),
                r.control.clone(),
                r.control_title.clone(),
                opt(r.responsibility.map(|x| name(&x))),
                opt(r.status.map(|x| name(&x))),
                opt(r.freshness.map(|x| name(&x))),
                name(&r.coverage),
            ]
        }),
    )
}

/// One row per requirement of the given frameworks as CSV; lists are
/// separated by spaces.
pub fn requirements_of<'a>(frameworks: impl Iterator<Item = &'a ResolvedFramework>) -> String {
    write(
        REQUIREMENTS_HEADER,
        frameworks
            .flat_map(|f| f.groups.iter())
            .flat_map(|g| g.requirements.iter())
            .map(|r| {
                [
                    r.framework.clone(),
                    r.id.clone(),
                    r.title.clone(),
                    r.responsibility.map(|x| name(&x)).unwrap_or_default(),
                    name(&r.status),
                    r.controls.join(" "),
                    r.provider_attestations.join(" "),
                    r.reason.clone(),
                ]
            }),
    )
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

/// The whole package's requirement register.
pub fn requirements(model: &ReportModel) -> String {
    requirements_of(model.frameworks.iter())
}
