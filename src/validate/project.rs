//! Validate `auditpack.yaml`.

use super::dates;
use super::types::{BridgeLetter, Catalog, Period, Project, ProviderAttestation, ServiceMatrix};
use crate::diag::{Code, Diagnostic, Diagnostics, Span};
use crate::load::files;
use crate::load::raw::{NotApplicableRaw, ProjectFile, ProviderAttestationRaw};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The `covers` date of a provider attestation not yet filled in (`init`
/// writes it): a finding, never a date.
pub const PLACEHOLDER_DATE: &str = "YYYY-MM-DD";

/// Validate the project file against the library.
pub fn project(
    root: &Path,
    f: &Parsed<ProjectFile>,
    period_override: Option<&str>,
    catalogs: &super::Catalogs,
    matrices: &BTreeMap<String, ServiceMatrix>,
    diags: &mut Diagnostics,
) -> Option<Project> {
    let file = f.file.as_str();
    let p = &f.value;
    let before = diags.has_input_errors();
    let mut errors = Diagnostics::default();
    let cx = Context { file, catalogs };

    let services = services(file, p, matrices, &mut errors);
    let (frameworks, framework_spans) = frameworks(&cx, p, &mut errors);
    let period = match period_override {
        None => dates::period(file, &p.period, &mut errors),
        Some(label) => period_label(label, &mut errors),
    };
    let evidence_root = evidence_root(root, file, p, &mut errors);
    let provider_attestations = provider_attestations(&cx, p, &mut errors);
    let not_applicable = not_applicable(&cx, p, &mut errors);

    let failed = errors.has_input_errors();
    diags.extend(errors.into_sorted());
    if failed || before {
        return None;
    }
    Some(Project {
        root: root.to_path_buf(),
        file: file.to_string(),
        name: p.system.name.value.clone(),
        organization: p.system.organization.value.clone(),
        description: p
            .system
            .description
            .clone()
            .unwrap_or_default()
            .trim_end()
            .to_string(),
        provider: p.system.provider.value.clone(),
        services,
        frameworks,
        framework_spans,
        period: period?,
        evidence_root: evidence_root?,
        provider_attestations,
        not_applicable,
    })
}

/// The project file and the catalogs its framework ids name.
struct Context<'a> {
    file: &'a str,
    catalogs: &'a super::Catalogs,
}

/// The services in scope, sorted, each known to the provider's service matrix.
fn services(
    file: &str,
    p: &ProjectFile,
    matrices: &BTreeMap<String, ServiceMatrix>,
    errors: &mut Diagnostics,
) -> Vec<String> {
    let provider = &p.system.provider;
    let matrix = matrices.get(&provider.value);
    if matrix.is_none() {
        errors.push(
            Diagnostic::error(
                Code::UnknownProvider,
                format!("no service matrix for provider `{}`", provider.value),
            )
            .at(span(file, provider))
            .maybe_hint(did_you_mean(
                &provider.value,
                matrices.keys().map(String::as_str),
            )),
        );
    }
    let mut services = Vec::new();
    for s in &p.system.services {
        if let Some(m) = matrix {
            if !m.services.contains_key(&s.value) {
                errors.push(super::library::unknown_service(file, s, m));
                continue;
            }
        }
        if !services.contains(&s.value) {
            services.push(s.value.clone());
        }
    }
    services.sort();
    services
}

/// The project's frameworks, each once and known, with where each is named.
fn frameworks(
    cx: &Context,
    p: &ProjectFile,
    errors: &mut Diagnostics,
) -> (Vec<String>, BTreeMap<String, Option<Span>>) {
    let mut frameworks = Vec::new();
    let mut framework_spans = BTreeMap::new();
    for fw in &p.frameworks {
        if !cx.catalogs.contains_key(&fw.value) {
            errors.push(unknown_framework(cx.file, fw, cx.catalogs));
            continue;
        }
        if !frameworks.contains(&fw.value) {
            frameworks.push(fw.value.clone());
            framework_spans.insert(fw.value.clone(), span(cx.file, fw));
        }
    }
    if p.frameworks.is_empty() {
        errors.push(
            Diagnostic::error(
                Code::BadValue,
                format!("{}: `frameworks` is empty", cx.file),
            )
            .hint("name at least one framework; `auditpack frameworks` lists them"),
        );
    }
    (frameworks, framework_spans)
}

