//! Stage 1, load: read the built-in library (embedded in the binary) and a
//! project's files, and parse each YAML file once into its raw, spanned form.

pub mod cache;
pub mod compiled;
pub mod files;
pub mod keys;
pub mod raw;
pub mod yaml;

use crate::diag::{Code, Diagnostic, Diagnostics, Sources};
use include_dir::{include_dir, Dir};
use raw::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The built-in library, `controls/` of the repository.
pub static LIBRARY: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/controls");

/// Prefix of built-in file names in diagnostics.
pub const BUILTIN: &str = "builtin:controls/";

/// One parsed file and the name diagnostics use for it.
#[derive(Debug)]
pub struct Parsed<T> {
    pub file: String,
    pub value: T,
}

/// The built-in library, parsed, but for its framework catalogs: those are
/// compiled ahead of run time and read when used (`compiled`).
#[derive(Debug, Default)]
pub struct LibraryFiles {
    pub providers: Vec<Parsed<ProviderFile>>,
    pub controls: Vec<Parsed<ControlsFile>>,
    pub checks: Vec<Parsed<ChecksFile>>,
}

/// Everything a run reads.
#[derive(Debug)]
pub struct Loaded {
    pub library: LibraryFiles,
    /// `--period`, overriding the project file's period.
    pub period: Option<String>,
    /// The project root folder.
    pub root: PathBuf,
    pub project: Parsed<ProjectFile>,
    pub controls: Vec<Parsed<ControlsFile>>,
    pub attestations: Vec<Parsed<AttestationsFile>>,
    /// The project's own framework catalogs.
    pub catalogs: Vec<Parsed<CatalogFile>>,
    /// The project's control libraries.
    pub libraries: Vec<Parsed<ControlsFile>>,
}

/// The embedded library's YAML files, sorted by path.
fn embedded_files() -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<&'static include_dir::File<'static>> = Vec::new();
    collect_embedded(&LIBRARY, &mut files);
    files.retain(|f| f.path().extension().is_some_and(|e| e == "yaml"));
    files.sort_by_key(|f| f.path().to_path_buf());
    files
}

/// The name diagnostics use for an embedded file, its path below
/// `controls/` and its text.
fn embedded_text(
    f: &'static include_dir::File<'static>,
) -> (String, String, Result<&'static str, Diagnostic>) {
    let rel = f.path().to_string_lossy().replace('\\', "/");
    let name = format!("{BUILTIN}{rel}");
    let text = f
        .contents_utf8()
        .ok_or_else(|| Diagnostic::error(Code::NotUtf8, format!("{name} is not UTF-8")));
    (name, rel, text)
}

/// The parts of the built-in library a project uses, known from its
/// project file.
#[derive(Debug, Clone, Copy)]
pub struct Needs {
    /// The baseline controls (`baseline:`, by default yes).
    pub controls: bool,
    /// The scanner checks: the baseline's, and the known ids that a
    /// project's own controls are checked against.
    pub checks: bool,
}

impl Needs {
    /// Every part of the library.
    pub const ALL: Needs = Needs {
        controls: true,
        checks: true,
    };

    /// What `project` uses.
    pub fn of(project: &ProjectFile) -> Needs {
        let controls = project.baseline.unwrap_or(true);
        Needs {
            controls,
            checks: controls || !project.controls.is_empty() || !project.libraries.is_empty(),
        }
    }
}

/// Parse the embedded library, its files in parallel. Every file's text
/// joins `sources`; the framework catalogs are not parsed here (they are
/// compiled, see [`compiled`]).
pub fn library(sources: &mut Sources, diags: &mut Diagnostics) -> LibraryFiles {
    library_parts(Needs::ALL, sources, diags)
}

