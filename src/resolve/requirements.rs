//! Requirement-level resolution, the one place the figures an auditor tests
//! are computed: for each requirement its responsibility (aggregated from
//! the parts of the controls it rests on), its status and why.
//!
//! - **met**: every in-scope control mapped to it qualifies;
//! - **partial**: some do; **gap**: none does, or no control maps to it;
//! - **not applicable**: listed under the project's `not_applicable`, or
//!   every mapped control is attested not applicable.
//!
//! A control qualifies when it has no issue (boundary error, missing or
//! stale evidence, not implemented, overdue exception, future-dated
//! attestation), its customer part is implemented (or alternative) with
//! fresh or expiring evidence, and its provider part is backed for the
//! whole period by a provider attestation of the framework (or a bridge
//! letter). A control attested not applicable leaves the requirement.

/// The rules above in words, shown in every report under "How coverage is
/// computed" and in the README and `docs/coverage.md`.
pub const COVERAGE_RULES: &str = include_str!("coverage.md");

use crate::model::{
    Badge, ControlStatus, Coverage, Freshness, ResolvedControl, ResolvedRequirement,
};
use crate::srm::Responsibility;
use crate::validate::Requirement;

/// What a requirement is resolved against, for one framework.
pub struct Framework<'a> {
    pub id: &'a str,
    pub short: &'a str,
    /// Whether the provider attestations of the framework (with bridge
    /// letters) cover the whole period.
    pub provider_covered: bool,
    /// Provider attestations of the framework that overlap the period.
    pub provider_attestations: &'a [String],
}

/// Why `c` does not count towards a requirement of `fw`, or `None` when it
/// qualifies.
pub fn why_not(c: &ResolvedControl, fw: &Framework) -> Option<String> {
    if !c.issues.is_empty() {
        let words: Vec<&str> = c.issues.iter().map(|i| i.label()).collect();
        return Some(words.join(", "));
    }
    if c.responsibility != Responsibility::Inherited {
        if !matches!(
            c.status,
            ControlStatus::Implemented | ControlStatus::Alternative
        ) {
            return Some(c.status.label().to_string());
        }
        if !matches!(c.freshness, Freshness::Fresh | Freshness::Expiring) {
            return Some(format!("evidence {}", c.freshness.label()));
        }
    }
    if c.responsibility != Responsibility::Customer && !fw.provider_covered {
        return Some(format!(
            "provider part not covered by a {} provider attestation for the period",
            fw.short
        ));
    }
    None
}

/// The responsibility of a requirement from the parts of its controls:
/// only provider parts → inherited; only customer parts → customer; both →
/// shared.
pub fn aggregate<'a>(
    controls: impl IntoIterator<Item = &'a ResolvedControl>,
) -> Option<Responsibility> {
    let (mut provider, mut customer) = (false, false);
    for c in controls {
        provider |= c.responsibility != Responsibility::Customer;
        customer |= c.responsibility != Responsibility::Inherited;
    }
    match (provider, customer) {
        (false, false) => None,
        (true, false) => Some(Responsibility::Inherited),
        (false, true) => Some(Responsibility::Customer),
        (true, true) => Some(Responsibility::Shared),
    }
}

/// The controls that do not qualify, those with the same reason together:
/// `HW-01, PE-01 (provider part not covered …)`, in order of first mention.
fn grouped(verdicts: &[(&ResolvedControl, Option<String>)]) -> Vec<String> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for (c, why) in verdicts {
        let Some(why) = why else { continue };
        match groups.iter_mut().find(|(w, _)| w == why) {
            Some((_, ids)) => ids.push(&c.id),
            None => groups.push((why, vec![&c.id])),
        }
    }
    groups
        .into_iter()
        .map(|(why, ids)| format!("{} ({why})", ids.join(", ")))
        .collect()
}

/// Met, partial or gap for the controls that count, and why.
fn judge(counted: &[&ResolvedControl], fw: &Framework) -> (Coverage, String) {
    let verdicts: Vec<(&ResolvedControl, Option<String>)> =
        counted.iter().map(|c| (*c, why_not(c, fw))).collect();
    let good: Vec<&str> = verdicts
        .iter()
        .filter(|(_, w)| w.is_none())
        .map(|(c, _)| c.id.as_str())
        .collect();
    let bad = grouped(&verdicts);
    let failing = verdicts.len() - good.len();
    if bad.is_empty() {
        (
            Coverage::Met,
            format!("every control qualifies: {}", good.join(", ")),
        )
    } else if good.is_empty() {
        (
            Coverage::Gap,
            format!("no control qualifies: {}", bad.join("; ")),
        )
    } else {
        (
            Coverage::Partial,
            format!(
                "{} qualif{}; {failing} do{} not: {}",
                good.join(", "),
                if good.len() == 1 { "ies" } else { "y" },
                if failing == 1 { "es" } else { "" },
                bad.join("; ")
            ),
        )
    }
}

