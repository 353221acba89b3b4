//! `auditpack frameworks`: the built-in frameworks and their sizes.

use super::{output, CliError};
use crate::diag::{Diagnostics, Sources};

/// List the built-in framework catalogs with their requirement counts.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn execute(a: Args) -> Result<(), CliError> {
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let lib = crate::pipeline::builtin_library(&mut sources, &mut diags);
    if diags.has_input_errors() {
        output::diagnostics(&diags.into_sorted(), &sources);
        return Err(CliError::reported(super::error::USAGE_OR_IO));
    }
    if a.json {
        let list: Vec<_> = lib
            .catalogs
            .values()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "title": c.title, "version": c.version,
                    "requirements": c.requirements.len(), "groups": c.groups.len(),
                    "core": c.requirements.iter().filter(|r| r.core).count(),
                })
            })
            .collect();
        output::data(&format!(
            "{}\n",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        ));
        return Ok(());
    }
    output::data(&table(lib.catalogs.values()));
    Ok(())
}

/// One row per catalog; the version in a column of its own (a version such
/// as `fedramp2.1.0-oscal1.0.4 (2024-09-23)` has parentheses of its own).
fn table<'a>(catalogs: impl Iterator<Item = &'a crate::validate::Catalog> + Clone) -> String {
    let width = catalogs
        .clone()
        .map(|c| c.title.chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let mut out = format!(
        "{:<18} {:>12} {:>7}  {:<width$}  {}\n",
        "ID", "REQUIREMENTS", "GROUPS", "TITLE", "VERSION"
    );
    for c in catalogs {
        out.push_str(&format!(
            "{:<18} {:>12} {:>7}  {:<width$}  {}\n",
            c.id,
            c.requirements.len(),
            c.groups.len(),
            c.title,
            c.version
        ));
    }
    out
}
