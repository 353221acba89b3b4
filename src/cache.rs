//! Where the caches live: `$AUDITPACK_CACHE_DIR`, else
//! `$XDG_CACHE_HOME/auditpack`, else `~/.cache/auditpack`; one file per
//! kind and folder. A cache only ever spares work: one that cannot be
//! read is ignored, one that cannot be written costs time on the next run.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The cache file of `kind` (`hashes`, `parsed`) for `folder`, named by a
/// digest of its absolute path; `None` when there is no cache folder or
/// `folder` cannot be resolved.
pub fn file(kind: &str, folder: &Path) -> Option<PathBuf> {
    let base = std::env::var_os("AUDITPACK_CACHE_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .map(|c| c.join("auditpack"))
        })?;
    let abs = folder.canonicalize().ok()?;
    let key = crate::sha256::bytes(abs.to_string_lossy().as_bytes());
    Some(base.join(format!("{kind}-{}.bin", &key[..16])))
}

/// The value a cache file's `bytes` hold, when they were written under
/// `format` ([`write`]); `None` for a damaged or foreign file.
pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8], format: &str) -> Option<T> {
    let (found, value): (&str, T) = postcard::from_bytes(bytes).ok()?;
    (found == format).then_some(value)
}

/// Write `value` under `format` to the cache file `path`, atomically. A
/// cache that cannot be written only costs time on the next run.
pub fn write<T: Serialize + ?Sized>(path: &Path, format: &str, value: &T) {
    if let Ok(bytes) = postcard::to_allocvec(&(format, value)) {
        let _ = crate::fsio::write_file_atomic(path, &bytes);
    }
}
