//! The command line: one file per subcommand, each with its arguments and an
//! `execute` that returns the exit code (0 ok, 1 findings or invalid input,
//! 2 usage or I/O error).

mod build;
mod check;
mod completions;
mod diff;
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

use clap::{Parser, Subcommand};

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

/// Run a parsed command line.
pub fn run(cli: Cli) -> u8 {
    let quiet = cli.quiet;
    output::configure(quiet, cli.color);
    match cli.command {
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
    }
}

/// Load, validate and resolve a project for a command: the as-of date from
/// the flag, else the earlier of today (or `SOURCE_DATE_EPOCH`) and the end
/// of the period, then the pipeline. An unusable `SOURCE_DATE_EPOCH` is a
/// usage error (exit 2).
fn run_pipeline(
    dir: &std::path::Path,
    as_of: Option<chrono::NaiveDate>,
    period: Option<String>,
    hashing: crate::hashing::Options,
    frameworks: &[String],
    sources: &mut crate::diag::Sources,
) -> Result<crate::pipeline::Outcome, u8> {
    let as_of = crate::pipeline::as_of_rule(as_of).map_err(|e| output::fail(2, &e))?;
    Ok(crate::pipeline::run(
        dir,
        as_of,
        &crate::pipeline::Options {
            period,
            hashing,
            frameworks: frameworks.to_vec(),
        },
        sources,
    ))
}

/// Parse `--period` before anything is read, so that a bad one is the
/// first and only error (a usage error).
fn parse_period(s: &str) -> Result<String, String> {
    match crate::validate::dates::period_label(s.trim()) {
        Some(_) => Ok(s.trim().to_string()),
        None => Err(format!(
            "`{s}` is not a quarter, half, month or year: write 2026-Q3, 2026-H1, 2026-07 or 2026"
        )),
    }
}

/// Parse `--as-of`.
fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    crate::validate::dates::parse_ymd(s)
        .map_err(|e| format!("`{s}` is not a YYYY-MM-DD date ({e})"))
}
