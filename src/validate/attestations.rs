//! Validate attestations and their evidence. Evidence files are checked to
//! stay inside the evidence root and hashed once, in parallel.

use super::dates;
use super::types::{Attestation, Control, Evidence, Exception};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::load::files;
use crate::load::raw::{AttestationsFile, Text};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::srm::Status;
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A checked evidence file: size and SHA-256.
#[derive(Debug, Clone)]
pub struct FileDigest {
    pub size: u64,
    pub sha256: String,
}

/// Validate every attestation. Returns them sorted by control and date, and
/// the digest of every evidence file they reference (by relative path).
pub fn attestations(
    files_in: &[Parsed<AttestationsFile>],
    controls: &[Control],
    evidence_root: &Path,
    hashing: &crate::hashing::Options,
    diags: &mut Diagnostics,
) -> (Vec<Attestation>, BTreeMap<String, FileDigest>) {
    let by_id: HashMap<&str, &Control> = controls.iter().map(|c| (c.id.as_str(), c)).collect();
    unique_exception_ids(files_in, diags);

    // First pass: every evidence path, checked for where it points (the
    // file system is asked once per path, in parallel).
    let mut entries: Vec<(&str, &Text, String)> = Vec::new();
    for f in files_in {
        for a in &f.value.attestations {
            for p in a.evidence.iter().filter_map(|e| e.path.as_ref()) {
                match rel_of(&p.value) {
                    Ok(rel) => entries.push((&f.file, p, rel)),
                    Err(why) => diags.push(escapes(&f.file, p, why)),
                }
            }
        }
    }
    let mut unique: Vec<&str> = entries.iter().map(|e| e.2.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    let fulls: Vec<PathBuf> = unique.iter().map(|r| evidence_root.join(r)).collect();
    let found = files::PathGuard::new(evidence_root).check_all(&fulls);
    let found: HashMap<&str, (&PathBuf, &(files::Found, Option<std::fs::Metadata>))> = unique
        .iter()
        .zip(fulls.iter().zip(&found))
        .map(|(r, f)| (*r, f))
        .collect();
    let mut wanted: BTreeMap<String, (PathBuf, crate::hashing::Stamp)> = BTreeMap::new();
    for (file, p, rel) in &entries {
        let (full, (kind, meta)) = found[rel.as_str()];
        match kind {
            files::Found::File => {
                let stamp = meta.as_ref().and_then(crate::hashing::stamp_of);
                wanted.insert(rel.clone(), (full.clone(), stamp));
            }
            files::Found::Symlink => diags.push(escapes(file, p, "goes through a symbolic link")),
            files::Found::Special => diags.push(
                Diagnostic::error(
                    Code::Io,
                    format!("evidence `{}` is not a regular file", p.value),
                )
                .at(span(file, p))
                .hint("evidence is a file; a FIFO, socket or device cannot be hashed or copied"),
            ),
            files::Found::Missing => diags.push(
                Diagnostic::error(
                    Code::EvidenceMissing,
                    format!(
                        "evidence `{}` does not exist under {}",
                        p.value,
                        files::display(evidence_root)
                    ),
                )
                .at(span(file, p)),
            ),
        }
    }
    let hashed = crate::hashing::hash_all(evidence_root, &wanted, hashing);
    let mut digests = BTreeMap::new();
    let mut unreadable = BTreeMap::new();
    for (rel, r) in hashed {
        match r {
            Ok((size, sha256)) => {
                digests.insert(rel, FileDigest { size, sha256 });
            }
            Err(e) => {
                unreadable.insert(rel, e.to_string());
            }
        }
    }

    let mut out = Vec::new();
    for f in files_in {
        let file = f.file.as_str();
        for a in &f.value.attestations {
            let control = by_id.get(a.control.value.as_str()).copied();
            if control.is_none() {
                diags.push(
                    Diagnostic::error(
                        Code::UnknownControl,
                        format!("no control `{}` in the inventory", a.control.value),
                    )
                    .at(span(file, &a.control))
                    .maybe_hint(did_you_mean(&a.control.value, by_id.keys().copied())),
                );
            }
            let status = Status::parse(&a.status.value);
            if status.is_none() {
                diags.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("unknown status `{}`", a.status.value),
                    )
                    .at(span(file, &a.status))
                    .maybe_hint(
                        did_you_mean(&a.status.value, Status::names()).or_else(|| {
                            Some(format!(
                                "one of: {}",
                                Status::names().collect::<Vec<_>>().join(", ")
                            ))
                        }),
                    ),
                );
            }
            let date = dates::date(file, &a.date, "date", diags);
            let valid_until = a
                .valid_until
                .as_ref()
                .map(|v| (v, dates::date(file, v, "valid_until", diags)));
            let mut evidence = Vec::new();
            for e in &a.evidence {
                let description = e.description.clone().unwrap_or_default();
                match (&e.path, &e.url) {
                    (Some(p), None) => {
                        let Ok(rel) = rel_of(&p.value) else { continue };
                        if let Some(why) = unreadable.get(&rel) {
                            diags.push(
                                Diagnostic::error(
                                    Code::Io,
                                    format!("evidence `{}` cannot be read: {why}", p.value),
                                )
                                .at(span(file, p)),
                            );
                            continue;
                        }
                        let Some(d) = digests.get(&rel) else { continue };
                        if let Some(want) = &e.sha256 {
                            if !want.value.trim().eq_ignore_ascii_case(&d.sha256) {
                                diags.push(
                                    Diagnostic::error(
                                        Code::EvidenceHash,
                                        format!("evidence `{}` does not match its sha256", p.value),
                                    )
                                    .at(span(file, want))
                                    .hint(format!("the file's SHA-256 is {}", d.sha256)),
                                );
                            }
                        }
                        evidence.push(Evidence::File {
                            path: rel,
                            description,
                            size: d.size,
                            sha256: d.sha256.clone(),
                            id: e.id.clone(),
                        });
                    }
                    (None, Some(u)) => {
                        let url = u.value.trim();
                        if !(url.starts_with("https://") || url.starts_with("http://"))
                            || url
                                .chars()
                                .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
                        {
                            diags.push(
                                Diagnostic::error(
                                    Code::BadValue,
                                    format!("evidence url `{url}` is not an http(s) address"),
                                )
                                .at(span(file, u)),
                            );
                            continue;
                        }
                        evidence.push(Evidence::Url {
                            url: url.to_string(),
                            description,
                            id: e.id.clone(),
                        });
                    }
                    (Some(p), Some(_)) => diags.push(
                        Diagnostic::error(
                            Code::BadValue,
                            "an evidence entry has both `path` and `url`; give one",
                        )
                        .at(span(file, p)),
                    ),
                    (None, None) => diags.push(
                        Diagnostic::error(
                            Code::BadValue,
                            "an evidence entry needs `path` or `url`",
                        )
                        .at(span(file, &a.control)),
                    ),
                }
            }
            let mut exceptions = Vec::new();
            for x in &a.exceptions {
                let due = dates::date(file, &x.remediation_due, "remediation_due", diags);
                let closed = x
                    .closed
                    .as_ref()
                    .map(|c| dates::date(file, c, "closed", diags));
                let opened = x
                    .opened
                    .as_ref()
                    .map(|c| dates::date(file, c, "opened", diags));
                let bad = matches!(closed, Some(None)) || matches!(opened, Some(None));
                if let (Some(due), false) = (due, bad) {
                    exceptions.push(Exception {
                        id: x.id.value.clone(),
                        description: x.description.trim_end().to_string(),
                        remediation_due: due,
                        closed: closed.flatten(),
                        compensating_control: x
                            .compensating_control
                            .as_ref()
                            .map(|c| c.trim_end().to_string())
                            .filter(|c| !c.is_empty()),
                        opened: opened.flatten(),
                        owner: x.owner.clone().filter(|o| !o.trim().is_empty()),
                        span: span(file, &x.id),
                    });
                }
            }
            let (Some(control), Some(status), Some(date)) = (control, status, date) else {
                continue;
            };
            let valid_until = match valid_until {
                None => control.frequency.valid_until(date),
                Some((_, Some(v))) => v,
                Some((_, None)) => continue,
            };
            if valid_until < date {
                diags.push(
                    Diagnostic::error(
                        Code::BadDate,
                        format!("valid_until {valid_until} is before the attestation date {date}"),
                    )
                    .at(a.valid_until.as_ref().and_then(|v| span(file, v))),
                );
                continue;
            }
            out.push(Attestation {
                control: control.id.clone(),
                status,
                attested_by: a.attested_by.trim().to_string(),
                date,
                valid_until,
                narrative: a
                    .narrative
                    .clone()
                    .unwrap_or_default()
                    .trim_end()
                    .to_string(),
                evidence,
                exceptions,
                span: span(file, &a.control),
            });
        }
    }
    out.sort_by(|a, b| {
        a.control
            .cmp(&b.control)
            .then(a.date.cmp(&b.date))
            .then(a.span.as_ref().map(key).cmp(&b.span.as_ref().map(key)))
    });
    (out, digests)
}

