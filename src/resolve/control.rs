//! One control, resolved: responsibility, status, freshness, the issues
//! that keep it from counting towards any requirement (each also a
//! finding), its exceptions and its evidence.

use super::{responsibility, Scope, EXPIRING_DAYS};
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::*;
use crate::srm::{Responsibility, Status};
use crate::validate::{Attestation, Control, Evidence, Inventory, Service};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Everything a control is resolved against.
pub struct Context<'a> {
    pub inv: &'a Inventory,
    pub services: &'a [&'a Service],
    pub as_of: NaiveDate,
    /// How the display paths of the project's files start
    /// ([`crate::load::files::project_prefix`]).
    pub prefix: String,
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

/// Resolve control `c` with its attestations of the period (oldest first),
/// pushing its findings.
pub fn resolve_control(
    c: &Control,
    cx: &Context,
    attestations: &[&Attestation],
    found: &mut Vec<(Diagnostic, Scope)>,
) -> ResolvedControl {
    let inv = cx.inv;
    let applies = applicable_services(c, cx.services);
    let in_scope = !applies.is_empty();
    let r = responsibility::resolve(&c.layers, &applies, c.declared);
    let (requirements, provider_attestations) = refs(c, inv, r.effective);
    let scope = Scope {
        frameworks: frameworks_of(c, inv),
        control: c.id.clone(),
        requirement: String::new(),
    };
    let mut mine = Vec::new();
    boundary_findings(c, inv, &r, in_scope, &mut mine);

    let latest = attestations.last().copied();
    let (status, fresh) = status_and_freshness(latest, r.effective, cx.as_of);
    let (exceptions, spans) = exceptions(c, attestations, cx.as_of);
    let mut issues = Vec::new();
    if in_scope {
        if !r.boundary.is_empty() {
            issues.push(ControlIssue::BoundaryError);
        }
        attestation_findings(c, cx, latest, r.effective, fresh, &mut issues, &mut mine);
        future_dated(c, cx.as_of, attestations, &mut issues, &mut mine);
        past_due(c, &exceptions, &spans, &mut issues, &mut mine);
    }
    found.extend(mine.into_iter().map(|d| (d, scope.clone())));
    let (attestation, earlier) =
        resolve_attestations(c, attestations, fresh, exceptions, &cx.prefix);
    ResolvedControl {
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
        split: r.split,
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
        issues,
        requirements,
        provider_attestations,
    }
}

/// The services in scope that control `c` applies to (all of them unless it names some).
fn applicable_services<'a>(c: &Control, services: &[&'a Service]) -> Vec<&'a Service> {
    match &c.services {
        None => services.to_vec(),
        Some(list) => services
            .iter()
            .copied()
            .filter(|s| list.contains(&s.id))
            .collect(),
    }
}

/// The status and freshness of a control: those of its latest attestation;
/// without one, inherited controls rest on the provider and others are missing.
fn status_and_freshness(
    latest: Option<&Attestation>,
    effective: Responsibility,
    as_of: NaiveDate,
) -> (ControlStatus, Freshness) {
    match (latest, effective) {
        (Some(a), _) => (ControlStatus::from(a.status), freshness(a, as_of)),
        (None, Responsibility::Inherited) => (ControlStatus::Inherited, Freshness::Provider),
        (None, _) => (ControlStatus::NotAttested, Freshness::Missing),
    }
}

/// The latest attestation (with the control's exceptions) and the earlier
/// ones of the period, newest first, superseded.
fn resolve_attestations(
    c: &Control,
    attestations: &[&Attestation],
    fresh: Freshness,
    exceptions: Vec<ResolvedException>,
    prefix: &str,
) -> (Option<ResolvedAttestation>, Vec<ResolvedAttestation>) {
    let count = attestations.len();
    let latest = attestations
        .last()
        .map(|a| resolve_attestation(a, c, fresh, exceptions, count, prefix));
    let earlier = attestations[..count.saturating_sub(1)]
        .iter()
        .rev()
        .map(|a| resolve_attestation(a, c, Freshness::Superseded, Vec::new(), 1, prefix))
        .collect();
    (latest, earlier)
}

