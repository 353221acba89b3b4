//! What changed between two report models: two packages (folder or zip,
//! read from their `model.json`) or two periods of a project.

use crate::model::{
    ControlView, Coverage, EvidenceItem, EvidenceKind, ExceptionState, Freshness, ReportModel,
};
use crate::values::name;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

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

/// An evidence item that appeared, disappeared, changed or expired.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct EvidenceChange {
    pub control: String,
    pub description: String,
    pub old: String,
    pub new: String,
    /// `new`, `removed`, `changed` or `expired`.
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
    }
}

fn in_scope(m: &ReportModel) -> BTreeMap<&str, &ControlView> {
    m.controls
        .iter()
        .filter(|c| c.in_scope)
        .map(|c| (c.id.as_str(), c))
        .collect()
}

/// Evidence of a control keyed by what it is (its description, else its
/// file name), so that the same report collected in another quarter's
/// folder is matched.
fn evidence_key(e: &EvidenceItem) -> (String, String) {
    let what = if e.description.is_empty() {
        e.target.rsplit('/').next().unwrap_or(&e.target).to_string()
    } else {
        e.description.clone()
    };
    (e.control.clone(), what)
}

/// Compare two models.
pub fn diff(old: &ReportModel, new: &ReportModel, old_source: &str, new_source: &str) -> Diff {
    let side = |m: &ReportModel, s: &str| Side {
        source: s.into(),
        period: m.period.label.clone(),
        as_of: m.as_of.to_string(),
    };
    let (oc, nc) = (in_scope(old), in_scope(new));
    let mut d = Diff {
        old: side(old, old_source),
        new: side(new, new_source),
        controls_added: nc
            .keys()
            .filter(|k| !oc.contains_key(*k))
            .map(|k| k.to_string())
            .collect(),
        controls_removed: oc
            .keys()
            .filter(|k| !nc.contains_key(*k))
            .map(|k| k.to_string())
            .collect(),
        controls: Vec::new(),
        requirements: Vec::new(),
        evidence: Vec::new(),
        exceptions: Vec::new(),
        frameworks: Vec::new(),
    };
    for (id, n) in &nc {
        let Some(o) = oc.get(id) else { continue };
        if o.status != n.status {
            d.controls.push(ControlChange {
                id: id.to_string(),
                title: n.title.clone(),
                field: "status".into(),
                old: name(&o.status),
                new: name(&n.status),
            });
        }
        if o.responsibility != n.responsibility {
            d.controls.push(ControlChange {
                id: id.to_string(),
                title: n.title.clone(),
                field: "responsibility".into(),
                old: o.responsibility.to_string(),
                new: n.responsibility.to_string(),
            });
        }
    }

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
            d.requirements.push(RequirementChange {
                framework: nf.id.clone(),
                id: r.id.clone(),
                title: r.title.clone(),
                old: name(&was),
                new: name(&r.status),
                direction: direction.into(),
            });
        }
        if let Some(of) = of {
            d.frameworks.push(CoverageChange {
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

    let index = |m: &ReportModel| -> BTreeMap<(String, String), EvidenceItem> {
        m.evidence
            .iter()
            .map(|e| (evidence_key(e), e.clone()))
            .collect()
    };
    let (oe, ne) = (index(old), index(new));
    let keys: BTreeSet<&(String, String)> = oe.keys().chain(ne.keys()).collect();
    for k in keys {
        let (control, description) = (k.0.clone(), k.1.clone());
        let change =
            |o: Option<&EvidenceItem>, n: Option<&EvidenceItem>, what: &str| EvidenceChange {
                control: control.clone(),
                description: description.clone(),
                old: o.map(|e| e.target.clone()).unwrap_or_default(),
                new: n.map(|e| e.target.clone()).unwrap_or_default(),
                change: what.into(),
            };
        match (oe.get(k), ne.get(k)) {
            (None, Some(n)) => d.evidence.push(change(None, Some(n), "new")),
            (Some(o), None) => d.evidence.push(change(Some(o), None, "removed")),
            (Some(o), Some(n)) => {
                if n.freshness == Freshness::Stale && o.freshness != Freshness::Stale {
                    d.evidence.push(change(Some(o), Some(n), "expired"));
                } else if o.sha256 != n.sha256
                    && o.kind == EvidenceKind::File
                    && n.kind == EvidenceKind::File
                {
                    d.evidence.push(change(Some(o), Some(n), "changed"));
                }
            }
            (None, None) => {}
        }
    }

    let exceptions = |m: &ReportModel| -> BTreeMap<String, crate::model::ExceptionView> {
        m.controls
            .iter()
            .filter_map(|c| c.attestation.as_ref())
            .flat_map(|a| a.exceptions.iter().cloned())
            .map(|x| (x.id.clone(), x))
            .collect()
    };
    let (ox, nx) = (exceptions(old), exceptions(new));
    for (id, n) in &nx {
        let o = ox.get(id);
        use ExceptionState::*;
        let what = match (o.map(|x| x.state), n.state) {
            (None, Open | PastDue) => "opened",
            (Some(Open | PastDue), Closed) => "closed",
            (Some(Open), PastDue) => "overdue",
            _ => continue,
        };
        d.exceptions.push(ExceptionChange {
            id: id.clone(),
            control: n.control.clone(),
            description: n.description.clone(),
            remediation_due: n.remediation_due.to_string(),
            change: what.into(),
        });
        if what == "opened" && n.state == ExceptionState::PastDue {
            d.exceptions.push(ExceptionChange {
                id: id.clone(),
                control: n.control.clone(),
                description: n.description.clone(),
                remediation_due: n.remediation_due.to_string(),
                change: "overdue".into(),
            });
        }
    }
    for (id, o) in &ox {
        if !nx.contains_key(id) && o.state != ExceptionState::Closed {
            d.exceptions.push(ExceptionChange {
                id: id.clone(),
                control: o.control.clone(),
                description: o.description.clone(),
                remediation_due: o.remediation_due.to_string(),
                change: "closed".into(),
            });
        }
    }
    d
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
    let count = |what: &str| d.evidence.iter().filter(|e| e.change == what).count();
    if !d.evidence.is_empty() {
        out.push_str(&format!(
            "  evidence: {} new, {} removed, {} changed, {} expired (each listed by -o FILE)\n",
            count("new"),
            count("removed"),
            count("changed"),
            count("expired")
        ));
    }
    for e in d
        .evidence
        .iter()
        .filter(|e| e.change == "changed" || e.change == "expired")
    {
        out.push_str(&format!(
            "  evidence {}: {} ({}, {})\n",
            e.change, e.new, e.control, e.description
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
