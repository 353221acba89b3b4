//! The report model: everything a report says, resolved once. Every renderer
//! (Markdown, HTML, PDF, JSON) reads this and computes nothing of its own.
//! It is also written to `model.json` with a versioned schema.

use crate::srm::{Layer, Party, Responsibility, ServiceModel, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use crate::values::{
    Badge, ControlIssue, ControlStatus, Coverage, EvidenceKind, ExceptionState, Freshness, Origin,
    ProviderCoverage, Tone,
};

/// Version of the `model.json` schema.
pub const SCHEMA_VERSION: u32 = 2;

/// The whole resolved package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReportModel {
    pub schema_version: u32,
    pub tool: Tool,
    pub system: System,
    pub period: AuditPeriod,
    pub as_of: NaiveDate,
    /// SHA-256 over every input file and evidence file.
    pub inputs_digest: String,
    /// Every control of the inventory, sorted by id (out-of-scope ones too).
    pub controls: Vec<ResolvedControl>,
    pub frameworks: Vec<ResolvedFramework>,
    pub provider_attestations: Vec<ResolvedProviderAttestation>,
    /// Every finding, sorted by severity then location.
    pub findings: Vec<Finding>,
    /// Every evidence item referenced by an attestation of the period
    /// (current and earlier), sorted by target.
    pub evidence: Vec<EvidenceItem>,
    /// The whole-package summary.
    pub summary: Summary,
}

/// The tool that built the model.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

/// The system under review.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct System {
    pub name: String,
    pub organization: String,
    pub description: String,
    pub provider: String,
    pub provider_name: String,
    pub services: Vec<ServiceInScope>,
}

/// An in-scope service.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ServiceInScope {
    pub id: String,
    pub name: String,
    pub model: ServiceModel,
    /// Layers the customer runs on this service.
    pub customer_layers: Vec<Layer>,
    pub note: String,
}

/// The review period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditPeriod {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

/// One (service, layer) pair and who runs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LayerParty {
    pub service: String,
    pub layer: Layer,
    pub party: Party,
}

/// A control, resolved.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedControl {
    pub id: String,
    pub title: String,
    pub family: String,
    pub origin: Origin,
    /// False when none of the control's services is in scope.
    pub in_scope: bool,
    pub layers: Vec<Layer>,
    /// In-scope services the control applies to.
    pub services: Vec<String>,
    /// The responsibility used in the reports (declared wins).
    pub responsibility: Responsibility,
    /// What the service matrix gives.
    pub derived: Responsibility,
    pub declared: Option<Responsibility>,
    pub boundary_error: bool,
    /// Who runs each (service, layer) pair.
    pub matrix: Vec<LayerParty>,
    /// The responsibility on each in-scope service it applies to.
    #[serde(default)]
    pub split: Vec<crate::srm::ServiceShare>,
    pub frequency: String,
    pub owner: String,
    pub description: String,
    pub provider_part: String,
    pub customer_part: String,
    /// What the organisation's own customers must do (empty: nothing stated).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub customer_responsibility: String,
    /// The latest attestation's status; `inherited` or `not-attested`
    /// without one.
    pub status: ControlStatus,
    pub freshness: Freshness,
    pub attestation: Option<ResolvedAttestation>,
    /// The period's earlier attestations of the control, newest first: the
    /// operating history an auditor samples.
    pub earlier: Vec<ResolvedAttestation>,
    /// What keeps the control from counting towards any requirement
    /// (boundary error, stale evidence…), whatever its status.
    pub issues: Vec<ControlIssue>,
    /// Requirements mapped, per framework in scope.
    pub requirements: Vec<RequirementRef>,
    /// Provider attestations of the control's frameworks that back its
    /// provider part (inherited and shared controls), each with its framework.
    pub provider_attestations: Vec<ProviderRef>,
}

impl ResolvedControl {
    /// Whether the package reports the control: in scope and mapped to a
    /// requirement of one of its frameworks.
    pub fn reported(&self) -> bool {
        self.in_scope && !self.requirements.is_empty()
    }
}

/// A provider attestation backing a control, for one framework.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ProviderRef {
    pub framework: String,
    pub id: String,
    /// How its dates (and bridge letter) meet the review period.
    pub coverage: ProviderCoverage,
}

/// A reference to a requirement of a framework.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequirementRef {
    pub framework: String,
    pub id: String,
}

/// The attestation that counts for a control this period (the latest).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedAttestation {
    pub status: Status,
    pub attested_by: String,
    pub date: NaiveDate,
    pub valid_until: NaiveDate,
    pub narrative: String,
    pub evidence: Vec<EvidenceItem>,
    pub exceptions: Vec<ResolvedException>,
    /// `file:line` of the attestation.
    pub location: String,
    /// How many attestations of the control the period holds.
    pub count: usize,
}

