//! `check`: a control whose latest attestation proposed by `ingest` and
//! latest human-written one (same period) disagree on the status.

use super::MARKER;
use crate::diag::{Code, Diagnostic, Severity, Sources};
use crate::validate::Attestation;
use std::collections::BTreeMap;

/// True when the attestation comes from a file `ingest` wrote.
fn ingested(a: &Attestation, sources: &Sources) -> bool {
    a.span
        .as_ref()
        .is_some_and(|s| sources.line(&s.file, 1) == Some(MARKER))
}

/// One warning per control whose ingested and human attestations differ.
pub fn find(attestations: &[Attestation], sources: &Sources) -> Vec<Diagnostic> {
    // Per control: (latest human, latest ingested).
    let mut latest: BTreeMap<&str, [Option<&Attestation>; 2]> = BTreeMap::new();
    for a in attestations {
        let slot =
            &mut latest.entry(a.control.as_str()).or_default()[usize::from(ingested(a, sources))];
        if slot.is_none_or(|s| a.date >= s.date) {
            *slot = Some(a);
        }
    }
    let mut out = Vec::new();
    for (control, pair) in latest {
        let [Some(human), Some(scan)] = pair else {
            continue;
        };
        if human.status == scan.status {
            continue;
        }
        let at = human
            .span
            .as_ref()
            .map(|s| format!(" ({s})"))
            .unwrap_or_default();
        out.push(
            Diagnostic::finding(
                Code::IngestConflict,
                Severity::Warning,
                format!(
                    "control `{control}`: the scan of {} proposes {}, the attestation of {}{at} says {}",
                    scan.date, scan.status, human.date, human.status
                ),
            )
            .at(scan.span.clone())
            .hint("review the scan's results and keep one of the two; the latest dated one counts"),
        );
    }
    out
}
