//! SHA-256 of files and bytes, streamed.

use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Lower-case hex SHA-256 of some bytes.
pub fn bytes(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// Size and lower-case hex SHA-256 of a file, read in 256 KiB blocks.
pub fn file(path: &Path) -> std::io::Result<(u64, String)> {
    stream(path, |_| Ok(()))
}

/// Read `path` in 256 KiB blocks (one buffer per thread, reused), hand each
/// block to `each`, and return the size and SHA-256 of what was read.
pub fn stream(
    path: &Path,
    mut each: impl FnMut(&[u8]) -> std::io::Result<()>,
) -> std::io::Result<(u64, String)> {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0u8; 256 * 1024]);
    }
    let mut f = crate::fsio::open_regular(path)?;
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    BUF.with(|b| -> std::io::Result<()> {
        let mut buf = b.borrow_mut();
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                return Ok(());
            }
            size += n as u64;
            hasher.update(&buf[..n]);
            each(&buf[..n])?;
        }
    })?;
    Ok((size, hex(&hasher.finalize())))
}

/// A writer that hashes and counts what passes through it.
pub struct Writer<W> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: std::io::Write> Writer<W> {
    pub fn new(inner: W) -> Self {
        Writer {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// Size and lower-case hex SHA-256 of what was written, and the writer.
    pub fn finish(self) -> (u64, String, W) {
        (self.size, hex(&self.hasher.finalize()), self.inner)
    }
}

impl<W: std::io::Write> std::io::Write for Writer<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Lower-case hex of a digest.
pub fn hex(d: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(d.len() * 2);
    for b in d {
        let _ = write!(s, "{b:02x}");
    }
    s
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn links_and_fifos_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("/etc/hostname", &link).unwrap();
        let e = super::file(&fifo).unwrap_err();
        assert!(e.to_string().contains("not a regular file"), "{e}");
        let e = super::file(&link).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
    }

    #[test]
    fn known_vector() {
        assert_eq!(
            super::bytes(b"test"),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
        );
    }
}
