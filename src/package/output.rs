//! Where a package may be written: the one rule for the output folder and
//! its zip.
//!
//! `-o` is normalised lexically first (`..` removed without asking the file
//! system, so a missing folder in the spelling cannot hide where it leads),
//! then resolved physically (symbolic links of the part that exists). The
//! result is refused when it is, holds or sits inside an input; when it
//! exists it must be an empty folder or a package auditpack wrote,
//! recognised by its manifest's format field and package id and by holding
//! nothing but the files that manifest lists. Every later write uses the
//! resolved path, never the spelling.

use super::manifest::{Manifest, MAX_MANIFEST_BYTES};
use super::{io_err, PackageError};
use crate::fsio::{open_regular, read_capped};
use std::path::{Component, Path, PathBuf};

/// The name prefix of the folder a build writes its package in first.
pub const STAGING_PREFIX: &str = ".auditpack-stage-";
/// The file inside a staging folder that says auditpack made it (holds the pid).
pub const STAGING_MARKER: &str = ".auditpack-stage";

/// Why an output folder is refused.
#[derive(Debug, thiserror::Error)]
pub enum OutputRefusal {
    #[error("is the root of the file system")]
    Root,
    #[error("{0}")]
    Io(std::io::Error),
    #[error("is a symbolic link: give the folder it points to")]
    Symlink,
    #[error("exists and is not a folder")]
    NotAFolder,
    #[error("exists and is not a package auditpack wrote ({0}): refusing to replace it")]
    NotAPackage(NotAPackage),
}

/// Why a folder or zip is not a package auditpack wrote.
#[derive(Debug, thiserror::Error)]
pub enum NotAPackage {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("manifest.json: {0}")]
    ManifestUnreadable(std::io::Error),
    #[error("manifest.json is not an auditpack manifest")]
    NotAManifest,
    #[error("manifest.json does not carry auditpack's package id")]
    NotMarked,
    #[error("{0} is not a regular file")]
    NotRegular(String),
    #[error("{0} is not part of the package; move it away first")]
    Unlisted(String),
    #[error("{0} was changed since it was written")]
    Changed(String),
    #[error("is not a regular file")]
    BundleNotRegular,
    #[error("is not a zip auditpack wrote")]
    NotAZip,
    #[error("is not a zip auditpack wrote (no manifest.json)")]
    NoManifestInZip,
}

/// The resolved output of a build.
#[derive(Debug)]
pub struct Target {
    /// The package folder: absolute, normalised; every write goes here.
    pub dir: PathBuf,
    /// Its parent folder, where the staging folder is made.
    pub parent: PathBuf,
    /// The zip beside it (`--bundle`).
    pub zip: Option<PathBuf>,
    /// The manifest of the package now at `dir`, when there is one.
    pub previous: Option<Manifest>,
    /// What the user should know: staging folders of interrupted builds cleaned or left.
    pub notes: Vec<String>,
}

/// Resolve `-o OUT` against the inputs (project folder, evidence root…).
pub fn resolve(out: &Path, inputs: &[&Path], bundle: bool) -> Result<Target, PackageError> {
    let dir = normalise(out)?;
    let parent = match dir.parent() {
        Some(p) => p.to_path_buf(),
        None => return Err(refused(out, OutputRefusal::Root)),
    };
    let physical = physical(&dir);
    for input in inputs {
        let input = physical_input(input)?;
        if physical.starts_with(&input) || input.starts_with(&physical) {
            return Err(PackageError::Overlap {
                out: out.display().to_string(),
                input: input.display().to_string(),
            });
        }
    }
    let previous = existing_package(&dir).map_err(|why| refused(out, why))?;
    let zip = bundle.then(|| super::bundle::path_for(&dir));
    if let Some(z) = &zip {
        if let Err(why) = existing_bundle(z) {
            return Err(PackageError::Bundle {
                zip: z.display().to_string(),
                why,
            });
        }
    }
    let notes = clean_stale_staging(&parent);
    Ok(Target {
        dir,
        parent,
        zip,
        previous,
        notes,
    })
}

fn refused(out: &Path, why: OutputRefusal) -> PackageError {
    PackageError::Output {
        out: out.display().to_string(),
        why,
    }
}

/// `p` made absolute and free of `.` and `..`, without reading the file
/// system: `a/missing/../b` is `a/b`.
pub fn normalise(p: &Path) -> Result<PathBuf, PackageError> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        let cwd = std::env::current_dir().map_err(|e| io_err(Path::new("."), e))?;
        cwd.join(p)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    Ok(out)
}

