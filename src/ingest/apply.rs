//! Plan an ingest (what the attestation file becomes, where each scan is
//! stored) without writing, then write it: the scans first, the
//! attestation file last, each atomically. A second ingest of the same
//! scans plans no change.

use super::output::{self, Entry};
use super::propose::{self, Cover};
use super::store::{self, Placement};
use super::{IngestError, Scan};
use crate::validate::Control;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// What an ingest will do.
#[derive(Debug)]
pub struct Plan {
    pub out: PathBuf,
    /// The file's new text, when it changes.
    pub text: Option<String>,
    /// Scans to store (already-present ones included, not copied again).
    pub stores: Vec<(Scan, Placement)>,
    /// Per scan: its stored path, the entries proposed, the controls with
    /// MANUAL results only, and whether it was ingested before.
    pub reports: Vec<ScanReport>,
}

/// What one scan gave.
#[derive(Debug)]
pub struct ScanReport {
    pub source: PathBuf,
    pub stored: String,
    pub date: NaiveDate,
    pub proposed: Vec<(String, String)>,
    pub manual: Vec<(String, Vec<String>)>,
    pub already: bool,
}

/// Plan the ingest of `scans` into the attestation file `out`.
pub fn plan(
    scans: Vec<Scan>,
    controls: &[Control],
    covers: &[Cover],
    evidence_root: &Path,
    out: &Path,
    as_of: NaiveDate,
) -> Result<Plan, IngestError> {
    let existing = output::existing(out)?;
    let (old_text, mut entries): (Option<String>, Vec<Entry>) = match existing {
        Some((t, e)) => (Some(t), e),
        None => (None, Vec::new()),
    };
    let mut stores = Vec::new();
    let mut reports = Vec::new();
    for scan in scans {
        let Some(date) = scan.date() else {
            return Err(IngestError::refused(
                &scan.source,
                "no finding carries a time: the scan cannot be dated",
            ));
        };
        if date > as_of {
            return Err(IngestError::refused(
                &scan.source,
                format!("the scan is dated {date}, after the as-of date {as_of}"),
            ));
        }
        let stored = scan.stored_path();
        let already = entries.iter().any(|e| e.scan() == Some(stored.as_str()));
        let p = propose::propose(&scan, controls, covers);
        let proposed = p
            .entries
            .iter()
            .map(|e| (e.control.clone(), e.status.clone()))
            .collect();
        if !already {
            entries.extend(p.entries.iter().cloned());
        }
        if !p.entries.is_empty() {
            let placement = store::place(&scan, evidence_root)?;
            stores.push((scan.clone(), placement));
        }
        reports.push(ScanReport {
            source: scan.source.clone(),
            stored,
            date,
            proposed,
            manual: p.manual,
            already,
        });
    }
    let text = output::render(&entries);
    let changed = match &old_text {
        Some(t) => *t != text,
        None => !entries.is_empty(),
    };
    Ok(Plan {
        out: out.to_path_buf(),
        text: changed.then_some(text),
        stores,
        reports,
    })
}

impl Plan {
    /// True when the plan writes nothing.
    pub fn is_noop(&self) -> bool {
        self.text.is_none() && self.stores.iter().all(|(_, p)| p.present)
    }

    /// Store the scans, then write the attestation file.
    pub fn write(&self) -> Result<(), IngestError> {
        for (scan, p) in &self.stores {
            store::copy(scan, p)?;
        }
        if let Some(text) = &self.text {
            crate::fsio::write_file_atomic(&self.out, text.as_bytes()).map_err(|source| {
                IngestError::Io {
                    file: crate::load::files::display(&self.out),
                    source,
                }
            })?;
        }
        Ok(())
    }
}
