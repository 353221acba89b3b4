//! Stage 2, validate: turn the parsed files into an [`Inventory`] of plain,
//! valid types, collecting every problem before stopping.

pub mod attestations;
pub mod catalogs;
pub mod checks;
pub mod controls;
pub mod dates;
pub mod library;
pub mod project;
pub mod types;

use crate::diag::{Diagnostics, Sources};
use crate::load::{LibraryFiles, Loaded};
pub use catalogs::Catalogs;
use std::collections::BTreeMap;
pub use types::*;

/// The validated built-in library.
#[derive(Debug, Clone)]
pub struct Library {
    pub catalogs: Catalogs,
    pub matrices: BTreeMap<String, ServiceMatrix>,
}

/// The library's catalogs (compiled, parsed when used) and its validated
/// matrices.
pub fn library(files: &LibraryFiles, diags: &mut Diagnostics) -> Library {
    Library {
        catalogs: Catalogs::builtin(),
        matrices: library::matrices(&files.providers, diags),
    }
}

/// Validate everything. `None` when an input error was found (the
/// diagnostics say which); findings of the resolve stage come later.
pub fn inventory(
    loaded: &Loaded,
    sources: &Sources,
    hashing: &crate::hashing::Options,
    diags: &mut Diagnostics,
) -> Option<Inventory> {
    let mut lib = library(&loaded.library, diags);
    project::catalogs(&loaded.catalogs, &mut lib.catalogs, diags);
    // The project's frameworks first: the built-in controls' mappings are
    // kept for the catalogs loaded when they are validated.
    for fw in &loaded.project.value.frameworks {
        lib.catalogs.get(&fw.value);
    }
    let project = project::project(
        &loaded.root,
        &loaded.project,
        loaded.period.as_deref(),
        &lib.catalogs,
        &lib.matrices,
        diags,
    );
    let matrix = project
        .as_ref()
        .and_then(|p| lib.matrices.get(&p.provider))
        .or_else(|| lib.matrices.values().next());
    // The built-in baseline (unless `baseline: false`), then the project's
    // own control libraries: both are library controls.
    let baseline: &[crate::load::Parsed<crate::load::raw::ControlsFile>] =
        if loaded.project.value.baseline.unwrap_or(true) {
            &loaded.library.controls
        } else {
            &[]
        };
    let libraries = baseline.iter().chain(&loaded.libraries);
    let mut controls = controls::merge(libraries, &loaded.controls, &lib.catalogs, matrix, diags);
    checks::attach(
        &loaded.library.checks,
        baseline,
        &loaded.controls,
        &mut controls,
        diags,
    );
    let project = project?;
    let (attestations, digests) = attestations::attestations(
        &loaded.attestations,
        &controls,
        &project.evidence_root,
        hashing,
        diags,
    );
    if diags.has_input_errors() {
        return None;
    }
    let inputs_digest = inputs_digest(
        sources,
        &crate::load::files::project_prefix(&loaded.root),
        &digests,
    );
    Some(Inventory {
        matrix: matrix?.clone(),
        project,
        catalogs: lib.catalogs,
        controls,
        attestations,
        inputs_digest,
    })
}

/// One digest over every input text and evidence file, in a fixed order.
/// Project files are named without `prefix`, their project folder
/// ([`crate::load::files::project_prefix`]), so the digest does not depend
/// on where the project was read from.
fn inputs_digest(
    sources: &Sources,
    prefix: &str,
    evidence: &BTreeMap<String, attestations::FileDigest>,
) -> String {
    use rayon::prelude::*;
    // The built-in library first, then the project's files by their names
    // within the project: the order must not depend on the prefix either.
    let mut texts: Vec<(bool, &str, &str, &str)> = sources
        .iter()
        .map(|(name, text)| {
            let builtin = name.starts_with(crate::load::BUILTIN);
            (!builtin, crate::diag::in_project(name, prefix), name, text)
        })
        .collect();
    texts.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
    let lines: Vec<String> = texts
        .par_iter()
        .map(|(_, short, name, text)| {
            let digest = sources
                .digest(name)
                .map_or_else(|| crate::sha256::bytes(text.as_bytes()), str::to_string);
            format!("{digest} {short}\n")
        })
        .collect();
    let mut all = lines.concat();
    for (path, d) in evidence {
        all.push_str(&format!("{} evidence/{}\n", d.sha256, path));
    }
    crate::sha256::bytes(all.as_bytes())
}
