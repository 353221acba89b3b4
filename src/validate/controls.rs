//! Validate controls: layers, services, responsibility, frequency and the
//! requirement ids they map to; merge project controls over the library.

use super::library::unknown_layer;
use super::types::{Catalog, Control, Origin, ServiceMatrix};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::load::raw::{ControlRaw, ControlsFile};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::srm::{Frequency, Layer, Responsibility};
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, HashMap};

/// Framework ids reachable from each mapping key.
pub fn mapping_keys(catalogs: &BTreeMap<String, Catalog>) -> BTreeMap<String, Vec<String>> {
    let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for c in catalogs.values() {
        keys.entry(c.id.clone()).or_default().push(c.id.clone());
        if c.mapping_key != c.id {
            keys.entry(c.mapping_key.clone())
                .or_default()
                .push(c.id.clone());
        }
    }
    keys
}

/// Validate one control.
fn control(
    file: &str,
    raw: &ControlRaw,
    origin: Origin,
    catalogs: &BTreeMap<String, Catalog>,
    keys: &BTreeMap<String, Vec<String>>,
    matrix: Option<&ServiceMatrix>,
    diags: &mut Diagnostics,
) -> Control {
    let mut layers = Vec::new();
    for l in &raw.layers {
        match Layer::parse(&l.value) {
            Some(layer) if !layers.contains(&layer) => layers.push(layer),
            Some(_) => {}
            None => diags.push(unknown_layer(file, l)),
        }
    }
    if raw.layers.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::BadValue,
                format!("control `{}` names no layer", raw.id.value),
            )
            .at(span(file, &raw.id))
            .hint("list the SRM layers the control acts on, e.g. `layers: [identity]`"),
        );
    }
    let services = raw.services.as_ref().map(|list| {
        let mut out = Vec::new();
        for s in list {
            if let Some(m) = matrix {
                if !m.services.contains_key(&s.value) {
                    diags.push(super::library::unknown_service(file, s, m));
                    continue;
                }
            }
            out.push(s.value.clone());
        }
        out
    });
    let declared = raw.responsibility.as_ref().and_then(|r| {
        let v = Responsibility::parse(&r.value);
        if v.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!(
                        "responsibility `{}` is not inherited, shared or customer",
                        r.value
                    ),
                )
                .at(span(file, r))
                .maybe_hint(did_you_mean(&r.value, Responsibility::names())),
            );
        }
        v
    });
    let frequency = match &raw.frequency {
        None => Frequency::Annually,
        Some(f) => Frequency::parse(&f.value).unwrap_or_else(|| {
            diags.push(
                Diagnostic::error(Code::BadValue, format!("unknown frequency `{}`", f.value))
                    .at(span(file, f))
                    .maybe_hint(did_you_mean(&f.value, Frequency::names()).or_else(|| {
                        Some(format!(
                            "one of: {}",
                            Frequency::names().collect::<Vec<_>>().join(", ")
                        ))
                    })),
            );
            Frequency::Annually
        }),
    };
    let mut mappings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut entries: Vec<_> = raw.frameworks.iter().collect();
    entries.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    for (key, ids) in entries {
        let Some(targets) = keys.get(&key.value) else {
            diags.push(
                Diagnostic::error(
                    Code::UnknownFramework,
                    format!("unknown framework `{}`", key.value),
                )
                .at(span(file, key))
                .maybe_hint(did_you_mean(&key.value, keys.keys().map(String::as_str))),
            );
            continue;
        };
        for id in ids {
            let mut found = false;
            for fw in targets {
                if catalogs[fw].get(&id.value).is_some() {
                    found = true;
                    let list = mappings.entry(fw.clone()).or_default();
                    if !list.contains(&id.value) {
                        list.push(id.value.clone());
                    }
                }
            }
            if !found {
                let all = targets
                    .iter()
                    .flat_map(|fw| catalogs[fw].requirements.iter().map(|r| r.id.as_str()));
                diags.push(
                    Diagnostic::error(
                        Code::UnknownRequirement,
                        format!("`{}` is not a requirement of {}", id.value, key.value),
                    )
                    .at(span(file, id))
                    .maybe_hint(did_you_mean(&id.value, all)),
                );
            }
        }
    }
    let text = |s: &Option<String>| s.clone().unwrap_or_default().trim_end().to_string();
    Control {
        id: raw.id.value.clone(),
        title: raw.title.trim().to_string(),
        family: raw.family.clone().unwrap_or_else(|| "Other".into()),
        layers,
        services,
        declared,
        frequency,
        owner: raw.owner.clone(),
        description: text(&raw.description),
        provider_part: text(&raw.provider_part),
        customer_part: text(&raw.customer_part),
        mappings,
        origin,
        span: span(file, &raw.id),
        declared_span: raw.responsibility.as_ref().and_then(|r| span(file, r)),
    }
}

/// Validate library and project controls and merge them: a project control
/// with a library id replaces it (with a note). Sorted by id.
pub fn merge<'a>(
    library: impl IntoIterator<Item = &'a Parsed<ControlsFile>>,
    project: &[Parsed<ControlsFile>],
    catalogs: &BTreeMap<String, Catalog>,
    matrix: Option<&ServiceMatrix>,
    diags: &mut Diagnostics,
) -> Vec<Control> {
    let keys = mapping_keys(catalogs);
    let mut by_id: BTreeMap<String, Control> = BTreeMap::new();
    for f in library {
        for raw in &f.value.controls {
            let c = control(
                &f.file,
                raw,
                Origin::Library,
                catalogs,
                &keys,
                matrix,
                diags,
            );
            if by_id.contains_key(&c.id) {
                diags.push(
                    Diagnostic::error(
                        Code::BadLibrary,
                        format!("library control `{}` is defined twice", c.id),
                    )
                    .at(c.span.clone()),
                );
            }
            by_id.insert(c.id.clone(), c);
        }
    }
    let mut first_seen: HashMap<String, Option<crate::diag::Span>> = HashMap::new();
    for f in project {
        for raw in &f.value.controls {
            let id = &raw.id.value;
            if let Some(prev) = first_seen.get(id) {
                let at = prev
                    .as_ref()
                    .map(|s| format!(" (first defined at {s})"))
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("control `{id}` is defined twice{at}"),
                    )
                    .at(span(&f.file, &raw.id)),
                );
                continue;
            }
            first_seen.insert(id.clone(), span(&f.file, &raw.id));
            let origin = if by_id.contains_key(id) {
                Origin::Override
            } else {
                Origin::Project
            };
            let c = control(&f.file, raw, origin, catalogs, &keys, matrix, diags);
            if origin == Origin::Override {
                diags.push(
                    Diagnostic::finding(
                        Code::ControlOverride,
                        Severity::Note,
                        format!(
                            "control `{id}` replaces the built-in library control of the same id"
                        ),
                    )
                    .at(c.span.clone()),
                );
            }
            by_id.insert(id.clone(), c);
        }
    }
    by_id.into_values().collect()
}