/// An evidence item.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EvidenceItem {
    /// `file` (bundled) or `url` (referenced).
    pub kind: EvidenceKind,
    /// Path inside the package (`evidence/...`) or the URL.
    pub target: String,
    pub description: String,
    pub size: Option<u64>,
    pub sha256: Option<String>,
    pub control: String,
    pub freshness: Freshness,
    /// The identity across periods the attestation gives (`id:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// When it was collected: the date of the attestation that cites it.
    pub collected: NaiveDate,
}

/// An exception.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedException {
    pub id: String,
    pub control: String,
    pub description: String,
    pub remediation_due: NaiveDate,
    pub closed: Option<NaiveDate>,
    /// At the as-of date.
    pub state: ExceptionState,
    /// The date of the first attestation of the period that records it.
    pub opened: NaiveDate,
    /// The control's owner.
    pub owner: String,
    /// What mitigates the risk meanwhile, when recorded.
    pub compensating_control: String,
}

/// A provider attestation and what it covers of the period.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedProviderAttestation {
    pub id: String,
    pub framework: String,
    pub title: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// How its own dates meet the review period.
    pub coverage: ProviderCoverage,
    /// A bridge (gap) letter recorded on it.
    pub bridge_letter: Option<BridgeLetterNeed>,
}

/// A provider's bridge letter: it vouches for the days after a report ends.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BridgeLetterNeed {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Where the letter is kept (path or URL), as recorded.
    pub evidence: String,
}

/// Days of the review period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRange {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl DayRange {
    /// How many days the range holds.
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }
}

/// A finding (or note) shown in the package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    pub code: String,
    pub severity: String,
    pub message: String,
    /// `file:line:col`, when known.
    pub location: String,
    pub hint: String,
    /// Frameworks the finding concerns (empty: all).
    pub frameworks: Vec<String>,
    pub control: String,
    pub requirement: String,
}

/// Counts shown in a summary.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Summary {
    pub controls: usize,
    pub inherited: usize,
    pub shared: usize,
    pub customer: usize,
    pub implemented: usize,
    pub partially_implemented: usize,
    pub planned: usize,
    pub alternative: usize,
    pub not_applicable: usize,
    pub not_implemented: usize,
    pub not_attested: usize,
    pub requirements: usize,
    pub requirements_met: usize,
    pub requirements_partial: usize,
    pub requirements_gap: usize,
    pub requirements_na: usize,
    /// Percentage of in-scope requirements met, rounded down.
    pub coverage_percent: usize,
    pub fresh: usize,
    pub expiring: usize,
    pub stale: usize,
    pub open_exceptions: usize,
    pub past_due_exceptions: usize,
    pub errors: usize,
    pub warnings: usize,
    pub bridge_letter_needed: bool,
}

/// One framework's view of the package.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedFramework {
    pub id: String,
    pub title: String,
    pub short: String,
    pub version: String,
    pub source: String,
    pub summary: Summary,
    pub groups: Vec<RequirementGroup>,
    /// The responsibility matrix: one row per (requirement, control).
    pub matrix: Vec<MatrixRow>,
    /// Ids of the in-scope controls mapped to this framework, by responsibility.
    pub inherited: Vec<String>,
    pub shared: Vec<String>,
    pub customer: Vec<String>,
    pub provider_attestations: Vec<String>,
    /// Days of the period that no provider attestation of this framework
    /// (or bridge letter) covers; empty when the period is covered.
    pub provider_uncovered: Vec<DayRange>,
}

/// A group of requirements.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequirementGroup {
    pub id: String,
    pub title: String,
    pub requirements: Vec<ResolvedRequirement>,
}

/// A requirement and how it is covered: the figures an auditor tests.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResolvedRequirement {
    pub framework: String,
    pub id: String,
    pub title: String,
    /// The catalog group (e.g. `CC6`, `AC`).
    pub group: String,
    pub core: bool,
    /// The requirement's text (Markdown from the catalog), where its source
    /// is public: NIST SP 800-53 and FedRAMP, with FedRAMP's parameter
    /// values. Empty for paraphrased catalogs (SOC 2, PCI DSS).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub statement: String,
    /// Aggregated from the parts of the controls it rests on; `None` when
    /// no control counts for it.
    pub responsibility: Option<Responsibility>,
    pub status: Coverage,
    /// In-scope controls mapped to it, minus those attested not applicable.
    pub controls: Vec<String>,
    /// Mapped controls attested not applicable (they leave the requirement).
    pub not_applicable_controls: Vec<String>,
    /// Provider attestations backing the provider parts of its controls.
    pub provider_attestations: Vec<String>,
    /// Why it has its status, in words.
    pub reason: String,
}

/// One row of the responsibility matrix.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatrixRow {
    pub framework: String,
    pub requirement: String,
    pub requirement_title: String,
    /// Empty (and the next three `None`) when no control maps to it.
    pub control: String,
    pub control_title: String,
    pub responsibility: Option<Responsibility>,
    pub status: Option<ControlStatus>,
    pub freshness: Option<Freshness>,
    /// The requirement's status.
    pub coverage: Coverage,
}
