//! Validate `auditpack.yaml`.

use super::dates;
use super::types::{BridgeLetter, Project, ProviderAttestation, ServiceMatrix};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::files;
use crate::load::raw::ProjectFile;
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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

    let mut frameworks = Vec::new();
    let mut framework_spans = BTreeMap::new();
    for fw in &p.frameworks {
        if !catalogs.contains_key(&fw.value) {
            errors.push(unknown_framework(file, fw, catalogs));
            continue;
        }
        if !frameworks.contains(&fw.value) {
            frameworks.push(fw.value.clone());
            framework_spans.insert(fw.value.clone(), span(file, fw));
        }
    }
    if p.frameworks.is_empty() {
        errors.push(
            Diagnostic::error(Code::BadValue, format!("{file}: `frameworks` is empty"))
                .hint("name at least one framework; `auditpack frameworks` lists them"),
        );
    }

    let period = match period_override {
        None => dates::period(file, &p.period, &mut errors),
        Some(label) => {
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
    };

    let evidence_rel = p
        .evidence_root
        .as_ref()
        .map(|e| e.value.clone())
        .unwrap_or_else(|| "evidence".into());
    let evidence_root = match files::inside(root, &evidence_rel) {
        Ok(path) if files::through_symlink(root, &path) => {
            errors.push(
                Diagnostic::error(Code::EvidenceEscapes, format!("evidence_root `{evidence_rel}` goes through a symbolic link: it must stay inside the project folder"))
                    .at(p.evidence_root.as_ref().and_then(|e| span(file, e))),
            );
            None
        }
        Ok(path) => Some(path),
        Err(why) => {
            errors.push(
                Diagnostic::error(Code::EvidenceEscapes, format!("evidence_root `{evidence_rel}` {why}: it must stay inside the project folder"))
                    .at(p.evidence_root.as_ref().and_then(|e| span(file, e))),
            );
            None
        }
    };

    let mut provider_attestations = Vec::new();
    let mut pa_ids = BTreeSet::new();
    for pa in &p.provider_attestations {
        if !pa_ids.insert(pa.id.value.clone()) {
            errors.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("provider attestation `{}` is listed twice", pa.id.value),
                )
                .at(span(file, &pa.id)),
            );
        }
        if !catalogs.contains_key(&pa.framework.value) {
            errors.push(unknown_framework(file, &pa.framework, catalogs));
        }
        if [&pa.covers.start, &pa.covers.end]
            .iter()
            .any(|d| d.value.trim() == PLACEHOLDER_DATE)
        {
            errors.push(
                Diagnostic::finding(
                    Code::ProviderPlaceholder,
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
        let bridge_letter = pa.bridge_letter.as_ref().and_then(|b| {
            let what = format!("the bridge letter of `{}`", pa.id.value);
            let (start, end) = dates::range(file, &b.covers, &what, &mut errors)?;
            Some(BridgeLetter {
                start,
                end,
                evidence: b.evidence.value.trim().to_string(),
            })
        });
        if let Some((start, end)) =
            dates::range(file, &pa.covers, &format!("`{}`", pa.id.value), &mut errors)
        {
            provider_attestations.push(ProviderAttestation {
                id: pa.id.value.clone(),
                framework: pa.framework.value.clone(),
                title: pa.title.clone().unwrap_or_else(|| pa.id.value.clone()),
                start,
                end,
                bridge_letter,
                span: span(file, &pa.covers.end),
            });
        }
    }
    provider_attestations.sort_by(|a, b| {
        a.framework
            .cmp(&b.framework)
            .then(a.start.cmp(&b.start))
            .then(a.id.cmp(&b.id))
    });

    let mut not_applicable: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut na: Vec<_> = p.not_applicable.iter().collect();
    na.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    for (fw, entries) in na {
        let Some(cat) = catalogs.get(&fw.value) else {
            errors.push(unknown_framework(file, fw, catalogs));
            continue;
        };
        let map = not_applicable.entry(fw.value.clone()).or_default();
        for e in entries {
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
    }

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
        provider: provider.value.clone(),
        services,
        frameworks,
        framework_spans,
        period: period?,
        evidence_root: evidence_root?,
        provider_attestations,
        not_applicable,
    })
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
