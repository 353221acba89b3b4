//! `manifest.json`: tool version, inputs digest, period, as-of date and the
//! size and SHA-256 of every file of the package.

use crate::model::ReportModel;
use serde::{Deserialize, Serialize};

/// Version of the manifest format.
pub const MANIFEST_VERSION: u32 = 2;

/// Largest `manifest.json` read (a manifest of 100,000 files is ~20 MiB).
pub const MAX_MANIFEST_BYTES: u64 = 48 << 20;

/// The `format` field of every manifest auditpack writes.
pub const FORMAT: &str = "auditpack-package";

/// One file of the package.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

impl Entry {
    pub fn of_bytes(path: &str, bytes: &[u8]) -> Self {
        Entry {
            path: path.to_string(),
            size: bytes.len() as u64,
            sha256: crate::sha256::bytes(bytes),
        }
    }
}

/// The manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Always [`FORMAT`]: with `package_id`, how auditpack knows a folder
    /// or zip it wrote (a file name proves nothing).
    pub format: String,
    /// Derived from the package digest and the inputs digest; see [`Manifest::id_of`].
    pub package_id: String,
    pub manifest_version: u32,
    pub tool: String,
    pub tool_version: String,
    pub system: String,
    pub organization: String,
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub as_of: String,
    pub frameworks: Vec<String>,
    pub inputs_digest: String,
    /// SHA-256 over the sorted `sha256  path` lines of every file.
    pub package_digest: String,
    pub files: Vec<Entry>,
}

impl Manifest {
    /// SHA-256 over the `sha256  path` lines of the entries.
    pub fn digest_of(files: &[Entry]) -> String {
        let lines: String = files
            .iter()
            .map(|f| format!("{}  {}\n", f.sha256, f.path))
            .collect();
        crate::sha256::bytes(lines.as_bytes())
    }

    /// The package id of a package digest and an inputs digest.
    pub fn id_of(package_digest: &str, inputs_digest: &str) -> String {
        let text = format!("{FORMAT}\n{package_digest}\n{inputs_digest}\n");
        crate::sha256::bytes(text.as_bytes())[..32].to_string()
    }

    /// True when this is a manifest auditpack wrote: the format field, a
    /// package id that matches its digests, and a file list that matches
    /// its package digest.
    pub fn is_auditpack(&self) -> bool {
        self.format == FORMAT
            && self.package_id == Self::id_of(&self.package_digest, &self.inputs_digest)
            && self.package_digest == Self::digest_of(&self.files)
    }

    pub fn new(model: &ReportModel, files: Vec<Entry>) -> Self {
        let package_digest = Self::digest_of(&files);
        Manifest {
            format: FORMAT.to_string(),
            package_id: Self::id_of(&package_digest, &model.inputs_digest),
            manifest_version: MANIFEST_VERSION,
            tool: model.tool.name.clone(),
            tool_version: model.tool.version.clone(),
            system: model.system.name.clone(),
            organization: model.system.organization.clone(),
            period: model.period.label.clone(),
            period_start: model.period.start.to_string(),
            period_end: model.period.end.to_string(),
            as_of: model.as_of.to_string(),
            frameworks: model.frameworks.iter().map(|f| f.id.clone()).collect(),
            inputs_digest: model.inputs_digest.clone(),
            package_digest,
            files,
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}
