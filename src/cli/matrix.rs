//! `auditpack matrix`: the responsibility matrix on stdout.

use super::{output, CliError};
use crate::diag::Sources;
use crate::values::name;
use std::path::PathBuf;

/// An optional cell, blank when absent.
fn blank(v: Option<String>) -> String {
    v.unwrap_or_default()
}

/// Print the responsibility matrix: requirement, control, responsibility,
/// status and evidence state.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack matrix samples/acme --framework soc2\n  auditpack matrix samples/acme --format csv > matrix.csv"
)]
pub struct Args {
    /// Project folder (holds auditpack.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Only this framework [default: every framework of the project].
    #[arg(long, value_name = "ID")]
    pub framework: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Date at which evidence freshness is judged [default: the earlier of today (or SOURCE_DATE_EPOCH) and the end of the period].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Review this period instead of the project file's (e.g. 2026-Q2); `{period}` in attestation paths follows it.
    #[arg(long, value_name = "PERIOD", value_parser = super::parse_period)]
    pub period: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

pub fn execute(a: Args) -> Result<(), CliError> {
    let mut sources = Sources::default();
    let outcome = super::run_pipeline(
        &a.dir,
        a.as_of,
        a.period.clone(),
        crate::hashing::Options::CACHED_QUIET,
        a.framework.as_slice(),
        &mut sources,
    )?;
    // Only the chosen framework, if any, was resolved.
    let model = super::resolved(outcome, &sources, None)?.model;
    let frameworks = model.frameworks.iter();
    match a.format {
        Format::Csv => output::data(&crate::package::matrix::csv_of(frameworks)),
        Format::Json => {
            let rows: Vec<_> = frameworks.flat_map(|f| f.matrix.iter()).collect();
            output::data(&format!(
                "{}\n",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            ));
        }
        Format::Table => {
            let mut out = String::new();
            for f in frameworks {
                out.push_str(&format!("{}\n", heading(&f.short, &f.title)));
                out.push_str(&format!(
                    "{:<22} {:<10} {:<10} {:<22} {:<9} {}\n",
                    "REQUIREMENT", "CONTROL", "RESP.", "STATUS", "EVIDENCE", "COVERAGE"
                ));
                for r in &f.matrix {
                    out.push_str(&format!(
                        "{:<22} {:<10} {:<10} {:<22} {:<9} {}\n",
                        r.requirement,
                        if r.control.is_empty() {
                            "—"
                        } else {
                            &r.control
                        },
                        blank(r.responsibility.map(|x| name(&x))),
                        blank(r.status.map(|x| name(&x))),
                        blank(r.freshness.map(|x| name(&x))),
                        name(&r.coverage)
                    ));
                }
                out.push('\n');
            }
            output::data(&out);
        }
    }
    Ok(())
}

/// A framework's heading: its title, after its short name unless the title
/// already begins with it ("SOC 2 — Trust Services Criteria …", not
/// "SOC 2 — SOC 2 — …").
fn heading(short: &str, title: &str) -> String {
    if title.starts_with(short) {
        title.to_string()
    } else {
        format!("{short} — {title}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heading_names_the_framework_once() {
        assert_eq!(
            super::heading("SOC 2", "SOC 2 — Trust Services Criteria"),
            "SOC 2 — Trust Services Criteria"
        );
        assert_eq!(
            super::heading("FedRAMP Low", "FedRAMP Rev 5 Low Baseline"),
            "FedRAMP Low — FedRAMP Rev 5 Low Baseline"
        );
    }
}
