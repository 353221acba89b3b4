//! From a scan to proposed attestations: for every control one of whose
//! checks the scan ran, all PASS → implemented; any FAIL →
//! partially-implemented, each failing resource listed, with an exception
//! stub to complete; MANUAL only → no attestation, a note. Muted or
//! suppressed failures count as failures unless an open exception of the
//! control with an owner, a remediation date on or after the scan and the
//! check in its `checks:` covers them.

use super::output::{Entry, EvidenceEntry, ExceptionEntry};
use super::{CheckResult, Scan, MAX_LISTED};
use crate::load::raw::AttestationsFile;
use crate::load::Parsed;
use crate::srm::Status;
use crate::validate::checks::Scanner;
use crate::validate::Control;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// An exception that may cover muted findings.
#[derive(Debug, Clone)]
pub struct Cover {
    pub id: String,
    pub control: String,
    pub checks: Vec<String>,
    pub due: NaiveDate,
}

/// The exceptions of the period's attestations that can cover muted
/// findings: open, with an owner and named checks.
pub fn covers(files: &[Parsed<AttestationsFile>]) -> Vec<Cover> {
    let mut out = Vec::new();
    for a in files.iter().flat_map(|f| f.value.attestations.iter()) {
        for x in &a.exceptions {
            let owned = x.owner.as_deref().is_some_and(|o| !o.trim().is_empty());
            let due = crate::validate::dates::parse_ymd(x.remediation_due.value.trim());
            if let (true, None, Ok(due)) = (owned, &x.closed, due) {
                out.push(Cover {
                    id: x.id.value.clone(),
                    control: a.control.value.clone(),
                    checks: x.checks.iter().map(|c| c.value.clone()).collect(),
                    due,
                });
            }
        }
    }
    out
}

/// What a scan proposes.
#[derive(Debug, Default)]
pub struct Proposals {
    pub entries: Vec<Entry>,
    /// Controls with MANUAL results only, and their checks.
    pub manual: Vec<(String, Vec<String>)>,
}

/// One check of a control as the scan saw it.
struct Seen<'a> {
    id: &'a str,
    result: &'a CheckResult,
    /// The exception covering its muted failures.
    cover: Option<&'a str>,
}

impl Seen<'_> {
    /// Failures that count: all, or the unmuted ones when covered.
    fn failing(&self) -> u64 {
        match self.cover {
            Some(_) => self.result.fail - self.result.muted,
            None => self.result.fail,
        }
    }
}

/// Propose attestations for every control the scan has results for.
pub fn propose(scan: &Scan, controls: &[Control], covers: &[Cover]) -> Proposals {
    let mut out = Proposals::default();
    let Some(date) = scan.date() else {
        return out;
    };
    for c in controls {
        let mut seen = Vec::new();
        for s in Scanner::ALL {
            for id in c.checks.of(s) {
                let Some(result) = scan.checks.get(&(s, id.clone())) else {
                    continue;
                };
                let cover = covers
                    .iter()
                    .find(|x| x.control == c.id && x.due >= date && x.checks.contains(id))
                    .map(|x| x.id.as_str());
                seen.push(Seen { id, result, cover });
            }
        }
        if seen.is_empty() {
            continue;
        }
        if seen.iter().all(|s| s.result.pass + s.result.fail == 0) {
            out.manual.push((
                c.id.clone(),
                seen.iter().map(|s| s.id.to_string()).collect(),
            ));
            continue;
        }
        out.entries.push(entry(scan, date, c, &seen));
    }
    out
}

fn entry(scan: &Scan, date: NaiveDate, c: &Control, seen: &[Seen]) -> Entry {
    let failing: Vec<&Seen> = seen.iter().filter(|s| s.failing() > 0).collect();
    let tool = scan.format.title();
    let path = scan.stored_path();
    let counts: Vec<String> = seen
        .iter()
        .map(|s| {
            let n = s.result.pass + s.result.fail + s.result.manual;
            format!("{} ({n} result{})", s.id, if n == 1 { "" } else { "s" })
        })
        .collect();
    let exceptions = if failing.is_empty() {
        Vec::new()
    } else {
        let n: u64 = failing.iter().map(|s| s.failing()).sum();
        vec![ExceptionEntry {
            id: format!("SCAN-{}-{}", c.id, &scan.sha256[..8]),
            description: format!(
                "TO COMPLETE: {n} failing result{} in the {tool} scan of {date}. Say why, who owns \
                 the fix (owner) and by when (remediation_due), or fix and scan again.",
                if n == 1 { "" } else { "s" }
            ),
            remediation_due: date.to_string(),
            closed: None,
            owner: None,
            checks: failing.iter().map(|s| s.id.to_string()).collect(),
        }]
    };
    Entry {
        control: c.id.clone(),
        status: if failing.is_empty() {
            Status::Implemented
        } else {
            Status::PartiallyImplemented
        }
        .as_str()
        .into(),
        attested_by: format!("{tool} scan, proposed by auditpack ingest"),
        date: date.to_string(),
        valid_until: None,
        narrative: narrative(scan, date, seen),
        evidence: vec![EvidenceEntry {
            id: None,
            path: Some(path),
            url: None,
            sha256: Some(scan.sha256.clone()),
            description: Some(format!("{tool} scan {date}: {}", counts.join(", "))),
        }],
        exceptions,
    }
}

fn narrative(scan: &Scan, date: NaiveDate, seen: &[Seen]) -> String {
    let accounts: Vec<&str> = scan.accounts.iter().map(String::as_str).collect();
    let mut s = format!("{} scan of {date}", scan.format.title());
    if !accounts.is_empty() {
        let _ = write!(s, ", account {}", accounts.join(", "));
    }
    let fails = seen.iter().filter(|x| x.failing() > 0).count();
    let _ = writeln!(
        s,
        ": {} of the control's checks ran, {}.\n",
        seen.len(),
        match fails {
            0 => "all passed".to_string(),
            n => format!("{n} with failing resources"),
        }
    );
    for x in seen {
        let r = x.result;
        let _ = write!(s, "- `{}`: {} PASS, {} FAIL", x.id, r.pass, r.fail);
        if r.muted > 0 {
            let _ = write!(s, " ({} muted", r.muted);
            match x.cover {
                Some(id) => {
                    let _ = write!(s, ", covered by exception {id})");
                }
                None => s.push_str(", counted as failing)"),
            }
        }
        if r.manual > 0 {
            let _ = write!(s, ", {} MANUAL", r.manual);
        }
        s.push('\n');
        for res in &r.failing {
            let muted = if r.muted_resources.contains(res) {
                " (muted)"
            } else {
                ""
            };
            let _ = writeln!(s, "  - failing: `{res}`{muted}");
        }
        if r.failing.len() == MAX_LISTED && r.fail > MAX_LISTED as u64 {
            let _ = writeln!(
                s,
                "  - … {} failing results in all; the first {MAX_LISTED} resources by name are listed",
                r.fail
            );
        }
    }
    s
}
