//! Selections of the model for one report: the whole package, or one
//! framework. Selecting is not deriving: every value comes from the model.

use super::pages::ControlPages;
use crate::model::*;
use crate::srm::Responsibility;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

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
    /// The framework of a framework report (its requirements are in
    /// [`Self::frameworks`]).
    pub framework: Option<FrameworkView<'a>>,
    /// The report's frameworks; in a framework report, with its
    /// requirements.
    pub frameworks: Vec<FrameworkView<'a>>,
    pub summary: &'a Summary,
    /// Whether the summary shows an "All" row (more than one framework).
    pub total: bool,
    /// The report's controls of each responsibility, by family, each with
    /// the page that holds its section.
    pub sections: Sections<'a>,
    /// In-scope controls of the report, by id, for lookups from templates:
    /// what a matrix row shows of a control, and where its section is.
    pub controls: HashMap<&'a str, ControlRow<'a>>,
    pub out_of_scope: Vec<&'a ResolvedControl>,
    /// The exceptions register: every open exception of the report's
    /// controls and those closed during the period, by control then id.
    pub exceptions: Vec<&'a ResolvedException>,
    /// The Gaps section: the report's findings of each gap code, in the
    /// order the section lists them, codes without findings left out.
    pub gaps: Vec<GapGroup<'a>>,
    /// Findings of severity `note`.
    pub notes: Vec<&'a Finding>,
    /// Evidence of the current attestations (superseded evidence is listed
    /// with each control's earlier attestations), item by item only in the
    /// whole package as one document ([`Self::document`]); the other
    /// reports point to the control pages' evidence indexes and leave it
    /// empty.
    pub evidence: Vec<&'a EvidenceItem>,
    /// How many evidence items the report's controls have.
    pub evidence_count: usize,
    /// The control pages whose evidence indexes list the report's evidence.
    pub evidence_pages: Vec<PageLink<'a>>,
    /// The total size of the report's evidence, in bytes.
    pub evidence_bytes: u64,
    pub provider_attestations: Vec<&'a ResolvedProviderAttestation>,
    /// Every framework report of the package (id and short name), for links
    /// between reports.
    pub reports: Vec<ReportLink<'a>>,
    /// Path from this report back to the package root (`""` or `"../"`).
    pub root: &'static str,
    /// How coverage is computed (Markdown), for every report.
    pub coverage_rules: &'static str,
}

/// A framework as a report shows it: what it is, its summary and provider
/// coverage and, in its own report, its requirements. The model's matrix
/// rows and control lists are left out: the requirements name their
/// controls, and `v.controls` holds what a row shows of each.
#[derive(Debug, Serialize)]
pub struct FrameworkView<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub short: &'a str,
    pub version: &'a str,
    pub source: &'a str,
    pub summary: &'a Summary,
    pub provider_attestations: &'a [String],
    pub provider_uncovered: &'a [DayRange],
    /// The requirement groups: only in the framework's own report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<&'a [RequirementGroup]>,
}

impl<'a> FrameworkView<'a> {
    /// `f`, with its requirements when `groups`.
    pub fn of(f: &'a ResolvedFramework, groups: bool) -> Self {
        FrameworkView {
            id: &f.id,
            title: &f.title,
            short: &f.short,
            version: &f.version,
            source: &f.source,
            summary: &f.summary,
            provider_attestations: &f.provider_attestations,
            provider_uncovered: &f.provider_uncovered,
            groups: groups.then_some(f.groups.as_slice()),
        }
    }
}

/// A link to one framework report.
#[derive(Debug, Serialize)]
pub struct ReportLink<'a> {
    pub id: &'a str,
    pub short: &'a str,
}

/// What a matrix row shows of a control, and the page of its section.
#[derive(Debug, Serialize)]
pub struct ControlRow<'a> {
    pub responsibility: Responsibility,
    pub status: ControlStatus,
    pub freshness: Freshness,
    /// The stem of the page holding its section (`controls/iam`).
    pub page: &'a str,
}

/// The controls of a report by responsibility, each list by family.
#[derive(Debug, Default, Serialize)]
pub struct Sections<'a> {
    pub inherited: Vec<FamilyLinks<'a>>,
    pub shared: Vec<FamilyLinks<'a>>,
    pub customer: Vec<FamilyLinks<'a>>,
}

/// The controls of one family in one section of a report, and the pages
/// that hold them.
#[derive(Debug, Serialize)]
pub struct FamilyLinks<'a> {
    pub family: &'a str,
    /// How many of the report's controls of the section it has.
    pub count: usize,
    pub pages: Vec<PageLink<'a>>,
}

