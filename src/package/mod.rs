//! Stage 5, package: write the rendered files, `matrix.csv`, `model.json`
//! and the evidence into a staging folder beside the output, add
//! `manifest.json` (and the zip), then rename them into place. Never half
//! written; where the output may go is decided once, in [`output`].

pub mod bundle;
pub mod manifest;
pub mod matrix;
pub mod output;
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
    #[error("output folder {out}: {why}")]
    Output {
        out: String,
        why: output::OutputRefusal,
    },
    #[error(
        "output folder {out} overlaps the input folder {input}: choose a folder outside the inputs"
    )]
    Overlap { out: String, input: String },
    #[error("{zip} exists and {why}: refusing to replace it")]
    Bundle {
        zip: String,
        why: output::NotAPackage,
    },
    #[error("{0}: changed while the package was built")]
    EvidenceChanged(String),
    #[error("zip: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("zip timestamp: {0}")]
    ZipTimestamp(zip::result::DateTimeRangeError),
    #[error(transparent)]
    Sign(#[from] sign::SignError),
}

/// Every file, link or special file below `dir` (links are not followed,
/// folders left out) with its `/`-separated path relative to `dir`.
pub fn walk(dir: &Path) -> impl Iterator<Item = io::Result<(String, walkdir::DirEntry)>> + '_ {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .min_depth(1)
        .into_iter()
        .filter(|e| !e.as_ref().is_ok_and(|e| e.file_type().is_dir()))
        .map(move |e| {
            let e = e.map_err(io::Error::from)?;
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            Ok((rel.to_string_lossy().replace('\\', "/"), e))
        })
}

fn io_err(path: &Path, source: io::Error) -> PackageError {
    PackageError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A package being written: a staging folder beside the output folder that
/// rendered files go into as soon as they are rendered (so no report is
/// held in memory longer than it takes to write it), then the matrix, the
/// model, the evidence, the manifest and the zip, and at last a rename into
/// place. The staging folder (`.auditpack-stage-PID-…`, marked with the pid)
/// holds `package/`, `bundle.zip` and, while it is replaced, the previous
/// package; it is removed when the build ends, and by the next build when
/// this one was killed.
pub struct Staging {
    target: output::Target,
    folder: tempfile::TempDir,
    dir: PathBuf,
    entries: std::sync::Mutex<Vec<manifest::Entry>>,
}

impl Staging {
    /// Create the staging folder beside the resolved output.
    pub fn create(target: output::Target) -> Result<Self, PackageError> {
        let parent = &target.parent;
        std::fs::create_dir_all(parent).map_err(|e| io_err(parent, e))?;
        let pid = std::process::id();
        let folder = tempfile::Builder::new()
            .prefix(&format!("{}{pid}-", output::STAGING_PREFIX))
            .tempdir_in(parent)
            .map_err(|e| io_err(parent, e))?;
        let marker = folder.path().join(output::STAGING_MARKER);
        std::fs::write(&marker, format!("{pid}\n")).map_err(|e| io_err(&marker, e))?;
        let dir = folder.path().join("package");
        std::fs::create_dir(&dir).map_err(|e| io_err(&dir, e))?;
        Ok(Staging {
            target,
            folder,
            dir,
            entries: Default::default(),
        })
    }

    /// Write one file of the package and record its size and digest.
    pub fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), PackageError> {
        let path = self.dir.join(rel);
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

    /// Copy the model's evidence into the package, on threads of its own so
    /// that it can run while the reports render (copying waits on the disk,
    /// rendering on the processor).
    pub fn copy_evidence(
        &self,
        model: &ReportModel,
        evidence_root: &Path,
        progress: bool,
    ) -> Result<(), PackageError> {
        let threads = std::thread::available_parallelism().map_or(2, usize::from);
        let copied = match rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("copy-{i}"))
            .build()
        {
            Ok(pool) => pool.install(|| self.copy_all(model, evidence_root, progress)),
            // No threads to spare: copy on the shared ones.
            Err(_) => self.copy_all(model, evidence_root, progress),
        }?;
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(copied);
        Ok(())
    }

    fn copy_all(
        &self,
        model: &ReportModel,
        evidence_root: &Path,
        progress: bool,
    ) -> Result<Vec<manifest::Entry>, PackageError> {
        let previous = Previous::of(&self.target);
        copy_evidence(model, evidence_root, &self.dir, &previous, progress)
    }

    /// Write the manifest (signed with `key`) and the zip, and move the
    /// package into place; the rendered files and the evidence
    /// ([`Staging::copy_evidence`]) are in it by now. The old package (if
    /// any) is removed only once the new one is complete; a failure before
    /// that leaves the old package and zip as they were.
    pub fn finish(
        self,
        model: &ReportModel,
        key: Option<&ssh_key::PrivateKey>,
    ) -> Result<manifest::Manifest, PackageError> {
        use crate::timings::time;
        let mut entries =
            std::mem::take(&mut *self.entries.lock().unwrap_or_else(|e| e.into_inner()));
        entries.sort_by(|a, b| a.path.cmp(&b.path));

        let manifest = manifest::Manifest::new(model, entries);
        let mpath = self.dir.join("manifest.json");
        let mjson = manifest.to_json();
        std::fs::write(&mpath, &mjson).map_err(|e| io_err(&mpath, e))?;
        if let Some(key) = key {
            let sig = sign::sign(key, mjson.as_bytes())?;
            let spath = self.dir.join(sign::SIG_FILE);
            std::fs::write(&spath, sig).map_err(|e| io_err(&spath, e))?;
        }
        let zip = self.folder.path().join("bundle.zip");
        if self.target.zip.is_some() {
            time("bundle", || bundle::write(&self.dir, &zip, model.as_of))?;
        }
        time("pkg replace", || self.install(&zip))?;
        Ok(manifest)
    }

    /// Move the package (and the zip) into place: the previous package is
    /// renamed into the staging folder, the new one renamed to the output, and the
    /// staging folder (with the previous package) removed.
    fn install(self, zip: &Path) -> Result<(), PackageError> {
        let out = &self.target.dir;
        let aside = self.folder.path().join("previous");
        let had_previous = self.target.previous.is_some();
        if had_previous {
            std::fs::rename(out, &aside).map_err(|e| io_err(out, e))?;
        }
        if let Err(e) = std::fs::rename(&self.dir, out) {
            if had_previous {
                let _ = std::fs::rename(&aside, out);
            }
            return Err(io_err(out, e));
        }
        if let Some(dest) = &self.target.zip {
            std::fs::rename(zip, dest).map_err(|e| io_err(dest, e))?;
        }
        let folder = self.folder.path().to_path_buf();
        self.folder.close().map_err(|e| io_err(&folder, e))
    }
}

