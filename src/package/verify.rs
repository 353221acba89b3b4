//! Verify a package (folder or zip) against its manifest: re-hash every
//! file, list missing, extra and changed files, and check the signature.
//!
//! Nothing in the package is trusted: zip entries with the same name, with
//! `..`, absolute, backslash or drive-letter paths, symbolic links and
//! special files are errors; a folder is walked without following links;
//! `manifest.json` and the signature are read up to a size cap, and every
//! other file is streamed and read no further than the size its manifest
//! gives it, so a decompression bomb costs neither memory nor time.

use super::manifest::{Manifest, MAX_MANIFEST_BYTES};
use super::sign::{self, SigCheck, SIG_FILE};
use crate::fsio::read_capped;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, Read, Seek};
use std::path::Path;

/// Largest signature file read.
pub const MAX_SIGNATURE_BYTES: u64 = 64 << 10;

/// Why a package could not be verified at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{0}")]
    Io(#[from] io::Error),
    #[error("not a zip file ({0})")]
    NotZip(zip::result::ZipError),
    #[error("neither a package folder nor a zip file")]
    NotAPackage,
}

/// What verification found.
#[derive(Debug, Default)]
pub struct Report {
    pub files: usize,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
    pub changed: Vec<String>,
    pub digest_ok: bool,
    pub signature: Option<SigCheck>,
    pub problems: Vec<String>,
    /// The manifest, when it could be read.
    pub manifest: Option<Manifest>,
}

impl Report {
    /// True when nothing is wrong (an unchecked signature is not wrong).
    pub fn ok(&self) -> bool {
        self.missing.is_empty()
            && self.extra.is_empty()
            && self.changed.is_empty()
            && self.digest_ok
            && self.problems.is_empty()
            && !matches!(self.signature, Some(SigCheck::Bad(_)))
    }
}

/// What a package holds: size and SHA-256 of every file its manifest
/// lists (by path), the names of the others, the manifest and signature
/// bytes, and what is wrong with its layout.
#[derive(Default)]
struct Contents {
    files: BTreeMap<String, (u64, String)>,
    unlisted: Vec<String>,
    manifest: Option<Vec<u8>>,
    signature: Option<String>,
    problems: Vec<String>,
}

/// Verify a package folder or zip; `key` is the trusted public key.
pub fn verify(path: &Path, key: Option<&ssh_key::PublicKey>) -> Result<Report, VerifyError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Ok(judge(from_dir(path)?, key));
    }
    if !meta.is_file() {
        return Err(VerifyError::NotAPackage);
    }
    let f = crate::fsio::open_regular(path)?;
    verify_zip(io::BufReader::new(f), key)
}

/// Verify a package zip read from `reader`.
pub fn verify_zip<R: Read + Seek>(
    reader: R,
    key: Option<&ssh_key::PublicKey>,
) -> Result<Report, VerifyError> {
    let mut z = zip::ZipArchive::new(reader).map_err(VerifyError::NotZip)?;
    Ok(judge(from_zip(&mut z), key))
}

/// The manifest's entries by path, with problems for paths listed twice
/// or that could not be a file of a package.
fn listing(m: &Manifest, problems: &mut Vec<String>) -> BTreeMap<String, (u64, String)> {
    let mut listed = BTreeMap::new();
    for f in &m.files {
        if let Err(why) = check_name(&f.path) {
            problems.push(format!("manifest.json lists `{}`, which {why}", f.path));
        }
        if listed
            .insert(f.path.clone(), (f.size, f.sha256.clone()))
            .is_some()
        {
            problems.push(format!("manifest.json lists `{}` twice", f.path));
        }
    }
    listed
}

/// Why a name cannot be the path of a file in a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BadName {
    #[error("is an absolute or empty path")]
    AbsoluteOrEmpty,
    #[error("contains a backslash")]
    Backslash,
    #[error("starts with a drive letter")]
    DriveLetter,
    #[error("contains a control character")]
    ControlCharacter,
    #[error("contains an empty, `.` or `..` part")]
    DotPart,
}

