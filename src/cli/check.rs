//! `auditpack check`: validate and resolve, report every problem.

use super::next_steps;
use super::{output, CliError};
use crate::diag::{render_json, Sources};
use crate::pipeline::Outcome;
use std::path::PathBuf;

/// Validate a project and report input errors and findings.
///
/// Exit code 1 on errors (input errors or error-level findings), 0 otherwise;
/// with --strict, warnings fail too. Built-in controls awaiting their first
/// attestation are to-do notes, printed as a short list of next steps;
/// with --strict they are errors. A project folder that cannot be read
/// exits 2.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack check samples/acme --as-of 2026-09-30\n  auditpack check . --format json --strict"
)]
pub struct Args {
    /// Project folder (holds auditpack.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Date at which evidence freshness and exceptions are judged [default: the earlier of today (or SOURCE_DATE_EPOCH) and the end of the period].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Review this period instead of the project file's (e.g. 2026-Q2); `{period}` in attestation paths follows it.
    #[arg(long, value_name = "PERIOD", value_parser = super::parse_period)]
    pub period: Option<String>,
    /// Output format of the diagnostics.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Fail on warnings too, and count built-in controls awaiting a first attestation as errors.
    #[arg(long)]
    pub strict: bool,
    /// Re-hash every evidence file and parse every input file, ignoring the caches.
    #[arg(long)]
    pub no_cache: bool,
    /// Print the time each stage took to stderr.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// SARIF 2.1.0, for code scanning (GitHub and others).
    Sarif,
}

pub fn execute(a: Args) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let mut sources = Sources::default();
    let outcome = super::run_pipeline(
        &a.dir,
        a.as_of,
        a.period.clone(),
        crate::hashing::Options {
            progress: false,
            cache: !a.no_cache,
        },
        &[],
        &mut sources,
    )?;
    let (mut items, model) = match outcome {
        Outcome::Resolved(r) => (r.findings, Some(r.model)),
        Outcome::Invalid(errors) => (errors, None),
    };
    let todos = match (&model, a.strict) {
        (Some(m), false) => next_steps::mark(&mut items, m),
        _ => next_steps::ToDos::default(),
    };
    let dir = crate::load::files::display(&a.dir);
    match a.format {
        Format::Json => output::data(&render_json(&items)),
        Format::Sarif => {
            let project_file = crate::load::files::display(&a.dir.join("auditpack.yaml"));
            output::data(&crate::diag::sarif::render(&items, &project_file));
        }
        Format::Text => match &model {
            Some(m) if !todos.is_empty() && !output::quiet() => {
                output::message(next_steps::render(&dir, m, &items, &todos).trim_end());
            }
            _ => {
                output::diagnostics(&items, &sources);
                if items.is_empty() {
                    output::message("no problems found");
                }
            }
        },
    }
    if a.timings {
        output::timings(started);
    }
    let code = crate::diag::exit_code(&items, a.strict);
    super::leave_to_exit((items, model, sources));
    super::error::exit_with(code)
}
