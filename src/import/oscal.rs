//! OSCAL catalog (JSON) → framework catalog YAML. Used to generate the
//! FedRAMP catalogs from the official resolved-profile catalogs, and a
//! project's own frameworks from a catalog or a profile (see `profile.rs`).
//! Each requirement keeps its control's statement (`statement.rs`).

use super::statement::{self, Param, Params, Part, Prop, SetParam};
use super::ImportError;
use crate::load::raw::{CatalogFile, CatalogHeader, GroupRaw, RequirementRaw};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};

#[derive(Deserialize)]
struct Doc {
    catalog: Catalog,
}

#[derive(Deserialize)]
struct Catalog {
    metadata: Metadata,
    #[serde(default)]
    groups: Vec<Group>,
}

#[derive(Deserialize)]
pub(super) struct Metadata {
    pub(super) title: String,
    pub(super) version: String,
    #[serde(rename = "last-modified", default)]
    pub(super) last_modified: String,
}

#[derive(Deserialize)]
struct Group {
    id: String,
    title: String,
    #[serde(default)]
    controls: Vec<Control>,
}

#[derive(Deserialize)]
struct Control {
    id: String,
    title: String,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    params: Vec<Param>,
    #[serde(default)]
    parts: Vec<Part>,
    #[serde(default)]
    controls: Vec<Control>,
}

/// What to call the imported framework.
pub struct Naming {
    pub id: String,
    pub short: Option<String>,
    pub mapping_key: Option<String>,
    pub source_name: String,
}

/// `ac-2.1` → `AC-2(1)`, `ac-2` → `AC-2`.
pub fn practitioner_id(oscal: &str) -> String {
    let up = oscal.to_uppercase();
    match up.split_once('.') {
        Some((base, enh)) => format!("{base}({enh})"),
        None => up,
    }
}

fn is_withdrawn(c: &Control) -> bool {
    c.props
        .iter()
        .any(|p| p.name == "status" && p.value == "withdrawn")
}

fn is_core(c: &Control) -> bool {
    c.props
        .iter()
        .any(|p| p.name == "CORE" && p.ns == "https://fedramp.gov/ns/oscal" && p.value == "true")
}

fn label(c: &Control) -> String {
    c.props
        .iter()
        .find(|p| p.name == "label" && p.class.is_empty())
        .map(|p| p.value.clone())
        .unwrap_or_else(|| practitioner_id(&c.id))
}

/// The OSCAL control ids a profile selects (`None`: every control).
pub type Selection = Option<BTreeSet<String>>;

/// One requirement per selected, not withdrawn control; enhancements of a
/// control are walked even when the control itself is not selected.
fn walk(
    c: &Control,
    group: &str,
    parent_title: Option<&str>,
    selection: &Selection,
    params: &Params,
    out: &mut Vec<RequirementRaw>,
) {
    if is_withdrawn(c) {
        return;
    }
    if selection.as_ref().is_none_or(|ids| ids.contains(&c.id)) {
        let title = match parent_title {
            Some(p) => format!("{p} | {}", c.title),
            None => c.title.clone(),
        };
        out.push(RequirementRaw {
            id: label(c),
            group: group.to_string(),
            title,
            core: is_core(c),
            statement: statement::statement(&c.parts, params),
        });
    }
    for e in &c.controls {
        walk(
            e,
            group,
            Some(parent_title.unwrap_or(&c.title)),
            selection,
            params,
            out,
        );
    }
}

/// The parameters of a control and its enhancements, by id.
fn collect_params<'a>(c: &'a Control, out: &mut HashMap<&'a str, &'a Param>) {
    for p in &c.params {
        out.insert(p.id.as_str(), p);
    }
    for e in &c.controls {
        collect_params(e, out);
    }
}

/// Convert an OSCAL catalog document to the library's catalog format.
pub fn convert(json: &str, naming: &Naming) -> Result<CatalogFile, ImportError> {
    convert_selected(json, naming, &None, None, &[])
}