/// The period a `--period` label names, or the error that it names none.
fn period_label(label: &str, errors: &mut Diagnostics) -> Option<Period> {
    let r = dates::period_label(label);
    if r.is_none() {
        errors.push(
            Diagnostic::error(
                Code::BadPeriod,
                format!("--period `{label}` is not a quarter, half, month or year"),
            )
            .hint("write `2026-Q3`, `2026-H1`, `2026-07` or `2026`"),
        );
    }
    r
}

/// The evidence root (default `evidence`), which must stay inside the
/// project folder and not go through a symbolic link.
fn evidence_root(
    root: &Path,
    file: &str,
    p: &ProjectFile,
    errors: &mut Diagnostics,
) -> Option<PathBuf> {
    let evidence_rel = p
        .evidence_root
        .as_ref()
        .map(|e| e.value.clone())
        .unwrap_or_else(|| "evidence".into());
    let why = match files::inside(root, &evidence_rel) {
        Ok(path) if files::through_symlink(root, &path) => "goes through a symbolic link",
        Ok(path) => return Some(path),
        Err(why) => why,
    };
    errors.push(
        Diagnostic::error(
            Code::EvidenceOutsideRoot,
            format!("evidence_root `{evidence_rel}` {why}: it must stay inside the project folder"),
        )
        .at(p.evidence_root.as_ref().and_then(|e| span(file, e))),
    );
    None
}

/// The provider attestations with their dates, sorted by framework and start;
/// a placeholder still to be filled in is a finding.
fn provider_attestations(
    cx: &Context,
    p: &ProjectFile,
    errors: &mut Diagnostics,
) -> Vec<ProviderAttestation> {
    let file = cx.file;
    let mut out = Vec::new();
    let mut ids = BTreeSet::new();
    for pa in &p.provider_attestations {
        if !ids.insert(pa.id.value.clone()) {
            errors.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("provider attestation `{}` is listed twice", pa.id.value),
                )
                .at(span(file, &pa.id)),
            );
        }
        if !cx.catalogs.contains_key(&pa.framework.value) {
            errors.push(unknown_framework(file, &pa.framework, cx.catalogs));
        }
        if [&pa.covers.start, &pa.covers.end]
            .iter()
            .any(|d| d.value.trim() == PLACEHOLDER_DATE)
        {
            errors.push(
                Diagnostic::finding(
                    Code::ProviderAttestationPlaceholder,
                    crate::diag::Severity::Error,
                    format!(
                        "provider attestation `{}` is a placeholder: fill in from AWS Artifact",
                        pa.id.value
                    ),
                )
                .at(span(file, &pa.covers.start))
                .hint("download the report from AWS Artifact and copy the start and end of the period it covers"),
            );
            continue;
        }
        out.extend(provider_attestation(file, pa, errors));
    }
    out.sort_by(|a, b| {
        a.framework
            .cmp(&b.framework)
            .then(a.start.cmp(&b.start))
            .then(a.id.cmp(&b.id))
    });
    out
}

/// One provider attestation whose dates are filled in.
fn provider_attestation(
    file: &str,
    pa: &ProviderAttestationRaw,
    errors: &mut Diagnostics,
) -> Option<ProviderAttestation> {
    let bridge_letter = pa.bridge_letter.as_ref().and_then(|b| {
        let what = format!("the bridge letter of `{}`", pa.id.value);
        let (start, end) = dates::range(file, &b.covers, &what, errors)?;
        Some(BridgeLetter {
            start,
            end,
            evidence: b.evidence.value.trim().to_string(),
        })
    });
    let (start, end) = dates::range(file, &pa.covers, &format!("`{}`", pa.id.value), errors)?;
    Some(ProviderAttestation {
        id: pa.id.value.clone(),
        framework: pa.framework.value.clone(),
        title: pa.title.clone().unwrap_or_else(|| pa.id.value.clone()),
        start,
        end,
        bridge_letter,
        span: span(file, &pa.covers.end),
    })
}

