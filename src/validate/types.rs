//! Validated inputs: plain types that cannot be invalid. Spans remain only
//! where a finding of the resolve stage must point back at the input.

use crate::diag::Span;
use crate::load::raw::{ChecksRaw, Text};
use crate::srm::{Frequency, LayerMap, Party, Responsibility, ServiceModel, Status};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// A framework catalog.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub id: String,
    pub title: String,
    pub short: String,
    pub version: String,
    pub source: String,
    pub mapping_key: String,
    pub groups: Vec<(String, String)>,
    pub requirements: Vec<Requirement>,
    index: HashMap<String, usize>,
}

impl Catalog {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: String,
        title: String,
        short: String,
        version: String,
        source: String,
        mapping_key: String,
        groups: Vec<(String, String)>,
        requirements: Vec<Requirement>,
    ) -> Self {
        let index = requirements
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        Catalog {
            id,
            title,
            short,
            version,
            source,
            mapping_key,
            groups,
            requirements,
            index,
        }
    }

    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.index.get(id).map(|&i| &self.requirements[i])
    }
}

/// One requirement of a catalog.
#[derive(Debug, Clone)]
pub struct Requirement {
    pub id: String,
    pub group: String,
    pub title: String,
    pub core: bool,
    /// The requirement's text (Markdown); empty where it is not public.
    pub statement: String,
}

/// A provider's service matrix.
#[derive(Debug, Clone)]
pub struct ServiceMatrix {
    pub id: String,
    pub name: String,
    pub services: BTreeMap<String, Service>,
}

/// One provider service and who runs each of its layers.
#[derive(Debug, Clone)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub model: ServiceModel,
    pub layers: LayerMap,
    /// Other names of the service, for hints only: a project names the id.
    pub aliases: Vec<String>,
    pub note: Option<String>,
}

impl Service {
    pub fn party(&self, layer: crate::srm::Layer) -> Party {
        self.layers.get(layer)
    }
}

pub use crate::values::Origin;

/// A control of the inventory.
#[derive(Debug, Clone)]
pub struct Control {
    pub id: String,
    pub title: String,
    pub family: String,
    pub layers: Vec<crate::srm::Layer>,
    pub services: Option<Vec<String>>,
    pub declared: Option<Responsibility>,
    pub frequency: Frequency,
    pub owner: Option<String>,
    pub description: String,
    pub provider_part: String,
    pub customer_part: String,
    /// What the organisation's own customers must do (the CRM workbook).
    pub customer_responsibility: String,
    /// Requirement ids per framework id (mapping keys already expanded).
    pub mappings: BTreeMap<String, Vec<String>>,
    /// Scanner checks whose results are evidence of the control.
    pub checks: Checks,
    pub origin: Origin,
    /// Where the control is defined.
    pub span: Option<Span>,
    /// Where its responsibility is declared.
    pub declared_span: Option<Span>,
}

/// One piece of evidence of an attestation.
#[derive(Debug, Clone)]
pub enum Evidence {
    File {
        /// Relative to the evidence root, `/`-separated.
        path: String,
        description: String,
        size: u64,
        sha256: String,
        /// Explicit identity across periods.
        id: Option<String>,
    },
    Url {
        url: String,
        description: String,
        id: Option<String>,
    },
}

/// An exception recorded with an attestation.
#[derive(Debug, Clone)]
pub struct Exception {
    pub id: String,
    pub description: String,
    pub remediation_due: NaiveDate,
    pub closed: Option<NaiveDate>,
    pub compensating_control: Option<String>,
    pub opened: Option<NaiveDate>,
    pub owner: Option<String>,
    pub span: Option<Span>,
}

/// A validated attestation.
#[derive(Debug, Clone)]
pub struct Attestation {
    pub control: String,
    pub status: Status,
    pub attested_by: String,
    pub date: NaiveDate,
    pub valid_until: NaiveDate,
    pub narrative: String,
    pub evidence: Vec<Evidence>,
    pub exceptions: Vec<Exception>,
    pub span: Option<Span>,
}

/// A review period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// What the provider certifies.
#[derive(Debug, Clone)]
pub struct ProviderAttestation {
    pub id: String,
    pub framework: String,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub bridge_letter: Option<BridgeLetter>,
    pub span: Option<Span>,
}

/// A provider's bridge letter, recorded on its attestation.
#[derive(Debug, Clone)]
pub struct BridgeLetter {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub evidence: String,
}

/// Requirements a project declares out of scope.
#[derive(Debug, Clone)]
pub struct NotApplicable {
    pub requirement: String,
    pub reason: String,
}

/// The validated project file.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub file: String,
    pub name: String,
    pub organization: String,
    pub description: String,
    pub provider: String,
    pub services: Vec<String>,
    pub frameworks: Vec<String>,
    /// Where each framework is named, for requirement-gap findings.
    pub framework_spans: BTreeMap<String, Option<Span>>,
    pub period: Period,
    pub evidence_root: PathBuf,
    pub provider_attestations: Vec<ProviderAttestation>,
    /// Per framework: requirement id → reason.
    pub not_applicable: BTreeMap<String, BTreeMap<String, String>>,
}

/// Everything the resolve stage needs, valid.
#[derive(Debug, Clone)]
pub struct Inventory {
    pub project: Project,
    pub catalogs: super::Catalogs,
    pub matrix: ServiceMatrix,
    /// Every control, library and project, sorted by id.
    pub controls: Vec<Control>,
    pub attestations: Vec<Attestation>,
    /// Digest of every input file read, for the manifest.
    pub inputs_digest: String,
}

/// A scanner whose results `ingest` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scanner {
    /// Prowler (OCSF JSON or CSV).
    Prowler,
    /// AWS Security Hub controls (ASFF).
    SecurityHub,
    /// AWS Config rules.
    Config,
}

impl Scanner {
    /// Every scanner, in the order of the `checks:` keys.
    pub const ALL: [Scanner; 3] = [Scanner::Prowler, Scanner::SecurityHub, Scanner::Config];

    /// The key under `checks:`.
    pub fn key(self) -> &'static str {
        match self {
            Scanner::Prowler => "prowler",
            Scanner::SecurityHub => "securityhub",
            Scanner::Config => "config",
        }
    }
}

/// Check ids per scanner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checks {
    pub prowler: Vec<String>,
    pub securityhub: Vec<String>,
    pub config: Vec<String>,
}

impl Checks {
    /// The ids of one scanner.
    pub fn of(&self, s: Scanner) -> &[String] {
        match s {
            Scanner::Prowler => &self.prowler,
            Scanner::SecurityHub => &self.securityhub,
            Scanner::Config => &self.config,
        }
    }

    /// True when no scanner check is named.
    pub fn is_empty(&self) -> bool {
        Scanner::ALL.iter().all(|s| self.of(*s).is_empty())
    }

    /// The plain ids of a raw `checks:` value.
    pub fn from_raw(raw: Option<&ChecksRaw>) -> Checks {
        let ids = |v: &[Text]| v.iter().map(|s| s.value.clone()).collect();
        raw.map(|r| Checks {
            prowler: ids(&r.prowler),
            securityhub: ids(&r.securityhub),
            config: ids(&r.config),
        })
        .unwrap_or_default()
    }
}
