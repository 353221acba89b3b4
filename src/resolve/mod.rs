//! Stage 3, resolve: from the validated inventory compute, once, the report
//! model — responsibility per control, status and freshness, requirement
//! coverage per framework, provider-attestation coverage and every finding.

mod control;
pub mod provider;
pub mod requirements;
pub mod responsibility;
mod summary;

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::*;
use crate::srm::{Layer, Party, Responsibility};
use crate::validate::{Attestation, Catalog, Inventory};
use chrono::NaiveDate;
use std::collections::HashMap;

/// Days before expiry at which evidence counts as expiring.
pub const EXPIRING_DAYS: i64 = 30;

/// What a finding concerns, for per-framework reports.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub frameworks: Vec<String>,
    pub control: String,
    pub requirement: String,
}

/// The resolved model and the findings as diagnostics (for `check`).
pub struct Resolved {
    pub model: ReportModel,
    pub findings: Vec<Diagnostic>,
    /// Where the evidence files are, for packaging.
    pub evidence_root: std::path::PathBuf,
    /// Every framework of the project, when only some were resolved.
    pub project_frameworks: Vec<String>,
}

/// Resolve the inventory at the `as_of` date. `notes` are findings already
/// made by validation (such as control overrides).
pub fn resolve(inv: &Inventory, as_of: NaiveDate, notes: Vec<Diagnostic>) -> Resolved {
    let mut found: Vec<(Diagnostic, Scope)> =
        notes.into_iter().map(|d| (d, Scope::default())).collect();
    let p = &inv.project;
    let services: Vec<&crate::validate::Service> = p
        .services
        .iter()
        .filter_map(|s| inv.matrix.services.get(s))
        .collect();
    let cx = control::Context {
        inv,
        services: &services,
        as_of,
        prefix: crate::load::files::project_prefix(&p.root),
    };
    let controls = resolve_controls(&cx, &mut found);
    let index: HashMap<&str, &ResolvedControl> =
        controls.iter().map(|c| (c.id.as_str(), c)).collect();

    let mut frameworks = Vec::new();
    let mut provider_attestations = Vec::new();
    for fw in &p.frameworks {
        let cat = &inv.catalogs[fw];
        frameworks.push(resolve_framework(cat, inv, &index, &mut found));
        provider_attestations.extend(
            p.provider_attestations
                .iter()
                .filter(|a| &a.framework == fw)
                .map(|pa| resolve_provider_attestation(pa, &p.period)),
        );
    }

    let findings = sorted_findings(&mut found, &cx.prefix);
    for f in frameworks.iter_mut() {
        summary::finish(&mut f.summary, &findings, Some(&f.id));
        f.summary.bridge_letter_needed = findings
            .iter()
            .any(|x| x.code == Code::BridgeLetterNeeded.name() && x.frameworks.contains(&f.id));
    }
    // The controls the package reports: in scope and mapped to a framework of it.
    let mut total = summary::of_controls(controls.iter().filter(|c| c.reported()));
    summary::add_requirements(&mut total, frameworks.iter().map(|f| &f.summary));
    summary::finish(&mut total, &findings, None);
    let evidence = reported_evidence(&controls);

    let model = ReportModel {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "auditpack".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        system: system(inv, &services),
        period: AuditPeriod {
            label: p.period.label.clone(),
            start: p.period.start,
            end: p.period.end,
        },
        as_of,
        inputs_digest: inv.inputs_digest.clone(),
        controls,
        frameworks,
        provider_attestations,
        findings,
        evidence,
        summary: total,
    };
    Resolved {
        model,
        findings: found.into_iter().map(|(d, _)| d).collect(),
        evidence_root: inv.project.evidence_root.clone(),
        project_frameworks: p.frameworks.clone(),
    }
}

