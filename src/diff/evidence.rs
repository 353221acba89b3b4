//! Evidence across two periods, followed by identity: the path below the
//! evidence root without its period folder (`2026-Q3/`) and with the dates
//! in its file name made generic, so that `backup/backup-jobs-2026-08.csv`
//! and `backup/backup-jobs-2026-09.csv` are the same evidence, newer. A URL
//! is its own identity, its dates made generic the same way.
//!
//! Freshness, newer runs and changed content are compared per control;
//! evidence is new or retired when no control of the other side cites it.

use super::EvidenceChange;
use crate::model::{EvidenceItem, EvidenceKind, Freshness, ReportModel};
use std::collections::{BTreeMap, BTreeSet};

/// True for `2026`, `2026-Q3`, `2026-H1` and `2026-07`: a period folder.
fn is_period(segment: &str) -> bool {
    let b = segment.as_bytes();
    let year = b.len() >= 4 && b[..4].iter().all(u8::is_ascii_digit);
    match (year, b.len()) {
        (true, 4) => true,
        (true, 7) => {
            b[4] == b'-'
                && ((matches!(b[5], b'Q' | b'H') && b[6].is_ascii_digit())
                    || (b[5].is_ascii_digit() && b[6].is_ascii_digit()))
        }
        _ => false,
    }
}

/// Replace each date or period in a file name (`2026-09-15`, `2026-09`,
/// `2026-Q3`, `2026-H1`, `2026`) by `*`.
fn generic_dates(name: &str) -> String {
    let b = name.as_bytes();
    let (mut out, mut i) = (String::new(), 0);
    let digits =
        |at: usize, n: usize| b.len() >= at + n && b[at..at + n].iter().all(u8::is_ascii_digit);
    while i < b.len() {
        let starts = (i == 0 || !b[i - 1].is_ascii_digit())
            && digits(i, 4)
            && matches!(&b[i..i + 2], b"19" | b"20")
            && !digits(i + 4, 1);
        if !starts {
            out.push(b[i] as char);
            i += 1;
            continue;
        }
        let mut end = i + 4;
        let dash = |at: usize| b.get(at) == Some(&b'-');
        if dash(end) && digits(end + 1, 2) && !digits(end + 3, 1) {
            end += 3;
            if dash(end) && digits(end + 1, 2) && !digits(end + 3, 1) {
                end += 3;
            }
        } else if dash(end) && matches!(b.get(end + 1), Some(b'Q' | b'H')) && digits(end + 2, 1) {
            end += 3;
        }
        out.push('*');
        i = end;
    }
    out
}

/// The path without its period folders, and its identity.
fn path_and_identity(e: &EvidenceItem) -> (String, String) {
    if e.kind != EvidenceKind::File {
        return (e.target.clone(), generic_dates(&e.target));
    }
    let rel = e.target.strip_prefix("evidence/").unwrap_or(&e.target);
    let kept: Vec<&str> = rel.split('/').filter(|s| !is_period(s)).collect();
    let path = kept.join("/");
    // An ingested scan (`scans/<tool>/<date>-<digest>.<ext>`) is the tool's scan.
    if let Some(tool) = path
        .strip_prefix("scans/")
        .and_then(|r| r.split('/').next())
    {
        return (path.clone(), format!("scans/{tool}/*"));
    }
    let identity = match path.rsplit_once('/') {
        Some((dir, name)) => format!("{dir}/{}", generic_dates(name)),
        None => generic_dates(&path),
    };
    (path, identity)
}

/// The identity of an evidence item: its `id:`, else as the module
/// documentation says.
pub fn identity(e: &EvidenceItem) -> String {
    match &e.id {
        Some(id) => format!("id:{id}"),
        None => path_and_identity(e).1,
    }
}

/// Per (control, identity): the item that counts, the latest of the period
/// (an item of the current attestation before one it superseded, then the
/// later path).
fn index(m: &ReportModel) -> BTreeMap<(String, String), &EvidenceItem> {
    let mut out: BTreeMap<(String, String), &EvidenceItem> = BTreeMap::new();
    for e in &m.evidence {
        let key = (e.control.clone(), identity(e));
        let rank = |x: &EvidenceItem| (x.freshness != Freshness::Superseded, x.target.clone());
        match out.get(&key) {
            Some(prev) if rank(prev) >= rank(e) => {}
            _ => {
                out.insert(key, e);
            }
        }
    }
    out
}

/// Live freshness: fresh, expiring or stale (the others do not move).
fn live(f: Freshness) -> bool {
    matches!(f, Freshness::Fresh | Freshness::Expiring | Freshness::Stale)
}

