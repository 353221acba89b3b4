//! Summary counts.

use super::percent;
use crate::model::{
    ControlStatus, Coverage, ExceptionState, Finding, Freshness, ResolvedControl, Summary,
};
use crate::srm::Responsibility;

/// Counts by responsibility, status and freshness over some controls.
pub fn of_controls<'a>(controls: impl Iterator<Item = &'a ResolvedControl>) -> Summary {
    let mut s = Summary::default();
    for c in controls {
        s.controls += 1;
        match c.responsibility {
            Responsibility::Inherited => s.inherited += 1,
            Responsibility::Shared => s.shared += 1,
            Responsibility::Customer => s.customer += 1,
        }
        match c.status {
            ControlStatus::Implemented => s.implemented += 1,
            ControlStatus::PartiallyImplemented => s.partially_implemented += 1,
            ControlStatus::Planned => s.planned += 1,
            ControlStatus::Alternative => s.alternative += 1,
            ControlStatus::NotApplicable => s.not_applicable += 1,
            ControlStatus::NotImplemented => s.not_implemented += 1,
            ControlStatus::NotAttested => s.not_attested += 1,
            ControlStatus::Inherited => {}
        }
        match c.freshness {
            Freshness::Fresh => s.fresh += 1,
            Freshness::Expiring => s.expiring += 1,
            Freshness::Stale => s.stale += 1,
            _ => {}
        }
        for x in c.attestation.iter().flat_map(|a| a.exceptions.iter()) {
            match x.state {
                ExceptionState::Open => s.open_exceptions += 1,
                ExceptionState::PastDue => {
                    s.open_exceptions += 1;
                    s.past_due_exceptions += 1;
                }
                ExceptionState::Closed => {}
            }
        }
    }
    s
}

/// Count one requirement of the given status.
pub fn count_requirement(s: &mut Summary, status: Coverage) {
    s.requirements += 1;
    match status {
        Coverage::Met => s.requirements_met += 1,
        Coverage::Partial => s.requirements_partial += 1,
        Coverage::Gap => s.requirements_gap += 1,
        Coverage::NotApplicable => s.requirements_na += 1,
    }
}

/// Add the requirement counts of several frameworks into `total`.
pub fn add_requirements<'a>(total: &mut Summary, each: impl Iterator<Item = &'a Summary>) {
    for f in each {
        total.requirements += f.requirements;
        total.requirements_met += f.requirements_met;
        total.requirements_partial += f.requirements_partial;
        total.requirements_gap += f.requirements_gap;
        total.requirements_na += f.requirements_na;
        total.bridge_letter_needed |= f.bridge_letter_needed;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_counts_and_the_headline_exclude_not_applicable() {
        let mut s = Summary::default();
        for c in [
            Coverage::Met,
            Coverage::Met,
            Coverage::Partial,
            Coverage::Gap,
            Coverage::NotApplicable,
        ] {
            count_requirement(&mut s, c);
        }
        finish(&mut s, &[], None);
        assert_eq!(
            (s.requirements, s.requirements_met, s.requirements_na),
            (5, 2, 1)
        );
        // 2 of the 4 applicable requirements, rounded down.
        assert_eq!(s.coverage_percent, 50);
        let mut total = Summary::default();
        add_requirements(&mut total, [&s, &s].into_iter());
        finish(&mut total, &[], None);
        assert_eq!((total.requirements, total.requirements_gap), (10, 2));
        assert_eq!(total.coverage_percent, 50);
    }
}