/// Every control of the inventory, resolved with its attestations (oldest
/// first), pushing its findings.
fn resolve_controls(
    cx: &control::Context,
    found: &mut Vec<(Diagnostic, Scope)>,
) -> Vec<ResolvedControl> {
    let mut by_control: HashMap<&str, Vec<&Attestation>> = HashMap::new();
    for a in &cx.inv.attestations {
        by_control.entry(a.control.as_str()).or_default().push(a);
    }
    // In parallel, each control with its own findings, joined in order.
    use rayon::prelude::*;
    let done: Vec<(ResolvedControl, Vec<(Diagnostic, Scope)>)> = cx
        .inv
        .controls
        .par_iter()
        .map(|c| {
            let list = by_control.get(c.id.as_str()).map_or(&[][..], |v| &v[..]);
            let mut own = Vec::new();
            let resolved = control::resolve_control(c, cx, list, &mut own);
            (resolved, own)
        })
        .collect();
    let mut controls = Vec::with_capacity(done.len());
    for (c, own) in done {
        controls.push(c);
        found.extend(own);
    }
    controls
}

/// A provider attestation with its coverage of the period.
fn resolve_provider_attestation(
    pa: &crate::validate::ProviderAttestation,
    period: &crate::validate::Period,
) -> ResolvedProviderAttestation {
    ResolvedProviderAttestation {
        id: pa.id.clone(),
        framework: pa.framework.clone(),
        title: pa.title.clone(),
        start: pa.start,
        end: pa.end,
        coverage: provider::coverage(pa, period),
        bridge_letter: pa.bridge_letter.as_ref().map(|b| BridgeLetterNeed {
            start: b.start,
            end: b.end,
            evidence: b.evidence.clone(),
        }),
    }
}

/// The findings, most severe first and each once, as the model records them.
/// Locations are named within the project ([`crate::diag::Span::within`]).
fn sorted_findings(found: &mut Vec<(Diagnostic, Scope)>, prefix: &str) -> Vec<Finding> {
    found.sort_by(|(a, _), (b, _)| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| crate::diag::order_within(a, b, prefix))
    });
    found.dedup_by(|a, b| a.0.message == b.0.message && a.0.span == b.0.span);
    found
        .iter()
        .map(|(d, s)| Finding {
            code: d.code.name().into(),
            severity: d.severity.label().into(),
            message: d.message.clone(),
            location: d
                .span
                .as_ref()
                .map(|s| s.within(prefix).to_string())
                .unwrap_or_default(),
            hint: d.hint.clone().unwrap_or_default(),
            frameworks: s.frameworks.clone(),
            control: s.control.clone(),
            requirement: s.requirement.clone(),
        })
        .collect()
}

/// The evidence of the reported controls, sorted by target; the current use
/// of a file comes before superseded ones.
fn reported_evidence(controls: &[ResolvedControl]) -> Vec<EvidenceItem> {
    let mut evidence: Vec<EvidenceItem> = controls
        .iter()
        .filter(|c| c.reported())
        .flat_map(|c| c.attestation.iter().chain(c.earlier.iter()))
        .flat_map(|a| a.evidence.iter().cloned())
        .collect();
    evidence.sort_by(|a, b| {
        a.target
            .cmp(&b.target)
            .then(a.control.cmp(&b.control))
            .then(a.freshness.cmp(&b.freshness))
    });
    evidence.dedup_by(|a, b| a.target == b.target && a.control == b.control);
    evidence
}

