//! Validate controls: layers, services, responsibility, frequency and the
//! requirement ids they map to; merge project controls over the library.

use super::library::{unknown_layer, unknown_service};
use super::types::{Catalog, Checks, Control, Origin, ServiceMatrix};
use super::Catalogs;
use crate::diag::{Code, Diagnostic, Diagnostics, Severity, Span};
use crate::load::raw::{ControlRaw, ControlsFile, Text};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::srm::{Frequency, Layer, Responsibility};
use crate::suggest::{did_you_mean, did_you_mean_or_one_of};
use std::collections::{BTreeMap, HashMap};

/// True for an id of the documented form `[A-Z][A-Z0-9]*-[0-9]+`.
pub fn is_control_id(id: &str) -> bool {
    let Some((prefix, number)) = id.rsplit_once('-') else {
        return false;
    };
    prefix.starts_with(|c: char| c.is_ascii_uppercase())
        && prefix
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && !number.is_empty()
        && number.chars().all(|c| c.is_ascii_digit())
}

/// What every control is validated against.
struct Context<'a> {
    catalogs: &'a Catalogs,
    /// Framework ids reachable from each mapping key.
    keys: BTreeMap<String, Vec<String>>,
    matrix: Option<&'a ServiceMatrix>,
}

/// Validate one control.
fn control(
    file: &str,
    raw: &ControlRaw,
    origin: Origin,
    cx: &Context,
    diags: &mut Diagnostics,
) -> Control {
    if !is_control_id(&raw.id.value) {
        diags.push(
            Diagnostic::error(
                Code::BadValue,
                format!(
                    "control id `{}` is not of the form [A-Z][A-Z0-9]*-[0-9]+",
                    raw.id.value
                ),
            )
            .at(span(file, &raw.id))
            .hint("capital letters and digits, a dash and a number, e.g. IAM-01"),
        );
    }
    let layers = layers(file, raw, diags);
    let services = raw
        .services
        .as_ref()
        .map(|list| services(file, list, cx.matrix, diags));
    let declared = raw
        .responsibility
        .as_ref()
        .and_then(|r| responsibility(file, r, diags));
    let frequency = match &raw.frequency {
        None => Frequency::Annually,
        Some(f) => frequency(file, f, diags),
    };
    let mappings = mappings(file, raw, cx, diags);
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
        customer_responsibility: text(&raw.customer_responsibility),
        mappings,
        checks: Checks::from_raw(raw.checks.as_ref()),
        origin,
        span: span(file, &raw.id),
        declared_span: raw.responsibility.as_ref().and_then(|r| span(file, r)),
    }
}

/// The SRM layers of a control, each once; it must name at least one.
fn layers(file: &str, raw: &ControlRaw, diags: &mut Diagnostics) -> Vec<Layer> {
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
    layers
}

/// The services a control is limited to, each known to the service matrix.
fn services(
    file: &str,
    list: &[Text],
    matrix: Option<&ServiceMatrix>,
    diags: &mut Diagnostics,
) -> Vec<String> {
    let mut out = Vec::new();
    for s in list {
        if let Some(m) = matrix {
            if !m.services.contains_key(&s.value) {
                diags.push(unknown_service(file, s, m));
                continue;
            }
        }
        out.push(s.value.clone());
    }
    out
}

/// A declared responsibility, or the report that it is none of the three.
fn responsibility(file: &str, r: &Text, diags: &mut Diagnostics) -> Option<Responsibility> {
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
}

/// A control's frequency; an unknown one is reported and read as annual.
fn frequency(file: &str, f: &Text, diags: &mut Diagnostics) -> Frequency {
    Frequency::parse(&f.value).unwrap_or_else(|| {
        diags.push(
            Diagnostic::error(Code::BadValue, format!("unknown frequency `{}`", f.value))
                .at(span(file, f))
                .hint(did_you_mean_or_one_of(&f.value, Frequency::names())),
        );
        Frequency::Annually
    })
}