/// The frameworks in scope that the control maps to.
fn frameworks_of(c: &Control, inv: &Inventory) -> Vec<String> {
    inv.project
        .frameworks
        .iter()
        .filter(|f| c.mappings.contains_key(*f))
        .cloned()
        .collect()
}

/// The requirements the control maps to, and the provider attestations
/// that back its provider part (each of its own framework).
fn refs(
    c: &Control,
    inv: &Inventory,
    effective: Responsibility,
) -> (Vec<RequirementRef>, Vec<ProviderRef>) {
    let frameworks = frameworks_of(c, inv);
    let requirements = frameworks
        .iter()
        .flat_map(|fw| {
            c.mappings[fw].iter().map(move |id| RequirementRef {
                framework: fw.clone(),
                id: id.clone(),
            })
        })
        .collect();
    let provider = if effective == Responsibility::Customer {
        Vec::new()
    } else {
        inv.project
            .provider_attestations
            .iter()
            .filter(|pa| frameworks.contains(&pa.framework))
            .map(|pa| ProviderRef {
                framework: pa.framework.clone(),
                id: pa.id.clone(),
                coverage: super::provider::coverage(pa, &inv.project.period),
            })
            .collect()
    };
    (requirements, provider)
}

/// The boundary error (declared inherited, a layer is the customer's), or
/// the note that a declaration differs from the matrix.
fn boundary_findings(
    c: &Control,
    inv: &Inventory,
    r: &responsibility::Resolution,
    in_scope: bool,
    out: &mut Vec<Diagnostic>,
) {
    if !in_scope {
        return;
    }
    if let Some((svc, layer)) = r.boundary.first() {
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
        let should = match r.derived {
            Responsibility::Inherited => "customer",
            d => d.as_str(),
        };
        out.push(
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
                "{} does not secure `{layer}` on {svc} ({model} model): declare the control `{should}` and attest it",
                inv.matrix.name,
            )),
        );
    } else if c.declared.is_some_and(|d| d != r.derived) {
        out.push(
            Diagnostic::finding(
                Code::ResponsibilityDiffers,
                Severity::Note,
                format!(
                    "control `{}` is declared {} while the service matrix gives {}",
                    c.id, r.effective, r.derived
                ),
            )
            .at(c.declared_span.clone()),
        );
    }
}

/// Missing attestation, stale evidence, not implemented.
fn attestation_findings(
    c: &Control,
    cx: &Context,
    latest: Option<&Attestation>,
    effective: Responsibility,
    fresh: Freshness,
    issues: &mut Vec<ControlIssue>,
    out: &mut Vec<Diagnostic>,
) {
    let period = &cx.inv.project.period.label;
    match latest {
        None if effective != Responsibility::Inherited => {
            issues.push(ControlIssue::NoAttestation);
            out.push(
                Diagnostic::finding(
                    Code::NoAttestation,
                    Severity::Error,
                    format!(
                        "control `{}` ({effective}) has no attestation for {period}",
                        c.id
                    ),
                )
                .at(c.span.clone())
                .hint("add an attestation under the project's attestations folder"),
            );
        }
        None => {}
        Some(a) => {
            if fresh == Freshness::Stale {
                issues.push(ControlIssue::StaleEvidence);
                out.push(
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
                );
            }
            if a.status == Status::NotImplemented {
                issues.push(ControlIssue::NotImplemented);
                out.push(
                    Diagnostic::finding(
                        Code::NotImplemented,
                        Severity::Error,
                        format!("control `{}` is attested as not implemented", c.id),
                    )
                    .at(a.span.clone()),
                );
            }
        }
    }
}

