//! The handoff bundle: a deterministic zip of the package (sorted entries,
//! fixed timestamps from the as-of date, fixed permissions), with
//! `manifest.json` at its root. Files are streamed, never held in memory.

use super::PackageError;
use chrono::Datelike;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where the bundle of a package folder goes: `<out>.zip` beside it.
pub fn path_for(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "package".into());
    name.push(".zip");
    out.with_file_name(name)
}

/// Zip every file below `dir` into `zip_path`, a new file of mode 0644 in
/// the staging folder (renamed into place with the package).
pub fn write(dir: &Path, zip_path: &Path, as_of: chrono::NaiveDate) -> Result<(), PackageError> {
    let err = |p: &Path, e: io::Error| PackageError::Io {
        path: p.display().to_string(),
        source: e,
    };
    let mut files: Vec<(String, PathBuf)> = super::walk(dir)
        .filter_map(Result::ok)
        .filter(|(_, e)| e.file_type().is_file())
        .map(|(rel, e)| (rel, e.into_path()))
        .collect();
    // manifest.json first, then the rest by name.
    files.sort_by(|a, b| (a.0 != "manifest.json", &a.0).cmp(&(b.0 != "manifest.json", &b.0)));

    let file = create_0644(zip_path).map_err(|e| err(zip_path, e))?;
    let time = zip::DateTime::from_date_and_time(
        as_of.year().clamp(1980, 2107) as u16,
        as_of.month() as u8,
        as_of.day() as u8,
        0,
        0,
        0,
    )
    .map_err(PackageError::ZipTimestamp)?;
    let mut zip = zip::ZipWriter::new(io::BufWriter::new(file));
    for (rel, path) in &files {
        let size = std::fs::metadata(path).map_err(|e| err(path, e))?.len();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(time)
            .unix_permissions(0o644)
            .large_file(size >= u32::MAX as u64);
        zip.start_file(rel.as_str(), options)?;
        let mut f = std::fs::File::open(path).map_err(|e| err(path, e))?;
        io::copy(&mut f, &mut zip).map_err(|e| err(path, e))?;
    }
    let mut w = zip.finish()?;
    w.flush().map_err(|e| err(zip_path, e))?;
    Ok(())
}

/// A new file readable by all, whatever the umask.
fn create_0644(path: &Path) -> io::Result<std::fs::File> {
    let f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        f.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    Ok(f)
}
