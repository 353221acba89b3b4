//! The framework catalogs of a run: the built-in ones, compiled ahead of
//! run time (`load::compiled`) and read the first time a run asks for one,
//! and a project's own ones.

use super::types::Catalog;
use crate::diag::Diagnostics;
use crate::load::{compiled, Parsed};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Catalogs by framework id. A built-in catalog is parsed on first use, so
/// a project of one framework does not parse the others.
#[derive(Debug, Clone, Default)]
pub struct Catalogs {
    entries: BTreeMap<String, Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    mapping_key: String,
    /// The compiled form of a built-in catalog.
    compiled: Option<&'static str>,
    catalog: OnceLock<Option<Catalog>>,
}

impl Catalogs {
    /// The built-in catalogs, none of them parsed yet.
    pub fn builtin() -> Catalogs {
        let entries = compiled::catalogs()
            .map(|c| {
                let entry = Entry {
                    mapping_key: c.mapping_key.to_string(),
                    compiled: Some(c.json),
                    catalog: OnceLock::new(),
                };
                (c.id.to_string(), entry)
            })
            .collect();
        Catalogs { entries }
    }

    /// The catalog of `id`, parsed now if it was not yet.
    pub fn get(&self, id: &str) -> Option<&Catalog> {
        let entry = self.entries.get(id)?;
        entry
            .catalog
            .get_or_init(|| entry.compiled.and_then(|json| from_compiled(id, json)))
            .as_ref()
    }

    /// The catalog of `id` if this run has already parsed it.
    pub fn loaded(&self, id: &str) -> Option<&Catalog> {
        self.entries.get(id)?.catalog.get()?.as_ref()
    }

    pub fn contains_key(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    /// Every framework id, sorted; nothing is parsed.
    pub fn keys(&self) -> impl Iterator<Item = &String> + Clone {
        self.entries.keys()
    }

    /// Every catalog, sorted by id (all of them parsed).
    pub fn values(&self) -> impl Iterator<Item = &Catalog> + Clone {
        self.entries.keys().filter_map(|id| self.get(id))
    }

    /// Add a catalog already validated (a project's own).
    pub fn insert(&mut self, id: String, catalog: Catalog) {
        let entry = Entry {
            mapping_key: catalog.mapping_key.clone(),
            compiled: None,
            catalog: OnceLock::from(Some(catalog)),
        };
        self.entries.insert(id, entry);
    }

    /// Framework ids reachable from each mapping key; nothing is parsed.
    pub fn mapping_keys(&self) -> BTreeMap<String, Vec<String>> {
        let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, e) in &self.entries {
            keys.entry(id.clone()).or_default().push(id.clone());
            if &e.mapping_key != id {
                keys.entry(e.mapping_key.clone())
                    .or_default()
                    .push(id.clone());
            }
        }
        keys
    }
}

impl std::ops::Index<&str> for Catalogs {
    type Output = Catalog;

    /// The catalog of a framework id the caller has checked.
    fn index(&self, id: &str) -> &Catalog {
        match self.get(id) {
            Some(c) => c,
            None => panic!("no framework catalog `{id}`"),
        }
    }
}

impl std::ops::Index<&String> for Catalogs {
    type Output = Catalog;

    fn index(&self, id: &String) -> &Catalog {
        &self[id.as_str()]
    }
}

/// A compiled catalog: its file was validated when the library was
/// compiled (`compiled_library_is_up_to_date`), so only the conversion runs.
fn from_compiled(id: &str, json: &str) -> Option<Catalog> {
    let value = compiled::catalog_file(json).ok()?;
    let file = format!("{}frameworks/{id}.yaml", crate::load::BUILTIN);
    let mut diags = Diagnostics::default();
    super::library::catalogs(&[Parsed { file, value }], &mut diags).remove(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    /// The compiled catalogs are those of `controls/frameworks/`, validated.
    /// `AUDITPACK_WRITE_COMPILED=1` rewrites them when they are not.
    #[test]
    fn compiled_library_is_up_to_date() {
        let mut diags = Diagnostics::default();
        let files = crate::load::builtin_catalog_files(&mut diags);
        let catalogs = super::super::library::catalogs(&files, &mut diags);
        let problems: Vec<String> = diags.into_sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(problems, Vec::<String>::new());
        assert_eq!(catalogs.len(), files.len());
        let text = compiled::compile(&files);
        if text != compiled::COMPILED && std::env::var_os("AUDITPACK_WRITE_COMPILED").is_some() {
            std::fs::write(compiled::PATH, &text).unwrap();
            return;
        }
        assert!(
            text == compiled::COMPILED,
            "{} is out of date: AUDITPACK_WRITE_COMPILED=1 cargo test --release --lib compiled_library",
            compiled::PATH
        );
        let lib = Catalogs::builtin();
        for (id, c) in &catalogs {
            let loaded = &lib[id];
            assert_eq!(
                (
                    loaded.requirements.len(),
                    &loaded.mapping_key,
                    &loaded.groups
                ),
                (c.requirements.len(), &c.mapping_key, &c.groups)
            );
        }
    }

    #[test]
    fn a_catalog_is_parsed_only_when_asked_for() {
        let lib = Catalogs::builtin();
        assert!(lib.contains_key("soc2") && lib.contains_key("fedramp-high"));
        assert!(lib.mapping_keys()["fedramp"].contains(&"fedramp-low".to_string()));
        assert!(lib.loaded("soc2").is_none());
        assert!(lib.get("soc2").is_some_and(|c| c.get("CC6.1").is_some()));
        assert!(lib.loaded("soc2").is_some());
        assert!(lib.loaded("hipaa").is_none());
    }

    /// The built-in controls map only to requirements of the built-in
    /// catalogs (a run checks their mappings only against the catalogs it
    /// loads).
    #[test]
    fn builtin_controls_map_to_builtin_requirements() {
        let (mut sources, mut diags) = (Sources::default(), Diagnostics::default());
        let files = crate::load::library(&mut sources, &mut diags);
        let lib = crate::validate::library(&files, &mut diags);
        assert_eq!(lib.catalogs.values().count(), lib.catalogs.keys().count());
        let matrix = lib.matrices.values().next();
        let controls =
            super::super::controls::merge(&files.controls, &[], &lib.catalogs, matrix, &mut diags);
        let problems: Vec<String> = diags.into_sorted().into_iter().map(|d| d.message).collect();
        assert_eq!(problems, Vec::<String>::new());
        assert!(controls
            .iter()
            .any(|c| c.mappings.contains_key("fedramp-high")));
    }
}