/// A control page, as the reports link to it.
#[derive(Debug, Serialize)]
pub struct PageLink<'a> {
    pub stem: &'a str,
    pub family: &'a str,
    pub part: usize,
    pub parts: usize,
    /// How many of the report's controls (or evidence items) it holds.
    pub count: usize,
}

/// The findings of one gap code.
#[derive(Debug, Serialize)]
pub struct GapGroup<'a> {
    pub code: &'static str,
    pub title: &'static str,
    pub findings: Vec<&'a Finding>,
}

/// The subsections of Gaps: finding code and title, in order.
pub const GAP_SECTIONS: [(&str, &str); 8] = [
    ("requirement-gap", "Requirements with no control"),
    ("boundary-error", "Boundary errors"),
    ("no-attestation", "Controls with no attestation"),
    ("stale-evidence", "Stale evidence"),
    ("not-implemented", "Controls not implemented"),
    ("exception-past-due", "Exceptions past due"),
    (
        "bridge-letter-needed",
        "Provider coverage and bridge letters",
    ),
    ("future-dated", "Attestations dated after the as-of date"),
];

/// What sets one report apart: its scope, framework(s), controls,
/// findings, summary and place in the package.
struct Selection<'a> {
    scope: &'static str,
    framework: Option<&'a ResolvedFramework>,
    frameworks: Vec<&'a ResolvedFramework>,
    controls: Vec<&'a ResolvedControl>,
    findings: Vec<&'a Finding>,
    summary: &'a Summary,
    root: &'static str,
    /// Whether the view lists the evidence item by item ([`ReportView::document`]).
    list_evidence: bool,
}

impl<'a> ReportView<'a> {
    /// The whole package: every in-scope control that maps to a requirement
    /// of the package's frameworks.
    pub fn package(model: &'a ReportModel, pages: &'a ControlPages<'a>) -> Self {
        Self::whole(model, pages, false)
    }

    /// The whole package as one document (PDF, Word): [`Self::package`]
    /// with the evidence index item by item.
    pub fn document(model: &'a ReportModel, pages: &'a ControlPages<'a>) -> Self {
        Self::whole(model, pages, true)
    }

    fn whole(model: &'a ReportModel, pages: &'a ControlPages<'a>, list_evidence: bool) -> Self {
        let selection = Selection {
            scope: "package",
            framework: None,
            frameworks: model.frameworks.iter().collect(),
            controls: model.controls.iter().filter(|c| c.reported()).collect(),
            findings: model.findings.iter().collect(),
            summary: &model.summary,
            root: "",
            list_evidence,
        };
        Self::build(model, pages, selection)
    }

    /// One framework.
    pub fn framework(
        model: &'a ReportModel,
        pages: &'a ControlPages<'a>,
        fw: &'a ResolvedFramework,
    ) -> Self {
        let ids: HashSet<&str> = fw
            .inherited
            .iter()
            .chain(&fw.shared)
            .chain(&fw.customer)
            .map(String::as_str)
            .collect();
        let selection = Selection {
            scope: "framework",
            framework: Some(fw),
            frameworks: vec![fw],
            controls: model
                .controls
                .iter()
                .filter(|c| ids.contains(c.id.as_str()))
                .collect(),
            findings: model
                .findings
                .iter()
                .filter(|f| f.frameworks.is_empty() || f.frameworks.contains(&fw.id))
                .collect(),
            summary: &fw.summary,
            root: "../",
            list_evidence: false,
        };
        Self::build(model, pages, selection)
    }

    fn build(model: &'a ReportModel, pages: &'a ControlPages<'a>, s: Selection<'a>) -> Self {
        let fw_ids: Vec<&str> = s.frameworks.iter().map(|f| f.id.as_str()).collect();
        let evidence = evidence(model, &s.controls);
        let own = s.framework.is_some();
        ReportView {
            scope: s.scope,
            model,
            system: &model.system,
            period: &model.period,
            as_of: model.as_of,
            tool: &model.tool,
            inputs_digest: &model.inputs_digest,
            framework: s.framework.map(|f| FrameworkView::of(f, false)),
            sections: sections(&s.controls, pages),
            controls: rows(&s.controls, pages),
            out_of_scope: if s.framework.is_none() {
                model.controls.iter().filter(|c| !c.in_scope).collect()
            } else {
                Vec::new()
            },
            exceptions: s
                .controls
                .iter()
                .flat_map(|c| c.attestation.iter().flat_map(|a| a.exceptions.iter()))
                .filter(|x| x.closed.is_none_or(|d| d >= model.period.start))
                .collect(),
            gaps: gaps(&s.findings),
            notes: s
                .findings
                .iter()
                .copied()
                .filter(|f| f.severity == "note")
                .collect(),
            evidence_pages: evidence_pages(&evidence, pages),
            evidence_bytes: evidence.iter().filter_map(|e| e.size).sum(),
            evidence_count: evidence.len(),
            evidence: if s.list_evidence {
                evidence
            } else {
                Vec::new()
            },
            provider_attestations: model
                .provider_attestations
                .iter()
                .filter(|p| fw_ids.contains(&p.framework.as_str()))
                .collect(),
            frameworks: s
                .frameworks
                .iter()
                .map(|f| FrameworkView::of(f, own))
                .collect(),
            reports: report_links(model),
            summary: s.summary,
            total: fw_ids.len() > 1,
            root: s.root,
            coverage_rules: crate::resolve::requirements::COVERAGE_RULES,
        }
    }

