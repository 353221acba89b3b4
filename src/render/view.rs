//! Selections of the model for one report: the whole package, or one
//! framework. Selecting is not deriving: every value comes from the model.

use crate::model::*;
use crate::srm::Responsibility;
use serde::Serialize;
use std::collections::HashMap;

/// What one report document shows.
#[derive(Debug, Serialize)]
pub struct ReportView<'a> {
    /// `package` or `framework`.
    pub scope: &'static str,
    #[serde(skip)]
    pub model: &'a ReportModel,
    pub system: &'a System,
    pub period: &'a AuditPeriod,
    pub as_of: chrono::NaiveDate,
    pub tool: &'a Tool,
    pub inputs_digest: &'a str,
    /// The framework of a framework report.
    pub framework: Option<&'a ResolvedFramework>,
    pub frameworks: Vec<&'a ResolvedFramework>,
    pub summary: &'a Summary,
    /// Whether the summary shows an "All" row (more than one framework).
    pub total: bool,
    /// The controls of each responsibility section. Templates see them as
    /// `sections`, each control already rendered ([`super::Sections`]).
    #[serde(skip)]
    pub inherited: Vec<&'a ResolvedControl>,
    #[serde(skip)]
    pub shared: Vec<&'a ResolvedControl>,
    #[serde(skip)]
    pub customer: Vec<&'a ResolvedControl>,
    /// In-scope controls of the report, by id, for lookups from templates
    /// (the few fields a matrix row shows; the full controls are above).
    pub controls: HashMap<&'a str, Brief>,
    pub out_of_scope: Vec<&'a ResolvedControl>,
    /// The exceptions register: every open exception of the report's
    /// controls and those closed during the period, by control then id.
    pub exceptions: Vec<&'a ResolvedException>,
    pub findings: Vec<&'a Finding>,
    /// Evidence of the current attestations (superseded evidence is listed
    /// with each control's earlier attestations).
    pub evidence: Vec<&'a EvidenceItem>,
    pub provider_attestations: Vec<&'a ResolvedProviderAttestation>,
    /// Every framework report of the package (id and short name), for links
    /// between reports.
    pub reports: Vec<ReportLink<'a>>,
    /// Path from this report back to the package root (`""` or `"../"`).
    pub root: &'static str,
    /// How coverage is computed (Markdown), for every report.
    pub coverage_rules: &'static str,
}

/// A link to one framework report.
#[derive(Debug, Serialize)]
pub struct ReportLink<'a> {
    pub id: &'a str,
    pub short: &'a str,
}

/// What a matrix row shows of a control.
#[derive(Debug, Serialize)]
pub struct Brief {
    pub responsibility: crate::srm::Responsibility,
    pub status: ControlStatus,
    pub freshness: Freshness,
}

impl<'a> ReportView<'a> {
    /// The whole package: every in-scope control that maps to a requirement
    /// of the package's frameworks.
    pub fn package(model: &'a ReportModel) -> Self {
        let in_scope: Vec<&ResolvedControl> =
            model.controls.iter().filter(|c| c.reported()).collect();
        Self::build(
            "package",
            model,
            None,
            model.frameworks.iter().collect(),
            in_scope,
            model.findings.iter().collect(),
            &model.summary,
            "",
        )
    }

    /// One framework.
    pub fn framework(model: &'a ReportModel, fw: &'a ResolvedFramework) -> Self {
        let ids: std::collections::HashSet<&str> = fw
            .inherited
            .iter()
            .chain(&fw.shared)
            .chain(&fw.customer)
            .map(String::as_str)
            .collect();
        let controls = model
            .controls
            .iter()
            .filter(|c| ids.contains(c.id.as_str()))
            .collect();
        let findings = model
            .findings
            .iter()
            .filter(|f| f.frameworks.is_empty() || f.frameworks.contains(&fw.id))
            .collect();
        Self::build(
            "framework",
            model,
            Some(fw),
            vec![fw],
            controls,
            findings,
            &fw.summary,
            "../",
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn build(
        scope: &'static str,
        model: &'a ReportModel,
        framework: Option<&'a ResolvedFramework>,
        frameworks: Vec<&'a ResolvedFramework>,
        controls: Vec<&'a ResolvedControl>,
        findings: Vec<&'a Finding>,
        summary: &'a Summary,
        root: &'static str,
    ) -> Self {
        let with = |r: Responsibility| {
            controls
                .iter()
                .copied()
                .filter(|c| c.responsibility == r)
                .collect::<Vec<_>>()
        };
        let ids: std::collections::HashSet<&str> = controls.iter().map(|c| c.id.as_str()).collect();
        // The index lists the evidence of current attestations; superseded
        // evidence is listed with the earlier attestations of its control.
        let evidence = model
            .evidence
            .iter()
            .filter(|e| ids.contains(e.control.as_str()) && e.freshness != Freshness::Superseded)
            .collect();
        let fw_ids: Vec<&str> = frameworks.iter().map(|f| f.id.as_str()).collect();
        ReportView {
            scope,
            model,
            system: &model.system,
            period: &model.period,
            as_of: model.as_of,
            tool: &model.tool,
            inputs_digest: &model.inputs_digest,
            framework,
            inherited: with(Responsibility::Inherited),
            shared: with(Responsibility::Shared),
            customer: with(Responsibility::Customer),
            controls: controls
                .iter()
                .map(|c| {
                    (
                        c.id.as_str(),
                        Brief {
                            responsibility: c.responsibility,
                            status: c.status,
                            freshness: c.freshness,
                        },
                    )
                })
                .collect(),
            out_of_scope: if framework.is_none() {
                model.controls.iter().filter(|c| !c.in_scope).collect()
            } else {
                Vec::new()
            },
            exceptions: controls
                .iter()
                .flat_map(|c| c.attestation.iter().flat_map(|a| a.exceptions.iter()))
                .filter(|x| x.closed.is_none_or(|d| d >= model.period.start))
                .collect(),
            findings,
            evidence,
            provider_attestations: model
                .provider_attestations
                .iter()
                .filter(|p| fw_ids.contains(&p.framework.as_str()))
                .collect(),
            frameworks,
            reports: model
                .frameworks
                .iter()
                .map(|f| ReportLink {
                    id: &f.id,
                    short: &f.short,
                })
                .collect(),
            summary,
            total: fw_ids.len() > 1,
            root,
            coverage_rules: crate::resolve::requirements::COVERAGE_RULES,
        }
    }

    /// How many reports [`ReportView::all`] gives.
    pub fn count(model: &ReportModel) -> u64 {
        1 + model.frameworks.len() as u64
    }

    /// Every report of a package: the whole, then one per framework.
    pub fn all(model: &'a ReportModel) -> Vec<(String, ReportView<'a>)> {
        let mut out = vec![("report".to_string(), Self::package(model))];
        for fw in &model.frameworks {
            out.push((format!("frameworks/{}", fw.id), Self::framework(model, fw)));
        }
        out
    }
}
