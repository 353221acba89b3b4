//! Every integration test, in one binary: the test targets compile and link
//! once (not once per file), and the sample package that `support::sample`
//! builds is built once for all of them. Each file of `tests/` is a module;
//! run one with `cargo test --release --test integration MODULE::`.

mod support;

mod bad_input;
mod cli;
mod coverage;
mod fuzz;
mod handoff;
mod html;
mod ingest;
mod ingest_diff;
mod interop;
mod onboarding;
mod package;
mod pdf;
mod resolve;
mod safety;
mod sample;
mod srm_scope;
mod synth;
mod text;
mod validate;
