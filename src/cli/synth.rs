//! `auditpack synth` (hidden): a synthetic organisation for benchmarks.

use super::output;
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

pub fn execute(a: Args, quiet: bool) -> u8 {
    if a.dir.exists() {
        return output::fail(2, &format!("{} exists", a.dir.display()));
    }
    let mut sources = Sources::default();
    let mut diags = Diagnostics::default();
    let lib = crate::pipeline::builtin_library(&mut sources, &mut diags);
    match crate::synth::generate(&a.dir, a.size, a.seed, &lib) {
        Ok(planted) => {
            if !quiet {
                output::message(&format!("wrote {}: planted {planted:?}", a.dir.display()));
            }
            0
        }
        Err(e) => output::fail(2, &format!("{}: {e}", a.dir.display())),
    }
}