/// Why `name` cannot be the path of a file in a package, if it cannot:
/// `..`, absolute, backslash, drive letter, empty or control characters.
pub fn check_name(name: &str) -> Result<(), BadName> {
    if name.is_empty() || name.starts_with('/') {
        return Err(BadName::AbsoluteOrEmpty);
    }
    if name.contains('\\') {
        return Err(BadName::Backslash);
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return Err(BadName::DriveLetter);
    }
    if name.chars().any(char::is_control) {
        return Err(BadName::ControlCharacter);
    }
    let trimmed = name.strip_suffix('/').unwrap_or(name);
    if trimmed
        .split('/')
        .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(BadName::DotPart);
    }
    Ok(())
}

fn from_zip<R: Read + Seek>(z: &mut zip::ZipArchive<R>) -> Contents {
    let mut c = Contents::default();
    if z.has_duplicate_names() {
        c.problems.push(
            "the zip holds two entries of the same name (an extractor may show another file than the one verified)"
                .into(),
        );
    }
    let manifest = read_zip_entry(z, "manifest.json", MAX_MANIFEST_BYTES, &mut c.problems);
    c.signature = read_zip_entry(z, SIG_FILE, MAX_SIGNATURE_BYTES, &mut c.problems)
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let listed = manifest
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Manifest>(b).ok())
        .map(|m| listing(&m, &mut Vec::new()))
        .unwrap_or_default();
    c.manifest = manifest;
    for i in 0..z.len() {
        let mut entry = match z.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                c.problems
                    .push(format!("zip entry {i} cannot be read ({e})"));
                continue;
            }
        };
        let Some(name) = entry_name(&entry, &mut c.problems) else {
            continue;
        };
        if entry.is_dir() || name == "manifest.json" || name == SIG_FILE {
            continue;
        }
        let Some((size, _)) = listed.get(&name) else {
            c.unlisted.push(name);
            continue;
        };
        match hash_capped(&mut entry, *size) {
            Ok(h) => {
                c.files.insert(name, h);
            }
            Err(e) => c.problems.push(format!("`{name}` cannot be read ({e})")),
        }
    }
    c
}

/// The name of a zip entry, or `None` with a problem when the entry is a
/// link, a special file or has a name no package file has.
fn entry_name<R: Read>(
    entry: &zip::read::ZipFile<'_, R>,
    problems: &mut Vec<String>,
) -> Option<String> {
    let Ok(name) = std::str::from_utf8(entry.name_raw()) else {
        problems.push("a zip entry's name is not UTF-8".into());
        return None;
    };
    let shown: String = name.escape_debug().collect();
    if let Err(why) = check_name(name) {
        problems.push(format!("zip entry `{shown}` {why}"));
        return None;
    }
    if entry.is_symlink() {
        problems.push(format!("zip entry `{shown}` is a symbolic link"));
        return None;
    }
    const TYPE: u32 = 0o170000;
    if let Some(mode) = entry.unix_mode() {
        if !matches!(mode & TYPE, 0 | 0o100000 | 0o040000) {
            problems.push(format!("zip entry `{shown}` is not a regular file"));
            return None;
        }
    }
    Some(name.to_string())
}

/// A named entry of the zip, read up to `cap` bytes.
fn read_zip_entry<R: Read + Seek>(
    z: &mut zip::ZipArchive<R>,
    name: &str,
    cap: u64,
    problems: &mut Vec<String>,
) -> Option<Vec<u8>> {
    let entry = z.by_name(name).ok()?;
    match read_capped(entry, cap, name) {
        Ok(b) => Some(b),
        Err(e) => {
            problems.push(format!("{name}: {e}"));
            None
        }
    }
}

/// Size and SHA-256 of a stream, read no further than one byte past `size`
/// (a longer stream is changed; reading it all would prove nothing more).
fn hash_capped(r: &mut impl Read, size: u64) -> io::Result<(u64, String)> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n_total = 0u64;
    let mut r = r.take(size.saturating_add(1));
    loop {
        let n = r.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        n_total += n as u64;
    }
    Ok((n_total, crate::sha256::hex(&h.finalize())))
}