/// The longest existing prefix of a normalised path with its links
/// resolved, followed by the rest as written.
fn physical(p: &Path) -> PathBuf {
    let mut existing = p.to_path_buf();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(&existing).is_err() {
        match (existing.file_name(), existing.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut base = existing.canonicalize().unwrap_or(existing);
    for r in rest.iter().rev() {
        base.push(r);
    }
    base
}

fn physical_input(p: &Path) -> Result<PathBuf, PackageError> {
    Ok(physical(&normalise(p)?))
}

/// What is at `dir` now: nothing, an empty folder, or a package auditpack
/// wrote (its manifest). Anything else is the reason to refuse.
fn existing_package(dir: &Path) -> Result<Option<Manifest>, OutputRefusal> {
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(OutputRefusal::Io(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(OutputRefusal::Symlink);
    }
    if !meta.is_dir() {
        return Err(OutputRefusal::NotAFolder);
    }
    let empty = std::fs::read_dir(dir)
        .map_err(OutputRefusal::Io)?
        .next()
        .is_none();
    if empty {
        return Ok(None);
    }
    recognise(dir).map(Some).map_err(OutputRefusal::NotAPackage)
}

/// The manifest of a package folder auditpack wrote, checked to list every
/// file the folder holds (so replacing it removes nothing else).
pub fn recognise(dir: &Path) -> Result<Manifest, NotAPackage> {
    let manifest = read_manifest(&dir.join("manifest.json"))?;
    let listed: std::collections::HashMap<&str, u64> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f.size))
        .collect();
    for entry in super::walk(dir) {
        let (rel, entry) = entry?;
        let kind = entry.file_type();
        if !kind.is_file() {
            return Err(NotAPackage::NotRegular(rel));
        }
        if rel == "manifest.json" || rel == super::sign::SIG_FILE {
            continue;
        }
        let size = entry.metadata().map_err(std::io::Error::from)?.len();
        match listed.get(rel.as_str()) {
            None => return Err(NotAPackage::Unlisted(rel)),
            Some(&s) if s != size => return Err(NotAPackage::Changed(rel)),
            Some(_) => {}
        }
    }
    Ok(manifest)
}

/// Read and check a `manifest.json` file (regular, size-capped, marked).
fn read_manifest(path: &Path) -> Result<Manifest, NotAPackage> {
    let f = open_regular(path).map_err(NotAPackage::ManifestUnreadable)?;
    let bytes = read_capped(f, MAX_MANIFEST_BYTES, "manifest.json")?;
    parse_marked(&bytes)
}

/// A manifest that auditpack wrote, from its bytes.
pub fn parse_marked(bytes: &[u8]) -> Result<Manifest, NotAPackage> {
    let m: Manifest = serde_json::from_slice(bytes).map_err(|_| NotAPackage::NotAManifest)?;
    if !m.is_auditpack() {
        return Err(NotAPackage::NotMarked);
    }
    Ok(m)
}

/// A zip at `zip` may be replaced only when it is missing or a bundle
/// auditpack wrote (its `manifest.json` carries the package id).
fn existing_bundle(zip: &Path) -> Result<(), NotAPackage> {
    match std::fs::symlink_metadata(zip) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
        Ok(m) if !m.is_file() => return Err(NotAPackage::BundleNotRegular),
        Ok(_) => {}
    }
    let f = open_regular(zip)?;
    let mut z =
        zip::ZipArchive::new(std::io::BufReader::new(f)).map_err(|_| NotAPackage::NotAZip)?;
    let entry = z
        .by_name("manifest.json")
        .map_err(|_| NotAPackage::NoManifestInZip)?;
    let bytes = read_capped(entry, MAX_MANIFEST_BYTES, "manifest.json")?;
    parse_marked(&bytes).map(|_| ())
}

/// Remove the staging folders of builds that were killed (their process is
/// gone); report the ones that cannot be judged.
fn clean_stale_staging(parent: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    let mut names: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(".auditpack-"))
        })
        .collect();
    names.sort();
    for path in names {
        match staging_owner(&path) {
            Some(pid) if process_alive(pid) => {}
            Some(_) => match std::fs::remove_dir_all(&path) {
                Ok(()) => notes.push(format!(
                    "removed {}, left by an interrupted build",
                    path.display()
                )),
                Err(e) => notes.push(format!(
                    "{} was left by an interrupted build and cannot be removed: {e}",
                    path.display()
                )),
            },
            None => notes.push(format!(
                "{} looks like a leftover of an earlier auditpack build; remove it if no build is running",
                path.display()
            )),
        }
    }
    notes
}

/// The process that made a staging folder, from its marker file.
fn staging_owner(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let pid_in_name: u32 = name
        .strip_prefix(STAGING_PREFIX)?
        .split('-')
        .next()?
        .parse()
        .ok()?;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_dir() {
        return None;
    }
    let f = open_regular(&path.join(STAGING_MARKER)).ok()?;
    let text = read_capped(f, 64, STAGING_MARKER).ok()?;
    let pid: u32 = std::str::from_utf8(&text).ok()?.trim().parse().ok()?;
    (pid == pid_in_name).then_some(pid)
}

/// True unless the process is known to be gone (Linux: no `/proc/PID`).
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return true;
    }
    proc.join(pid.to_string()).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_removes_dot_dot_without_the_file_system() {
        let n = normalise(Path::new("/w/x/missing/../p")).unwrap();
        assert_eq!(n, Path::new("/w/x/p"));
        let n = normalise(Path::new("/w/./a/b/../../c")).unwrap();
        assert_eq!(n, Path::new("/w/c"));
        assert_eq!(normalise(Path::new("/..")).unwrap(), Path::new("/"));
    }
}
