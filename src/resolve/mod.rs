//! Stage 3, resolve: from the validated inventory compute, once, the report
//! model — responsibility per control, status and freshness, requirement
//! coverage per framework, provider-attestation coverage and every finding.

pub mod responsibility;
mod summary;

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::*;
use crate::srm::{Layer, Party, Responsibility, Status};
use crate::validate::{Attestation, Catalog, Control, Evidence, Inventory};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

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

    // Attestations by control, oldest first.
    let mut by_control: HashMap<&str, Vec<&Attestation>> = HashMap::new();
    for a in &inv.attestations {
        by_control.entry(a.control.as_str()).or_default().push(a);
    }

    let controls: Vec<ControlView> = inv
        .controls
        .iter()
        .map(|c| {
            control_view(
                c,
                inv,
                &services,
                by_control.get(c.id.as_str()),
                as_of,
                &mut found,
            )
        })
        .collect();
    let index: HashMap<&str, &ControlView> = controls.iter().map(|c| (c.id.as_str(), c)).collect();

    let mut frameworks = Vec::new();
    let mut provider_attestations = Vec::new();
    for fw in &p.frameworks {
        let cat = &inv.catalogs[fw];
        frameworks.push(framework_view(cat, inv, &controls, &index, &mut found));
        for pa in inv
            .project
            .provider_attestations
            .iter()
            .filter(|a| &a.framework == fw)
        {
            provider_attestations.push(ProviderAttestationView {
                id: pa.id.clone(),
                framework: pa.framework.clone(),
                title: pa.title.clone(),
                start: pa.start,
                end: pa.end,
                coverage: pa_coverage(pa.start, pa.end, &p.period).into(),
            });
        }
    }

    // Provider coverage of each framework's inherited controls.
    for f in &frameworks {
        bridge_letter(f, inv, &mut found);
    }

    found.sort_by(|(a, _), (b, _)| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| crate::diag::order(a, b))
    });
    found.dedup_by(|a, b| a.0.message == b.0.message && a.0.span == b.0.span);
    let findings: Vec<Finding> = found
        .iter()
        .map(|(d, s)| Finding {
            code: d.code.name().into(),
            severity: d.severity.label().into(),
            message: d.message.clone(),
            location: d.span.as_ref().map(|s| s.to_string()).unwrap_or_default(),
            hint: d.hint.clone().unwrap_or_default(),
            frameworks: s.frameworks.clone(),
            control: s.control.clone(),
            requirement: s.requirement.clone(),
        })
        .collect();

    for f in frameworks.iter_mut() {
        summary::finish(&mut f.summary, &findings, Some(&f.id));
        f.summary.bridge_letter_needed = findings
            .iter()
            .any(|x| x.code == Code::BridgeLetter.name() && x.frameworks.contains(&f.id));
    }
    let mut total = summary::of_controls(controls.iter().filter(|c| c.in_scope));
    for f in &frameworks {
        total.requirements += f.summary.requirements;
        total.requirements_met += f.summary.requirements_met;
        total.requirements_partial += f.summary.requirements_partial;
        total.requirements_gap += f.summary.requirements_gap;
        total.requirements_na += f.summary.requirements_na;
        total.bridge_letter_needed |= f.summary.bridge_letter_needed;
    }
    summary::finish(&mut total, &findings, None);

    let mut evidence: Vec<EvidenceItem> = controls
        .iter()
        .filter(|c| c.in_scope)
        .flat_map(|c| c.attestation.iter().chain(c.earlier.iter()))
        .flat_map(|a| a.evidence.iter().cloned())
        .collect();
    // Sorted by target; the current use of a file comes before superseded ones.
    evidence.sort_by(|a, b| {
        a.target
            .cmp(&b.target)
            .then(a.control.cmp(&b.control))
            .then(a.freshness.cmp(&b.freshness))
    });
    evidence.dedup_by(|a, b| a.target == b.target && a.control == b.control);

    let model = ReportModel {
        schema_version: SCHEMA_VERSION,
        tool: Tool {
            name: "auditpack".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        system: System {
            name: p.name.clone(),
            organization: p.organization.clone(),
            description: p.description.clone(),
            provider: p.provider.clone(),
            provider_name: inv.matrix.name.clone(),
            services: services
                .iter()
                .map(|s| ServiceView {
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
        },
        period: PeriodView {
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
    }
}

fn freshness(a: &Attestation, as_of: NaiveDate) -> Freshness {
    if a.valid_until < as_of {
        Freshness::Stale
    } else if (a.valid_until - as_of).num_days() <= EXPIRING_DAYS {
        Freshness::Expiring
    } else {
        Freshness::Fresh
    }
}

fn control_view(
    c: &Control,
    inv: &Inventory,
    services: &[&crate::validate::Service],
    attestations: Option<&Vec<&Attestation>>,
    as_of: NaiveDate,
    found: &mut Vec<(Diagnostic, Scope)>,
) -> ControlView {
    let applies: Vec<&crate::validate::Service> = match &c.services {
        None => services.to_vec(),
        Some(list) => services
            .iter()
            .copied()
            .filter(|s| list.contains(&s.id))
            .collect(),
    };
    let in_scope = !applies.is_empty();
    let r = responsibility::resolve(&c.layers, &applies, c.declared);
    let frameworks: Vec<String> = inv
        .project
        .frameworks
        .iter()
        .filter(|f| c.mappings.contains_key(*f))
        .cloned()
        .collect();
    let scope = Scope {
        frameworks: frameworks.clone(),
        control: c.id.clone(),
        requirement: String::new(),
    };
    let mut push = |d: Diagnostic| found.push((d, scope.clone()));

    if in_scope && !r.boundary.is_empty() {
        let (svc, layer) = &r.boundary[0];
        let more = match r.boundary.len() {
            1 => String::new(),
            n => format!(" (and {} more service/layer pair(s))", n - 1),
        };
        let model = inv
            .matrix
            .services
            .get(svc)
            .map(|s| s.model.as_str())
            .unwrap_or("");
        push(
            Diagnostic::finding(
                Code::BoundaryError,
                Severity::Error,
                format!(
                    "control `{}` is declared inherited, but the customer runs layer `{layer}` on `{svc}`{more}",
                    c.id
                ),
            )
            .at(c.declared_span.clone().or(c.span.clone()))
            .hint(format!(
                "{} does not secure `{layer}` on {svc} ({model} model): declare the control `{}` and attest it",
                inv.matrix.name,
                if r.derived == Responsibility::Inherited { "customer" } else { r.derived.as_str() }
            )),
        );
    } else if in_scope && c.declared.is_some_and(|d| d != r.derived) {
        push(
            Diagnostic::finding(
                Code::DeclaredDiffers,
                Severity::Note,
                format!(
                    "control `{}` is declared {} while the service matrix gives {}",
                    c.id, r.effective, r.derived
                ),
            )
            .at(c.declared_span.clone()),
        );
    }

    let latest = attestations.and_then(|v| v.last().copied());
    let fresh = match (latest, r.effective) {
        (Some(a), _) => freshness(a, as_of),
        (None, Responsibility::Inherited) => Freshness::Provider,
        (None, _) => Freshness::Missing,
    };
    let status = match (latest, r.effective) {
        (Some(a), _) => a.status.as_str().to_string(),
        (None, Responsibility::Inherited) => "inherited".to_string(),
        (None, _) => "not-attested".to_string(),
    };
    if in_scope {
        match latest {
            None if r.effective != Responsibility::Inherited => push(
                Diagnostic::finding(
                    Code::NoAttestation,
                    Severity::Error,
                    format!(
                        "control `{}` ({}) has no attestation for {}",
                        c.id, r.effective, inv.project.period.label
                    ),
                )
                .at(c.span.clone())
                .hint("add an attestation under the project's attestations folder"),
            ),
            Some(a) if fresh == Freshness::Stale => push(
                Diagnostic::finding(
                    Code::StaleEvidence,
                    Severity::Error,
                    format!(
                        "evidence for `{}` expired on {} (attested {}, {} control)",
                        c.id, a.valid_until, a.date, c.frequency
                    ),
                )
                .at(a.span.clone())
                .hint(format!(
                    "collect fresh evidence: it was due by {}",
                    a.valid_until
                )),
            ),
            Some(a) if a.status == Status::NotImplemented => push(
                Diagnostic::finding(
                    Code::NotImplemented,
                    Severity::Error,
                    format!("control `{}` is attested as not implemented", c.id),
                )
                .at(a.span.clone()),
            ),
            _ => {}
        }
    }

    // Exceptions across the period's attestations, the latest record of each id.
    let mut exceptions: BTreeMap<String, ExceptionView> = BTreeMap::new();
    let mut spans = BTreeMap::new();
    for a in attestations.into_iter().flatten() {
        for x in &a.exceptions {
            let closed_by_as_of = x.closed.is_some_and(|d| d <= as_of);
            let state = if closed_by_as_of {
                "closed"
            } else if x.remediation_due < as_of {
                "past-due"
            } else {
                "open"
            };
            spans.insert(x.id.clone(), x.span.clone());
            exceptions.insert(
                x.id.clone(),
                ExceptionView {
                    id: x.id.clone(),
                    control: c.id.clone(),
                    description: x.description.clone(),
                    remediation_due: x.remediation_due,
                    closed: x.closed,
                    state: state.into(),
                },
            );
        }
    }
    if in_scope {
        for x in exceptions.values().filter(|x| x.state == "past-due") {
            push(
                Diagnostic::finding(
                    Code::ExceptionPastDue,
                    Severity::Error,
                    format!("exception {} on `{}` was due for remediation on {} and is still open", x.id, c.id, x.remediation_due),
                )
                .at(spans.get(&x.id).cloned().flatten())
                .hint("remediate and record `closed: DATE`, or agree a new due date with the risk owner"),
            );
        }
    }

    let requirements = frameworks
        .iter()
        .flat_map(|fw| {
            c.mappings[fw].iter().map(move |id| RequirementRef {
                framework: fw.clone(),
                id: id.clone(),
            })
        })
        .collect();
    let provider_attestations = if r.effective == Responsibility::Inherited {
        inv.project
            .provider_attestations
            .iter()
            .filter(|pa| frameworks.contains(&pa.framework))
            .map(|pa| pa.id.clone())
            .collect()
    } else {
        Vec::new()
    };
    let attestation = latest.map(|a| {
        attestation_view(
            a,
            &c.id,
            fresh,
            exceptions.into_values().collect(),
            attestations.map(|v| v.len()).unwrap_or(0),
        )
    });
    let earlier: Vec<AttestationView> = attestations
        .map(|v| {
            v[..v.len().saturating_sub(1)]
                .iter()
                .rev()
                .map(|a| attestation_view(a, &c.id, Freshness::Superseded, Vec::new(), 1))
                .collect()
        })
        .unwrap_or_default();
    ControlView {
        id: c.id.clone(),
        title: c.title.clone(),
        family: c.family.clone(),
        origin: c.origin,
        in_scope,
        layers: c.layers.clone(),
        services: applies.iter().map(|s| s.id.clone()).collect(),
        responsibility: r.effective,
        derived: r.derived,
        declared: c.declared,
        boundary_error: in_scope && !r.boundary.is_empty(),
        matrix: r.pairs,
        frequency: c.frequency.as_str().into(),
        owner: c.owner.clone().unwrap_or_default(),
        description: c.description.clone(),
        provider_part: c.provider_part.clone(),
        customer_part: c.customer_part.clone(),
        customer_responsibility: c.customer_responsibility.clone(),
        status,
        freshness: fresh,
        attestation,
        earlier,
        requirements,
        provider_attestations,
    }
}

/// The view of one attestation; its evidence carries `fresh`.
fn attestation_view(
    a: &Attestation,
    control: &str,
    fresh: Freshness,
    exceptions: Vec<ExceptionView>,
    count: usize,
) -> AttestationView {
    AttestationView {
        status: a.status,
        attested_by: a.attested_by.clone(),
        date: a.date,
        valid_until: a.valid_until,
        narrative: a.narrative.clone(),
        evidence: a
            .evidence
            .iter()
            .map(|e| match e {
                Evidence::File {
                    path,
                    description,
                    size,
                    sha256,
                } => EvidenceItem {
                    kind: "file".into(),
                    target: format!("evidence/{path}"),
                    description: description.clone(),
                    size: Some(*size),
                    sha256: Some(sha256.clone()),
                    control: control.to_string(),
                    freshness: fresh,
                },
                Evidence::Url { url, description } => EvidenceItem {
                    kind: "url".into(),
                    target: url.clone(),
                    description: description.clone(),
                    size: None,
                    sha256: None,
                    control: control.to_string(),
                    freshness: fresh,
                },
            })
            .collect(),
        exceptions,
        location: a
            .span
            .as_ref()
            .map(|s| format!("{}:{}", s.file, s.line))
            .unwrap_or_default(),
        count,
    }
}

/// Whether a control counts towards meeting a requirement.
fn satisfies(c: &ControlView) -> bool {
    match c.freshness {
        Freshness::Provider => true,
        Freshness::Fresh | Freshness::Expiring => {
            matches!(c.status.as_str(), "implemented" | "alternative")
        }
        Freshness::Stale | Freshness::Missing | Freshness::Superseded => false,
    }
}

fn framework_view(
    cat: &Catalog,
    inv: &Inventory,
    controls: &[ControlView],
    index: &HashMap<&str, &ControlView>,
    found: &mut Vec<(Diagnostic, Scope)>,
) -> FrameworkView {
    let fw = cat.id.as_str();
    let na = inv.project.not_applicable.get(fw);
    let mut by_req: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut mapped: Vec<&ControlView> = Vec::new();
    for c in inv.controls.iter() {
        let view = index[c.id.as_str()];
        if !view.in_scope {
            continue;
        }
        if let Some(ids) = c.mappings.get(fw) {
            mapped.push(view);
            for id in ids {
                by_req.entry(id.as_str()).or_default().push(c.id.as_str());
            }
        }
    }
    let mut summary = summary::of_controls(mapped.iter().copied());
    let mut groups: Vec<GroupView> = cat
        .groups
        .iter()
        .map(|(id, title)| GroupView {
            id: id.clone(),
            title: title.clone(),
            requirements: Vec::new(),
        })
        .collect();
    let group_index: HashMap<&str, usize> = cat
        .groups
        .iter()
        .enumerate()
        .map(|(i, (g, _))| (g.as_str(), i))
        .collect();
    let mut matrix = Vec::new();
    for req in &cat.requirements {
        let ctrl_ids: Vec<String> = by_req
            .get(req.id.as_str())
            .map(|v| v.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        let reason = na.and_then(|m| m.get(&req.id)).cloned().unwrap_or_default();
        let coverage = if !reason.is_empty() {
            "not-applicable"
        } else if ctrl_ids.is_empty() {
            "gap"
        } else if ctrl_ids.iter().any(|id| satisfies(index[id.as_str()])) {
            "met"
        } else {
            "partial"
        };
        summary.requirements += 1;
        match coverage {
            "met" => summary.requirements_met += 1,
            "partial" => summary.requirements_partial += 1,
            "gap" => summary.requirements_gap += 1,
            _ => summary.requirements_na += 1,
        }
        if coverage == "gap" {
            found.push((
                Diagnostic::finding(
                    Code::RequirementGap,
                    Severity::Error,
                    format!("{} requirement {} ({}) has no control", cat.short, req.id, req.title),
                )
                .at(inv.project.framework_spans.get(fw).cloned().flatten())
                .hint(format!("map a control to it (`frameworks: {{{}: [\"{}\"]}}`) or list it under `not_applicable` with a reason", cat.mapping_key, req.id)),
                Scope { frameworks: vec![fw.to_string()], control: String::new(), requirement: req.id.clone() },
            ));
        }
        for id in &ctrl_ids {
            let c = index[id.as_str()];
            matrix.push(MatrixRow {
                framework: fw.to_string(),
                requirement: req.id.clone(),
                requirement_title: req.title.clone(),
                control: c.id.clone(),
                control_title: c.title.clone(),
                responsibility: c.responsibility.as_str().into(),
                status: c.status.clone(),
                freshness: serde_plain(&c.freshness),
                coverage: coverage.into(),
            });
        }
        if ctrl_ids.is_empty() {
            matrix.push(MatrixRow {
                framework: fw.to_string(),
                requirement: req.id.clone(),
                requirement_title: req.title.clone(),
                control: String::new(),
                control_title: String::new(),
                responsibility: String::new(),
                status: String::new(),
                freshness: String::new(),
                coverage: coverage.into(),
            });
        }
        if let Some(&gi) = group_index.get(req.group.as_str()) {
            groups[gi].requirements.push(RequirementView {
                id: req.id.clone(),
                title: req.title.clone(),
                core: req.core,
                coverage: coverage.into(),
                controls: ctrl_ids,
                reason,
            });
        }
    }
    groups.retain(|g| !g.requirements.is_empty());
    summary.coverage_percent = percent(
        summary.requirements_met,
        summary.requirements - summary.requirements_na,
    );
    let ids_with = |r: Responsibility| -> Vec<String> {
        mapped
            .iter()
            .filter(|c| c.responsibility == r)
            .map(|c| c.id.clone())
            .collect()
    };
    let _ = controls;
    FrameworkView {
        id: cat.id.clone(),
        title: cat.title.clone(),
        short: cat.short.clone(),
        version: cat.version.clone(),
        source: cat.source.clone(),
        summary,
        groups,
        matrix,
        inherited: ids_with(Responsibility::Inherited),
        shared: ids_with(Responsibility::Shared),
        customer: ids_with(Responsibility::Customer),
        provider_attestations: inv
            .project
            .provider_attestations
            .iter()
            .filter(|pa| pa.framework == cat.id)
            .map(|pa| pa.id.clone())
            .collect(),
    }
}

/// `n` of `of` as a whole percentage, rounded down.
pub fn percent(n: usize, of: usize) -> usize {
    (n * 100).checked_div(of).unwrap_or(100)
}

fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn pa_coverage(start: NaiveDate, end: NaiveDate, period: &crate::validate::Period) -> &'static str {
    if start <= period.start && end >= period.end {
        "covers"
    } else if end < period.start {
        "ends-before"
    } else if start > period.end {
        "starts-after"
    } else if end < period.end {
        "ends-early"
    } else {
        "starts-late"
    }
}

/// A finding when no provider attestation covers the whole period for a
/// framework with inherited controls.
fn bridge_letter(f: &FrameworkView, inv: &Inventory, found: &mut Vec<(Diagnostic, Scope)>) {
    if f.inherited.is_empty() {
        return;
    }
    let period = &inv.project.period;
    let pas: Vec<_> = inv
        .project
        .provider_attestations
        .iter()
        .filter(|pa| pa.framework == f.id)
        .collect();
    if pas
        .iter()
        .any(|pa| pa.start <= period.start && pa.end >= period.end)
    {
        return;
    }
    let scope = Scope {
        frameworks: vec![f.id.clone()],
        ..Scope::default()
    };
    let n = f.inherited.len();
    let latest = pas
        .iter()
        .filter(|pa| pa.start <= period.end)
        .max_by_key(|pa| pa.end);
    let d = match latest {
        Some(pa) if pa.end < period.end => Diagnostic::finding(
            Code::BridgeLetter,
            Severity::Warning,
            format!(
                "{} ({}) ends {}, before the period ends ({}): {n} inherited {} control(s) need a bridge letter",
                pa.title, pa.id, pa.end, period.end, f.short
            ),
        )
        .at(pa.span.clone())
        .hint(format!(
            "ask {} for a bridge (gap) letter covering {} to {}",
            inv.matrix.name,
            pa.end.succ_opt().unwrap_or(pa.end),
            period.end
        )),
        _ => Diagnostic::finding(
            Code::BridgeLetter,
            Severity::Error,
            format!("no provider attestation covers {} for {}: {n} inherited control(s) are unsupported", f.short, period.label),
        )
        .at(inv.project.framework_spans.get(&f.id).cloned().flatten())
        .hint(format!("add the provider's {} report under `provider_attestations`", f.short)),
    };
    found.push((d, scope));
}