fn from_dir(dir: &Path) -> io::Result<Contents> {
    let mut c = Contents::default();
    let mut found: Vec<(String, u64)> = Vec::new();
    for entry in super::walk(dir) {
        let (rel, entry) = entry?;
        let kind = entry.file_type();
        let shown: String = rel.escape_debug().collect();
        if kind.is_symlink() {
            c.problems
                .push(format!("`{shown}` is a symbolic link (not followed)"));
        } else if !kind.is_file() {
            c.problems.push(format!("`{shown}` is not a regular file"));
        } else {
            found.push((rel, entry.metadata().map_err(io::Error::from)?.len()));
        }
    }
    let read = |name: &str, cap: u64| -> Option<io::Result<Vec<u8>>> {
        found.iter().any(|(r, _)| r == name).then(|| {
            let f = crate::fsio::open_regular(&dir.join(name))?;
            read_capped(f, cap, name)
        })
    };
    c.manifest = read("manifest.json", MAX_MANIFEST_BYTES).transpose()?;
    c.signature = read(SIG_FILE, MAX_SIGNATURE_BYTES)
        .transpose()?
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let listed = c
        .manifest
        .as_deref()
        .and_then(|b| serde_json::from_slice::<Manifest>(b).ok())
        .map(|m| listing(&m, &mut Vec::new()))
        .unwrap_or_default();
    let wanted: Vec<(String, u64)> = found
        .into_iter()
        .filter(|(rel, _)| rel != "manifest.json" && rel != SIG_FILE)
        .filter(|(rel, _)| {
            let listed = listed.contains_key(rel);
            if !listed {
                c.unlisted.push(rel.clone());
            }
            listed
        })
        .collect();
    let hashed: Vec<(String, io::Result<(u64, String)>)> = wanted
        .par_iter()
        .map(|(rel, size)| match listed.get(rel) {
            Some((want, _)) if want != size => (rel.clone(), Ok((*size, String::new()))),
            _ => (rel.clone(), crate::sha256::file(&dir.join(rel))),
        })
        .collect();
    for (rel, r) in hashed {
        match r {
            Ok(h) => {
                c.files.insert(rel, h);
            }
            Err(e) => c.problems.push(format!("`{rel}` cannot be read ({e})")),
        }
    }
    Ok(c)
}

/// Compare what the package holds with its manifest and signature.
fn judge(contents: Contents, key: Option<&ssh_key::PublicKey>) -> Report {
    let mut r = Report {
        problems: contents.problems,
        extra: contents.unlisted,
        ..Default::default()
    };
    let Some(manifest_bytes) = contents.manifest else {
        r.problems.push("manifest.json is missing".into());
        return r;
    };
    let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            r.problems
                .push(format!("manifest.json is not a valid manifest ({e})"));
            return r;
        }
    };
    r.files = manifest.files.len();
    let listed = listing(&manifest, &mut r.problems);
    for (path, (size, sha)) in &listed {
        match contents.files.get(path) {
            None => r.missing.push(path.clone()),
            Some((s, h)) if s != size || h != sha => r.changed.push(path.clone()),
            _ => {}
        }
    }
    r.digest_ok = Manifest::digest_of(&manifest.files) == manifest.package_digest;
    if !r.digest_ok {
        r.problems
            .push("the manifest's package_digest does not match its file list".into());
    } else if !manifest.is_auditpack() {
        r.problems
            .push("manifest.json does not carry auditpack's format and package id".into());
    }
    r.signature = match (&contents.signature, key) {
        (Some(sig), k) => Some(sign::check(&manifest_bytes, sig, k)),
        (None, Some(_)) => Some(SigCheck::Bad(format!(
            "{SIG_FILE} is missing: the package is not signed"
        ))),
        (None, None) => None,
    };
    r.manifest = Some(manifest);
    r
}

/// One named file of a package folder or zip, read up to `cap` bytes
/// (folders: a regular file only, never through a link).
pub fn read_file(package: &Path, name: &str, cap: u64) -> Result<Vec<u8>, VerifyError> {
    if std::fs::metadata(package)?.is_dir() {
        let f = crate::fsio::open_regular(&package.join(name))?;
        return Ok(read_capped(f, cap, name)?);
    }
    let f = crate::fsio::open_regular(package)?;
    let mut z = zip::ZipArchive::new(io::BufReader::new(f)).map_err(VerifyError::NotZip)?;
    let entry = z
        .by_name(name)
        .map_err(|_| io::Error::new(io::ErrorKind::NotFound, format!("no {name} in the zip")))?;
    Ok(read_capped(entry, cap, name)?)
}
