//! `auditpack ingest`: scanner results become proposed attestations and
//! hashed evidence.

use super::{output, CliError};
use crate::diag::{Diagnostics, Kind, Sources};
use crate::ingest::{self, apply, Tool};
use std::path::{Path, PathBuf};

/// Read scanner results (Prowler OCSF JSON or CSV, Security Hub ASFF, AWS
/// Config evaluation results), keep each scan under the evidence root at
/// scans/<tool>/<date>-<digest12>.<ext>, and propose an attestation for
/// every control one of its checks maps to, in a file ingest owns
/// (attestations/<period>/scans.yaml by default). A file ingest did not
/// write is never overwritten; a malformed scan writes nothing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  prowler aws --output-formats json-ocsf -o scans/\n  auditpack ingest prowler scans/prowler-output-111122223333-20260928061244.ocsf.json --project samples/acme\n  auditpack ingest asff findings.json --project . --as-of 2026-09-30"
)]
pub struct Args {
    /// The scanner that wrote FILE.
    #[arg(value_enum)]
    pub tool: Tool,
    /// Scan files (a `prowler` file ending in .csv is read as Prowler CSV).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Project folder (holds auditpack.yaml).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub project: PathBuf,
    /// No scan may be dated after this [default: SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// The period whose attestation folder receives the file [default: the project's].
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// The attestation file to write [default: the first attestations folder of the project, scans.yaml].
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

/// The default attestation file: the project's first `attestations:`
/// entry (`{period}` replaced), as a folder, plus `scans.yaml`.
fn default_out(root: &Path, entries: &[String], label: &str) -> PathBuf {
    let first = entries
        .first()
        .map(|e| e.replace("{period}", label))
        .unwrap_or_else(|| format!("attestations/{label}/"));
    let dir = if first.ends_with(".yaml") || first.ends_with(".yml") {
        Path::new(&first)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    } else {
        PathBuf::from(first)
    };
    root.join(dir).join("scans.yaml")
}

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    let as_of = crate::pipeline::as_of(a.as_of)?;
    let mut scans = Vec::new();
    for f in &a.files {
        scans.push(ingest::read(a.tool, f).map_err(CliError::invalid)?);
    }
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let Some(loaded) = crate::load::all(
        &a.project,
        a.period.as_deref(),
        true,
        &mut sources,
        &mut diags,
    ) else {
        output::diagnostics(&diags.into_sorted(), &sources);
        return Err(CliError::reported(super::error::INVALID));
    };
    let hashing = crate::hashing::Options::CACHED_QUIET;
    let inventory = crate::validate::inventory(&loaded, &sources, &hashing, &mut diags);
    let errors: Vec<_> = diags
        .into_sorted()
        .into_iter()
        .filter(|d| d.kind != Kind::Finding)
        .collect();
    let Some(inv) = inventory.filter(|_| errors.is_empty()) else {
        output::diagnostics(&errors, &sources);
        output::message("error: the project has input errors; nothing was ingested");
        return Err(CliError::reported(super::error::INVALID));
    };
    let entries: Vec<String> = loaded
        .project
        .value
        .attestations
        .iter()
        .map(|s| s.value.clone())
        .collect();
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| default_out(&loaded.root, &entries, &inv.project.period.label));
    let covers = ingest::propose::covers(&loaded.attestations);
    let plan = apply::plan(
        scans,
        &inv.controls,
        &covers,
        &inv.project.evidence_root,
        &out,
        as_of,
    )
    .map_err(CliError::invalid)?;
    plan.write()?;
    if !quiet {
        output::message(&summary(&plan));
    }
    Ok(())
}

/// What was ingested, for stderr.
fn summary(plan: &apply::Plan) -> String {
    let mut s = String::new();
    for r in &plan.reports {
        s.push_str(&format!(
            "{}: scan of {}, stored as evidence/{}\n",
            crate::load::files::display(&r.source),
            r.date,
            r.stored
        ));
        if r.already {
            s.push_str("  already ingested: its entries are kept as they are\n");
        }
        for (control, status) in &r.proposed {
            s.push_str(&format!("  {control}: {status}\n"));
        }
        for (control, checks) in &r.manual {
            s.push_str(&format!(
                "  note: {control}: MANUAL results only ({}); no attestation proposed, a person must judge\n",
                checks.join(", ")
            ));
        }
        if r.proposed.is_empty() && r.manual.is_empty() {
            s.push_str("  no check of this scan maps to a control; nothing proposed\n");
        }
    }
    let file = crate::load::files::display(&plan.out);
    if plan.is_noop() {
        s.push_str(&format!("{file}: unchanged\n"));
    } else if plan.text.is_some() {
        s.push_str(&format!(
            "{file}: written (proposed attestations: review before sign-off)\n"
        ));
    }
    s.trim_end().to_string()
}