/// Parse the parts of the embedded library that `needs` names, and the
/// service matrices; every file's text joins `sources` all the same (it
/// is part of the inputs digest).
pub fn library_parts(needs: Needs, sources: &mut Sources, diags: &mut Diagnostics) -> LibraryFiles {
    use rayon::prelude::*;
    enum One {
        Unused,
        Provider(ProviderFile),
        Controls(ControlsFile),
        Checks(ChecksFile),
    }
    let done: Vec<(String, Option<&'static str>, Result<One, Diagnostic>)> = embedded_files()
        .par_iter()
        .map(|f| {
            let (name, rel, text) = embedded_text(f);
            let text = match text {
                Ok(t) => t,
                Err(d) => return (name, None, Err(d)),
            };
            let parsed = match rel.split('/').next().unwrap_or("") {
                "frameworks" => Ok(One::Unused),
                "providers" => yaml::parse(&name, text).map(One::Provider),
                "checks" if needs.checks => yaml::parse(&name, text).map(One::Checks),
                "checks" => Ok(One::Unused),
                _ if needs.controls => yaml::parse(&name, text).map(One::Controls),
                _ => Ok(One::Unused),
            };
            (name, Some(text), parsed)
        })
        .collect();
    let mut lib = LibraryFiles::default();
    for (name, text, parsed) in done {
        if let Some(t) = text {
            sources.add(&name, Arc::from(t));
        }
        match parsed {
            Ok(One::Unused) => {}
            Ok(One::Provider(value)) => lib.providers.push(Parsed { file: name, value }),
            Ok(One::Controls(value)) => lib.controls.push(Parsed { file: name, value }),
            Ok(One::Checks(value)) => lib.checks.push(Parsed { file: name, value }),
            Err(d) => diags.push(d),
        }
    }
    lib
}

/// The embedded framework catalogs parsed from their YAML: what
/// [`compiled`] is made from.
pub fn builtin_catalog_files(diags: &mut Diagnostics) -> Vec<Parsed<CatalogFile>> {
    let mut out = Vec::new();
    for f in embedded_files() {
        let (name, rel, text) = embedded_text(f);
        if !rel.starts_with("frameworks/") {
            continue;
        }
        match text {
            Ok(text) => push(&mut out, &name, text, diags),
            Err(d) => diags.push(d),
        }
    }
    out
}

fn collect_embedded<'a>(dir: &'a Dir<'a>, out: &mut Vec<&'a include_dir::File<'a>>) {
    out.extend(dir.files());
    for d in dir.dirs() {
        collect_embedded(d, out);
    }
}

fn push<T: serde::de::DeserializeOwned>(
    into: &mut Vec<Parsed<T>>,
    file: &str,
    text: &str,
    diags: &mut Diagnostics,
) {
    match yaml::parse::<T>(file, text) {
        Ok(value) => into.push(Parsed {
            file: file.to_string(),
            value,
        }),
        Err(d) => diags.push(d),
    }
}

