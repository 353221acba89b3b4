//! Parsed project files kept between runs. A controls or attestations file
//! whose text is unchanged (same SHA-256) is read back from a compact
//! binary form instead of being parsed again: at 100,000 attestations the
//! YAML parse is most of `check`, reading back a fraction of it. Values
//! keep their locations ([`super::raw::Spanned`]), so diagnostics are the
//! same either way; only files that parsed are kept. The cache is one file
//! per project ([`crate::cache::file`]), rewritten with the files of the
//! last run when they changed.

use serde::{de::DeserializeOwned, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a cache file starts with: the version and a digest of the types,
/// parser options and dependency versions it was written with. A file
/// written by any other build is ignored.
const FORMAT: &str = concat!(
    "auditpack parsed ",
    env!("CARGO_PKG_VERSION"),
    " ",
    env!("AUDITPACK_PARSE_FORMAT")
);

/// One parsed file: its kind (the type's name), the SHA-256 of its text,
/// the value encoded.
type Entry<'a> = (&'a str, &'a str, &'a [u8]);

/// A project's cache file, read whole.
#[derive(Debug)]
pub struct Store {
    path: PathBuf,
    bytes: Vec<u8>,
}

impl Store {
    /// The cache of the project in `root` (empty when there is none yet);
    /// `None` when there is no cache folder.
    pub fn open(root: &Path) -> Option<Store> {
        crate::cache::file("parsed", root).map(Store::at)
    }

    /// The cache kept in the file `path` (empty when there is none yet).
    pub fn at(path: PathBuf) -> Store {
        let bytes = std::fs::read(&path).unwrap_or_default();
        Store { path, bytes }
    }

    /// The files stored, ready to be looked up.
    pub fn shelf(&self) -> Shelf<'_> {
        let stored: Vec<Entry> = crate::cache::decode(&self.bytes, FORMAT).unwrap_or_default();
        let old = stored
            .into_iter()
            .map(|(kind, digest, value)| ((kind, digest), value))
            .collect();
        Shelf {
            old,
            kept: Mutex::default(),
        }
    }

    /// Write the files this run used, unless they are exactly those stored.
    pub fn save(&self, shelf: Shelf<'_>) {
        let Shelf { old, kept } = shelf;
        let mut kept = kept.into_inner().unwrap_or_else(|e| e.into_inner());
        kept.sort_unstable_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        kept.dedup_by(|a, b| (a.0, &a.1) == (b.0, &b.1));
        // Every file read back came from `old`: the same files, none new.
        if kept.len() == old.len() && kept.iter().all(|(.., fresh)| !fresh) {
            return;
        }
        let entries: Vec<Entry> = kept
            .iter()
            .map(|(kind, digest, value, _)| (*kind, digest.as_str(), &**value))
            .collect();
        crate::cache::write(&self.path, FORMAT, &entries);
    }
}

/// The stored files of one run, and those it used.
#[derive(Debug)]
pub struct Shelf<'a> {
    old: HashMap<(&'a str, &'a str), &'a [u8]>,
    kept: Mutex<Vec<Kept<'a>>>,
}

/// A file a run used: kind, digest, encoded value, and whether it is new.
type Kept<'a> = (&'static str, String, Cow<'a, [u8]>, bool);

impl<'a> Shelf<'a> {
    /// The stored value of a file of type `T` whose text has `digest`.
    pub fn get<T: DeserializeOwned>(&self, digest: &str) -> Option<T> {
        let kind = std::any::type_name::<T>();
        let bytes: &'a [u8] = self.old.get(&(kind, digest))?;
        let value = postcard::from_bytes(bytes).ok()?;
        self.keep(kind, digest, Cow::Borrowed(bytes), false);
        Some(value)
    }

    /// Store `value`, parsed from a text with `digest`.
    pub fn put<T: Serialize>(&self, digest: &str, value: &T) {
        if let Ok(bytes) = postcard::to_allocvec(value) {
            self.keep(std::any::type_name::<T>(), digest, Cow::Owned(bytes), true);
        }
    }

    fn keep(&self, kind: &'static str, digest: &str, bytes: Cow<'a, [u8]>, fresh: bool) {
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.push((kind, digest.to_string(), bytes, fresh));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::raw::{AttestationsFile, ControlsFile};

    const ATTESTATIONS: &str = "attestations:\n  - control: AC-1\n    status: implemented\n    attested_by: Ann <a@example.com>\n    date: &d 2026-07-01\n    valid_until: *d\n    narrative: |\n      **Reviewed** & signed; *all* keys rotated.\n    evidence:\n      - path: e/report.csv\n        sha256: 00ff\n    exceptions:\n      - id: EX-1\n        description: one key left\n        remediation_due: 2026-10-01\n        checks: [iam_key_rotation]\n";

    fn parsed() -> AttestationsFile {
        crate::load::yaml::parse("a.yaml", ATTESTATIONS).unwrap()
    }

    /// Store the parsed attestations under each of `digests` in `path`.
    fn keep_in(path: &Path, digests: &[&str]) {
        let store = Store::at(path.to_path_buf());
        let shelf = store.shelf();
        for d in digests {
            assert!(shelf.get::<AttestationsFile>(d).is_none());
            shelf.put(d, &parsed());
        }
        store.save(shelf);
    }

    /// Whether the cache in `path` holds attestations under `digest`.
    fn holds(path: &Path, digest: &str) -> bool {
        let store = Store::at(path.to_path_buf());
        let found = store.shelf().get::<AttestationsFile>(digest).is_some();
        found
    }

    #[test]
    fn a_file_read_back_has_the_values_and_locations_it_was_parsed_with() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed.bin");
        keep_in(&path, &["d1"]);
        let back = Store::at(path)
            .shelf()
            .get::<AttestationsFile>("d1")
            .unwrap();
        assert_eq!(format!("{back:?}"), format!("{:?}", parsed()));
        // The alias is located where it is used, as when parsed.
        let a = &back.attestations[0];
        let at = a.valid_until.as_ref().unwrap().referenced;
        assert_eq!((at.line(), at.column()), (6, 18));
    }

    #[test]
    fn a_file_is_found_only_by_its_digest_and_its_kind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed.bin");
        keep_in(&path, &["d1"]);
        assert!(!holds(&path, "d2"));
        let store = Store::at(path);
        assert!(store.shelf().get::<ControlsFile>("d1").is_none());
    }

    #[test]
    fn a_damaged_or_foreign_cache_is_ignored_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed.bin");
        for junk in [
            &b"garbage"[..],
            &postcard::to_allocvec(&("auditpack parsed 0.0.0 x", Vec::<Entry>::new())).unwrap(),
        ] {
            std::fs::write(&path, junk).unwrap();
            keep_in(&path, &["d1"]);
            assert!(holds(&path, "d1"));
        }
    }

    #[test]
    fn an_unchanged_cache_is_not_written_again_and_an_unused_file_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("parsed.bin");
        keep_in(&path, &["d1", "d2"]);
        let written = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        // The same files used again: nothing to write.
        let store = Store {
            path: path.clone(),
            bytes: written,
        };
        let shelf = store.shelf();
        shelf.get::<AttestationsFile>("d1").unwrap();
        shelf.get::<AttestationsFile>("d2").unwrap();
        store.save(shelf);
        assert!(!path.exists());
        // One file no longer used: it leaves the cache.
        let shelf = store.shelf();
        shelf.get::<AttestationsFile>("d1").unwrap();
        store.save(shelf);
        assert!(!holds(&path, "d2"));
        assert!(holds(&path, "d1"));
    }
}