/// An exception id names one exception of one control: the same id under
/// another control (or twice in one attestation) is an error, located at
/// the second use. A later attestation of the same control may restate it.
fn unique_exception_ids(files_in: &[Parsed<AttestationsFile>], diags: &mut Diagnostics) {
    let mut first: HashMap<&str, (&str, Option<Span>)> = HashMap::new();
    for f in files_in {
        for a in &f.value.attestations {
            let mut here = std::collections::HashSet::new();
            for x in &a.exceptions {
                let id = x.id.value.as_str();
                let control = a.control.value.as_str();
                let clash = match first.get(id) {
                    Some((c, at)) if *c != control => Some(format!(
                        "exception id `{id}` is already used by control `{c}`{}",
                        at.as_ref().map(|s| format!(" at {s}")).unwrap_or_default()
                    )),
                    _ if !here.insert(id) => Some(format!(
                        "exception id `{id}` appears twice in this attestation"
                    )),
                    _ => None,
                };
                match clash {
                    Some(message) => diags.push(
                        Diagnostic::error(Code::DuplicateId, message)
                            .at(span(&f.file, &x.id))
                            .hint(
                                "exception ids are unique in a project: give this one its own id",
                            ),
                    ),
                    None => {
                        first
                            .entry(id)
                            .or_insert_with(|| (control, span(&f.file, &x.id)));
                    }
                }
            }
        }
    }
}

fn key(s: &Span) -> (String, u32) {
    (s.file.clone(), s.line)
}

/// The normalised relative path of an evidence entry (`/`-separated).
fn rel_of(p: &str) -> Result<String, &'static str> {
    files::inside(Path::new(""), p).map(|full| full.to_string_lossy().replace('\\', "/"))
}

/// An evidence path that leaves the evidence root.
fn escapes(file: &str, p: &Text, why: &str) -> Diagnostic {
    Diagnostic::error(
        Code::EvidenceEscapes,
        format!("evidence path `{}` {why}", p.value),
    )
    .at(span(file, p))
    .hint("evidence paths are relative to evidence_root and must stay inside it")
}
