//! `auditpack man`: the manual page (roff), from the same definition as the
//! command line itself.

use super::{output, CliError};
use clap::CommandFactory;

/// Print the manual page of auditpack, or of one subcommand, to stdout.
#[derive(Debug, clap::Args)]
#[command(after_help = "Example:\n  auditpack man > auditpack.1 && man ./auditpack.1")]
pub struct Args {
    /// The page of this subcommand (e.g. `build`) [default: the main page].
    pub command: Option<String>,
}

pub fn execute(a: Args) -> Result<(), CliError> {
    let cmd = super::Cli::command();
    let man = match &a.command {
        None => clap_mangen::Man::new(cmd),
        Some(name) => match cmd.find_subcommand(name) {
            Some(sub) => clap_mangen::Man::new(sub.clone()).title(format!("auditpack-{name}")),
            None => {
                return Err(CliError::usage_or_io(format!(
                    "`{name}` is not an auditpack command"
                )))
            }
        },
    };
    let mut out = Vec::new();
    man.render(&mut out)
        .map_err(|e| CliError::usage_or_io(e).context("man page"))?;
    output::data(&String::from_utf8_lossy(&out));
    Ok(())
}