/// The reasons of the requirements declared not applicable, per framework
/// and requirement id (a group stands for each of its requirements).
fn not_applicable(
    cx: &Context,
    p: &ProjectFile,
    errors: &mut Diagnostics,
) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut not_applicable: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut na: Vec<_> = p.not_applicable.iter().collect();
    na.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    for (fw, entries) in na {
        let Some(cat) = cx.catalogs.get(&fw.value) else {
            errors.push(unknown_framework(cx.file, fw, cx.catalogs));
            continue;
        };
        let map = not_applicable.entry(fw.value.clone()).or_default();
        for e in entries {
            not_applicable_entry(cx.file, cat, e, map, errors);
        }
    }
    not_applicable
}

/// One `not_applicable` entry of catalog `cat`: its requirements and groups
/// into `map`, each with the entry's reason.
fn not_applicable_entry(
    file: &str,
    cat: &Catalog,
    e: &NotApplicableRaw,
    map: &mut BTreeMap<String, String>,
    errors: &mut Diagnostics,
) {
    let reason = e.reason.value.trim().to_string();
    if reason.is_empty() {
        errors.push(
            Diagnostic::error(
                Code::BadValue,
                "a not_applicable entry needs a reason".to_string(),
            )
            .at(span(file, &e.reason)),
        );
    }
    for r in &e.requirements {
        if cat.get(&r.value).is_none() {
            errors.push(
                Diagnostic::error(
                    Code::UnknownRequirement,
                    format!("`{}` is not a requirement of {}", r.value, cat.id),
                )
                .at(span(file, r))
                .maybe_hint(did_you_mean(
                    &r.value,
                    cat.requirements.iter().map(|q| q.id.as_str()),
                )),
            );
        } else {
            map.insert(r.value.clone(), reason.clone());
        }
    }
    for g in &e.groups {
        let members: Vec<&str> = cat
            .requirements
            .iter()
            .filter(|q| q.group == g.value)
            .map(|q| q.id.as_str())
            .collect();
        if members.is_empty() {
            errors.push(
                Diagnostic::error(
                    Code::UnknownRequirement,
                    format!("`{}` is not a group of {}", g.value, cat.id),
                )
                .at(span(file, g))
                .maybe_hint(did_you_mean(
                    &g.value,
                    cat.groups.iter().map(|(id, _)| id.as_str()),
                )),
            );
        }
        for m in members {
            map.insert(m.to_string(), reason.clone());
        }
    }
}

/// Add a project's own framework catalogs to the built-in ones. An id that
/// a built-in framework already has is an error with a suggestion.
pub fn catalogs(
    files: &[Parsed<crate::load::raw::CatalogFile>],
    into: &mut super::Catalogs,
    diags: &mut Diagnostics,
) {
    for (id, catalog) in super::library::catalogs(files, diags) {
        if into.contains_key(&id) {
            let file = files
                .iter()
                .find(|f| f.value.framework.id == id)
                .map(|f| f.file.as_str())
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("{file}: framework `{id}` has the id of a built-in framework"),
                )
                .hint(format!(
                    "give it an id of its own, e.g. `id: {}`, and name that in `frameworks:`",
                    free_id(&id, into)
                )),
            );
            continue;
        }
        into.insert(id, catalog);
    }
}

/// `<id>-internal` (or `-2`, `-3`…) when that is free.
fn free_id(id: &str, taken: &super::Catalogs) -> String {
    let first = format!("{id}-internal");
    if !taken.contains_key(&first) {
        return first;
    }
    (2..)
        .map(|n| format!("{id}-{n}"))
        .find(|c| !taken.contains_key(c))
        .unwrap_or(first)
}

fn unknown_framework(
    file: &str,
    fw: &crate::load::raw::Text,
    catalogs: &super::Catalogs,
) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownFramework,
        format!("unknown framework `{}`", fw.value),
    )
    .at(span(file, fw))
    .maybe_hint(
        did_you_mean(&fw.value, catalogs.keys().map(String::as_str))
            .or_else(|| Some("`auditpack frameworks` lists the built-in frameworks; a catalog of your own goes in the project's frameworks/ folder".into())),
    )
}
