//! Safe file access shared by every stage that touches the file system:
//! opening a regular file without following links or blocking on special
//! files, reading with a size cap, and writing a file atomically.

use std::io::{self, Read, Write};
use std::path::Path;

/// Open a regular file for reading, without following a symbolic link and
/// without waiting on a FIFO or a device: anything but a regular file is an
/// error, so no read can hang or leave the folder it was asked about.
pub fn open_regular(path: &Path) -> io::Result<std::fs::File> {
    use io::{Error, ErrorKind};
    let mut o = std::fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let f = o.open(path).map_err(|e| {
        if e.raw_os_error() == Some(libc_eloop()) {
            Error::new(ErrorKind::InvalidInput, "is a symbolic link (not followed)")
        } else {
            e
        }
    })?;
    if !f.metadata()?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "is not a regular file"));
    }
    Ok(f)
}

#[cfg(unix)]
fn libc_eloop() -> i32 {
    libc::ELOOP
}

#[cfg(not(unix))]
fn libc_eloop() -> i32 {
    -1
}

/// Read at most `cap` bytes; more is an error naming `what`. The buffer is
/// reserved once (untouched pages cost nothing), so memory never exceeds
/// the cap, where doubling a growing buffer could take twice as much.
pub fn read_capped(r: impl Read, cap: u64, what: &str) -> io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(usize::try_from(cap).unwrap_or(usize::MAX).saturating_add(1));
    r.take(cap + 1).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{what} is larger than {} KiB; not read", cap >> 10),
        ));
    }
    Ok(buf)
}

/// Write one file atomically (temporary file beside it, then rename). A
/// file it replaces keeps its permissions; a new one gets those of any new
/// file (read and write for all, less the umask), not the temporary file's
/// owner-only mode.
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut f = builder.tempfile_in(dir)?;
    if let Ok(old) = std::fs::symlink_metadata(path) {
        if old.is_file() {
            f.as_file().set_permissions(old.permissions())?;
        }
    }
    f.write_all(bytes)?;
    f.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::write_file_atomic;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_gets_the_mode_of_any_new_file() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.yaml");
        std::fs::write(&plain, "a: 1\n").unwrap();
        let written = dir.path().join("written.yaml");
        write_file_atomic(&written, b"a: 1\n").unwrap();
        assert_eq!(mode(&written), mode(&plain));
    }

    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("controls.yaml");
        std::fs::write(&path, "a: 1\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_file_atomic(&path, b"a: 2\n").unwrap();
        assert_eq!(mode(&path), 0o640);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 2\n");
    }
}
