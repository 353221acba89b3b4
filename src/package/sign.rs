//! Ed25519 signatures of `manifest.json`, in OpenSSH's SSHSIG format
//! (namespace `auditpack`), checkable with `ssh-keygen -Y verify`.

use ssh_key::{rand_core::OsRng, Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use std::path::Path;

/// The SSHSIG namespace of auditpack signatures.
pub const NAMESPACE: &str = "auditpack";

/// The signature file beside the manifest.
pub const SIG_FILE: &str = "manifest.json.sig";

/// A signing or key problem.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("{path}: {message}")]
    Key { path: String, message: String },
    #[error("{0}")]
    KeyGeneration(ssh_key::Error),
    #[error("{0}")]
    Signing(ssh_key::Error),
}

fn key_err(path: &Path, e: impl std::fmt::Display) -> SignError {
    SignError::Key {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Make a key pair: `path` (private, mode 0600) and `path.pub`.
pub fn keygen(path: &Path, comment: &str) -> Result<String, SignError> {
    let pub_path = public_path(path);
    for p in [path, pub_path.as_path()] {
        if std::fs::symlink_metadata(p).is_ok() {
            return Err(key_err(p, "exists already; refusing to overwrite a key"));
        }
    }
    let mut key =
        PrivateKey::random(&mut OsRng, Algorithm::Ed25519).map_err(SignError::KeyGeneration)?;
    key.set_comment(comment);
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| key_err(path, e))?;
    write_private(path, text.as_bytes()).map_err(|e| key_err(path, e))?;
    let public = key
        .public_key()
        .to_openssh()
        .map_err(|e| key_err(path, e))?;
    write_new(&pub_path, format!("{public}\n").as_bytes()).map_err(|e| key_err(&pub_path, e))?;
    Ok(public)
}

/// `KEY` → `KEY.pub`.
pub fn public_path(path: &Path) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".pub");
    s.into()
}

/// Write a file that must not exist yet.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_new(path, bytes)
}

/// A warning when a private key file can be read by others.
pub fn permission_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} is readable by others (mode {:o}): `chmod 600 {}`",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    let _ = path;
    None
}

/// Read a private key (unencrypted OpenSSH format, Ed25519).
pub fn read_private(path: &Path) -> Result<PrivateKey, SignError> {
    let text = std::fs::read_to_string(path).map_err(|e| key_err(path, e))?;
    let key = PrivateKey::from_openssh(text)
        .map_err(|e| key_err(path, format!("not an OpenSSH private key ({e})")))?;
    if key.is_encrypted() {
        return Err(key_err(
            path,
            "is encrypted; auditpack needs an unencrypted key",
        ));
    }
    if key.algorithm() != Algorithm::Ed25519 {
        return Err(key_err(path, "is not an Ed25519 key"));
    }
    Ok(key)
}

/// Sign a manifest: the PEM text of the SSHSIG signature.
pub fn sign(key: &PrivateKey, manifest: &[u8]) -> Result<String, SignError> {
    let sig = key
        .sign(NAMESPACE, HashAlg::Sha512, manifest)
        .map_err(SignError::Signing)?;
    sig.to_pem(LineEnding::LF).map_err(SignError::Signing)
}

/// Read a public key (`ssh-ed25519 AAAA… comment`).
pub fn read_public(path: &Path) -> Result<PublicKey, SignError> {
    let text = std::fs::read_to_string(path).map_err(|e| key_err(path, e))?;
    PublicKey::from_openssh(text.trim())
        .map_err(|e| key_err(path, format!("not an OpenSSH public key ({e})")))
}

/// What checking a signature found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SigCheck {
    /// Valid, by the given trusted key.
    Valid { fingerprint: String },
    /// Valid for the key inside the signature, but no trusted key was given.
    Unchecked { fingerprint: String },
    /// Not a valid signature of this manifest (or by another key).
    Bad(String),
}

/// Check `sig_pem` over `manifest`, against `trusted` when given.
pub fn check(manifest: &[u8], sig_pem: &str, trusted: Option<&PublicKey>) -> SigCheck {
    let sig = match SshSig::from_pem(sig_pem) {
        Ok(s) => s,
        Err(e) => {
            return SigCheck::Bad(format!("the signature file is not an SSH signature ({e})"))
        }
    };
    let embedded = PublicKey::from(sig.public_key().clone());
    let fingerprint = embedded.fingerprint(HashAlg::Sha256).to_string();
    if let Some(t) = trusted {
        if t.key_data() != sig.public_key() {
            return SigCheck::Bad(format!(
                "signed by {fingerprint}, not by the given key {}",
                t.fingerprint(HashAlg::Sha256)
            ));
        }
    }
    match embedded.verify(NAMESPACE, manifest, &sig) {
        Ok(()) if trusted.is_some() => SigCheck::Valid { fingerprint },
        Ok(()) => SigCheck::Unchecked { fingerprint },
        Err(e) => SigCheck::Bad(format!("the signature does not match manifest.json ({e})")),
    }
}
