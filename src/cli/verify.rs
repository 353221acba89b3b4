//! `auditpack verify`: check a package against its manifest and signature.

use super::{output, CliError};
use crate::package::sign::{self, SigCheck};
use std::path::PathBuf;

/// Re-hash every file of a package (folder or zip) against manifest.json:
/// missing, extra and changed files; check the signature.
///
/// Exit code 1 when anything is wrong, or when --key is given and the
/// package is not signed by that key.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack verify out/acme.zip --key signing-key.pub\n  auditpack verify out/acme"
)]
pub struct Args {
    /// The package folder or its zip.
    pub package: PathBuf,
    /// The signer's public key (KEY.pub); without it the signature is only checked for integrity.
    #[arg(long, value_name = "PUB")]
    pub key: Option<PathBuf>,
}

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    if !a.package.exists() {
        return Err(CliError::usage_or_io(format!(
            "{}: no such package",
            a.package.display()
        )));
    }
    let key = a.key.as_deref().map(sign::read_public).transpose()?;
    let r = crate::package::verify::verify(&a.package, key.as_ref())
        .map_err(|e| CliError::invalid(e).context(a.package.display()))?;
    let mut lines = Vec::new();
    for p in &r.problems {
        lines.push(format!("error: {p}"));
    }
    for f in &r.missing {
        lines.push(format!("missing: {f}"));
    }
    for f in &r.changed {
        lines.push(format!("changed: {f}"));
    }
    for f in &r.extra {
        lines.push(format!("extra: {f}"));
    }
    match &r.signature {
        Some(SigCheck::Valid { fingerprint }) => lines.push(format!("signature: valid, by {fingerprint}")),
        Some(SigCheck::Unchecked { fingerprint }) => lines.push(format!(
            "signature: intact, made by {fingerprint}; pass --key to check that it is the key you trust"
        )),
        Some(SigCheck::Bad(why)) => lines.push(format!("signature: BAD: {why}")),
        None => lines.push("signature: none (the package is not signed)".into()),
    }
    let ok = r.ok();
    if ok {
        if !quiet {
            lines.push(format!(
                "{}: OK, {} files match manifest.json",
                a.package.display(),
                r.files
            ));
        }
    } else {
        lines.push(format!("{}: FAILED verification", a.package.display()));
    }
    if !quiet || !ok {
        output::data(&(lines.join("\n") + "\n"));
    }
    if ok {
        Ok(())
    } else {
        Err(CliError::reported(super::error::INVALID))
    }
}
