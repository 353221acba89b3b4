//! OSCAL profiles: the catalog a profile imports and the controls it
//! selects (`include-all`, `include-controls` / `exclude-controls` by id),
//! so that a baseline such as NIST SP 800-53B Moderate or FedRAMP LI-SaaS
//! becomes a framework of its own. The parameters it sets
//! (`modify.set-parameters`) are written into the statements.

use super::oscal::{self, Metadata, Naming, Selection};
use super::statement::SetParam;
use super::ImportError;
use crate::load::raw::CatalogFile;
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
struct Doc {
    profile: Profile,
}

#[derive(Deserialize)]
struct Profile {
    metadata: Metadata,
    imports: Vec<Import>,
    #[serde(default)]
    modify: Modify,
    #[serde(rename = "back-matter", default)]
    back_matter: BackMatter,
}

/// The parameter settings of a profile (its `alters` are not applied).
#[derive(Deserialize, Default)]
struct Modify {
    #[serde(rename = "set-parameters", default)]
    set_parameters: Vec<SetParam>,
}

#[derive(Deserialize)]
struct Import {
    href: String,
    #[serde(rename = "include-all")]
    include_all: Option<serde_json::Value>,
    #[serde(rename = "include-controls", default)]
    include_controls: Vec<Selector>,
    #[serde(rename = "exclude-controls", default)]
    exclude_controls: Vec<Selector>,
}

#[derive(Deserialize)]
struct Selector {
    #[serde(rename = "with-ids", default)]
    with_ids: Vec<String>,
    #[serde(default)]
    matching: Vec<serde_json::Value>,
}

#[derive(Deserialize, Default)]
struct BackMatter {
    #[serde(default)]
    resources: Vec<Resource>,
}

#[derive(Deserialize)]
struct Resource {
    uuid: String,
    #[serde(default)]
    rlinks: Vec<Rlink>,
}

#[derive(Deserialize)]
struct Rlink {
    href: String,
}

/// Import an OSCAL catalog or profile (JSON). A profile's catalog is found
/// from its `href` relative to the profile, else in `catalog`.
pub fn import(
    path: &Path,
    catalog: Option<&Path>,
    naming: &Naming,
) -> Result<CatalogFile, ImportError> {
    let text = read(path)?;
    if first_key(&text).as_deref() != Some("profile") {
        return oscal::convert(&text, naming);
    }
    let doc: Doc = serde_json::from_str(&text).map_err(|e| ImportError::NotOscal {
        what: "profile",
        reason: e.to_string(),
    })?;
    let p = doc.profile;
    let [import] = p.imports.as_slice() else {
        return Err(ImportError::Profile(format!(
            "the profile imports {} catalogs; one is supported",
            p.imports.len()
        )));
    };
    let href = catalog_href(import, &p.back_matter)?;
    let found = locate(path, &href, catalog)?;
    let selection = select(import)?;
    oscal::convert_selected(
        &read(&found)?,
        naming,
        &selection,
        Some(p.metadata),
        &p.modify.set_parameters,
    )
}

fn read(path: &Path) -> Result<String, ImportError> {
    std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The first key of a JSON object (`catalog`, `profile`, …).
fn first_key(text: &str) -> Option<String> {
    let rest = text.trim_start().strip_prefix('{')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    Some(rest[..rest.find('"')?].to_string())
}

/// The import's href, through the back matter when it is `#uuid`; of a
/// resource's links, the JSON one.
fn catalog_href(import: &Import, back: &BackMatter) -> Result<String, ImportError> {
    let Some(uuid) = import.href.strip_prefix('#') else {
        return Ok(import.href.clone());
    };
    let r = back
        .resources
        .iter()
        .find(|r| r.uuid == uuid)
        .ok_or_else(|| {
            ImportError::Profile(format!(
                "the import `{}` names no back-matter resource",
                import.href
            ))
        })?;
    r.rlinks
        .iter()
        .map(|l| l.href.clone())
        .find(|h| h.ends_with(".json"))
        .ok_or_else(|| ImportError::Profile(format!("resource {uuid} has no JSON catalog link")))
}

/// The catalog file: `href` beside the profile, else the one given.
fn locate(profile: &Path, href: &str, given: Option<&Path>) -> Result<PathBuf, ImportError> {
    if let Some(g) = given {
        return Ok(g.to_path_buf());
    }
    let beside = profile.parent().unwrap_or(Path::new(".")).join(href);
    if !href.contains("://") && beside.is_file() {
        return Ok(beside);
    }
    Err(ImportError::Profile(format!(
        "the profile imports `{href}`, which is not beside it: give the catalog with --catalog FILE"
    )))
}

/// The ids the import selects.
fn select(import: &Import) -> Result<Selection, ImportError> {
    if import
        .include_controls
        .iter()
        .chain(&import.exclude_controls)
        .any(|s| !s.matching.is_empty())
    {
        return Err(ImportError::Profile(
            "selection by `matching` patterns is not supported; list the ids with `with-ids`"
                .into(),
        ));
    }
    let mut ids: Option<BTreeSet<String>> =
        match (&import.include_all, import.include_controls.is_empty()) {
            (Some(_), _) | (None, true) => None,
            (None, false) => Some(
                import
                    .include_controls
                    .iter()
                    .flat_map(|s| s.with_ids.iter().cloned())
                    .collect(),
            ),
        };
    let excluded: BTreeSet<&String> = import
        .exclude_controls
        .iter()
        .flat_map(|s| &s.with_ids)
        .collect();
    if let Some(set) = ids.as_mut() {
        set.retain(|id| !excluded.contains(id));
    } else if !excluded.is_empty() {
        return Err(ImportError::Profile(
            "`exclude-controls` after `include-all` is not supported".into(),
        ));
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_key_of_a_document() {
        assert_eq!(
            first_key(" {\n  \"profile\": {}}").as_deref(),
            Some("profile")
        );
        assert_eq!(first_key("[1]"), None);
    }
}
