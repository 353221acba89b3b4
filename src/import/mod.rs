//! Importers that turn public catalogs into the library's framework format.

pub mod oscal;
pub mod profile;
mod statement;

/// Why an import failed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("not an OSCAL {what}: {reason}")]
    NotOscal { what: &'static str, reason: String },
    #[error("the catalog holds no selected control")]
    Empty,
    #[error("cannot write YAML: {0}")]
    Yaml(String),
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Profile(String),
}
