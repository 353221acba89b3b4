//! Ingested scans across two periods: the latest scan of each tool on each
//! side is read again (from the evidence root, a package folder or a
//! package zip) and its checks compared: PASS → FAIL and back, and checks
//! that ran on one side only.

use crate::ingest::{self, Format, Scan};
use crate::model::{EvidenceKind, ReportModel};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a side's `evidence/…` targets can be read.
#[derive(Debug, Clone)]
pub enum Source {
    /// The folder that `evidence/` stands for (a project's evidence root,
    /// or a package folder's `evidence/`).
    Folder(PathBuf),
    /// A package zip.
    Zip(PathBuf),
}

/// A check whose result changed between the two sides' latest scans.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct CheckChange {
    pub tool: String,
    pub check: String,
    /// `PASS`, `FAIL (n failing)`, `MANUAL` or empty when it did not run.
    pub old: String,
    pub new: String,
}

fn format_of(target: &str) -> Option<(&'static str, Format)> {
    let rest = target.strip_prefix("evidence/scans/")?;
    let (tool, name) = rest.split_once('/')?;
    let f = match (tool, name.ends_with(".csv")) {
        ("prowler", true) => Format::ProwlerCsv,
        ("prowler", false) => Format::ProwlerOcsf,
        ("securityhub", _) => Format::Asff,
        ("config", _) => Format::Config,
        _ => return None,
    };
    Some((f.tool(), f))
}

/// The latest scan per tool a model cites: (target, format).
fn latest(m: &ReportModel) -> BTreeMap<&'static str, (String, Format)> {
    let mut out: BTreeMap<&'static str, (String, Format)> = BTreeMap::new();
    for e in m.evidence.iter().filter(|e| e.kind == EvidenceKind::File) {
        let Some((tool, f)) = format_of(&e.target) else {
            continue;
        };
        // `<date>-<digest>`: the later date sorts last.
        let name = |t: &str| t.rsplit('/').next().unwrap_or("").to_string();
        if out.get(tool).is_none_or(|(t, _)| name(t) < name(&e.target)) {
            out.insert(tool, (e.target.clone(), f));
        }
    }
    out
}

/// Why a scan cannot be read again.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The scan file or the package zip cannot be opened.
    #[error("{}: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The package zip cannot be read.
    #[error("{}: {source}", zip.display())]
    Zip {
        zip: PathBuf,
        source: zip::result::ZipError,
    },
    /// The package zip lacks the scan, or cannot give it.
    #[error("{}: {target}: {source}", zip.display())]
    Entry {
        zip: PathBuf,
        target: String,
        source: zip::result::ZipError,
    },
    /// The scan is not one of its format.
    #[error(transparent)]
    Scan(#[from] ingest::IngestError),
}

fn open(path: &Path) -> Result<std::fs::File, ReadError> {
    std::fs::File::open(path).map_err(|source| ReadError::Open {
        path: path.to_path_buf(),
        source,
    })
}

fn read(source: &Source, target: &str, format: Format) -> Result<Scan, ReadError> {
    match source {
        Source::Folder(root) => {
            let path = root.join(target.strip_prefix("evidence/").unwrap_or(target));
            let f = open(&path)?;
            Ok(ingest::read_from(format, &path, f)?)
        }
        Source::Zip(zip) => {
            let mut z = zip::ZipArchive::new(open(zip)?).map_err(|source| ReadError::Zip {
                zip: zip.clone(),
                source,
            })?;
            let entry = z.by_name(target).map_err(|source| ReadError::Entry {
                zip: zip.clone(),
                target: target.to_string(),
                source,
            })?;
            Ok(ingest::read_from(
                format,
                &Path::new(zip).join(target),
                entry,
            )?)
        }
    }
}

fn state(r: Option<&ingest::CheckResult>) -> String {
    match r {
        None => String::new(),
        Some(r) if r.fail > 0 => format!("FAIL ({} failing)", r.fail),
        Some(r) if r.pass > 0 => "PASS".into(),
        Some(_) => "MANUAL".into(),
    }
}

/// Per tool scanned on both sides, the checks whose result changed.
/// Scans that cannot be read again are reported in the second list.
pub fn changes(
    old: &ReportModel,
    old_source: &Source,
    new: &ReportModel,
    new_source: &Source,
) -> (Vec<CheckChange>, Vec<ReadError>) {
    let (ol, nl) = (latest(old), latest(new));
    let (mut out, mut problems) = (Vec::new(), Vec::new());
    for (tool, (nt, nf)) in &nl {
        let Some((ot, of)) = ol.get(tool) else {
            continue;
        };
        if ot == nt {
            continue;
        }
        let (o, n) = match (read(old_source, ot, *of), read(new_source, nt, *nf)) {
            (Ok(o), Ok(n)) => (o, n),
            (Err(e), _) | (_, Err(e)) => {
                problems.push(e);
                continue;
            }
        };
        let keys: std::collections::BTreeSet<_> = o.checks.keys().chain(n.checks.keys()).collect();
        for k in keys {
            let (was, is) = (state(o.checks.get(k)), state(n.checks.get(k)));
            let word = |s: &str| s.split(' ').next().unwrap_or("").to_string();
            if word(&was) != word(&is) {
                out.push(CheckChange {
                    tool: tool.to_string(),
                    check: k.1.clone(),
                    old: was,
                    new: is,
                });
            }
        }
    }
    (out, problems)
}
