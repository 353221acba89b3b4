//! `auditpack completions`: a shell completion script, from the same
//! definition as the command line itself.

use super::{output, CliError};
use clap::CommandFactory;

/// Print the completion script of a shell to stdout.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack completions bash > ~/.local/share/bash-completion/completions/auditpack\n  auditpack completions zsh > ~/.zfunc/_auditpack\n  auditpack completions fish > ~/.config/fish/completions/auditpack.fish"
)]
pub struct Args {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn execute(a: Args) -> Result<(), CliError> {
    let mut cmd = super::Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "auditpack", &mut out);
    output::data(&String::from_utf8_lossy(&out));
    Ok(())
}
