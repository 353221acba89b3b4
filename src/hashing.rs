//! Evidence hashing: streamed, in parallel across cores, with a progress bar
//! on a terminal, and a cache that skips a file only when its device,
//! inode, size, modification time *and* change time are those it had when
//! it was hashed. A user can set the modification time back after an edit,
//! never the change time. `verify` never uses the cache.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How to hash.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Show a progress bar (only drawn on a terminal).
    pub progress: bool,
    /// Use the hash cache.
    pub cache: bool,
}

impl Options {
    /// The cache, no progress bar: commands whose output is a report on stdout.
    pub const CACHED_QUIET: Options = Options {
        progress: false,
        cache: true,
    };
}

/// What identifies a file's content without reading it: device, inode,
/// size, modification and change times. `None` where the platform
/// cannot tell (then the file is always hashed).
pub type Stamp = Option<Identity>;

/// See [`Stamp`].
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    pub dev: u64,
    pub inode: u64,
    pub size: u64,
    /// Modification time: seconds and nanoseconds.
    pub mtime: (i64, i64),
    /// Change time (set by the system on every change): seconds and nanoseconds.
    pub ctime: (i64, i64),
}
/// The outcome of hashing one file: path, size and digest, cache entry.
type Hashed = (String, std::io::Result<(u64, String)>, Option<Cached>);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Cached {
    id: Identity,
    sha256: String,
}

/// The stamp of a file from its metadata.
#[cfg(unix)]
pub fn stamp_of(m: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    Some(Identity {
        dev: m.dev(),
        inode: m.ino(),
        size: m.size(),
        mtime: (m.mtime(), m.mtime_nsec()),
        ctime: (m.ctime(), m.ctime_nsec()),
    })
}

/// The stamp of a file from its metadata.
#[cfg(not(unix))]
pub fn stamp_of(_: &std::fs::Metadata) -> Stamp {
    None
}

/// What a hash cache file starts with; a file without it is ignored.
const FORMAT: &str = "auditpack hashes 1";

/// The hash cache of an evidence root, if it can be read.
fn read_cache(path: &Path) -> Option<BTreeMap<String, Cached>> {
    crate::cache::decode(&std::fs::read(path).ok()?, FORMAT)
}

/// Size and SHA-256 of each file (`rel` → full path and its stamp, if the
/// caller has just read it), in parallel.
pub fn hash_all(
    root: &Path,
    files: &BTreeMap<String, (PathBuf, Stamp)>,
    opts: &Options,
) -> Vec<(String, std::io::Result<(u64, String)>)> {
    crate::timings::time("hash", || hash_untimed(root, files, opts))
}

fn hash_untimed(
    root: &Path,
    files: &BTreeMap<String, (PathBuf, Stamp)>,
    opts: &Options,
) -> Vec<(String, std::io::Result<(u64, String)>)> {
    let cache_path = if opts.cache {
        crate::cache::file("hashes", root)
    } else {
        None
    };
    let cache = cache_path
        .as_deref()
        .and_then(read_cache)
        .unwrap_or_default();
    let stamps: Vec<(&String, &PathBuf, Stamp)> = files
        .par_iter()
        .map(|(rel, (full, st))| {
            let st = st.or_else(|| stamp_of(&std::fs::metadata(full).ok()?));
            (rel, full, st)
        })
        .collect();
    let total: u64 = stamps.iter().filter_map(|s| s.2.map(|s| s.size)).sum();
    let bar = crate::progress::bytes(opts.progress, total, "hashing evidence");
    let out: Vec<Hashed> = stamps
        .par_iter()
        .map(|&(rel, full, st)| {
            if let (Some(id), Some(c)) = (st, cache.get(rel)) {
                if c.id == id {
                    bar.inc(id.size);
                    return (
                        rel.clone(),
                        Ok((id.size, c.sha256.clone())),
                        Some(c.clone()),
                    );
                }
            }
            let r = crate::sha256::file(full);
            if let Ok((size, _)) = &r {
                bar.inc(*size);
            }
            let entry = match (&r, st) {
                (Ok((size, sha)), Some(id)) if id.size == *size => Some(Cached {
                    id,
                    sha256: sha.clone(),
                }),
                _ => None,
            };
            (rel.clone(), r, entry)
        })
        .collect();
    bar.finish_and_clear();
    if let Some(path) = cache_path {
        let fresh: BTreeMap<&str, &Cached> = out
            .iter()
            .filter_map(|(rel, _, c)| Some((rel.as_str(), c.as_ref()?)))
            .collect();
        if fresh.len() != cache.len() || fresh.iter().any(|(k, v)| cache.get(*k) != Some(*v)) {
            crate::cache::write(&path, FORMAT, &fresh);
        }
    }
    out.into_iter().map(|(rel, r, _)| (rel, r)).collect()
}
