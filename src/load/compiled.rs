//! The built-in framework catalogs compiled ahead of run time.
//!
//! `compiled-catalogs.txt` holds one line per catalog of
//! `controls/frameworks/`: its id, its mapping key and the catalog as
//! compact JSON, separated by tabs. A run reads the ids and keys of every
//! line and parses a catalog's JSON only when it uses that framework. The
//! file is generated; the test `compiled_library_is_up_to_date` fails when it
//! no longer matches the YAML (and rewrites it with
//! `AUDITPACK_WRITE_COMPILED=1`).

use super::raw::CatalogFile;
use super::Parsed;

/// Where the compiled catalogs are kept, from the repository root.
pub const PATH: &str = "src/load/compiled-catalogs.txt";

/// The compiled catalogs, embedded.
pub const COMPILED: &str = include_str!("compiled-catalogs.txt");

/// One compiled catalog, not yet parsed.
#[derive(Debug, Clone, Copy)]
pub struct Compiled {
    pub id: &'static str,
    pub mapping_key: &'static str,
    pub json: &'static str,
}

/// Every compiled catalog, in file order (sorted by id).
pub fn catalogs() -> impl Iterator<Item = Compiled> {
    COMPILED.lines().filter_map(|line| {
        let mut parts = line.splitn(3, '\t');
        Some(Compiled {
            id: parts.next()?,
            mapping_key: parts.next()?,
            json: parts.next()?,
        })
    })
}

/// Parse one compiled catalog.
pub fn catalog_file(json: &str) -> Result<CatalogFile, serde_json::Error> {
    serde_json::from_str(json)
}

/// The compiled form of `files` (catalogs already validated).
pub fn compile(files: &[Parsed<CatalogFile>]) -> String {
    let mut sorted: Vec<&CatalogFile> = files.iter().map(|f| &f.value).collect();
    sorted.sort_by(|a, b| a.framework.id.cmp(&b.framework.id));
    let mut out = String::new();
    for c in sorted {
        let h = &c.framework;
        let key = h.mapping_key.as_deref().unwrap_or(&h.id);
        // Compact JSON escapes tabs and newlines inside strings.
        let json = serde_json::to_string(c).unwrap_or_default();
        out.push_str(&format!("{}\t{key}\t{json}\n", h.id));
    }
    out
}