/// Resolve one requirement from the in-scope controls mapped to it and the
/// project's not-applicable reason, if any.
pub fn resolve(
    req: &Requirement,
    mapped: &[&ResolvedControl],
    na_reason: Option<&str>,
    fw: &Framework,
) -> ResolvedRequirement {
    let (na, counted): (Vec<&ResolvedControl>, Vec<&ResolvedControl>) = mapped
        .iter()
        .partition(|c| c.status == ControlStatus::NotApplicable);
    let ids = |v: &[&ResolvedControl]| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    let (status, mut reason) = if let Some(r) = na_reason {
        (Coverage::NotApplicable, r.to_string())
    } else if mapped.is_empty() {
        (Coverage::Gap, "no control in scope maps to it".to_string())
    } else if counted.is_empty() {
        (
            Coverage::NotApplicable,
            format!(
                "every control mapped to it is attested not applicable: {}",
                ids(&na).join(", ")
            ),
        )
    } else {
        judge(&counted, fw)
    };
    if !na.is_empty() && !counted.is_empty() && na_reason.is_none() {
        reason.push_str(&format!(
            " ({} attested not applicable, left out)",
            ids(&na).join(", ")
        ));
    }
    let responsibility = match status {
        Coverage::NotApplicable => None,
        _ => aggregate(counted.iter().copied()),
    };
    let provider_attestations = if responsibility.is_some_and(|r| r != Responsibility::Customer) {
        fw.provider_attestations.to_vec()
    } else {
        Vec::new()
    };
    ResolvedRequirement {
        framework: fw.id.to_string(),
        id: req.id.clone(),
        title: req.title.clone(),
        group: req.group.clone(),
        core: req.core,
        statement: req.statement.clone(),
        responsibility,
        status,
        controls: ids(&counted),
        not_applicable_controls: ids(&na),
        provider_attestations,
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ControlIssue;

    fn control(
        id: &str,
        r: Responsibility,
        status: ControlStatus,
        f: Freshness,
    ) -> ResolvedControl {
        let json = serde_json::json!({
            "id": id, "title": id, "family": "", "origin": "project", "in_scope": true,
            "layers": [], "services": [], "responsibility": r, "derived": r,
            "declared": null, "boundary_error": false, "matrix": [], "frequency": "quarterly",
            "owner": "", "description": "", "provider_part": "", "customer_part": "",
            "status": status, "freshness": f, "attestation": null, "earlier": [],
            "issues": [], "requirements": [], "provider_attestations": []
        });
        serde_json::from_value(json).unwrap()
    }

    fn req() -> Requirement {
        Requirement {
            id: "CC6.1".into(),
            group: "CC6".into(),
            title: "Logical access".into(),
            core: false,
            statement: String::new(),
        }
    }

    fn fw(covered: bool) -> Framework<'static> {
        Framework {
            id: "soc2",
            short: "SOC 2",
            provider_covered: covered,
            provider_attestations: &[],
        }
    }

    use ControlStatus as S;
    use Freshness as F;
    use Responsibility as R;

    #[test]
    fn met_only_when_every_control_qualifies() {
        let a = control("A", R::Customer, S::Implemented, F::Fresh);
        let b = control("B", R::Customer, S::Implemented, F::Stale);
        let r = resolve(&req(), &[&a], None, &fw(true));
        assert_eq!(r.status, Coverage::Met);
        assert_eq!(r.responsibility, Some(R::Customer));
        let r = resolve(&req(), &[&a, &b], None, &fw(true));
        assert_eq!(r.status, Coverage::Partial);
        assert!(r.reason.contains("B (evidence stale)"), "{}", r.reason);
        let r = resolve(&req(), &[&b], None, &fw(true));
        assert_eq!(r.status, Coverage::Gap);
    }

    #[test]
    fn an_issue_or_an_uncovered_provider_part_never_qualifies() {
        let mut boundary = control("ACME-06", R::Inherited, S::Inherited, F::Provider);
        boundary.issues.push(ControlIssue::BoundaryError);
        let r = resolve(&req(), &[&boundary], None, &fw(true));
        assert_eq!(r.status, Coverage::Gap);
        assert!(r.reason.contains("boundary error"), "{}", r.reason);

        let inherited = control("PE-01", R::Inherited, S::Inherited, F::Provider);
        let shared = control("CM-01", R::Shared, S::Implemented, F::Fresh);
        assert_eq!(
            resolve(&req(), &[&inherited], None, &fw(true)).status,
            Coverage::Met
        );
        let r = resolve(&req(), &[&inherited, &shared], None, &fw(false));
        assert_eq!(r.status, Coverage::Gap);
        assert_eq!(r.responsibility, Some(R::Shared));
        assert!(
            r.reason.contains("provider part not covered"),
            "{}",
            r.reason
        );
    }

    #[test]
    fn not_applicable_controls_leave_the_requirement() {
        let a = control("A", R::Customer, S::Implemented, F::Fresh);
        let na = control("PE-09", R::Customer, S::NotApplicable, F::Fresh);
        let r = resolve(&req(), &[&a, &na], None, &fw(true));
        assert_eq!(r.status, Coverage::Met);
        assert_eq!(r.controls, vec!["A"]);
        assert_eq!(r.not_applicable_controls, vec!["PE-09"]);
        let r = resolve(&req(), &[&na], None, &fw(true));
        assert_eq!(r.status, Coverage::NotApplicable);
        assert_eq!(r.responsibility, None);
    }

    #[test]
    fn no_control_is_a_gap_and_a_project_reason_is_not_applicable() {
        let r = resolve(&req(), &[], None, &fw(true));
        assert_eq!(r.status, Coverage::Gap);
        assert_eq!(r.responsibility, None);
        let r = resolve(&req(), &[], Some("out of the examination"), &fw(true));
        assert_eq!(r.status, Coverage::NotApplicable);
        assert_eq!(r.reason, "out of the examination");
    }

    #[test]
    fn responsibility_aggregates_parts() {
        let i = control("I", R::Inherited, S::Inherited, F::Provider);
        let c = control("C", R::Customer, S::Implemented, F::Fresh);
        assert_eq!(aggregate([&i]), Some(R::Inherited));
        assert_eq!(aggregate([&i, &c]), Some(R::Shared));
        assert_eq!(aggregate([&c]), Some(R::Customer));
    }
}
