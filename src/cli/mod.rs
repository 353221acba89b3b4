//! The command line: one file per subcommand, each with its arguments and an
//! `execute` that returns `Result<(), CliError>`; [`run`] turns the error
//! into its printed line and exit code (0 ok, 1 findings or invalid input,
//! 2 usage or I/O error).

mod build;
mod check;
mod completions;
mod diff;
mod error;
mod frameworks;
mod import;
mod ingest;
mod init;
mod keygen;
mod man;
mod matrix;
mod next_steps;
pub mod output;
mod synth;
mod verify;

use crate::diag::Sources;
use crate::pipeline::Outcome;
use crate::resolve::Resolved;
use clap::{Parser, Subcommand};
pub use error::CliError;

/// Turn a compliance repository into a verifiable audit package.
#[derive(Debug, Parser)]
#[command(
    name = "auditpack",
    version,
    about,
    long_about = "Turn a compliance repository — controls, attestations and evidence — into an audit \
package: Markdown, HTML and PDF reports, a responsibility matrix, copied evidence and a verifiable \
manifest. Every control is resolved as inherited, shared or customer against the cloud Shared \
Responsibility Model.",
    after_help = "Examples:\n  auditpack check samples/acme --as-of 2026-09-30\n  auditpack build samples/acme --as-of 2026-09-30 -o out/acme --bundle\n  auditpack verify out/acme.zip\n  auditpack diff samples/acme samples/acme --old-period 2026-Q2 --new-period 2026-Q3\n  auditpack matrix samples/acme --framework soc2\n  auditpack frameworks\n\nExit codes: 0 ok, 1 findings, invalid input or failed verification, 2 usage or I/O error \
(a project folder that cannot be read is an I/O error)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Print nothing but errors (no warnings, notes, progress or summaries).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: crate::diag::color::ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::Args),
    Check(check::Args),
    Matrix(matrix::Args),
    Frameworks(frameworks::Args),
    Init(init::Args),
    Verify(verify::Args),
    Diff(diff::Args),
    Ingest(ingest::Args),
    #[command(hide = true)]
    Synth(synth::Args),
    Keygen(keygen::Args),
    /// Import public catalogs into the library's framework format.
    #[command(subcommand)]
    Import(import::Command),
    Completions(completions::Args),
    Man(man::Args),
}

/// Run a parsed command line; the exit code.
pub fn run(cli: Cli) -> u8 {
    let quiet = cli.quiet;
    output::configure(quiet, cli.color);
    let done = match cli.command {
        Command::Build(a) => build::execute(a, quiet),
        Command::Check(a) => check::execute(a),
        Command::Matrix(a) => matrix::execute(a),
        Command::Frameworks(a) => frameworks::execute(a),
        Command::Init(a) => init::execute(a, quiet),
        Command::Verify(a) => verify::execute(a, quiet),
        Command::Diff(a) => diff::execute(a, quiet),
        Command::Ingest(a) => ingest::execute(a, quiet),
        Command::Synth(a) => synth::execute(a, quiet),
        Command::Keygen(a) => keygen::execute(a, quiet),
        Command::Import(c) => import::execute(c, quiet),
        Command::Completions(a) => completions::execute(a),
        Command::Man(a) => man::execute(a),
    };
    match done {
        Ok(()) => 0,
        Err(e) => output::error(&e),
    }
}

/// Leave `value` to the operating system: the process ends once the command
/// returns, and a resolved project (hundreds of megabytes of small values
/// at 10,000 controls) takes a tenth of a second to free piece by piece.
fn leave_to_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Load, validate and resolve a project for a command: the as-of date from
/// the flag, else the earlier of today (or `SOURCE_DATE_EPOCH`) and the end
/// of the period, then the pipeline, reviewing only `frameworks` when some
/// are given. An unusable `SOURCE_DATE_EPOCH` and a `--framework` the
/// project does not list are usage errors (exit 2).
fn run_pipeline(
    dir: &std::path::Path,
    as_of: Option<chrono::NaiveDate>,
    period: Option<String>,
    hashing: crate::hashing::Options,
    frameworks: &[String],
    sources: &mut Sources,
) -> Result<Outcome, CliError> {
    let as_of = crate::pipeline::as_of_rule(as_of)?;
    let outcome = crate::pipeline::run(
        dir,
        as_of,
        &crate::pipeline::Options {
            period,
            hashing,
            frameworks: frameworks.to_vec(),
        },
        sources,
    );
    if let Outcome::Resolved(r) = &outcome {
        if let Some(id) = frameworks
            .iter()
            .find(|id| !r.project_frameworks.contains(id))
        {
            return Err(CliError::usage_or_io(format!(
                "--framework {id}: not a framework of this project ({})",
                r.project_frameworks.join(", ")
            )));
        }
    }
    Ok(outcome)
}

/// The resolved project, or its input errors printed (then `note`, unless
/// `-q`) and the exit code they call for.
fn resolved(
    outcome: Outcome,
    sources: &Sources,
    note: Option<&str>,
) -> Result<Box<Resolved>, CliError> {
    match outcome {
        Outcome::Resolved(r) => Ok(r),
        Outcome::Invalid(errors) => {
            output::diagnostics(&errors, sources);
            if let Some(note) = note {
                output::message(note);
            }
            Err(CliError::reported(crate::diag::exit_code(&errors, false)))
        }
    }
}

/// A command-line value that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ArgError {
    #[error(
        "`{0}` is not a quarter, half, month or year: write 2026-Q3, 2026-H1, 2026-07 or 2026"
    )]
    Period(String),
    #[error("`{value}` is not a YYYY-MM-DD date ({reason})")]
    Date { value: String, reason: String },
    #[error("`{0}`: use lowercase letters, digits and `-`")]
    FrameworkId(String),
}

/// Parse `--period` before anything is read, so that a bad one is the
/// first and only error (a usage error).
fn parse_period(s: &str) -> Result<String, ArgError> {
    match crate::validate::dates::period_label(s.trim()) {
        Some(_) => Ok(s.trim().to_string()),
        None => Err(ArgError::Period(s.to_string())),
    }
}

/// Parse `--as-of`.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, ArgError> {
    crate::validate::dates::parse_ymd(s).map_err(|e| ArgError::Date {
        value: s.to_string(),
        reason: e.to_string(),
    })
}
