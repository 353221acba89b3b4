//! Validate the framework catalogs and the service matrix.

use super::types::{Catalog, Requirement, Service, ServiceMatrix};
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::raw::{CatalogFile, ModelRaw, ProviderFile, ServiceRaw, Text};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::srm::{Layer, LayerMap, Party, ServiceModel};
use std::collections::{BTreeMap, BTreeSet};

/// Catalogs by framework id.
pub fn catalogs(
    files: &[Parsed<CatalogFile>],
    diags: &mut Diagnostics,
) -> BTreeMap<String, Catalog> {
    let mut out = BTreeMap::new();
    for f in files {
        let c = &f.value;
        let bad = |m: String| Diagnostic::error(Code::BadLibrary, format!("{}: {m}", f.file));
        let groups: BTreeSet<&str> = c.groups.iter().map(|g| g.id.as_str()).collect();
        let mut seen = BTreeSet::new();
        let mut reqs = Vec::with_capacity(c.requirements.len());
        for r in &c.requirements {
            if !seen.insert(r.id.as_str()) {
                diags.push(bad(format!("requirement `{}` is listed twice", r.id)));
                continue;
            }
            if !groups.contains(r.group.as_str()) {
                diags.push(bad(format!(
                    "requirement `{}` names unknown group `{}`",
                    r.id, r.group
                )));
            }
            reqs.push(Requirement {
                id: r.id.clone(),
                group: r.group.clone(),
                title: r.title.clone(),
                core: r.core,
                statement: r.statement.clone(),
            });
        }
        let h = &c.framework;
        if out.contains_key(&h.id) {
            diags.push(bad(format!("framework `{}` is defined twice", h.id)));
            continue;
        }
        out.insert(
            h.id.clone(),
            Catalog::new(
                h.id.clone(),
                h.title.clone(),
                h.short.clone(),
                h.version.clone(),
                h.source.clone(),
                h.mapping_key.clone().unwrap_or_else(|| h.id.clone()),
                c.groups
                    .iter()
                    .map(|g| (g.id.clone(), g.title.clone()))
                    .collect(),
                reqs,
            ),
        );
    }
    out
}

/// Service matrices by provider id.
pub fn matrices(
    files: &[Parsed<ProviderFile>],
    diags: &mut Diagnostics,
) -> BTreeMap<String, ServiceMatrix> {
    let mut out = BTreeMap::new();
    for f in files {
        let p = &f.value;
        let mut models: BTreeMap<ServiceModel, LayerMap> = BTreeMap::new();
        for (name, m) in &p.models {
            let Some(model) = ServiceModel::parse(&name.value) else {
                diags.push(
                    Diagnostic::error(
                        Code::BadValue,
                        format!("unknown service model `{}`", name.value),
                    )
                    .at(span(&f.file, name)),
                );
                continue;
            };
            models.insert(model, model_layers(&f.file, model, name, m, diags));
        }
        let mut services = BTreeMap::new();
        for s in &p.services {
            let Some(service) = service(&f.file, s, &models, diags) else {
                continue;
            };
            if services.contains_key(&s.id.value) {
                diags.push(
                    Diagnostic::error(
                        Code::DuplicateId,
                        format!("service `{}` is listed twice", s.id.value),
                    )
                    .at(span(&f.file, &s.id)),
                );
            }
            services.insert(s.id.value.clone(), service);
        }
        aliases_are_unique(&f.file, &p.services, &services, diags);
        out.insert(
            p.provider.id.clone(),
            ServiceMatrix {
                id: p.provider.id.clone(),
                name: p.provider.name.clone(),
                services,
            },
        );
    }
    out
}

/// The party of each layer in a service model: every layer listed once,
/// as the provider's or the customer's.
fn model_layers(
    file: &str,
    model: ServiceModel,
    name: &Text,
    m: &ModelRaw,
    diags: &mut Diagnostics,
) -> LayerMap {
    let mut map = LayerMap::new([Party::Customer; 15]);
    let mut listed = BTreeSet::new();
    for (party, layers) in [
        (Party::Provider, &m.provider),
        (Party::Customer, &m.customer),
    ] {
        for l in layers {
            match Layer::parse(&l.value) {
                Some(layer) if listed.insert(layer) => map.set(layer, party),
                Some(layer) => diags.push(
                    Diagnostic::error(
                        Code::BadLibrary,
                        format!("layer `{layer}` is listed twice in model `{model}`"),
                    )
                    .at(span(file, l)),
                ),
                None => diags.push(unknown_layer(file, l)),
            }
        }
    }
    if listed.len() != Layer::ALL.len() {
        let missing: Vec<&str> = Layer::ALL
            .iter()
            .filter(|l| !listed.contains(l))
            .map(|l| l.as_str())
            .collect();
        diags.push(
            Diagnostic::error(
                Code::BadLibrary,
                format!(
                    "model `{model}` does not assign layers {}",
                    missing.join(", ")
                ),
            )
            .at(span(file, name)),
        );
    }
    map
}