/// Convert the controls of a catalog that `selection` names; `metadata`
/// (a profile's) replaces the catalog's title and version when given, and
/// `set` (a profile's parameter settings) the catalog's parameters.
pub(super) fn convert_selected(
    json: &str,
    naming: &Naming,
    selection: &Selection,
    metadata: Option<Metadata>,
    set: &[SetParam],
) -> Result<CatalogFile, ImportError> {
    let doc: Doc = serde_json::from_str(json).map_err(|e| ImportError::NotOscal {
        what: "catalog",
        reason: e.to_string(),
    })?;
    let mut cat = doc.catalog;
    if let Some(m) = metadata {
        cat.metadata = m;
    }
    let mut by_id = HashMap::new();
    for c in cat.groups.iter().flat_map(|g| &g.controls) {
        collect_params(c, &mut by_id);
    }
    let profile_set: Vec<Param> = set
        .iter()
        .map(|s| s.apply(by_id.get(s.param_id.as_str()).copied()))
        .collect();
    for p in &profile_set {
        by_id.insert(p.id.as_str(), p);
    }
    let params = Params {
        by_id,
        // FedRAMP states its values as constraints; they are shown as its own.
        setter: if cat.metadata.title.contains("FedRAMP") {
            "FedRAMP"
        } else {
            ""
        },
    };
    let mut groups = Vec::new();
    let mut requirements = Vec::new();
    for g in &cat.groups {
        let gid = g.id.to_uppercase();
        let before = requirements.len();
        for c in &g.controls {
            walk(c, &gid, None, selection, &params, &mut requirements);
        }
        if requirements.len() > before {
            groups.push(GroupRaw {
                id: gid,
                title: g.title.clone(),
            });
        }
    }
    if requirements.is_empty() {
        return Err(ImportError::Empty);
    }
    let version = if cat.metadata.last_modified.is_empty() {
        cat.metadata.version.clone()
    } else {
        format!(
            "{} ({})",
            cat.metadata.version,
            cat.metadata.last_modified.get(..10).unwrap_or("")
        )
    };
    Ok(CatalogFile {
        framework: CatalogHeader {
            id: naming.id.clone(),
            title: cat.metadata.title.clone(),
            short: naming.short.clone().unwrap_or_else(|| cat.metadata.title.clone()),
            version,
            source: format!(
                "Generated by `auditpack import oscal` from {} (OSCAL, public domain); do not edit by hand",
                naming.source_name
            ),
            mapping_key: naming.mapping_key.clone(),
        },
        groups,
        requirements,
    })
}

/// The YAML text of a catalog.
pub fn to_yaml(c: &CatalogFile) -> Result<String, ImportError> {
    serde_saphyr::to_string(c).map_err(|e| ImportError::Yaml(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_practitioners_write_them() {
        assert_eq!(practitioner_id("ac-2"), "AC-2");
        assert_eq!(practitioner_id("ac-2.1"), "AC-2(1)");
        assert_eq!(practitioner_id("si-4.23"), "SI-4(23)");
    }

    #[test]
    fn converts_a_small_catalog() {
        let json = r#"{"catalog":{"metadata":{"title":"T","version":"1"},"groups":[
          {"id":"ac","title":"Access Control","controls":[
            {"id":"ac-2","title":"Account Management","props":[{"name":"CORE","ns":"https://fedramp.gov/ns/oscal","value":"true"}],
             "controls":[{"id":"ac-2.1","title":"Automated System Account Management"},
                         {"id":"ac-2.2","title":"Gone","props":[{"name":"status","value":"withdrawn"}]}]}]},
          {"id":"pm","title":"Program Management","controls":[]}]}}"#;
        let naming = Naming {
            id: "x".into(),
            short: None,
            mapping_key: None,
            source_name: "t.json".into(),
        };
        let c = convert(json, &naming).unwrap();
        assert_eq!(c.groups.len(), 1);
        let ids: Vec<_> = c.requirements.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["AC-2", "AC-2(1)"]);
        assert!(c.requirements[0].core);
        assert_eq!(
            c.requirements[1].title,
            "Account Management | Automated System Account Management"
        );
    }
}
