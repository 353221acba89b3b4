//! Stage 5, package: write the rendered files, `matrix.csv`, `model.json`
//! and the evidence into a temporary folder beside the output, add
//! `manifest.json`, then rename it into place. Never half written.

pub mod bundle;
pub mod manifest;
pub mod matrix;
pub mod sign;
pub mod verify;

use crate::model::ReportModel;
use rayon::prelude::*;
use std::io;
use std::path::{Path, PathBuf};

/// A packaging failure.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{0}")]
    Refused(String),
}

fn io_err(path: &Path, source: io::Error) -> PackageError {
    PackageError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// Refuse an output folder that would overwrite or sit inside an input.
pub fn check_output(out: &Path, project_root: &Path) -> Result<(), PackageError> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists; keep the rest as written.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
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
    };
    let out_abs = abs(out);
    let root_abs = abs(project_root);
    if out_abs.starts_with(&root_abs) || root_abs.starts_with(&out_abs) {
        return Err(PackageError::Refused(format!(
            "output folder {} overlaps the project folder {}: choose a folder outside the inputs",
            out.display(),
            project_root.display()
        )));
    }
    if out_abs.exists() && !is_package_or_empty(&out_abs) {
        return Err(PackageError::Refused(format!(
            "{} exists and is not an auditpack package: refusing to replace it",
            out.display()
        )));
    }
    Ok(())
}

fn is_package_or_empty(p: &Path) -> bool {
    p.is_dir()
        && (p.join("manifest.json").is_file()
            || std::fs::read_dir(p)
                .map(|mut d| d.next().is_none())
                .unwrap_or(false))
}

/// A package being written: a temporary folder beside the output folder
/// that rendered files go into as soon as they are rendered (so no report
/// is held in memory longer than it takes to write it), then the matrix, the
/// model, the evidence and the manifest, and at last a rename into place.
pub struct Stage {
    out: PathBuf,
    parent: PathBuf,
    dir: tempfile::TempDir,
    entries: std::sync::Mutex<Vec<manifest::Entry>>,
}

impl Stage {
    /// Create the temporary folder beside `out`.
    pub fn create(out: &Path) -> Result<Self, PackageError> {
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(|e| io_err(&parent, e))?;
        let dir = tempfile::Builder::new()
            .prefix(".auditpack-")
            .tempdir_in(&parent)
            .map_err(|e| io_err(&parent, e))?;
        Ok(Stage {
            out: out.to_path_buf(),
            parent,
            dir,
            entries: Default::default(),
        })
    }

    /// Write one file of the package and record its size and digest.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), PackageError> {
        let path = self.dir.path().join(rel);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(|e| io_err(d, e))?;
        }
        std::fs::write(&path, bytes).map_err(|e| io_err(&path, e))?;
        self.record(manifest::Entry::of_bytes(rel, bytes));
        Ok(())
    }

    fn record(&self, entry: manifest::Entry) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
    }

    /// Write the evidence, then the manifest
    /// (signed with `key`), and move the package into place. The old package
    /// (if any) is removed only once the new one is complete.
    pub fn finish(
        self,
        model: &ReportModel,
        evidence_root: &Path,
        key: Option<&ssh_key::PrivateKey>,
        progress: bool,
    ) -> Result<manifest::Manifest, PackageError> {
        use crate::timings::time;
        let stage = self.dir.path();
        let copied = time("pkg evidence", || {
            let previous = Previous::read(&self.out);
            copy_evidence(model, evidence_root, stage, &previous, progress)
        })?;
        let mut entries =
            std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        entries.extend(copied);
        entries.sort_by(|a, b| a.path.cmp(&b.path));

        let manifest = manifest::Manifest::new(model, entries);
        let mpath = stage.join("manifest.json");
        let mjson = manifest.to_json();
        std::fs::write(&mpath, &mjson).map_err(|e| io_err(&mpath, e))?;
        if let Some(key) = key {
            let sig = sign::sign(key, mjson.as_bytes())
                .map_err(|e| PackageError::Refused(e.to_string()))?;
            let spath = stage.join(sign::SIG_FILE);
            std::fs::write(&spath, sig).map_err(|e| io_err(&spath, e))?;
        }

        let (out, parent) = (self.out, self.parent);
        let staged = self.dir.keep();
        time("pkg replace", || replace(&staged, &out, &parent))?;
        Ok(manifest)
    }
}

impl crate::render::Sink for Stage {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), crate::render::RenderError> {
        Stage::put(self, rel, bytes).map_err(|e| crate::render::RenderError::Other(e.to_string()))
    }

    /// Streamed straight to the file and hashed on the way.
    fn put_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), crate::render::RenderError> {
        use std::io::Write;
        let path = self.dir.path().join(rel);
        let fail = |e: io::Error| crate::render::RenderError::Other(io_err(&path, e).to_string());
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(fail)?;
        }
        let file = std::fs::File::create(&path).map_err(fail)?;
        let mut w = crate::digest::Writer::new(io::BufWriter::with_capacity(1 << 20, file));
        write(&mut w).map_err(fail)?;
        let (size, sha256, mut inner) = w.finish();
        inner.flush().map_err(fail)?;
        self.record(manifest::Entry {
            path: rel.into(),
            size,
            sha256,
        });
        Ok(())
    }
}

