//! What changed between two report models: two packages (folder or zip,
//! read from their `model.json`) or two periods of a project.

pub mod evidence;
pub mod scans;

use crate::model::{
    Coverage, ExceptionState, Freshness, ReportModel, ResolvedControl, ResolvedException,
};
use crate::values::name;
use serde::Serialize;
use std::collections::BTreeMap;

/// One side of a comparison.
#[derive(Debug, Serialize)]
pub struct Side {
    pub source: String,
    pub period: String,
    pub as_of: String,
}

/// A control whose status or responsibility changed.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ControlChange {
    pub id: String,
    pub title: String,
    /// `status` or `responsibility`.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A requirement whose coverage changed.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct RequirementChange {
    pub framework: String,
    pub id: String,
    pub title: String,
    pub old: String,
    pub new: String,
    /// `newly-covered`, `newly-uncovered` or `changed`.
    pub direction: String,
}

/// An evidence item, followed by its identity (see [`evidence`]), that
/// appeared, was retired, has a newer run, changed or changed freshness.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EvidenceChange {
    pub control: String,
    /// The evidence's identity across periods.
    pub identity: String,
    pub description: String,
    pub old: String,
    pub new: String,
    pub old_freshness: Option<Freshness>,
    pub new_freshness: Option<Freshness>,
    /// `new`, `retired`, `newer`, `changed`, `went-stale` or `fresh-again`.
    pub change: String,
}

/// An exception opened, closed or gone overdue.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct ExceptionChange {
    pub id: String,
    pub control: String,
    pub description: String,
    pub remediation_due: String,
    /// `opened`, `closed` or `overdue`.
    pub change: String,
}

/// Coverage of one framework on both sides.
#[derive(Debug, Serialize)]
pub struct CoverageChange {
    pub framework: String,
    pub short: String,
    pub old_met: usize,
    pub new_met: usize,
    pub old_gap: usize,
    pub new_gap: usize,
    pub old_percent: usize,
    pub new_percent: usize,
}

/// Everything that changed.
#[derive(Debug, Serialize)]
pub struct Diff {
    pub old: Side,
    pub new: Side,
    pub controls_added: Vec<String>,
    pub controls_removed: Vec<String>,
    pub controls: Vec<ControlChange>,
    pub requirements: Vec<RequirementChange>,
    pub evidence: Vec<EvidenceChange>,
    pub exceptions: Vec<ExceptionChange>,
    pub frameworks: Vec<CoverageChange>,
    /// Checks of ingested scans whose result changed (see [`scans`]).
    pub scans: Vec<scans::CheckChange>,
}

impl Diff {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.controls_added.is_empty()
            && self.controls_removed.is_empty()
            && self.controls.is_empty()
            && self.requirements.is_empty()
            && self.evidence.is_empty()
            && self.exceptions.is_empty()
            && self.scans.is_empty()
    }
}

fn in_scope(m: &ReportModel) -> BTreeMap<&str, &ResolvedControl> {
    m.controls
        .iter()
        .filter(|c| c.in_scope)
        .map(|c| (c.id.as_str(), c))
        .collect()
}

/// Compare two models.
pub fn diff(old: &ReportModel, new: &ReportModel, old_source: &str, new_source: &str) -> Diff {
    let side = |m: &ReportModel, s: &str| Side {
        source: s.into(),
        period: m.period.label.clone(),
        as_of: m.as_of.to_string(),
    };
    let (oc, nc) = (in_scope(old), in_scope(new));
    let only_in = |a: &BTreeMap<&str, &ResolvedControl>, b: &BTreeMap<&str, &ResolvedControl>| {
        a.keys()
            .filter(|k| !b.contains_key(*k))
            .map(|k| k.to_string())
            .collect()
    };
    let (requirements, frameworks) = requirement_changes(old, new);
    Diff {
        old: side(old, old_source),
        new: side(new, new_source),
        controls_added: only_in(&nc, &oc),
        controls_removed: only_in(&oc, &nc),
        controls: control_changes(&oc, &nc),
        requirements,
        evidence: evidence::changes(old, new),
        exceptions: exception_changes(old, new),
        frameworks,
        scans: Vec::new(),
    }
}

