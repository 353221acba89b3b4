//! `auditpack check`: validate and resolve, report every problem.

use super::output;
use crate::diag::{render_json, Sources, Tally};
use crate::pipeline::Outcome;
use std::path::PathBuf;

/// Validate a project and report input errors and findings.
///
/// Exit code 1 on errors (input errors or error-level findings), 0 otherwise;
/// with --strict, warnings fail too.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack check samples/acme --as-of 2026-09-30\n  auditpack check . --format json --strict"
)]
pub struct Args {
    /// Project folder (holds auditpack.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Date at which evidence freshness and exceptions are judged [default: SOURCE_DATE_EPOCH, else today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Review this period instead of the project file's (e.g. 2026-Q2); `{period}` in attestation paths follows it.
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Fail on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Print the time each stage took to stderr.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn execute(a: Args) -> u8 {
    let started = std::time::Instant::now();
    let mut sources = Sources::default();
    let outcome = match super::run_pipeline(
        &a.dir,
        a.as_of,
        a.period.clone(),
        crate::hashing::Options::CACHED_QUIET,
        &[],
        &mut sources,
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let items = match outcome {
        Outcome::Resolved(r) => r.findings,
        Outcome::Invalid(errors) => errors,
    };
    match a.format {
        Format::Json => output::data(&render_json(&items)),
        Format::Text => {
            output::diagnostics(&items, &sources);
            if items.is_empty() {
                output::message("no problems found");
            }
        }
    }
    if a.timings {
        output::timings(started);
    }
    Tally::of(&items).exit_code(a.strict)
}