/// Read a project: `auditpack.yaml`, then every controls and attestations
/// file it names. Returns `None` when the project file itself is unusable.
pub fn project(
    dir: &Path,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<(PathBuf, Parsed<ProjectFile>)> {
    let path = dir.join("auditpack.yaml");
    if !dir.is_dir() {
        diags.push(Diagnostic::error(
            Code::Io,
            format!("{}: no such project folder", dir.display()),
        ));
        return None;
    }
    let name = files::display(&path);
    let text = files::read_text(&path, &name, diags)?;
    sources.add(&name, text.clone());
    let mut out = Vec::new();
    push::<ProjectFile>(&mut out, &name, &text, diags);
    out.pop().map(|p| (dir.to_path_buf(), p))
}

/// Read the controls and attestation files a project names. `{period}` in
/// an attestations entry stands for the period's label (`2026-Q3`), so one
/// project file serves every quarter (`--period`).
pub fn project_inputs(
    root: &Path,
    project: &Parsed<ProjectFile>,
    period: Option<&str>,
    shelf: Option<&cache::Shelf>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> (Vec<Parsed<ControlsFile>>, Vec<Parsed<AttestationsFile>>) {
    let mut control_paths = Vec::new();
    for entry in &project.value.controls {
        control_paths.extend(files::yaml_files(root, &project.file, entry, diags));
    }
    let label = period
        .map(str::to_string)
        .or_else(|| match &project.value.period.value {
            PeriodRaw::Label(l) => Some(l.trim().to_string()),
            PeriodRaw::Range(_) => None,
        });
    let mut attestation_paths = Vec::new();
    for entry in &project.value.attestations {
        let mut entry = entry.clone();
        if let Some(l) = &label {
            entry.value = entry.value.replace("{period}", l);
        }
        attestation_paths.extend(files::yaml_files(root, &project.file, &entry, diags));
    }
    let controls = parse_all(&control_paths, shelf, sources, diags);
    let attestations = parse_all(&attestation_paths, shelf, sources, diags);
    (controls, attestations)
}

/// The folder of project catalogs read when `catalogs:` is not given.
pub const DEFAULT_CATALOGS: &str = "frameworks/";

/// Read the framework catalogs and control libraries a project names.
pub fn project_library(
    root: &Path,
    project: &Parsed<ProjectFile>,
    shelf: Option<&cache::Shelf>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> (Vec<Parsed<CatalogFile>>, Vec<Parsed<ControlsFile>>) {
    let mut catalog_paths = Vec::new();
    match &project.value.catalogs {
        Some(entries) => {
            for entry in entries {
                catalog_paths.extend(files::yaml_files(root, &project.file, entry, diags));
            }
        }
        None if root.join(DEFAULT_CATALOGS).is_dir() => {
            let entry = Text::new(DEFAULT_CATALOGS.to_string(), Location::UNKNOWN);
            catalog_paths.extend(files::yaml_files(root, &project.file, &entry, diags));
        }
        None => {}
    }
    let mut library_paths = Vec::new();
    for entry in &project.value.libraries {
        library_paths.extend(files::yaml_files(root, &project.file, entry, diags));
    }
    // Catalogs are few and small, and their serialised form is YAML's:
    // they are always parsed.
    let catalogs = parse_all(&catalog_paths, None, sources, diags);
    let libraries = parse_all(&library_paths, shelf, sources, diags);
    (catalogs, libraries)
}

/// One file read in parallel: name, text and its digest, problems, value.
type ParsedFile<T> = (String, Option<(Arc<str>, String)>, Diagnostics, Option<T>);

/// Read and parse files in parallel, each from `shelf` when it holds the
/// file's text parsed; results and diagnostics keep the order of `paths`.
fn parse_all<T: serde::de::DeserializeOwned + serde::Serialize + Send>(
    paths: &[std::path::PathBuf],
    shelf: Option<&cache::Shelf>,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Vec<Parsed<T>> {
    use rayon::prelude::*;
    let done: Vec<ParsedFile<T>> = paths
        .par_iter()
        .map(|path| {
            let name = files::display(path);
            let mut d = Diagnostics::default();
            let text = files::read_text(path, &name, &mut d);
            let text = text.map(|t| {
                let digest = crate::sha256::bytes(t.as_bytes());
                (t, digest)
            });
            let value = text.as_ref().and_then(|(t, digest)| {
                if let Some(v) = shelf.and_then(|s| s.get::<T>(digest)) {
                    return Some(v);
                }
                match yaml::parse::<T>(&name, t) {
                    Ok(v) => {
                        if let Some(s) = shelf {
                            s.put(digest, &v);
                        }
                        Some(v)
                    }
                    Err(e) => {
                        d.push(e);
                        None
                    }
                }
            });
            (name, text, d, value)
        })
        .collect();
    let mut out = Vec::new();
    for (name, text, d, value) in done {
        if let Some((t, digest)) = text {
            sources.add_digested(&name, t, digest);
        }
        diags.extend(d.into_sorted());
        if let Some(value) = value {
            out.push(Parsed { file: name, value });
        }
    }
    out
}

/// Load the library and a whole project; with `cache`, the project's
/// controls and attestations files that have not changed since the last
/// run are read back from the parse cache ([`cache`]).
pub fn all(
    dir: &Path,
    period: Option<&str>,
    cache: bool,
    sources: &mut Sources,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    // The library parses beside the project, each into its own sources
    // and diagnostics, merged after.
    fn apart<T>(f: impl FnOnce(&mut Sources, &mut Diagnostics) -> T) -> (T, Sources, Diagnostics) {
        let (mut s, mut d) = (Sources::default(), Diagnostics::default());
        (f(&mut s, &mut d), s, d)
    }
    let (found, mut project_sources, mut project_diags) = apart(|s, d| project(dir, s, d));
    let needs = found
        .as_ref()
        .map_or(Needs::ALL, |(_, p)| Needs::of(&p.value));
    let ((library, lib_sources, lib_diags), inputs) = rayon::join(
        || apart(|s, d| library_parts(needs, s, d)),
        || {
            let (root, project) = found.as_ref()?;
            let (s, d) = (&mut project_sources, &mut project_diags);
            let store = cache.then(|| cache::Store::open(root)).flatten();
            let shelf = store.as_ref().map(cache::Store::shelf);
            let inputs = project_inputs(root, project, period, shelf.as_ref(), s, d);
            let own = project_library(root, project, shelf.as_ref(), s, d);
            if let (Some(store), Some(shelf)) = (&store, shelf) {
                store.save(shelf);
            }
            Some((inputs, own))
        },
    );
    for (s, d) in [(lib_sources, lib_diags), (project_sources, project_diags)] {
        sources.extend(s);
        diags.extend(d.into_sorted());
    }
    let (root, project) = found?;
    let ((controls, attestations), (catalogs, libraries)) = inputs?;
    Some(Loaded {
        library,
        period: period.map(str::to_string),
        root,
        project,
        controls,
        attestations,
        catalogs,
        libraries,
    })
}
