//! The typed values a report shows as badges: control status, requirement
//! coverage, exception state, provider-attestation coverage, evidence kind
//! the control issues that keep a control from counting and the freshness
//! of its evidence. Each has its serde name (as in `model.json`), a human
//! `label()` and a `tone()`, so no template or renderer matches strings.
//! [`Origin`], where a control comes from, is here too: validation sets it
//! and the model carries it.

use crate::srm::{Responsibility, Status};
use serde::{Deserialize, Serialize};

/// Where a control comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Library,
    Project,
    /// A project control that replaces the library control with its id.
    Override,
}

/// How fresh the evidence of a control is at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Freshness {
    /// Valid for more than 30 days after the as-of date.
    Fresh,
    /// Valid, but expires within 30 days of the as-of date.
    Expiring,
    /// Expired before the as-of date.
    Stale,
    /// No attestation.
    Missing,
    /// Inherited: covered by the provider's attestations.
    Provider,
    /// Evidence of an earlier attestation of the period, replaced by a later one.
    Superseded,
}

/// The colour family of a badge: what a value means to an auditor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Tone {
    /// Done, covered, met.
    Good,
    /// Partly there.
    Partial,
    /// Needs attention soon.
    Warn,
    /// A problem.
    Bad,
    /// Carried by the provider.
    Provider,
    /// Neither good nor bad (planned, not applicable…).
    Neutral,
}

impl Tone {
    /// The symbol shown before the label in Markdown (and read by nothing).
    pub fn mark(self) -> &'static str {
        match self {
            Tone::Good => "✅",
            Tone::Partial => "◐",
            Tone::Warn => "⚠️",
            Tone::Bad => "❌",
            Tone::Provider => "☁️",
            Tone::Neutral => "–",
        }
    }

    /// The text glyph shown before the label in HTML (aria-hidden: the
    /// label says the same).
    pub fn glyph(self) -> &'static str {
        match self {
            Tone::Good => "✔",
            Tone::Partial => "◐",
            Tone::Warn => "▲",
            Tone::Bad => "✖",
            Tone::Provider => "■",
            Tone::Neutral => "–",
        }
    }

    /// The CSS class of the HTML badge.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Good => "ok",
            Tone::Partial | Tone::Warn => "part",
            Tone::Bad => "bad",
            Tone::Provider => "inh",
            Tone::Neutral => "na",
        }
    }
}

/// A value shown as a badge.
pub trait Badge {
    /// The words shown.
    fn label(&self) -> &'static str;
    /// What it means.
    fn tone(&self) -> Tone;
}

macro_rules! badge_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $label:literal, $tone:ident;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($(#[$vm])* $variant),* }

        impl Badge for $name {
            fn label(&self) -> &'static str {
                match self { $($name::$variant => $label),* }
            }
            fn tone(&self) -> Tone {
                match self { $($name::$variant => Tone::$tone),* }
            }
        }
    };
}

badge_enum! {
    /// A control's status this period.
    ControlStatus {
        Implemented => "implemented", Good;
        PartiallyImplemented => "partially implemented", Partial;
        Planned => "planned", Neutral;
        Alternative => "alternative", Good;
        NotApplicable => "not applicable", Neutral;
        NotImplemented => "not implemented", Bad;
        /// Inherited and not attested by the customer.
        Inherited => "inherited", Provider;
        /// The customer's (or shared) and not attested.
        NotAttested => "not attested", Bad;
    }
}

impl From<Status> for ControlStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Implemented => ControlStatus::Implemented,
            Status::PartiallyImplemented => ControlStatus::PartiallyImplemented,
            Status::Planned => ControlStatus::Planned,
            Status::Alternative => ControlStatus::Alternative,
            Status::NotApplicable => ControlStatus::NotApplicable,
            Status::NotImplemented => ControlStatus::NotImplemented,
        }
    }
}

