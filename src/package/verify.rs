//! Verify a package (folder or zip) against its manifest: re-hash every
//! file, list missing, extra and changed files, and check the signature.

use super::manifest::Manifest;
use super::sign::{self, SigCheck, SIG_FILE};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

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

/// Size and SHA-256 of every file of the package, by relative path, plus
/// the bytes of the manifest and of its signature.
struct Contents {
    files: BTreeMap<String, (u64, String)>,
    manifest: Option<Vec<u8>>,
    signature: Option<String>,
}

fn from_dir(dir: &Path) -> std::io::Result<Contents> {
    let paths: Vec<(String, std::path::PathBuf)> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap_or(e.path())
                    .to_string_lossy()
                    .replace('\\', "/"),
                e.into_path(),
            )
        })
        .collect();
    let hashed: std::io::Result<Vec<(String, (u64, String))>> = paths
        .par_iter()
        .map(|(rel, p)| Ok((rel.clone(), crate::digest::file(p)?)))
        .collect();
    let mut files: BTreeMap<_, _> = hashed?.into_iter().collect();
    files.remove(SIG_FILE);
    files.remove("manifest.json");
    Ok(Contents {
        files,
        manifest: std::fs::read(dir.join("manifest.json")).ok(),
        signature: std::fs::read_to_string(dir.join(SIG_FILE)).ok(),
    })
}

fn from_zip(path: &Path) -> Result<Contents, String> {
    use sha2::{Digest, Sha256};
    let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let mut z = zip::ZipArchive::new(std::io::BufReader::new(f))
        .map_err(|e| format!("not a zip file ({e})"))?;
    let mut c = Contents {
        files: BTreeMap::new(),
        manifest: None,
        signature: None,
    };
    for i in 0..z.len() {
        let mut entry = z.by_index(i).map_err(|e| e.to_string())?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name().map_err(|e| e.to_string())?.to_string();
        if name == "manifest.json" || name == SIG_FILE {
            let mut buf = Vec::new();
            entry.read_to_end(&mut buf).map_err(|e| e.to_string())?;
            if name == "manifest.json" {
                c.manifest = Some(buf);
            } else {
                c.signature = Some(String::from_utf8_lossy(&buf).into_owned());
            }
            continue;
        }
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 256 * 1024];
        let mut size = 0u64;
        loop {
            let n = entry.read(&mut buf).map_err(|e| format!("{name}: {e}"))?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
            size += n as u64;
        }
        if c.files
            .insert(name.clone(), (size, crate::digest::hex(&h.finalize())))
            .is_some()
        {
            return Err(format!("{name} appears twice in the zip"));
        }
    }
    Ok(c)
}

/// Verify a package folder or zip; `key` is the trusted public key.
pub fn verify(path: &Path, key: Option<&ssh_key::PublicKey>) -> Result<Report, String> {
    let contents = if path.is_dir() {
        from_dir(path).map_err(|e| e.to_string())?
    } else {
        from_zip(path)?
    };
    let mut r = Report::default();
    let Some(manifest_bytes) = contents.manifest else {
        r.problems.push("manifest.json is missing".into());
        return Ok(r);
    };
    let manifest: Manifest = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => m,
        Err(e) => {
            r.problems
                .push(format!("manifest.json is not a valid manifest ({e})"));
            return Ok(r);
        }
    };
    r.files = manifest.files.len();
    let listed: BTreeMap<&str, (u64, &str)> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), (f.size, f.sha256.as_str())))
        .collect();
    for (path, (size, sha)) in &listed {
        match contents.files.get(*path) {
            None => r.missing.push(path.to_string()),
            Some((s, h)) if s != size || h != sha => r.changed.push(path.to_string()),
            _ => {}
        }
    }
    for path in contents.files.keys() {
        if !listed.contains_key(path.as_str()) {
            r.extra.push(path.clone());
        }
    }
    let recomputed = Manifest::digest_of(&manifest.files);
    r.digest_ok = recomputed == manifest.package_digest;
    if !r.digest_ok {
        r.problems
            .push("the manifest's package_digest does not match its file list".into());
    }
    r.signature = match (&contents.signature, key) {
        (Some(sig), k) => Some(sign::check(&manifest_bytes, sig, k)),
        (None, Some(_)) => Some(SigCheck::Bad(format!(
            "{SIG_FILE} is missing: the package is not signed"
        ))),
        (None, None) => None,
    };
    Ok(r)
}