    /// How many reports [`ReportView::all`] gives.
    pub fn count(model: &ReportModel) -> u64 {
        1 + model.frameworks.len() as u64
    }

    /// The stem of every report of a package, in [`Self::all`] order, with
    /// the framework of each framework report.
    pub fn stems(model: &'a ReportModel) -> Vec<(String, Option<&'a ResolvedFramework>)> {
        let mut out = vec![("report".to_string(), None)];
        for fw in &model.frameworks {
            out.push((format!("frameworks/{}", fw.id), Some(fw)));
        }
        out
    }

    /// Every report of a package: the whole, then one per framework.
    pub fn all(
        model: &'a ReportModel,
        pages: &'a ControlPages<'a>,
    ) -> Vec<(String, ReportView<'a>)> {
        Self::stems(model)
            .into_iter()
            .map(|(stem, fw)| {
                let view = match fw {
                    Some(fw) => Self::framework(model, pages, fw),
                    None => Self::package(model, pages),
                };
                (stem, view)
            })
            .collect()
    }
}

/// The page of control `id`, or `""` for a control no page holds.
fn page_of<'a>(pages: &'a ControlPages<'a>, id: &str) -> &'a str {
    pages.stem_of(id).unwrap_or("")
}

fn rows<'a>(
    controls: &[&'a ResolvedControl],
    pages: &'a ControlPages<'a>,
) -> HashMap<&'a str, ControlRow<'a>> {
    controls
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                ControlRow {
                    responsibility: c.responsibility,
                    status: c.status,
                    freshness: c.freshness,
                    page: page_of(pages, &c.id),
                },
            )
        })
        .collect()
}

/// The report's controls in page order, by responsibility and family.
fn sections<'a>(controls: &[&'a ResolvedControl], pages: &'a ControlPages<'a>) -> Sections<'a> {
    let ids: HashSet<&str> = controls.iter().map(|c| c.id.as_str()).collect();
    let of = |r: Responsibility| {
        let mut out: Vec<FamilyLinks> = Vec::new();
        for p in &pages.pages {
            let count = p
                .controls()
                .filter(|c| c.responsibility == r && ids.contains(c.id.as_str()))
                .count();
            if count == 0 {
                continue;
            }
            let link = page_link(p, count);
            match out.last_mut() {
                Some(f) if f.family == p.family => {
                    f.count += count;
                    f.pages.push(link);
                }
                _ => out.push(FamilyLinks {
                    family: p.family,
                    count,
                    pages: vec![link],
                }),
            }
        }
        out
    };
    Sections {
        inherited: of(Responsibility::Inherited),
        shared: of(Responsibility::Shared),
        customer: of(Responsibility::Customer),
    }
}

fn page_link<'a>(p: &'a super::pages::ControlPage<'a>, count: usize) -> PageLink<'a> {
    PageLink {
        stem: &p.stem,
        family: p.family,
        part: p.part,
        parts: p.parts,
        count,
    }
}

/// The control pages whose evidence index lists evidence of `evidence`,
/// with how many items each lists.
fn evidence_pages<'a>(
    evidence: &[&'a EvidenceItem],
    pages: &'a ControlPages<'a>,
) -> Vec<PageLink<'a>> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in evidence {
        if let Some(stem) = pages.stem_of(&e.control) {
            *counts.entry(stem).or_default() += 1;
        }
    }
    pages
        .pages
        .iter()
        .filter_map(|p| counts.get(p.stem.as_str()).map(|&n| page_link(p, n)))
        .collect()
}

