//! `auditpack diff`: what changed between two packages or two periods.

use super::{output, CliError};
use crate::diag::Sources;
use crate::diff::scans::Source;
use crate::model::ReportModel;
use std::path::{Path, PathBuf};

/// Compare two packages (folder or zip) or two periods of a project:
/// controls whose status or responsibility changed, requirements newly
/// covered or uncovered, evidence new/expired/changed, exceptions
/// opened/closed/overdue, coverage per framework.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack diff out/acme-q2 out/acme-q3.zip\n  auditpack diff samples/acme samples/acme --old-period 2026-Q2 --new-period 2026-Q3 -o review.md"
)]
pub struct Args {
    /// The earlier package (folder or zip) or project folder.
    pub old: PathBuf,
    /// The later package (folder or zip) or project folder.
    pub new: PathBuf,
    /// Period of OLD when it is a project.
    #[arg(long, value_name = "PERIOD", value_parser = super::parse_period)]
    pub old_period: Option<String>,
    /// Period of NEW when it is a project.
    #[arg(long, value_name = "PERIOD", value_parser = super::parse_period)]
    pub new_period: Option<String>,
    /// As-of date for projects [default: for each side, the earlier of today (or SOURCE_DATE_EPOCH) and the end of its period].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Also write the comparison as Markdown (.md) or HTML (.html).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Templates folder overriding the built-in templates file by file.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Compare packages without verifying them first (says so on stderr).
    #[arg(long)]
    pub no_verify: bool,
}

/// Largest `model.json` read from a package that was not verified.
const MAX_MODEL_BYTES: u64 = 1 << 30;

/// Verify a package before its model is read: the largest `model.json` to
/// read (its size in the manifest).
fn verified_size(path: &Path, verify: bool) -> Result<u64, CliError> {
    if !verify {
        output::message(&format!(
            "warning: {} was NOT verified (--no-verify): its model.json is read as it is",
            path.display()
        ));
        return Ok(MAX_MODEL_BYTES);
    }
    let r = crate::package::verify::verify(path, None)
        .map_err(|e| CliError::invalid(format!("{}: cannot be verified: {e}", path.display())))?;
    if !r.ok() {
        let mut why: Vec<String> = r.problems.clone();
        why.extend(r.missing.iter().map(|f| format!("missing: {f}")));
        why.extend(r.changed.iter().map(|f| format!("changed: {f}")));
        why.extend(r.extra.iter().map(|f| format!("extra: {f}")));
        if let Some(crate::package::sign::SigCheck::Bad(b)) = &r.signature {
            why.push(format!("signature: {b}"));
        }
        return Err(CliError::invalid(format!(
            "{} fails verification ({}); compare it anyway with --no-verify",
            path.display(),
            why.join("; ")
        )));
    }
    r.manifest
        .and_then(|m| m.files.into_iter().find(|f| f.path == "model.json"))
        .map(|f| f.size)
        .ok_or_else(|| {
            CliError::invalid(format!(
                "{}: its manifest lists no model.json",
                path.display()
            ))
        })
}

/// Read one side: a project (has auditpack.yaml), a package folder or a
/// zip; and where its evidence files can be read again.
fn side(
    path: &Path,
    period: Option<&str>,
    as_of: Option<chrono::NaiveDate>,
    verify: bool,
) -> Result<(ReportModel, Source), CliError> {
    if path.join("auditpack.yaml").is_file() {
        let mut sources = Sources::default();
        // The one as-of rule: each side is judged at the earlier of today
        // and the end of its own period unless told otherwise.
        let outcome = super::run_pipeline(
            path,
            as_of,
            period.map(str::to_string),
            Default::default(),
            &[],
            &mut sources,
        )?;
        let r = super::resolved(outcome, &sources, None)?;
        return Ok((r.model, Source::Folder(r.evidence_root)));
    }
    let cap = verified_size(path, verify)?;
    let bytes = crate::package::verify::read_file(path, "model.json", cap)
        .map_err(|e| CliError::usage_or_io(format!("{}: model.json: {e}", path.display())))?;
    let model: ReportModel = serde_json::from_slice(&bytes).map_err(|e| {
        CliError::usage_or_io(format!(
            "{}: model.json is not a report model ({e})",
            path.display()
        ))
    })?;
    if model.schema_version != crate::model::SCHEMA_VERSION {
        return Err(CliError::usage_or_io(format!(
            "{}: model.json schema {} is not {}",
            path.display(),
            model.schema_version,
            crate::model::SCHEMA_VERSION
        )));
    }
    let source = if path.is_dir() {
        Source::Folder(path.join("evidence"))
    } else {
        Source::Zip(path.to_path_buf())
    };
    Ok((model, source))
}

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    let old = side(&a.old, a.old_period.as_deref(), a.as_of, !a.no_verify)?;
    let new = side(&a.new, a.new_period.as_deref(), a.as_of, !a.no_verify)?;
    let label = |p: &Path, period: &Option<String>| match period {
        Some(x) => format!("{} {x}", p.display()),
        None => p.display().to_string(),
    };
    let ((old, old_source), (new, new_source)) = (old, new);
    let mut d = crate::diff::diff(
        &old,
        &new,
        &label(&a.old, &a.old_period),
        &label(&a.new, &a.new_period),
    );
    let (scans, problems) = crate::diff::scans::changes(&old, &old_source, &new, &new_source);
    d.scans = scans;
    for p in problems {
        output::message(&format!("warning: a scan could not be compared: {p}"));
    }
    if !quiet {
        output::data(&crate::diff::summary(&d));
    }
    match &a.output {
        Some(out) => write_comparison(out, a.templates.as_deref(), &d),
        None => Ok(()),
    }
}

/// Write the comparison as Markdown or HTML, by the extension of `out`.
fn write_comparison(
    out: &Path,
    templates: Option<&Path>,
    d: &crate::diff::Diff,
) -> Result<(), CliError> {
    let template = match out.extension().and_then(|e| e.to_str()) {
        Some("md") => "diff/diff.md",
        Some("html" | "htm") => "diff/diff.html",
        _ => {
            return Err(CliError::usage_or_io(format!(
                "{}: write .md or .html",
                out.display()
            )))
        }
    };
    let tera = crate::render::templates::load(templates, &["diff/"])?;
    let mut ctx = tera::Context::new();
    ctx.insert("d", d);
    let text = tera
        .render(template, &ctx)
        .map_err(|e| crate::render::RenderError::template(template, &e))?;
    let text = crate::render::markdown::tidy(text);
    crate::fsio::write_file_atomic(out, text.as_bytes())
        .map_err(|e| CliError::usage_or_io(e).context(out.display()))
}
