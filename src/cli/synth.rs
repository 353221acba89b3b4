//! `auditpack synth` (hidden): a synthetic organisation for benchmarks.

use super::{output, CliError};
use crate::diag::{Diagnostics, Sources};
use std::path::PathBuf;

/// Write a synthetic project (sizes S, M, L; see BENCHMARKS.md).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to create (must not exist).
    pub dir: PathBuf,
    #[arg(long, value_enum, default_value = "s")]
    pub size: crate::synth::Size,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    if a.dir.exists() {
        return Err(CliError::usage_or_io(format!("{} exists", a.dir.display())));
    }
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let lib = crate::pipeline::builtin_library(&mut sources, &mut diags);
    let planted = crate::synth::generate(&a.dir, a.size, a.seed, &lib)
        .map_err(|e| CliError::usage_or_io(e).context(a.dir.display()))?;
    if !quiet {
        output::message(&format!("wrote {}: planted {planted:?}", a.dir.display()));
    }
    Ok(())
}
