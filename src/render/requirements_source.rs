//! Requirement-level records for the interop renderers (OSCAL SSP, CIS/CRM
//! workbook): one [`RequirementRow`] per requirement of a framework, with
//! its responsibility, status, controls, provider attestations and reason.
//!
//! This is the single place those renderers read requirements from. Today
//! the rows are selected from the model's [`FrameworkView`] groups and the
//! controls they name; when the model carries requirement records of its
//! own (the ones `requirements.csv` is written from), [`rows`] reads those
//! instead and nothing else changes.

use crate::model::{ControlView, FrameworkView, ReportModel};
use crate::srm::Responsibility;

/// Coverage of a requirement, as the model states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Met,
    Partial,
    Gap,
    NotApplicable,
}

impl Coverage {
    fn parse(s: &str) -> Self {
        match s {
            "met" => Coverage::Met,
            "partial" => Coverage::Partial,
            "not-applicable" => Coverage::NotApplicable,
            // Anything else is under-claimed.
            _ => Coverage::Gap,
        }
    }
}

/// One requirement of a framework and how it is covered.
#[derive(Debug)]
pub struct RequirementRow<'a> {
    /// The requirement id as the framework writes it (`AC-2(1)`).
    pub id: &'a str,
    pub title: &'a str,
    /// Inherited, shared or customer; `None` when no control maps to it.
    pub responsibility: Option<Responsibility>,
    pub coverage: Coverage,
    /// The in-scope controls it rests on, in the model's order.
    pub controls: Vec<&'a ControlView>,
    /// Provider attestations backing its provider part, sorted.
    pub provider_attestations: Vec<&'a str>,
    /// Why it is not met or not applicable (empty when met).
    pub reason: &'a str,
}

/// Every requirement of `fw`, in catalog order.
pub fn rows<'a>(model: &'a ReportModel, fw: &'a FrameworkView) -> Vec<RequirementRow<'a>> {
    let by_id: std::collections::HashMap<&str, &ControlView> =
        model.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    fw.groups
        .iter()
        .flat_map(|g| &g.requirements)
        .map(|r| {
            let controls: Vec<&ControlView> = r
                .controls
                .iter()
                .filter_map(|id| by_id.get(id.as_str()).copied())
                .collect();
            let responsibility = aggregate(controls.iter().map(|c| c.responsibility));
            let mut provider_attestations: Vec<&str> = controls
                .iter()
                .flat_map(|c| c.provider_attestations.iter().map(String::as_str))
                .collect();
            if controls
                .iter()
                .any(|c| c.responsibility == Responsibility::Shared)
            {
                provider_attestations.extend(fw.provider_attestations.iter().map(String::as_str));
            }
            provider_attestations.sort_unstable();
            provider_attestations.dedup();
            RequirementRow {
                id: &r.id,
                title: &r.title,
                responsibility,
                coverage: Coverage::parse(&r.coverage),
                controls,
                provider_attestations,
                reason: &r.reason,
            }
        })
        .collect()
}

/// The responsibility of a requirement from its controls': all inherited,
/// all customer, or else shared.
fn aggregate(mut parts: impl Iterator<Item = Responsibility>) -> Option<Responsibility> {
    let first = parts.next()?;
    Some(if parts.all(|p| p == first) {
        first
    } else {
        Responsibility::Shared
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixed_parts_make_a_shared_requirement() {
        use Responsibility::*;
        assert_eq!(aggregate([].into_iter()), None);
        assert_eq!(
            aggregate([Inherited, Inherited].into_iter()),
            Some(Inherited)
        );
        assert_eq!(aggregate([Customer].into_iter()), Some(Customer));
        assert_eq!(aggregate([Inherited, Customer].into_iter()), Some(Shared));
    }
}
