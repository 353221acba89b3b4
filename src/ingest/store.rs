//! Keep the scan as evidence: copied under the evidence root at
//! `scans/<tool>/<date>-<digest12>.<ext>`, never over a different file and
//! never through a symbolic link.

use super::{IngestError, Scan};
use crate::load::files;
use std::path::{Path, PathBuf};

/// Where the scan goes, and whether it is already there.
#[derive(Debug)]
pub struct Placement {
    pub target: PathBuf,
    pub present: bool,
}

/// Check where the scan would be stored, writing nothing: refused when
/// the place is reached through a symbolic link or holds another file.
pub fn place(scan: &Scan, evidence_root: &Path) -> Result<Placement, IngestError> {
    let target = evidence_root.join(scan.stored_path());
    if files::through_symlink(evidence_root, &target) {
        return Err(IngestError::refused(
            &target,
            "is reached through a symbolic link; a scan is never stored through one",
        ));
    }
    if !target.exists() {
        return Ok(Placement {
            target,
            present: false,
        });
    }
    let (_, sha) = crate::sha256::file(&target).map_err(|source| IngestError::Io {
        file: files::display(&target),
        source,
    })?;
    if sha != scan.sha256 {
        return Err(IngestError::refused(
            &target,
            "exists with other content; it is never overwritten",
        ));
    }
    Ok(Placement {
        target,
        present: true,
    })
}

/// Copy the scan to its place (through a temporary file, hashed on the way,
/// renamed only when the copy has the digest the scan was read with).
pub fn copy(scan: &Scan, p: &Placement) -> Result<(), IngestError> {
    use std::io::Write;
    if p.present {
        return Ok(());
    }
    let io = |path: &Path| {
        let file = files::display(path);
        move |source| IngestError::Io { file, source }
    };
    let dir = p.target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    let (_, sha) =
        crate::sha256::stream(&scan.source, |b| tmp.write_all(b)).map_err(io(&scan.source))?;
    if sha != scan.sha256 {
        return Err(IngestError::refused(
            &scan.source,
            "changed while it was being ingested; nothing was stored",
        ));
    }
    tmp.persist_noclobber(&p.target)
        .map_err(|e| IngestError::Io {
            file: files::display(&p.target),
            source: e.error,
        })?;
    Ok(())
}