/// The requirement ids a control maps to, per framework id: a mapping key
/// stands for every framework it reaches, and an id counts for each of
/// them that has it.
fn mappings(
    file: &str,
    raw: &ControlRaw,
    cx: &Context,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Vec<String>> {
    let mut mappings: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut entries: Vec<_> = raw.frameworks.iter().collect();
    entries.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    // A built-in control was checked against every built-in catalog when
    // the library was compiled: here it keeps its mappings to the catalogs
    // this run has loaded (the project's frameworks), and parses no other.
    let builtin = file.starts_with(crate::load::BUILTIN);
    for (key, ids) in entries {
        let Some(targets) = cx.keys.get(&key.value) else {
            diags.push(
                Diagnostic::error(
                    Code::UnknownFramework,
                    format!("unknown framework `{}`", key.value),
                )
                .at(span(file, key))
                .maybe_hint(did_you_mean(&key.value, cx.keys.keys().map(String::as_str))),
            );
            continue;
        };
        let targets: Vec<(&String, &Catalog)> = targets
            .iter()
            .filter_map(|fw| {
                let c = if builtin {
                    cx.catalogs.loaded(fw)
                } else {
                    cx.catalogs.get(fw)
                };
                c.map(|c| (fw, c))
            })
            .collect();
        for id in ids {
            let mut found = false;
            for (fw, cat) in &targets {
                if cat.get(&id.value).is_some() {
                    found = true;
                    let list = mappings.entry((*fw).clone()).or_default();
                    if !list.contains(&id.value) {
                        list.push(id.value.clone());
                    }
                }
            }
            if !found && !builtin {
                let all = targets
                    .iter()
                    .flat_map(|(_, c)| c.requirements.iter().map(|r| r.id.as_str()));
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
    mappings
}

/// Validate library and project controls and merge them: a project control
/// with a library id replaces it (with a note). Sorted by id.
pub fn merge<'a>(
    library: impl IntoIterator<Item = &'a Parsed<ControlsFile>>,
    project: &[Parsed<ControlsFile>],
    catalogs: &Catalogs,
    matrix: Option<&ServiceMatrix>,
    diags: &mut Diagnostics,
) -> Vec<Control> {
    let cx = Context {
        catalogs,
        keys: catalogs.mapping_keys(),
        matrix,
    };
    let mut by_id = library_controls(library, &cx, diags);
    project_controls(project, &cx, &mut by_id, diags);
    by_id.into_values().collect()
}

/// The library's controls by id: each defined once, none declaring its
/// responsibility (the library derives it from the service matrix).
fn library_controls<'a>(
    library: impl IntoIterator<Item = &'a Parsed<ControlsFile>>,
    cx: &Context,
    diags: &mut Diagnostics,
) -> BTreeMap<String, Control> {
    let mut by_id: BTreeMap<String, Control> = BTreeMap::new();
    for f in library {
        for raw in &f.value.controls {
            let c = control(&f.file, raw, Origin::Library, cx, diags);
            if by_id.contains_key(&c.id) {
                diags.push(
                    Diagnostic::error(
                        Code::BadLibrary,
                        format!("library control `{}` is defined twice", c.id),
                    )
                    .at(c.span.clone()),
                );
            }
            if c.declared.is_some() {
                diags.push(
                    Diagnostic::error(
                        Code::BadLibrary,
                        format!(
                            "library control `{}` declares its responsibility; the library derives it from the service matrix",
                            c.id
                        ),
                    )
                    .at(c.declared_span.clone()),
                );
            }
            by_id.insert(c.id.clone(), c);
        }
    }
    by_id
}

/// Add the project's controls to `by_id`: each defined once; one with a
/// library id replaces that control, with a note.
fn project_controls(
    project: &[Parsed<ControlsFile>],
    cx: &Context,
    by_id: &mut BTreeMap<String, Control>,
    diags: &mut Diagnostics,
) {
    let mut first_seen: HashMap<String, Option<Span>> = HashMap::new();
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
            let c = control(&f.file, raw, origin, cx, diags);
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_ids_follow_the_documented_pattern() {
        for ok in ["IAM-01", "A-1", "PCI4-12", "SYN-00001"] {
            assert!(super::is_control_id(ok), "{ok}");
        }
        for bad in [
            "iam-01", "IAM-", "-01", "IAM01", "IA\"M-01", "IAM-0]", "IAM-01'", "I\\M-1",
            "IAM-X-01", "1AM-01",
        ] {
            assert!(!super::is_control_id(bad), "{bad}");
        }
    }

    fn messages(library: &[Parsed<ControlsFile>], project: &[Parsed<ControlsFile>]) -> Vec<String> {
        let mut diags = Diagnostics::default();
        merge(library, project, &Catalogs::default(), None, &mut diags);
        diags.into_sorted().into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn only_a_project_control_may_declare_its_responsibility() {
        let text = "controls:\n  - id: LIB-01\n    title: Declared\n    layers: [guest-os]\n    responsibility: inherited\n";
        let file = || Parsed {
            file: "controls.yaml".to_string(),
            value: crate::load::yaml::parse::<ControlsFile>("controls.yaml", text).unwrap(),
        };
        assert_eq!(
            messages(&[file()], &[]),
            ["library control `LIB-01` declares its responsibility; the library derives it from the service matrix"]
        );
        assert_eq!(messages(&[], &[file()]), Vec::<String>::new());
    }
}
