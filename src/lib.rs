//! auditpack turns a compliance repository — a control inventory, attestation
//! files and evidence — into an audit package built around the cloud Shared
//! Responsibility Model.
//!
//! The pipeline, one module per stage:
//! [`load`] → [`validate`] → [`resolve`] (into the [`model`]) → [`render`] →
//! [`package`]. [`pipeline`] runs the first three; [`cli`] drives it all.

pub mod cache;
pub mod cli;
pub mod diag;
pub mod diff;
pub mod fsio;
pub mod hashing;
pub mod import;
pub mod ingest;
pub mod load;
pub mod model;
pub mod package;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod resolve;
pub mod sha256;
pub mod srm;
pub mod suggest;
pub mod synth;
pub mod timings;
pub mod validate;
pub mod values;
