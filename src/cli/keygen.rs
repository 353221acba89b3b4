//! `auditpack keygen`: an Ed25519 key pair for signing packages.

use super::{output, CliError};
use std::path::PathBuf;

/// Make an Ed25519 key pair (OpenSSH format): KEY (private, mode 0600) and
/// KEY.pub (give this one to the auditor).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  auditpack keygen ~/.config/auditpack/signing-key --comment compliance@acme.example\n  auditpack build samples/acme -o out/acme --bundle --sign ~/.config/auditpack/signing-key"
)]
pub struct Args {
    /// Path of the private key to create (the public key goes to KEY.pub).
    pub key: PathBuf,
    /// Comment stored in the key, usually who signs.
    #[arg(long, default_value = "auditpack")]
    pub comment: String,
}

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    let public = crate::package::sign::keygen(&a.key, &a.comment)?;
    if !quiet {
        output::message(&format!(
            "wrote {} (private, keep it) and {} (public, give it to the auditor):\n{public}",
            a.key.display(),
            crate::package::sign::public_path(&a.key).display()
        ));
    }
    Ok(())
}
