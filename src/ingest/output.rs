//! The attestation file `ingest` owns (`attestations/<period>/scans.yaml`):
//! its entries, read back from an earlier ingest and written again in a
//! fixed order and layout, so that the same scans give the same bytes.

use super::{IngestError, MARKER};
use crate::load::raw::{AttestationRaw, AttestationsFile};
use std::fmt::Write as _;
use std::path::Path;

/// One attestation as the file holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub control: String,
    pub status: String,
    pub attested_by: String,
    pub date: String,
    pub valid_until: Option<String>,
    pub narrative: String,
    pub evidence: Vec<EvidenceEntry>,
    pub exceptions: Vec<ExceptionEntry>,
}

/// One evidence entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceEntry {
    pub id: Option<String>,
    pub path: Option<String>,
    pub url: Option<String>,
    pub sha256: Option<String>,
    pub description: Option<String>,
}

/// One exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExceptionEntry {
    pub id: String,
    pub description: String,
    pub remediation_due: String,
    pub closed: Option<String>,
    pub owner: Option<String>,
    pub checks: Vec<String>,
}

impl Entry {
    /// The scan this entry was proposed from: its first `scans/` evidence path.
    pub fn scan(&self) -> Option<&str> {
        self.evidence
            .iter()
            .filter_map(|e| e.path.as_deref())
            .find(|p| p.starts_with("scans/"))
    }

    fn from_raw(a: &AttestationRaw) -> Entry {
        Entry {
            control: a.control.value.clone(),
            status: a.status.value.clone(),
            attested_by: a.attested_by.clone(),
            date: a.date.value.clone(),
            valid_until: a.valid_until.as_ref().map(|v| v.value.clone()),
            narrative: a.narrative.clone().unwrap_or_default(),
            evidence: a
                .evidence
                .iter()
                .map(|e| EvidenceEntry {
                    id: e.id.clone(),
                    path: e.path.as_ref().map(|v| v.value.clone()),
                    url: e.url.as_ref().map(|v| v.value.clone()),
                    sha256: e.sha256.as_ref().map(|v| v.value.clone()),
                    description: e.description.clone(),
                })
                .collect(),
            exceptions: a
                .exceptions
                .iter()
                .map(|x| ExceptionEntry {
                    id: x.id.value.clone(),
                    description: x.description.clone(),
                    remediation_due: x.remediation_due.value.clone(),
                    closed: x.closed.as_ref().map(|v| v.value.clone()),
                    owner: x.owner.clone(),
                    checks: x.checks.iter().map(|c| c.value.clone()).collect(),
                })
                .collect(),
        }
    }
}

/// The entries of the file at `path`: none when it does not exist. A file
/// that `ingest` did not write (no marker on its first line) is refused.
pub fn existing(path: &Path) -> Result<Option<(String, Vec<Entry>)>, IngestError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(IngestError::Io {
                file: crate::load::files::display(path),
                source,
            })
        }
    };
    if !text.starts_with(MARKER) {
        return Err(IngestError::refused(
            path,
            "was not written by `auditpack ingest` (no marker on its first line); \
             it is never overwritten: give another file with --out",
        ));
    }
    let name = crate::load::files::display(path);
    let file: AttestationsFile = crate::load::yaml::parse(&name, &text)
        .map_err(|d| IngestError::refused(path, format!("cannot be read back: {}", d.message)))?;
    let entries = file.attestations.iter().map(Entry::from_raw).collect();
    Ok(Some((text, entries)))
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML).
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The file's text: the marker, a note, then every entry sorted by
/// control, date and scan.
pub fn render(entries: &[Entry]) -> String {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by(|a, b| (&a.control, &a.date, a.scan()).cmp(&(&b.control, &b.date, b.scan())));
    let mut s = format!(
        "{MARKER}\n# `auditpack ingest` rewrites this file and no other. Each entry is a proposal:\n\
         # review it, complete its exception stub, and sign off in your own attestation files.\n\n\
         attestations:\n"
    );
    if sorted.is_empty() {
        s.truncate(s.len() - 1);
        s.push_str(" []\n");
    }
    for e in sorted {
        entry(&mut s, e);
    }
    s
}

fn entry(s: &mut String, e: &Entry) {
    let _ = writeln!(s, "  - control: {}", q(&e.control));
    let _ = writeln!(s, "    status: {}", e.status);
    let _ = writeln!(s, "    attested_by: {}", q(&e.attested_by));
    let _ = writeln!(s, "    date: {}", e.date);
    if let Some(v) = &e.valid_until {
        let _ = writeln!(s, "    valid_until: {v}");
    }
    if !e.narrative.trim().is_empty() {
        s.push_str("    narrative: |\n");
        for line in e.narrative.trim_end().lines() {
            // Blank lines inside a block scalar carry no indentation.
            match line.trim_end() {
                "" => s.push('\n'),
                l => {
                    let _ = writeln!(s, "      {l}");
                }
            }
        }
    }
    if !e.evidence.is_empty() {
        s.push_str("    evidence:\n");
    }
    for v in &e.evidence {
        let mut first = true;
        let mut field = |k: &str, val: &Option<String>| {
            if let Some(val) = val {
                let lead = if first { "      - " } else { "        " };
                first = false;
                let _ = writeln!(s, "{lead}{k}: {}", q(val));
            }
        };
        field("id", &v.id);
        field("path", &v.path);
        field("url", &v.url);
        field("sha256", &v.sha256);
        field("description", &v.description);
    }
    if !e.exceptions.is_empty() {
        s.push_str("    exceptions:\n");
    }
    for x in &e.exceptions {
        let _ = writeln!(s, "      - id: {}", q(&x.id));
        let _ = writeln!(s, "        description: {}", q(&x.description));
        let _ = writeln!(s, "        remediation_due: {}", x.remediation_due);
        if let Some(c) = &x.closed {
            let _ = writeln!(s, "        closed: {c}");
        }
        if let Some(o) = &x.owner {
            let _ = writeln!(s, "        owner: {}", q(o));
        }
        if !x.checks.is_empty() {
            let ids: Vec<String> = x.checks.iter().map(|c| q(c)).collect();
            let _ = writeln!(s, "        checks: [{}]", ids.join(", "));
        }
    }
}