/// The system described: the project, its provider and the services in scope.
fn system(inv: &Inventory, services: &[&crate::validate::Service]) -> System {
    let p = &inv.project;
    System {
        name: p.name.clone(),
        organization: p.organization.clone(),
        description: p.description.clone(),
        provider: p.provider.clone(),
        provider_name: inv.matrix.name.clone(),
        services: services
            .iter()
            .map(|s| ServiceInScope {
                id: s.id.clone(),
                name: s.name.clone(),
                model: s.model,
                customer_layers: Layer::ALL
                    .iter()
                    .copied()
                    .filter(|&l| s.party(l) == Party::Customer)
                    .collect(),
                note: s.note.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

/// The in-scope controls mapped to framework `fw`, and those of each requirement id.
struct Mapped<'a> {
    controls: Vec<&'a ResolvedControl>,
    by_requirement: HashMap<&'a str, Vec<&'a ResolvedControl>>,
}

impl<'a> Mapped<'a> {
    fn of(fw: &str, inv: &'a Inventory, index: &HashMap<&str, &'a ResolvedControl>) -> Self {
        let mut by_requirement: HashMap<&str, Vec<&ResolvedControl>> = HashMap::new();
        let mut controls: Vec<&ResolvedControl> = Vec::new();
        for c in inv.controls.iter() {
            let resolved = index[c.id.as_str()];
            if !resolved.in_scope {
                continue;
            }
            if let Some(ids) = c.mappings.get(fw) {
                controls.push(resolved);
                for id in ids {
                    by_requirement
                        .entry(id.as_str())
                        .or_default()
                        .push(resolved);
                }
            }
        }
        Mapped {
            controls,
            by_requirement,
        }
    }

    /// The ids of the mapped controls of responsibility `r`.
    fn ids_with(&self, r: Responsibility) -> Vec<String> {
        self.controls
            .iter()
            .filter(|c| c.responsibility == r)
            .map(|c| c.id.clone())
            .collect()
    }
}

/// One framework: every requirement resolved, the matrix, and the finding
/// when the provider parts of its controls are not covered for the period.
fn resolve_framework(
    cat: &Catalog,
    inv: &Inventory,
    index: &HashMap<&str, &ResolvedControl>,
    found: &mut Vec<(Diagnostic, Scope)>,
) -> ResolvedFramework {
    let fw = cat.id.as_str();
    let p = &inv.project;
    let mapped = Mapped::of(fw, inv, index);
    let pas: Vec<&crate::validate::ProviderAttestation> = p
        .provider_attestations
        .iter()
        .filter(|pa| pa.framework == fw)
        .collect();
    let uncovered = provider_coverage(cat, inv, &pas, &mapped.controls, found);
    let overlapping: Vec<String> = pas
        .iter()
        .filter(|pa| provider::overlaps(pa, &p.period))
        .map(|pa| pa.id.clone())
        .collect();
    let rf = requirements::Framework {
        id: fw,
        short: &cat.short,
        provider_covered: uncovered.is_empty(),
        provider_attestations: &overlapping,
    };
    let mut summary = summary::of_controls(mapped.controls.iter().copied());
    let (groups, matrix) = resolve_requirements(cat, inv, &mapped, &rf, &mut summary, found);
    summary.coverage_percent = percent(
        summary.requirements_met,
        summary.requirements - summary.requirements_na,
    );
    ResolvedFramework {
        id: cat.id.clone(),
        title: cat.title.clone(),
        short: cat.short.clone(),
        version: cat.version.clone(),
        source: cat.source.clone(),
        summary,
        groups,
        matrix,
        inherited: mapped.ids_with(Responsibility::Inherited),
        shared: mapped.ids_with(Responsibility::Shared),
        customer: mapped.ids_with(Responsibility::Customer),
        provider_attestations: pas.iter().map(|pa| pa.id.clone()).collect(),
        provider_uncovered: uncovered,
    }
}

/// Every requirement of the catalog resolved, counted into `summary`, in
/// its group (groups left empty are dropped), with its matrix rows; a
/// requirement no control maps to and not declared not applicable is a gap.
fn resolve_requirements(
    cat: &Catalog,
    inv: &Inventory,
    mapped: &Mapped,
    rf: &requirements::Framework,
    summary: &mut Summary,
    found: &mut Vec<(Diagnostic, Scope)>,
) -> (Vec<RequirementGroup>, Vec<MatrixRow>) {
    let na = inv.project.not_applicable.get(&cat.id);
    let (mut groups, group_index) = empty_groups(cat);
    let mut matrix = Vec::new();
    for req in &cat.requirements {
        let ctrls = mapped
            .by_requirement
            .get(req.id.as_str())
            .map_or(&[][..], |v| &v[..]);
        let reason = na.and_then(|m| m.get(&req.id)).map(String::as_str);
        let rv = requirements::resolve(req, ctrls, reason, rf);
        summary::count_requirement(summary, rv.status);
        if ctrls.is_empty() && reason.is_none() {
            found.push(gap_finding(cat, inv, req));
        }
        matrix.extend(matrix_rows(&rv, ctrls));
        if let Some(&gi) = group_index.get(req.group.as_str()) {
            groups[gi].requirements.push(rv);
        }
    }
    groups.retain(|g| !g.requirements.is_empty());
    (groups, matrix)
}

/// The catalog's groups, without requirements yet, and their index by id.
fn empty_groups(cat: &Catalog) -> (Vec<RequirementGroup>, HashMap<&str, usize>) {
    let groups = cat
        .groups
        .iter()
        .map(|(id, title)| RequirementGroup {
            id: id.clone(),
            title: title.clone(),
            requirements: Vec::new(),
        })
        .collect();
    let index = cat
        .groups
        .iter()
        .enumerate()
        .map(|(i, (g, _))| (g.as_str(), i))
        .collect();
    (groups, index)
}

/// The days of the period that the framework's provider attestations leave
/// uncovered, with the finding when controls have a provider part.
fn provider_coverage(
    cat: &Catalog,
    inv: &Inventory,
    pas: &[&crate::validate::ProviderAttestation],
    mapped: &[&ResolvedControl],
    found: &mut Vec<(Diagnostic, Scope)>,
) -> Vec<DayRange> {
    let p = &inv.project;
    let uncovered = provider::uncovered(pas, &p.period);
    found.extend(provider::finding(
        &provider::Need {
            framework: &cat.id,
            short: &cat.short,
            pas,
            uncovered: &uncovered,
            controls: mapped
                .iter()
                .filter(|c| c.responsibility != Responsibility::Customer)
                .count(),
            provider: &inv.matrix.name,
            framework_span: p.framework_spans.get(&cat.id).cloned().flatten(),
        },
        &p.period,
    ));
    uncovered
}

/// The finding for a requirement no in-scope control maps to.
fn gap_finding(
    cat: &Catalog,
    inv: &Inventory,
    req: &crate::validate::Requirement,
) -> (Diagnostic, Scope) {
    let fw = cat.id.as_str();
    (
        Diagnostic::finding(
            Code::RequirementGap,
            Severity::Error,
            format!("{} requirement {} ({}) has no control", cat.short, req.id, req.title),
        )
        .at(inv.project.framework_spans.get(fw).cloned().flatten())
        .hint(format!(
            "map a control to it (`frameworks: {{{}: [\"{}\"]}}`) or list it under `not_applicable` with a reason",
            cat.mapping_key, req.id
        )),
        Scope {
            frameworks: vec![fw.to_string()],
            control: String::new(),
            requirement: req.id.clone(),
        },
    )
}

/// The matrix rows of one requirement: one per mapped control (those
/// attested not applicable too), or one empty row.
fn matrix_rows(rv: &ResolvedRequirement, ctrls: &[&ResolvedControl]) -> Vec<MatrixRow> {
    let row = |c: Option<&ResolvedControl>| MatrixRow {
        framework: rv.framework.clone(),
        requirement: rv.id.clone(),
        requirement_title: rv.title.clone(),
        control: c.map(|c| c.id.clone()).unwrap_or_default(),
        control_title: c.map(|c| c.title.clone()).unwrap_or_default(),
        responsibility: c.map(|c| c.responsibility),
        status: c.map(|c| c.status),
        freshness: c.map(|c| c.freshness),
        coverage: rv.status,
    };
    if ctrls.is_empty() {
        vec![row(None)]
    } else {
        ctrls.iter().map(|c| row(Some(c))).collect()
    }
}

/// `n` of `of` as a whole percentage, rounded down.
pub fn percent(n: usize, of: usize) -> usize {
    (n * 100).checked_div(of).unwrap_or(100)
}
