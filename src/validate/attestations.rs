//! Validate attestations and their evidence. Evidence files are checked to
//! stay inside the evidence root and hashed once, in parallel.

use super::dates;
use super::types::{Attestation, Control, Evidence, Exception};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::load::files;
use crate::load::raw::{AttestationRaw, AttestationsFile, EvidenceRaw, ExceptionRaw, Text};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::srm::Status;
use crate::suggest::{did_you_mean, did_you_mean_or_one_of};
use rayon::prelude::*;
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
    let entries = evidence_paths(files_in, diags);
    let wanted = regular_files(&entries, evidence_root, diags);
    let hashed = Hashed::of(crate::hashing::hash_all(evidence_root, &wanted, hashing));
    let cx = Context {
        by_id: &by_id,
        hashed: &hashed,
    };
    // One file per task; the diagnostics are sorted when reported.
    let per_file: Vec<(Vec<Attestation>, Diagnostics)> = files_in
        .par_iter()
        .map(|f| {
            let mut d = Diagnostics::default();
            let valid = f
                .value
                .attestations
                .iter()
                .filter_map(|a| attestation(&f.file, a, &cx, &mut d))
                .collect();
            (valid, d)
        })
        .collect();
    let mut out = Vec::new();
    for (valid, d) in per_file {
        out.extend(valid);
        diags.extend(d.into_sorted());
    }
    out.par_sort_by(|a, b| {
        a.control
            .cmp(&b.control)
            .then(a.date.cmp(&b.date))
            .then(a.span.as_ref().map(key).cmp(&b.span.as_ref().map(key)))
    });
    (out, hashed.digests)
}

/// An evidence path as written, with its file and its normalised relative path.
struct EvidencePath<'a> {
    file: &'a str,
    path: &'a Text,
    rel: String,
}

/// Every evidence path of every attestation that stays inside the evidence
/// root (the others are reported).
fn evidence_paths<'a>(
    files_in: &'a [Parsed<AttestationsFile>],
    diags: &mut Diagnostics,
) -> Vec<EvidencePath<'a>> {
    let mut entries = Vec::new();
    for f in files_in {
        for a in &f.value.attestations {
            for p in a.evidence.iter().filter_map(|e| e.path.as_ref()) {
                match rel_of(&p.value) {
                    Ok(rel) => entries.push(EvidencePath {
                        file: &f.file,
                        path: p,
                        rel,
                    }),
                    Err(why) => diags.push(escapes(&f.file, p, why)),
                }
            }
        }
    }
    entries
}

/// The evidence paths that are regular files, with their stamps for the hash
/// cache. The file system is asked once per path, in parallel; symbolic links,
/// special files and missing files are reported.
fn regular_files(
    entries: &[EvidencePath],
    evidence_root: &Path,
    diags: &mut Diagnostics,
) -> BTreeMap<String, (PathBuf, crate::hashing::Stamp)> {
    let mut unique: Vec<&str> = entries.iter().map(|e| e.rel.as_str()).collect();
    unique.sort_unstable();
    unique.dedup();
    let fulls: Vec<PathBuf> = unique.iter().map(|r| evidence_root.join(r)).collect();
    let found = files::PathGuard::new(evidence_root).check_all(&fulls);
    let found: HashMap<&str, (&PathBuf, &(files::Found, Option<std::fs::Metadata>))> = unique
        .iter()
        .zip(fulls.iter().zip(&found))
        .map(|(r, f)| (*r, f))
        .collect();
    let mut wanted = BTreeMap::new();
    for EvidencePath { file, path: p, rel } in entries {
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
    wanted
}

/// The evidence files hashed: their digests, and why the others could not be read.
struct Hashed {
    digests: BTreeMap<String, FileDigest>,
    unreadable: BTreeMap<String, String>,
}

impl Hashed {
    fn of(hashed: Vec<(String, std::io::Result<(u64, String)>)>) -> Hashed {
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
        Hashed {
            digests,
            unreadable,
        }
    }
}

/// What one attestation is validated against.
struct Context<'a> {
    by_id: &'a HashMap<&'a str, &'a Control>,
    hashed: &'a Hashed,
}

