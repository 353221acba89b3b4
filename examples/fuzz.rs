//! The fuzz targets of `tests/support/fuzz.rs`, for as long as asked:
//!
//!     cargo run --release --example fuzz -- yaml 600
//!     cargo run --release --example fuzz -- zip 600
//!
//! Runs rounds of 1,000 generated cases with fresh seeds until the time is
//! up, then prints how many inputs were tried; stops at the first failure
//! with the (shrunk) input.

#[path = "../tests/support/fuzz.rs"]
mod targets;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let target = args.get(1).map(String::as_str).unwrap_or("yaml");
    let secs: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let started = std::time::Instant::now();
    let mut runs = 0u64;
    while started.elapsed().as_secs() < secs {
        let config = Config {
            cases: 1000,
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let result = match target {
            "yaml" => runner
                .run(
                    &prop_oneof![targets::mutated_yaml(), targets::random_yaml()],
                    |t| targets::load_yaml(&t),
                )
                .map_err(|e| e.to_string()),
            "zip" => runner
                .run(
                    &prop_oneof![
                        targets::forged_zip(),
                        prop::collection::vec(any::<u8>(), 0..512)
                    ],
                    |z| targets::verify_zip(&z),
                )
                .map_err(|e| e.to_string()),
            other => {
                say(&format!("unknown target {other}: yaml or zip"));
                std::process::exit(2);
            }
        };
        runs += 1000;
        if let Err(e) = result {
            say(&format!("{target}: FAILED after {runs} inputs: {e}"));
            std::process::exit(1);
        }
    }
    say(&format!(
        "{target}: {runs} inputs in {} s, no failure",
        started.elapsed().as_secs()
    ));
}

fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{line}");
}