impl crate::render::Sink for Staging {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), crate::render::RenderError> {
        Staging::put(self, rel, bytes).map_err(|e| match e {
            PackageError::Io { path, source } => crate::render::RenderError::write(path, source),
            other => crate::render::RenderError::encode(rel, other),
        })
    }

    /// Streamed straight to the file and hashed on the way.
    fn put_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn io::Write) -> io::Result<()>,
    ) -> Result<(), crate::render::RenderError> {
        use std::io::Write;
        let path = self.dir.join(rel);
        let fail = |e: io::Error| crate::render::RenderError::write(path.display(), e);
        if let Some(d) = path.parent() {
            std::fs::create_dir_all(d).map_err(fail)?;
        }
        let file = std::fs::File::create(&path).map_err(fail)?;
        // The buffer is in front of the digest: the renderers write in
        // small pieces, the digest and the file see large ones.
        let mut w = crate::sha256::Writer::new(file);
        {
            let mut buffered = io::BufWriter::with_capacity(1 << 20, &mut w);
            write(&mut buffered).map_err(fail)?;
            buffered.flush().map_err(fail)?;
        }
        let (size, sha256, _) = w.finish();
        self.record(manifest::Entry {
            path: rel.into(),
            size,
            sha256,
        });
        Ok(())
    }
}

/// The evidence of the package being replaced, by path: a file whose
/// digest is unchanged is linked into the new package instead of copied.
struct Previous {
    dir: PathBuf,
    files: std::collections::HashMap<String, (u64, String)>,
}

impl Previous {
    /// The evidence of the package the output holds now, if any.
    fn of(target: &output::Target) -> Self {
        let files = target
            .previous
            .iter()
            .flat_map(|m| &m.files)
            .filter(|f| f.path.starts_with("evidence/"))
            .map(|f| (f.path.clone(), (f.size, f.sha256.clone())))
            .collect();
        Previous {
            dir: target.dir.clone(),
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
        match crate::sha256::file(&old) {
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
    staging: &Path,
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
        .filter_map(|(t, _, _)| staging.join(t).parent().map(Path::to_path_buf))
        .collect();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(|e| io_err(d, e))?;
    }
    let copied: Result<Vec<manifest::Entry>, PackageError> = wanted
        .par_iter()
        .map(|(target, sha, _)| {
            let rel = target.strip_prefix("evidence/").unwrap_or(target);
            let src = evidence_root.join(rel);
            let dst = staging.join(target);
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
                return Err(PackageError::EvidenceChanged(src.display().to_string()));
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
    crate::sha256::stream(src, |block| w.write_all(block))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> crate::resolve::Resolved {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/valid");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let mut sources = crate::diag::Sources::default();
        match crate::pipeline::run(&dir, date, &Default::default(), &mut sources) {
            crate::pipeline::Outcome::Resolved(r) => *r,
            crate::pipeline::Outcome::Invalid(e) => panic!("{e:?}"),
        }
    }

    /// Package the fixture into `out` (and `out.zip`); `before_finish` runs on the staging.
    fn package(out: &Path, before_finish: impl FnOnce(&Staging)) -> Result<(), PackageError> {
        let r = fixture();
        let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/valid");
        let staging = Staging::create(output::resolve(out, &[&project], true)?)?;
        staging.copy_evidence(&r.model, &r.evidence_root, false)?;
        before_finish(&staging);
        staging.finish(&r.model, None).map(|_| ())
    }

    #[test]
    fn a_failing_zip_step_leaves_the_previous_package_and_zip_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("pkg");
        package(&out, |_| {}).unwrap();
        let manifest = std::fs::read(out.join("manifest.json")).unwrap();
        let zip = std::fs::read(tmp.path().join("pkg.zip")).unwrap();
        // The zip cannot be created: its name in the staging folder is taken.
        let failed = package(&out, |s| {
            std::fs::create_dir(s.folder.path().join("bundle.zip")).unwrap();
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), manifest);
        assert_eq!(std::fs::read(tmp.path().join("pkg.zip")).unwrap(), zip);
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "the staging folder is gone");
    }
}
