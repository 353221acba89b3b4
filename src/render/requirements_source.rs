//! Requirement-level records for the interop renderers (OSCAL SSP, CIS/CRM
//! workbook): one [`RequirementRow`] per requirement of a framework, with
//! its responsibility, status, controls, provider attestations and reason —
//! the model's own requirement records (the ones `requirements.csv` is
//! written from), with their controls looked up.

use crate::model::{ReportModel, ResolvedControl, ResolvedFramework};
use crate::srm::Responsibility;
pub use crate::values::Coverage;

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
    pub controls: Vec<&'a ResolvedControl>,
    /// Provider attestations backing its provider part, sorted.
    pub provider_attestations: Vec<&'a str>,
    /// Why it has its status.
    pub reason: &'a str,
}

/// Every requirement of `fw`, in catalog order.
pub fn rows<'a>(model: &'a ReportModel, fw: &'a ResolvedFramework) -> Vec<RequirementRow<'a>> {
    let by_id: std::collections::HashMap<&str, &ResolvedControl> =
        model.controls.iter().map(|c| (c.id.as_str(), c)).collect();
    fw.groups
        .iter()
        .flat_map(|g| &g.requirements)
        .map(|r| {
            let mut provider_attestations: Vec<&str> =
                r.provider_attestations.iter().map(String::as_str).collect();
            provider_attestations.sort_unstable();
            provider_attestations.dedup();
            RequirementRow {
                id: &r.id,
                title: &r.title,
                responsibility: r.responsibility,
                coverage: r.status,
                controls: r
                    .controls
                    .iter()
                    .filter_map(|id| by_id.get(id.as_str()).copied())
                    .collect(),
                provider_attestations,
                reason: &r.reason,
            }
        })
        .collect()
}
