//! The input formats as parsed: every value that a later check may need to
//! point at is `Spanned`. Unknown keys are rejected by serde.
//!
//! The project's controls and attestations are also kept, parsed, in a
//! binary cache (`cache.rs` beside this file): their types are `Serialize` too, and a
//! [`Spanned`] value keeps its location through that format.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::HashMap;

/// Where a value was written: 1-based line and column, 0 when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Location {
    line: u32,
    column: u32,
}

impl Location {
    /// A value with no place in a file.
    pub const UNKNOWN: Location = Location { line: 0, column: 0 };

    /// 1-based line, 0 when unknown.
    pub fn line(&self) -> u32 {
        self.line
    }

    /// 1-based column, 0 when unknown.
    pub fn column(&self) -> u32 {
        self.column
    }
}

/// A value and where it was written (for an alias: where it was used).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Spanned<T> {
    pub value: T,
    pub referenced: Location,
}

impl<T> Spanned<T> {
    /// `value` written at `at`.
    pub fn new(value: T, at: Location) -> Spanned<T> {
        Spanned {
            value,
            referenced: at,
        }
    }
}

/// From YAML (a human-readable format), the location comes from
/// serde-saphyr; from the binary cache, it is stored beside the value.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        if d.is_human_readable() {
            let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
            let at = Location {
                line: s.referenced.line() as u32,
                column: s.referenced.column() as u32,
            };
            Ok(Spanned::new(s.value, at))
        } else {
            let (value, line, column) = <(T, u32, u32)>::deserialize(d)?;
            Ok(Spanned::new(value, Location { line, column }))
        }
    }
}

/// The value alone in a human-readable format, value and location in the
/// binary cache.
impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            self.value.serialize(s)
        } else {
            (&self.value, self.referenced.line, self.referenced.column).serialize(s)
        }
    }
}

/// A string with its location.
pub type Text = Spanned<String>;

/// `auditpack.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub system: SystemRaw,
    pub frameworks: Vec<Text>,
    pub period: Spanned<PeriodRaw>,
    #[serde(default)]
    pub controls: Vec<Text>,
    #[serde(default)]
    pub attestations: Vec<Text>,
    pub evidence_root: Option<Text>,
    #[serde(default)]
    pub provider_attestations: Vec<ProviderAttestationRaw>,
    #[serde(default)]
    pub not_applicable: HashMap<Text, Vec<NotApplicableRaw>>,
    /// Include the built-in baseline controls (default: yes).
    pub baseline: Option<bool>,
    /// The project's own framework catalogs, same format as the built-in
    /// ones (default: `frameworks/` when that folder exists).
    pub catalogs: Option<Vec<Text>>,
    /// Control libraries: controls treated like the built-in baseline
    /// (project controls may replace them).
    #[serde(default)]
    pub libraries: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemRaw {
    pub name: Text,
    pub organization: Text,
    pub provider: Text,
    pub services: Vec<Text>,
    pub description: Option<String>,
}

/// `2026-Q3`, or an explicit range.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PeriodRaw {
    Label(String),
    Range(RangeRaw),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeRaw {
    pub start: String,
    pub end: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpannedRangeRaw {
    pub start: Text,
    pub end: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderAttestationRaw {
    pub id: Text,
    pub framework: Text,
    pub title: Option<String>,
    pub covers: SpannedRangeRaw,
    /// A bridge (gap) letter for the days after the report ends.
    pub bridge_letter: Option<BridgeLetterRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BridgeLetterRaw {
    pub covers: SpannedRangeRaw,
    /// Where the letter is kept (a path or URL).
    pub evidence: Text,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotApplicableRaw {
    #[serde(default)]
    pub requirements: Vec<Text>,
    #[serde(default)]
    pub groups: Vec<Text>,
    pub reason: Text,
}

/// A file of controls (`controls:`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ControlsFile {
    pub controls: Vec<ControlRaw>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ControlRaw {
    pub id: Text,
    pub title: String,
    pub family: Option<String>,
    pub layers: Vec<Text>,
    pub services: Option<Vec<Text>>,
    pub responsibility: Option<Text>,
    pub frequency: Option<Text>,
    pub owner: Option<String>,
    pub description: Option<String>,
    pub provider_part: Option<String>,
    pub customer_part: Option<String>,
    pub customer_responsibility: Option<String>,
    #[serde(default)]
    pub frameworks: HashMap<Text, Vec<Text>>,
    /// Scanner checks whose results are evidence of the control.
    pub checks: Option<ChecksRaw>,
}

/// Scanner check ids, per scanner.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksRaw {
    #[serde(default)]
    pub prowler: Vec<Text>,
    #[serde(default)]
    pub securityhub: Vec<Text>,
    #[serde(default)]
    pub config: Vec<Text>,
}

/// `controls/checks/*.yaml`: the check ids a scanner knows, and the
/// library controls' checks by control id.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksFile {
    pub known: Option<ChecksRaw>,
    #[serde(default)]
    pub controls: HashMap<Text, ChecksRaw>,
}

/// A file of attestations (`attestations:`).
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationsFile {
    pub attestations: Vec<AttestationRaw>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AttestationRaw {
    pub control: Text,
    pub status: Text,
    pub attested_by: String,
    pub date: Text,
    pub valid_until: Option<Text>,
    pub narrative: Option<String>,
    #[serde(default)]
    pub evidence: Vec<EvidenceRaw>,
    #[serde(default)]
    pub exceptions: Vec<ExceptionRaw>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRaw {
    /// The evidence's identity across periods (default: from its path).
    pub id: Option<String>,
    pub path: Option<Text>,
    pub url: Option<Text>,
    pub sha256: Option<Text>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRaw {
    pub id: Text,
    pub description: String,
    pub remediation_due: Text,
    pub closed: Option<Text>,
    /// What mitigates the risk until remediation.
    pub compensating_control: Option<String>,
    /// When the exception was raised (default: the attestation's date).
    pub opened: Option<Text>,
    /// Who owns remediation (default: the control's owner); `ingest` reads it
    /// for muted findings.
    pub owner: Option<String>,
    /// Scanner checks whose muted findings the exception covers.
    #[serde(default)]
    pub checks: Vec<Text>,
}

/// `controls/frameworks/<id>.yaml`.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    pub framework: CatalogHeader,
    pub groups: Vec<GroupRaw>,
    pub requirements: Vec<RequirementRaw>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogHeader {
    pub id: String,
    pub title: String,
    pub short: String,
    pub version: String,
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mapping_key: Option<String>,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRaw {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequirementRaw {
    pub id: String,
    pub group: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub core: bool,
    /// The requirement's text (Markdown), where it is public.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub statement: String,
}

/// `controls/providers/<id>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderFile {
    pub provider: ProviderHeader,
    pub models: HashMap<Text, ModelRaw>,
    pub services: Vec<ServiceRaw>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderHeader {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelRaw {
    pub provider: Vec<Text>,
    pub customer: Vec<Text>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceRaw {
    pub id: Text,
    pub name: String,
    pub model: Text,
    #[serde(default)]
    pub overrides: HashMap<Text, Text>,
    /// Other names users know the service by (`kafka` for `msk`).
    #[serde(default)]
    pub aliases: Vec<Text>,
    pub note: Option<String>,
}