badge_enum! {
    /// How a requirement is covered.
    Coverage {
        /// Every control it rests on qualifies.
        Met => "met", Good;
        /// Some, not all, qualify.
        Partial => "partial", Partial;
        /// None qualifies, or no control maps to it.
        Gap => "gap", Bad;
        /// Out of scope, with a reason.
        NotApplicable => "n/a", Neutral;
    }
}

badge_enum! {
    /// An exception's state at the as-of date.
    ExceptionState {
        Open => "open", Warn;
        PastDue => "past due", Bad;
        Closed => "closed", Good;
    }
}

badge_enum! {
    /// How a provider attestation's own dates meet the review period.
    ProviderCoverage {
        Covers => "covers the period", Good;
        /// Ends inside the period, and no bridge letter covers the rest.
        EndsEarly => "ends before the period ends", Warn;
        StartsLate => "starts after the period starts", Warn;
        /// Ends inside the period; a bridge letter covers the rest.
        Bridged => "covers the period with a bridge letter", Good;
        EndsBefore => "ends before the period starts", Bad;
        StartsAfter => "starts after the period ends", Bad;
    }
}

badge_enum! {
    /// Whether evidence is bundled or referenced.
    EvidenceKind {
        /// A file copied into the package.
        File => "file", Neutral;
        /// A URL, referenced and not bundled.
        Url => "url", Neutral;
    }
}

badge_enum! {
    /// What keeps a control from counting towards a requirement.
    ControlIssue {
        BoundaryError => "boundary error", Bad;
        NoAttestation => "no attestation", Bad;
        StaleEvidence => "stale evidence", Bad;
        NotImplemented => "not implemented", Bad;
        ExceptionPastDue => "exception past due", Bad;
        /// The latest attestation is dated after the as-of date.
        FutureDated => "attestation dated after the as-of date", Bad;
    }
}

impl Badge for Freshness {
    fn label(&self) -> &'static str {
        match self {
            Freshness::Fresh => "fresh",
            Freshness::Expiring => "expiring",
            Freshness::Stale => "stale",
            Freshness::Missing => "missing",
            Freshness::Provider => "provider",
            Freshness::Superseded => "superseded",
        }
    }
    fn tone(&self) -> Tone {
        match self {
            Freshness::Fresh => Tone::Good,
            Freshness::Expiring => Tone::Warn,
            Freshness::Stale | Freshness::Missing => Tone::Bad,
            Freshness::Provider => Tone::Provider,
            Freshness::Superseded => Tone::Neutral,
        }
    }
}

impl Badge for Responsibility {
    fn label(&self) -> &'static str {
        self.as_str()
    }
    fn tone(&self) -> Tone {
        match self {
            Responsibility::Inherited => Tone::Provider,
            Responsibility::Shared | Responsibility::Customer => Tone::Neutral,
        }
    }
}

/// The serde name of a value (`past-due`), as in `model.json` and the CSV files.
pub fn name<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_are_unchanged() {
        assert_eq!(name(&ControlStatus::NotAttested), "not-attested");
        assert_eq!(
            name(&ControlStatus::PartiallyImplemented),
            "partially-implemented"
        );
        assert_eq!(name(&Coverage::NotApplicable), "not-applicable");
        assert_eq!(name(&ExceptionState::PastDue), "past-due");
        assert_eq!(name(&ProviderCoverage::EndsBefore), "ends-before");
        assert_eq!(name(&EvidenceKind::Url), "url");
    }

    #[test]
    fn labels_and_tones_read_as_an_auditor_expects() {
        assert_eq!(Coverage::NotApplicable.label(), "n/a");
        assert_eq!(Coverage::Gap.tone(), Tone::Bad);
        assert_eq!(
            ProviderCoverage::EndsBefore.label(),
            "ends before the period starts"
        );
        assert_eq!(ProviderCoverage::EndsBefore.tone(), Tone::Bad);
        assert_eq!(ExceptionState::PastDue.tone().mark(), "❌");
        assert_eq!(
            ControlStatus::from(Status::Alternative),
            ControlStatus::Alternative
        );
    }
}
