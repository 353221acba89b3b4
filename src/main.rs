use clap::Parser;
use std::process::ExitCode;

/// mimalloc: the build allocates and frees millions of small template values
/// from several threads, where glibc's allocator spent a sixth of the CPU time
/// (perf, L build). Why `no_thp`: see Cargo.toml.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = auditpack::cli::Cli::parse();
    ExitCode::from(auditpack::cli::run(cli))
}
