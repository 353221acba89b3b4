use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = auditpack::cli::Cli::parse();
    ExitCode::from(auditpack::cli::run(cli))
}