/// Validate one attestation: `None` when it cannot be used (each reason reported).
fn attestation(
    file: &str,
    a: &AttestationRaw,
    cx: &Context,
    diags: &mut Diagnostics,
) -> Option<Attestation> {
    let control = known_control(file, &a.control, cx.by_id, diags);
    let status = status(file, &a.status, diags);
    let date = dates::date(file, &a.date, "date", diags);
    let valid_until = a
        .valid_until
        .as_ref()
        .map(|v| dates::date(file, v, "valid_until", diags));
    let evidence = a
        .evidence
        .iter()
        .filter_map(|e| evidence(file, a, e, cx.hashed, diags))
        .collect();
    let exceptions = a
        .exceptions
        .iter()
        .filter_map(|x| exception(file, x, diags))
        .collect();
    let (control, status, date) = (control?, status?, date?);
    let valid_until = match valid_until {
        None => control.frequency.valid_until(date),
        Some(v) => v?,
    };
    if valid_until < date {
        diags.push(
            Diagnostic::error(
                Code::BadDate,
                format!("valid_until {valid_until} is before the attestation date {date}"),
            )
            .at(a.valid_until.as_ref().and_then(|v| span(file, v))),
        );
        return None;
    }
    Some(Attestation {
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
    })
}

/// The control an attestation names, or a report that the inventory lacks it.
fn known_control<'a>(
    file: &str,
    id: &Text,
    by_id: &HashMap<&str, &'a Control>,
    diags: &mut Diagnostics,
) -> Option<&'a Control> {
    let control = by_id.get(id.value.as_str()).copied();
    if control.is_none() {
        diags.push(
            Diagnostic::error(
                Code::UnknownControl,
                format!("no control `{}` in the inventory", id.value),
            )
            .at(span(file, id))
            .maybe_hint(did_you_mean(&id.value, by_id.keys().copied())),
        );
    }
    control
}

/// The status of an attestation, or a report that it is unknown.
fn status(file: &str, s: &Text, diags: &mut Diagnostics) -> Option<Status> {
    let status = Status::parse(&s.value);
    if status.is_none() {
        diags.push(
            Diagnostic::error(Code::BadValue, format!("unknown status `{}`", s.value))
                .at(span(file, s))
                .hint(did_you_mean_or_one_of(&s.value, Status::names())),
        );
    }
    status
}

/// One evidence entry of attestation `a`: a hashed file or an http(s) address.
fn evidence(
    file: &str,
    a: &AttestationRaw,
    e: &EvidenceRaw,
    hashed: &Hashed,
    diags: &mut Diagnostics,
) -> Option<Evidence> {
    let problem = match (&e.path, &e.url) {
        (Some(p), None) => return file_evidence(file, p, e, hashed, diags),
        (None, Some(u)) => return url_evidence(file, u, e, diags),
        (Some(p), Some(_)) => Diagnostic::error(
            Code::BadValue,
            "an evidence entry has both `path` and `url`; give one",
        )
        .at(span(file, p)),
        (None, None) => {
            Diagnostic::error(Code::BadValue, "an evidence entry needs `path` or `url`")
                .at(span(file, &a.control))
        }
    };
    diags.push(problem);
    None
}

/// An evidence file at `p`, with its size and digest (which must match the
/// `sha256` written, if any).
fn file_evidence(
    file: &str,
    p: &Text,
    e: &EvidenceRaw,
    hashed: &Hashed,
    diags: &mut Diagnostics,
) -> Option<Evidence> {
    let rel = rel_of(&p.value).ok()?;
    if let Some(why) = hashed.unreadable.get(&rel) {
        diags.push(
            Diagnostic::error(
                Code::Io,
                format!("evidence `{}` cannot be read: {why}", p.value),
            )
            .at(span(file, p)),
        );
        return None;
    }
    let d = hashed.digests.get(&rel)?;
    if let Some(want) = &e.sha256 {
        if !want.value.trim().eq_ignore_ascii_case(&d.sha256) {
            diags.push(
                Diagnostic::error(
                    Code::EvidenceHashMismatch,
                    format!("evidence `{}` does not match its sha256", p.value),
                )
                .at(span(file, want))
                .hint(format!("the file's SHA-256 is {}", d.sha256)),
            );
        }
    }
    Some(Evidence::File {
        path: rel,
        description: e.description.clone().unwrap_or_default(),
        size: d.size,
        sha256: d.sha256.clone(),
        id: e.id.clone(),
    })
}

/// Evidence at an http(s) address.
fn url_evidence(
    file: &str,
    u: &Text,
    e: &EvidenceRaw,
    diags: &mut Diagnostics,
) -> Option<Evidence> {
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
        return None;
    }
    Some(Evidence::Url {
        url: url.to_string(),
        description: e.description.clone().unwrap_or_default(),
        id: e.id.clone(),
    })
}

/// One exception of an attestation: `None` when one of its dates is not a date.
fn exception(file: &str, x: &ExceptionRaw, diags: &mut Diagnostics) -> Option<Exception> {
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
    let (Some(due), false) = (due, bad) else {
        return None;
    };
    Some(Exception {
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
    })
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
        Code::EvidenceOutsideRoot,
        format!("evidence path `{}` {why}", p.value),
    )
    .at(span(file, p))
    .hint("evidence paths are relative to evidence_root and must stay inside it")
}
