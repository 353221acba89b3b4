//! Summary counts.

use super::percent;
use crate::model::{ControlView, Finding, Freshness, Summary};
use crate::srm::Responsibility;

/// Counts by responsibility, status and freshness over some controls.
pub fn of_controls<'a>(controls: impl Iterator<Item = &'a ControlView>) -> Summary {
    let mut s = Summary::default();
    for c in controls {
        s.controls += 1;
        match c.responsibility {
            Responsibility::Inherited => s.inherited += 1,
            Responsibility::Shared => s.shared += 1,
            Responsibility::Customer => s.customer += 1,
        }
        match c.status.as_str() {
            "implemented" => s.implemented += 1,
            "partially-implemented" => s.partially_implemented += 1,
            "planned" => s.planned += 1,
            "alternative" => s.alternative += 1,
            "not-applicable" => s.not_applicable += 1,
            "not-implemented" => s.not_implemented += 1,
            "not-attested" => s.not_attested += 1,
            _ => {}
        }
        match c.freshness {
            Freshness::Fresh => s.fresh += 1,
            Freshness::Expiring => s.expiring += 1,
            Freshness::Stale => s.stale += 1,
            _ => {}
        }
        for x in c.attestation.iter().flat_map(|a| a.exceptions.iter()) {
            match x.state.as_str() {
                "open" => s.open_exceptions += 1,
                "past-due" => {
                    s.open_exceptions += 1;
                    s.past_due_exceptions += 1;
                }
                _ => {}
            }
        }
    }
    s
}

/// Finding counts and the coverage percentage, for one framework or all.
pub fn finish(s: &mut Summary, findings: &[Finding], framework: Option<&str>) {
    let relevant = findings.iter().filter(|f| match framework {
        None => true,
        Some(fw) => f.frameworks.is_empty() || f.frameworks.iter().any(|x| x == fw),
    });
    for f in relevant {
        match f.severity.as_str() {
            "error" => s.errors += 1,
            "warning" => s.warnings += 1,
            _ => {}
        }
    }
    s.coverage_percent = percent(s.requirements_met, s.requirements - s.requirements_na);
}