/// The status and responsibility changes of the controls in scope on both sides.
fn control_changes(
    oc: &BTreeMap<&str, &ResolvedControl>,
    nc: &BTreeMap<&str, &ResolvedControl>,
) -> Vec<ControlChange> {
    let mut out = Vec::new();
    for (id, n) in nc {
        let Some(o) = oc.get(id) else { continue };
        let change = |field: &str, old: String, new: String| ControlChange {
            id: id.to_string(),
            title: n.title.clone(),
            field: field.into(),
            old,
            new,
        };
        if o.status != n.status {
            out.push(change("status", name(&o.status), name(&n.status)));
        }
        if o.responsibility != n.responsibility {
            out.push(change(
                "responsibility",
                o.responsibility.to_string(),
                n.responsibility.to_string(),
            ));
        }
    }
    out
}

/// Per framework of the new side: the requirements whose coverage changed,
/// and the coverage on both sides when the old side has the framework too.
fn requirement_changes(
    old: &ReportModel,
    new: &ReportModel,
) -> (Vec<RequirementChange>, Vec<CoverageChange>) {
    let (mut requirements, mut frameworks) = (Vec::new(), Vec::new());
    for nf in &new.frameworks {
        let of = old.frameworks.iter().find(|f| f.id == nf.id);
        let old_cov: BTreeMap<&str, Coverage> = of
            .map(|f| {
                f.groups
                    .iter()
                    .flat_map(|g| g.requirements.iter())
                    .map(|r| (r.id.as_str(), r.status))
                    .collect()
            })
            .unwrap_or_default();
        for r in nf.groups.iter().flat_map(|g| g.requirements.iter()) {
            let Some(&was) = old_cov.get(r.id.as_str()) else {
                continue;
            };
            if was == r.status {
                continue;
            }
            let direction = match (was, r.status) {
                (_, Coverage::Met) => "newly-covered",
                (Coverage::Met, _) | (_, Coverage::Gap) => "newly-uncovered",
                _ => "changed",
            };
            requirements.push(RequirementChange {
                framework: nf.id.clone(),
                id: r.id.clone(),
                title: r.title.clone(),
                old: name(&was),
                new: name(&r.status),
                direction: direction.into(),
            });
        }
        if let Some(of) = of {
            frameworks.push(CoverageChange {
                framework: nf.id.clone(),
                short: nf.short.clone(),
                old_met: of.summary.requirements_met,
                new_met: nf.summary.requirements_met,
                old_gap: of.summary.requirements_gap,
                new_gap: nf.summary.requirements_gap,
                old_percent: of.summary.coverage_percent,
                new_percent: nf.summary.coverage_percent,
            });
        }
    }
    (requirements, frameworks)
}

/// The exceptions of the latest attestations by id.
fn exceptions_of(m: &ReportModel) -> BTreeMap<String, ResolvedException> {
    m.controls
        .iter()
        .filter_map(|c| c.attestation.as_ref())
        .flat_map(|a| a.exceptions.iter().cloned())
        .map(|x| (x.id.clone(), x))
        .collect()
}