/// One service of a matrix: its model's layers with the service's own
/// overrides. `None` when its model is unknown.
fn service(
    file: &str,
    s: &ServiceRaw,
    models: &BTreeMap<ServiceModel, LayerMap>,
    diags: &mut Diagnostics,
) -> Option<Service> {
    let Some(model) = ServiceModel::parse(&s.model.value) else {
        diags.push(
            Diagnostic::error(
                Code::BadValue,
                format!("unknown service model `{}`", s.model.value),
            )
            .at(span(file, &s.model))
            .maybe_hint(crate::suggest::did_you_mean(
                &s.model.value,
                ServiceModel::names(),
            )),
        );
        return None;
    };
    let mut layers = models.get(&model).copied()?;
    let mut overrides: Vec<_> = s.overrides.iter().collect();
    overrides.sort_by_key(|(k, _)| (k.referenced.line(), k.referenced.column()));
    for (layer, party) in overrides {
        let Some(l) = Layer::parse(&layer.value) else {
            diags.push(unknown_layer(file, layer));
            continue;
        };
        let Some(pty) = Party::parse(&party.value) else {
            diags.push(
                Diagnostic::error(
                    Code::BadValue,
                    format!("`{}` is not provider or customer", party.value),
                )
                .at(span(file, party)),
            );
            continue;
        };
        layers.set(l, pty);
    }
    Some(Service {
        id: s.id.value.clone(),
        name: s.name.clone(),
        model,
        layers,
        aliases: s.aliases.iter().map(|a| a.value.clone()).collect(),
        note: s.note.clone(),
    })
}

/// An alias may name no service and no other alias.
fn aliases_are_unique(
    file: &str,
    raw: &[crate::load::raw::ServiceRaw],
    services: &BTreeMap<String, Service>,
    diags: &mut Diagnostics,
) {
    let mut seen = BTreeSet::new();
    for a in raw.iter().flat_map(|s| &s.aliases) {
        if services.contains_key(&a.value) || !seen.insert(a.value.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::BadLibrary,
                    format!("alias `{}` names another service or alias", a.value),
                )
                .at(span(file, a)),
            );
        }
    }
}

/// A service the matrix does not have, with a suggestion: the service an
/// alias stands for, else the closest id.
pub fn unknown_service(file: &str, s: &crate::load::raw::Text, m: &ServiceMatrix) -> Diagnostic {
    let name = s.value.to_ascii_lowercase();
    let alias_of = m
        .services
        .values()
        .find(|svc| svc.aliases.contains(&name) || svc.id == name);
    let hint = match alias_of {
        Some(svc) => Some(format!("{} is listed as `{}`", svc.name, svc.id)),
        None => crate::suggest::did_you_mean(&s.value, m.services.keys().map(String::as_str)),
    };
    Diagnostic::error(
        Code::UnknownService,
        format!("unknown {} service `{}`", m.id, s.value),
    )
    .at(span(file, s))
    .maybe_hint(hint)
}

/// An unknown layer name, with a suggestion.
pub fn unknown_layer(file: &str, l: &crate::load::raw::Text) -> Diagnostic {
    Diagnostic::error(Code::BadValue, format!("unknown layer `{}`", l.value))
        .at(span(file, l))
        .maybe_hint(crate::suggest::did_you_mean(&l.value, Layer::names()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MATRIX: &str = "provider: {id: aws, name: Amazon Web Services}
models:
  abstract:
    provider: [physical, hardware, network-infrastructure, virtualization, host-os, guest-os, platform, network-config, firewall-config, server-side-encryption, network-traffic-protection]
    customer: [client-side-encryption, identity, application, data]
services:
  - {id: msk, name: Amazon MSK, model: abstract, aliases: [kafka]}
  - {id: s3, name: Amazon S3, model: abstract, aliases: [msk]}
";

    fn matrix(diags: &mut Diagnostics) -> ServiceMatrix {
        let file = Parsed {
            file: "aws.yaml".to_string(),
            value: crate::load::yaml::parse::<ProviderFile>("aws.yaml", MATRIX).unwrap(),
        };
        matrices(&[file], diags).remove("aws").unwrap()
    }

    #[test]
    fn an_alias_names_its_service_in_the_hint_and_may_not_shadow_an_id() {
        let mut diags = Diagnostics::default();
        let m = matrix(&mut diags);
        let errors: Vec<String> = diags.into_sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(errors, ["alias `msk` names another service or alias"]);
        let name = |v: &str| -> crate::load::raw::Text {
            crate::load::yaml::parse("p.yaml", &format!("{v:?}")).unwrap()
        };
        let d = unknown_service("p.yaml", &name("kafka"), &m);
        assert_eq!(d.hint.as_deref(), Some("Amazon MSK is listed as `msk`"));
        let d = unknown_service("p.yaml", &name("S3"), &m);
        assert_eq!(d.hint.as_deref(), Some("Amazon S3 is listed as `s3`"));
        let d = unknown_service("p.yaml", &name("msq"), &m);
        assert_eq!(d.hint.as_deref(), Some("did you mean `msk`?"));
    }
}
