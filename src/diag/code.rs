//! Diagnostic codes: one kebab-case name and one description each.

use serde::Serialize;

macro_rules! codes {
    ($($variant:ident => $name:literal, $desc:literal;)*) => {
        /// Every diagnostic auditpack can emit. `auditpack check --explain` is not
        /// needed: `docs/diagnostics.md` lists them all with these descriptions.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            /// All codes, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The kebab-case name shown as `error[name]`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name),* }
            }

            /// What the diagnostic means and what to do about it.
            pub fn description(self) -> &'static str {
                match self { $(Code::$variant => $desc),* }
            }
        }
    };
}

codes! {
    Io => "io", "A file or folder could not be read or written.";
    YamlSyntax => "yaml-syntax", "The file is not valid YAML, or a value has the wrong type.";
    YamlBudget => "yaml-budget", "The YAML file is too large or expands too much (alias bomb); it was not read.";
    NotUtf8 => "not-utf8", "The file is not UTF-8 text.";
    FileTooLarge => "file-too-large", "The file is larger than auditpack reads as an input.";
    UnknownKey => "unknown-key", "A key that the format does not have; usually a typo.";
    DuplicateId => "duplicate-id", "The same id is defined twice.";
    UnknownControl => "unknown-control", "An attestation names a control that is not in the inventory.";
    UnknownRequirement => "unknown-requirement", "A control maps to a requirement id that the framework catalog does not have.";
    UnknownFramework => "unknown-framework", "A framework id that is not in the library.";
    UnknownService => "unknown-service", "A service id that the provider's service matrix does not have.";
    UnknownProvider => "unknown-provider", "A provider for which the library has no service matrix.";
    BadValue => "bad-value", "A value outside what the field allows.";
    BadDate => "bad-date", "A date that is not a valid YYYY-MM-DD date, or a range that ends before it starts.";
    BadPeriod => "bad-period", "A period that is neither YYYY-Qn, YYYY-Hn, YYYY nor {start, end}.";
    EvidenceMissing => "evidence-missing", "An evidence path that does not exist under evidence_root.";
    EvidenceOutsideRoot => "evidence-outside-root", "An evidence path that leaves evidence_root (.., an absolute path, or a symbolic link).";
    EvidenceHashMismatch => "evidence-hash-mismatch", "The file's SHA-256 differs from the sha256 given in the attestation.";
    BadLibrary => "bad-library", "The built-in library or a catalog is inconsistent.";
    BoundaryError => "boundary-error", "A control declared inherited while the service matrix gives one of its layers to the customer on an in-scope service.";
    RequirementGap => "requirement-gap", "A framework requirement in scope that no control maps to.";
    NoAttestation => "no-attestation", "An in-scope control that is the customer's (or shared) has no attestation for the period.";
    StaleEvidence => "stale-evidence", "The latest attestation of a control expired before the as-of date.";
    NotImplemented => "not-implemented", "A control attested as not implemented.";
    ExceptionPastDue => "exception-past-due", "An open exception whose remediation date has passed.";
    ProviderAttestationPlaceholder => "provider-attestation-placeholder", "A provider attestation whose dates are still `YYYY-MM-DD`: fill them in from the provider's report (AWS Artifact).";
    BridgeLetterNeeded => "bridge-letter-needed", "The provider attestations of a framework (with their bridge letters) do not cover the whole review period: an error when none overlaps it, a warning naming the uncovered days otherwise.";
    FutureDated => "future-dated", "An attestation dated after the as-of date: it is not evidence of anything at that date.";
    ControlOverride => "control-override", "A project control replaces a built-in library control with the same id.";
    ResponsibilityDiffers => "responsibility-differs", "A declared responsibility differs from the one the service matrix gives (but is not a boundary error).";
    UnknownCheck => "unknown-check", "A control names a scanner check id that the library does not know; scan results may never match it.";
    IngestConflict => "ingest-conflict", "For the same control and period, an attestation proposed by `auditpack ingest` from a scan and a human-written one disagree on the status.";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// The `docs/diagnostics.md` page, generated from [`Code`].
pub fn docs_page() -> String {
    let mut s = String::from(
        "# Diagnostics\n\nEvery code auditpack prints as `error[code]`, `warning[code]` or `note[code]`.\n\
         Input errors stop `check` and `build`; findings are reported by `check` and shown in the package.\n\
         This page is generated from `src/diag/code.rs`; a test keeps it in step.\n\n| code | meaning |\n| --- | --- |\n",
    );
    for c in Code::ALL {
        s.push_str(&format!("| `{}` | {} |\n", c.name(), c.description()));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn docs_page_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/diagnostics.md");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        if committed != docs_page() {
            if std::env::var_os("AUDITPACK_BLESS").is_some() {
                std::fs::write(path, docs_page()).unwrap();
            } else {
                panic!("docs/diagnostics.md is stale: rerun with AUDITPACK_BLESS=1");
            }
        }
    }

    #[test]
    fn each_variant_is_named_as_its_code_prints() {
        for c in Code::ALL {
            let kebab: String = format!("{c:?}")
                .chars()
                .enumerate()
                .flat_map(|(i, ch)| match (i, ch.is_ascii_uppercase()) {
                    (0, _) | (_, false) => vec![ch.to_ascii_lowercase()],
                    (_, true) => vec!['-', ch.to_ascii_lowercase()],
                })
                .collect();
            assert_eq!(kebab, c.name(), "rename Code::{c:?}");
        }
    }

    #[test]
    fn names_are_unique_kebab_case_and_described() {
        let mut seen = BTreeSet::new();
        for c in Code::ALL {
            assert!(seen.insert(c.name()), "duplicate code {}", c.name());
            assert!(c
                .name()
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-' || ch.is_ascii_digit()));
            assert!(c.description().ends_with('.'));
        }
    }
}