/// Exceptions opened (and already overdue), closed — or gone from the new
/// side while still open — and gone overdue.
fn exception_changes(old: &ReportModel, new: &ReportModel) -> Vec<ExceptionChange> {
    let (ox, nx) = (exceptions_of(old), exceptions_of(new));
    let change = |x: &ResolvedException, what: &str| ExceptionChange {
        id: x.id.clone(),
        control: x.control.clone(),
        description: x.description.clone(),
        remediation_due: x.remediation_due.to_string(),
        change: what.into(),
    };
    let mut out = Vec::new();
    for (id, n) in &nx {
        let o = ox.get(id);
        use ExceptionState::*;
        let what = match (o.map(|x| x.state), n.state) {
            (None, Open | PastDue) => "opened",
            (Some(Open | PastDue), Closed) => "closed",
            (Some(Open), PastDue) => "overdue",
            _ => continue,
        };
        out.push(change(n, what));
        if what == "opened" && n.state == ExceptionState::PastDue {
            out.push(change(n, "overdue"));
        }
    }
    for (id, o) in &ox {
        if !nx.contains_key(id) && o.state != ExceptionState::Closed {
            out.push(change(o, "closed"));
        }
    }
    out
}

/// A short terminal summary.
pub fn summary(d: &Diff) -> String {
    let mut out = format!(
        "{} ({}) → {} ({})\n",
        d.old.source, d.old.period, d.new.source, d.new.period
    );
    for f in &d.frameworks {
        out.push_str(&format!(
            "  {:<18} coverage {:>3} % → {:>3} %  met {} → {}  gaps {} → {}\n",
            f.short, f.old_percent, f.new_percent, f.old_met, f.new_met, f.old_gap, f.new_gap
        ));
    }
    out.push_str(&went_stale(&d.evidence));
    for id in &d.controls_added {
        out.push_str(&format!("  control added: {id}\n"));
    }
    for id in &d.controls_removed {
        out.push_str(&format!("  control removed: {id}\n"));
    }
    for c in &d.controls {
        out.push_str(&format!(
            "  control {} {}: {} → {}\n",
            c.id, c.field, c.old, c.new
        ));
    }
    for r in &d.requirements {
        out.push_str(&format!(
            "  requirement {} {} {}: {} → {}\n",
            r.framework, r.id, r.direction, r.old, r.new
        ));
    }
    out.push_str(&evidence_summary(&d.evidence));
    for c in &d.scans {
        let or_none = |s: &str| {
            if s.is_empty() {
                "not run".to_string()
            } else {
                s.to_string()
            }
        };
        out.push_str(&format!(
            "  scan {} check {}: {} → {}\n",
            c.tool,
            c.check,
            or_none(&c.old),
            or_none(&c.new)
        ));
    }
    for x in &d.exceptions {
        out.push_str(&format!(
            "  exception {} {}: {} (due {})\n",
            x.id, x.change, x.control, x.remediation_due
        ));
    }
    if d.is_empty() {
        out.push_str("  no changes\n");
    }
    out
}

/// The headline: per control, the evidence that was fresh and is stale.
fn went_stale(changes: &[EvidenceChange]) -> String {
    let mut by_control: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for e in changes.iter().filter(|e| e.change == "went-stale") {
        by_control.entry(&e.control).or_default().push(&e.identity);
    }
    by_control
        .iter()
        .map(|(c, ids)| format!("  {c}: evidence went stale: {}\n", ids.join(", ")))
        .collect()
}

/// The evidence lines of the summary: counts, then each evidence that went
/// stale (the headline), changed, is new or was retired.
fn evidence_summary(changes: &[EvidenceChange]) -> String {
    let mut out = String::new();
    if changes.is_empty() {
        return out;
    }
    let count = |what: &str| changes.iter().filter(|e| e.change == what).count();
    out.push_str(&format!(
        "  evidence: {} went stale, {} fresh again, {} new, {} retired, {} changed, {} newer runs (each listed by -o FILE)\n",
        count("went-stale"),
        count("fresh-again"),
        count("new"),
        count("retired"),
        count("changed"),
        count("newer"),
    ));
    for what in ["went-stale", "fresh-again", "changed", "new", "retired"] {
        for e in changes.iter().filter(|e| e.change == what) {
            let target = if e.new.is_empty() { &e.old } else { &e.new };
            out.push_str(&format!(
                "  evidence {}: {target} ({}, {})\n",
                e.change, e.control, e.description
            ));
        }
    }
    out
}