/// Move the complete package `staged` to `out`; an old package there is
/// removed only once the new one is in place.
fn replace(staged: &Path, out: &Path, parent: &Path) -> Result<(), PackageError> {
    if out.exists() {
        let old = parent.join(format!(".auditpack-old-{}", std::process::id()));
        std::fs::rename(out, &old).map_err(|e| io_err(out, e))?;
        if let Err(e) = std::fs::rename(staged, out) {
            let _ = std::fs::rename(&old, out);
            let _ = std::fs::remove_dir_all(staged);
            return Err(io_err(out, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else if let Err(e) = std::fs::rename(staged, out) {
        let _ = std::fs::remove_dir_all(staged);
        return Err(io_err(out, e));
    }
    Ok(())
}

/// The evidence of the package being replaced, by path: a file whose
/// digest is unchanged is linked into the new package instead of copied.
struct Previous {
    dir: PathBuf,
    files: std::collections::HashMap<String, (u64, String)>,
}

impl Previous {
    /// The manifest of the package at `out`, if one is there.
    fn read(out: &Path) -> Self {
        let files = std::fs::read(out.join("manifest.json"))
            .ok()
            .and_then(|b| serde_json::from_slice::<manifest::Manifest>(&b).ok())
            .map(|m| {
                m.files
                    .into_iter()
                    .filter(|f| f.path.starts_with("evidence/"))
                    .map(|f| (f.path, (f.size, f.sha256)))
                    .collect()
            })
            .unwrap_or_default();
        Previous {
            dir: out.to_path_buf(),
            files,
        }
    }

    /// Hard-link the previous package's copy of `target` to `dst` if its
    /// manifest lists it with `sha` and the file still hashes to it (so an
    /// edited old package is never carried over). Size when linked.
    fn reuse(&self, target: &str, sha: &str, dst: &Path) -> Option<u64> {
        let (size, old_sha) = self.files.get(target)?;
        if old_sha != sha {
            return None;
        }
        let old = self.dir.join(target);
        let meta = std::fs::symlink_metadata(&old).ok()?;
        if !meta.is_file() || meta.len() != *size {
            return None;
        }
        match crate::digest::file(&old) {
            Ok((n, d)) if n == *size && d == sha => {}
            _ => return None,
        }
        std::fs::hard_link(&old, dst).ok()?;
        Some(*size)
    }
}

/// Copy the evidence in parallel, each file hashed while copied and
/// compared with the digest taken at validation, so a file changed
/// mid-build fails the build. A file the previous package at the output
/// path already holds with that digest is hard-linked from it instead:
/// rebuilding a package does not write its evidence again.
fn copy_evidence(
    model: &ReportModel,
    evidence_root: &Path,
    stage: &Path,
    previous: &Previous,
    progress: bool,
) -> Result<Vec<manifest::Entry>, PackageError> {
    // Each file once, however many controls cite it.
    let mut wanted: Vec<(&str, &str, u64)> = model
        .evidence
        .iter()
        .filter(|e| e.kind == crate::model::EvidenceKind::File)
        .filter_map(|e| Some((e.target.as_str(), e.sha256.as_deref()?, e.size?)))
        .collect();
    wanted.sort();
    wanted.dedup();
    let total: u64 = wanted.iter().map(|w| w.2).sum();
    let bar = crate::progress::bytes(progress, total, "copying evidence");
    // Folders first, once each, rather than once per file.
    let dirs: std::collections::BTreeSet<PathBuf> = wanted
        .iter()
        .filter_map(|(t, _, _)| stage.join(t).parent().map(Path::to_path_buf))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| io_err(d, e))?;
    }
    let copied: Result<Vec<manifest::Entry>, PackageError> = wanted
        .par_iter()
        .map(|(target, sha, _)| {
            let rel = target.strip_prefix("evidence/").unwrap_or(target);
            let src = evidence_root.join(rel);
            let dst = stage.join(target);
            if let Some(size) = previous.reuse(target, sha, &dst) {
                bar.inc(size);
                return Ok(manifest::Entry {
                    path: target.to_string(),
                    size,
                    sha256: sha.to_string(),
                });
            }
            let (size, digest) = copy_hashing(&src, &dst).map_err(|e| io_err(&src, e))?;
            bar.inc(size);
            if digest != *sha {
                return Err(PackageError::Refused(format!(
                    "{}: changed while the package was built",
                    src.display()
                )));
            }
            Ok(manifest::Entry {
                path: target.to_string(),
                size,
                sha256: digest,
            })
        })
        .collect();
    bar.finish_and_clear();
    copied
}

/// Copy `src` to `dst`, returning size and SHA-256 of what was copied.
fn copy_hashing(src: &Path, dst: &Path) -> io::Result<(u64, String)> {
    use std::io::Write;
    let mut w = std::fs::File::create(dst)?;
    crate::digest::stream(src, |block| w.write_all(block))
}

/// Write one file atomically (temporary file beside it, then rename).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut f = tempfile::NamedTempFile::new_in(dir)?;
    f.write_all(bytes)?;
    f.persist(path).map_err(|e| e.error)?;
    Ok(())
}