/// Attestations dated after the as-of date: not evidence of anything yet.
fn future_dated(
    c: &Control,
    as_of: NaiveDate,
    attestations: &[&Attestation],
    issues: &mut Vec<ControlIssue>,
    out: &mut Vec<Diagnostic>,
) {
    for a in attestations.iter().filter(|a| a.date > as_of) {
        if !issues.contains(&ControlIssue::FutureDated) {
            issues.push(ControlIssue::FutureDated);
        }
        out.push(
            Diagnostic::finding(
                Code::FutureDated,
                Severity::Error,
                format!(
                    "the attestation of `{}` is dated {}, after the as-of date {as_of}",
                    c.id, a.date
                ),
            )
            .at(a.span.clone())
            .hint("correct the date, or build with a later --as-of"),
        );
    }
}

type Spans = BTreeMap<String, Option<crate::diag::Span>>;

/// Exceptions across the period's attestations, the latest record of each
/// id, and where each is recorded.
fn exceptions(
    c: &Control,
    attestations: &[&Attestation],
    as_of: NaiveDate,
) -> (Vec<ResolvedException>, Spans) {
    let mut out: BTreeMap<String, ResolvedException> = BTreeMap::new();
    let mut spans = Spans::new();
    for a in attestations {
        for x in &a.exceptions {
            spans.insert(x.id.clone(), x.span.clone());
            let state = if x.closed.is_some_and(|d| d <= as_of) {
                ExceptionState::Closed
            } else if x.remediation_due < as_of {
                ExceptionState::PastDue
            } else {
                ExceptionState::Open
            };
            let opened = x
                .opened
                .unwrap_or_else(|| out.get(&x.id).map_or(a.date, |e| e.opened));
            out.insert(
                x.id.clone(),
                ResolvedException {
                    id: x.id.clone(),
                    control: c.id.clone(),
                    description: x.description.clone(),
                    remediation_due: x.remediation_due,
                    closed: x.closed,
                    state,
                    opened,
                    owner: x.owner.clone().or(c.owner.clone()).unwrap_or_default(),
                    compensating_control: x.compensating_control.clone().unwrap_or_default(),
                },
            );
        }
    }
    (out.into_values().collect(), spans)
}

fn past_due(
    c: &Control,
    exceptions: &[ResolvedException],
    spans: &Spans,
    issues: &mut Vec<ControlIssue>,
    out: &mut Vec<Diagnostic>,
) {
    for x in exceptions
        .iter()
        .filter(|x| x.state == ExceptionState::PastDue)
    {
        if !issues.contains(&ControlIssue::ExceptionPastDue) {
            issues.push(ControlIssue::ExceptionPastDue);
        }
        out.push(
            Diagnostic::finding(
                Code::ExceptionPastDue,
                Severity::Error,
                format!(
                    "exception {} on `{}` was due for remediation on {} and is still open",
                    x.id, c.id, x.remediation_due
                ),
            )
            .at(spans.get(&x.id).cloned().flatten())
            .hint(
                "remediate and record `closed: DATE`, or agree a new due date with the risk owner",
            ),
        );
    }
}

/// One attestation resolved; its evidence carries `fresh`; its location is
/// named within the project (`prefix`, [`crate::diag::Span::within`]).
fn resolve_attestation(
    a: &Attestation,
    c: &Control,
    fresh: Freshness,
    exceptions: Vec<ResolvedException>,
    count: usize,
    prefix: &str,
) -> ResolvedAttestation {
    let item =
        |kind, target, description: &String, size, sha256, id: &Option<String>| EvidenceItem {
            kind,
            target,
            description: description.clone(),
            size,
            sha256,
            control: c.id.clone(),
            freshness: fresh,
            id: id.clone(),
            collected: a.date,
        };
    ResolvedAttestation {
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
                    id,
                } => item(
                    EvidenceKind::File,
                    format!("evidence/{path}"),
                    description,
                    Some(*size),
                    Some(sha256.clone()),
                    id,
                ),
                Evidence::Url {
                    url,
                    description,
                    id,
                } => item(EvidenceKind::Url, url.clone(), description, None, None, id),
            })
            .collect(),
        exceptions,
        location: a
            .span
            .as_ref()
            .map(|s| format!("{}:{}", crate::diag::in_project(&s.file, prefix), s.line))
            .unwrap_or_default(),
        count,
    }
}