/// How one evidence identity changed, if it did.
fn change(o: &EvidenceItem, n: &EvidenceItem) -> Option<&'static str> {
    let (of, nf) = (o.freshness, n.freshness);
    if live(of) && live(nf) && of != nf {
        if nf == Freshness::Stale {
            return Some("went-stale");
        }
        if of == Freshness::Stale {
            return Some("fresh-again");
        }
    }
    if n.kind != EvidenceKind::File || o.kind != EvidenceKind::File {
        return None;
    }
    if path_and_identity(o).0 == path_and_identity(n).0 {
        (o.sha256 != n.sha256).then_some("changed")
    } else {
        Some("newer")
    }
}

/// Every identity of a side, with the controls that cite it, sorted.
fn cited(m: &ReportModel) -> BTreeMap<String, (BTreeSet<&str>, &EvidenceItem)> {
    let mut out: BTreeMap<String, (BTreeSet<&str>, &EvidenceItem)> = BTreeMap::new();
    for e in &m.evidence {
        let entry = out
            .entry(identity(e))
            .or_insert_with(|| (BTreeSet::new(), e));
        entry.0.insert(e.control.as_str());
        if e.target > entry.1.target {
            entry.1 = e;
        }
    }
    out
}

/// An identity cited on one side only: `new` or `retired`.
fn one_sided(
    identity: &str,
    controls: &BTreeSet<&str>,
    e: &EvidenceItem,
    what: &str,
) -> EvidenceChange {
    let side = |old: bool| {
        if (what == "retired") == old {
            (e.target.clone(), Some(e.freshness))
        } else {
            (String::new(), None)
        }
    };
    let ((old, old_freshness), (new, new_freshness)) = (side(true), side(false));
    EvidenceChange {
        control: controls.iter().copied().collect::<Vec<_>>().join(", "),
        identity: identity.to_string(),
        description: e.description.clone(),
        old,
        new,
        old_freshness,
        new_freshness,
        change: what.into(),
    }
}

/// Per control: evidence gone stale, fresh again, newer or changed; then
/// evidence no control cited before (new) or cites any more (retired).
pub fn changes(old: &ReportModel, new: &ReportModel) -> Vec<EvidenceChange> {
    let (oe, ne) = (index(old), index(new));
    let mut out = Vec::new();
    for (k, n) in &ne {
        let Some(o) = oe.get(k) else { continue };
        let Some(what) = change(o, n) else { continue };
        out.push(EvidenceChange {
            control: k.0.clone(),
            identity: k.1.clone(),
            description: n.description.clone(),
            old: o.target.clone(),
            new: n.target.clone(),
            old_freshness: Some(o.freshness),
            new_freshness: Some(n.freshness),
            change: what.into(),
        });
    }
    let (oc, nc) = (cited(old), cited(new));
    for (id, (controls, e)) in &nc {
        if !oc.contains_key(id) {
            out.push(one_sided(id, controls, e, "new"));
        }
    }
    for (id, (controls, e)) in &oc {
        if !nc.contains_key(id) {
            out.push(one_sided(id, controls, e, "retired"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(target: &str) -> EvidenceItem {
        EvidenceItem {
            kind: EvidenceKind::File,
            target: target.into(),
            description: String::new(),
            size: None,
            sha256: None,
            control: "C".into(),
            freshness: Freshness::Fresh,
            id: None,
            collected: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default(),
        }
    }

    #[test]
    fn period_folders_and_dates_leave_the_identity() {
        for (a, b) in [
            (
                "evidence/2026-Q2/s3/macie-pan-scan-2026-06-20.json",
                "evidence/2026-Q3/s3/macie-pan-scan-2026-07-19.json",
            ),
            (
                "evidence/2026-Q3/backup/backup-jobs-2026-07.csv",
                "evidence/2026-Q3/backup/backup-jobs-2026-09.csv",
            ),
            (
                "evidence/2026-Q2/training/x-2026-Q2.csv",
                "evidence/2026-Q3/training/x-2026-Q3.csv",
            ),
            (
                "evidence/2026/vendors/vendor-review-2026.csv",
                "evidence/2027/vendors/vendor-review-2027.csv",
            ),
        ] {
            assert_eq!(identity(&file(a)), identity(&file(b)), "{a} vs {b}");
        }
        assert_eq!(
            identity(&file("evidence/2026-Q3/s3/scan-2026-07-19.json")),
            "s3/scan-*.json"
        );
        // Numbers that are not dates stay.
        assert_eq!(
            identity(&file("evidence/pci/v4.0.1/report-20261.md")),
            "pci/v4.0.1/report-20261.md"
        );
        let mut a = file("evidence/2026-Q2/iam/quarterly-access-review.csv");
        let mut b = file("evidence/2026-Q3/iam/access-recertification.csv");
        assert_ne!(identity(&a), identity(&b));
        (a.id, b.id) = (Some("access-review".into()), Some("access-review".into()));
        assert_eq!(identity(&a), identity(&b));
        assert_ne!(
            identity(&file("evidence/2026-Q3/iam/access-review.csv")),
            identity(&file("evidence/2026-Q3/iam/leavers.csv"))
        );
    }
}