/// The findings of each gap code, in the order of [`GAP_SECTIONS`].
fn gaps<'a>(findings: &[&'a Finding]) -> Vec<GapGroup<'a>> {
    GAP_SECTIONS
        .iter()
        .map(|&(code, title)| GapGroup {
            code,
            title,
            findings: findings
                .iter()
                .copied()
                .filter(|f| f.code == code)
                .collect(),
        })
        .filter(|g| !g.findings.is_empty())
        .collect()
}

/// The evidence of the current attestations of `controls`; superseded
/// evidence is listed with the earlier attestations of its control.
fn evidence<'a>(model: &'a ReportModel, controls: &[&'a ResolvedControl]) -> Vec<&'a EvidenceItem> {
    let ids: HashSet<&str> = controls.iter().map(|c| c.id.as_str()).collect();
    model
        .evidence
        .iter()
        .filter(|e| ids.contains(e.control.as_str()) && e.freshness != Freshness::Superseded)
        .collect()
}

/// The requirements a control's section lists: those of the package's
/// frameworks, as the model orders them. Markdown and HTML both print
/// these rows.
pub fn requirements_of<'a>(c: &'a ResolvedControl, fw_ids: &[&str]) -> Vec<&'a RequirementRef> {
    c.requirements
        .iter()
        .filter(|r| fw_ids.contains(&r.framework.as_str()))
        .collect()
}

/// What a page of control sections shows besides them: the package, the
/// page and every other page (for the contents).
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub system: &'a System,
    pub period: &'a AuditPeriod,
    pub as_of: chrono::NaiveDate,
    pub tool: &'a Tool,
    pub inputs_digest: &'a str,
    pub page: &'a super::pages::ControlPage<'a>,
    pub pages: &'a [super::pages::ControlPage<'a>],
    pub reports: Vec<ReportLink<'a>>,
    /// The evidence index of the page: evidence of its controls' current
    /// attestations.
    pub evidence: Vec<&'a EvidenceItem>,
    /// Path from the page back to the package root.
    pub root: &'static str,
}

impl<'a> PageView<'a> {
    /// Page `i` of `pages`.
    pub fn new(model: &'a ReportModel, pages: &'a ControlPages<'a>, i: usize) -> Self {
        let page = &pages.pages[i];
        let controls: Vec<&ResolvedControl> = page.controls().collect();
        PageView {
            evidence: evidence(model, &controls),
            system: &model.system,
            period: &model.period,
            as_of: model.as_of,
            tool: &model.tool,
            inputs_digest: &model.inputs_digest,
            page,
            pages: &pages.pages,
            reports: report_links(model),
            root: "../",
        }
    }
}

/// A link to each framework report of the package.
fn report_links(model: &ReportModel) -> Vec<ReportLink<'_>> {
    model
        .frameworks
        .iter()
        .map(|f| ReportLink {
            id: &f.id,
            short: &f.short,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> ReportModel {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/valid");
        let date = chrono::NaiveDate::from_ymd_opt(2026, 9, 30).unwrap();
        let mut sources = crate::diag::Sources::default();
        match crate::pipeline::run(&dir, date, &Default::default(), &mut sources) {
            crate::pipeline::Outcome::Resolved(r) => r.model,
            crate::pipeline::Outcome::Invalid(e) => panic!("{e:?}"),
        }
    }

    /// What a template sees grows with the report, not with the package:
    /// requirements only in their framework's report, evidence item by item
    /// only in the one-document package.
    #[test]
    fn reports_carry_their_own_requirements_and_only_the_document_lists_evidence() {
        let model = model();
        let pages = ControlPages::of(&model);
        let json = |v: &ReportView| serde_json::to_value(v).unwrap();

        let package = json(&ReportView::package(&model, &pages));
        assert!(package["frameworks"][0].get("groups").is_none());
        assert!(package.get("findings").is_none());
        assert_eq!(package["evidence"], serde_json::json!([]));
        let count = package["evidence_count"].as_u64().unwrap();
        assert!(count > 0);

        let document = json(&ReportView::document(&model, &pages));
        assert_eq!(document["evidence"].as_array().unwrap().len() as u64, count);

        let fw = &model.frameworks[0];
        let report = json(&ReportView::framework(&model, &pages, fw));
        let groups = report["frameworks"][0]["groups"].as_array().unwrap();
        let listed: usize = groups
            .iter()
            .map(|g| g["requirements"].as_array().unwrap().len())
            .sum();
        assert_eq!(
            listed,
            fw.groups
                .iter()
                .map(|g| g.requirements.len())
                .sum::<usize>()
        );
        assert_eq!(report["framework"]["id"], fw.id.as_str());
        assert!(report["framework"].get("groups").is_none());
        assert!(report["frameworks"][0].get("matrix").is_none());
    }
}
