//! AWS Security Finding Format: `aws securityhub get-findings` output
//! (`{"Findings": [...]}`) or a bare array (Prowler's `json-asff`). Read:
//! `Compliance.SecurityControlId` (else the last segment of `GeneratorId`;
//! `prowler-<check>` generator ids are Prowler checks), `Compliance.Status`
//! (PASSED, FAILED, WARNING, NOT_AVAILABLE), `Workflow.Status` (SUPPRESSED
//! is muted), `Resources[].Id`, `UpdatedAt`, `AwsAccountId`. Archived
//! findings are skipped.

use super::json::{stream, Located};
use super::{Outcome, Record};
use crate::validate::checks::Scanner;
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Finding {
    generator_id: String,
    #[serde(default)]
    aws_account_id: Option<String>,
    #[serde(default)]
    compliance: Option<Compliance>,
    #[serde(default)]
    workflow: Option<Workflow>,
    #[serde(default)]
    record_state: Option<String>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    updated_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Compliance {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    security_control_id: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Workflow {
    #[serde(default)]
    status: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Resource {
    id: String,
}

/// Which check a finding is the result of.
fn check_of(f: &Finding) -> (Scanner, String) {
    if let Some(id) = f
        .compliance
        .as_ref()
        .and_then(|c| c.security_control_id.clone())
    {
        return (Scanner::SecurityHub, id);
    }
    if let Some(p) = f.generator_id.strip_prefix("prowler-") {
        return (Scanner::Prowler, p.to_string());
    }
    let last = f.generator_id.rsplit('/').next().unwrap_or(&f.generator_id);
    (Scanner::SecurityHub, last.to_string())
}

/// Stream every active finding of an ASFF file to `each`.
pub fn read(r: impl Read, each: &mut dyn FnMut(Record)) -> Result<(), Located> {
    stream(r, Some("Findings"), |f: Finding| {
        if f.record_state.as_deref() == Some("ARCHIVED") {
            return;
        }
        let status = f.compliance.as_ref().and_then(|c| c.status.as_deref());
        let outcome = match status {
            Some("PASSED") => Outcome::Pass,
            Some("FAILED") => Outcome::Fail,
            _ => Outcome::Manual,
        };
        let (scanner, check) = check_of(&f);
        each(Record {
            scanner,
            check,
            outcome,
            muted: f
                .workflow
                .as_ref()
                .and_then(|w| w.status.as_deref())
                .is_some_and(|s| s == "SUPPRESSED"),
            resource: f
                .resources
                .first()
                .map(|r| r.id.clone())
                .unwrap_or_default(),
            time: f.updated_at.as_deref().and_then(super::parse_time),
            account: f.aws_account_id,
        })
    })
}
