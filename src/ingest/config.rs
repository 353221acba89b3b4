//! AWS Config evaluation results: `aws configservice
//! get-compliance-details-by-config-rule` output (`{"EvaluationResults":
//! [...]}`) or a bare array. Read:
//! `EvaluationResultIdentifier.EvaluationResultQualifier.{ConfigRuleName,
//! ResourceId}`, `ComplianceType` (COMPLIANT, NON_COMPLIANT,
//! INSUFFICIENT_DATA; NOT_APPLICABLE is skipped) and `ResultRecordedTime`.

use super::json::{stream, Located};
use super::{Outcome, Record};
use crate::validate::checks::Scanner;
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Result {
    evaluation_result_identifier: Identifier,
    compliance_type: String,
    #[serde(default)]
    result_recorded_time: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Identifier {
    evaluation_result_qualifier: Qualifier,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Qualifier {
    config_rule_name: String,
    #[serde(default)]
    resource_id: Option<String>,
    #[serde(default)]
    resource_type: Option<String>,
}

/// Stream every evaluation result to `each`.
pub fn read(r: impl Read, each: &mut dyn FnMut(Record)) -> std::result::Result<(), Located> {
    stream(r, Some("EvaluationResults"), |e: Result| {
        let outcome = match e.compliance_type.as_str() {
            "COMPLIANT" => Outcome::Pass,
            "NON_COMPLIANT" => Outcome::Fail,
            "NOT_APPLICABLE" => return,
            _ => Outcome::Manual,
        };
        let q = e.evaluation_result_identifier.evaluation_result_qualifier;
        let resource = match (q.resource_type, q.resource_id) {
            (Some(t), Some(id)) => format!("{t} {id}"),
            (_, id) => id.unwrap_or_default(),
        };
        let time = match &e.result_recorded_time {
            Some(serde_json::Value::String(s)) => super::parse_time(s),
            Some(serde_json::Value::Number(n)) => n.as_f64().and_then(|f| super::epoch(f as i64)),
            _ => None,
        };
        each(Record {
            scanner: Scanner::Config,
            check: q.config_rule_name,
            outcome,
            muted: false,
            resource,
            time,
            account: None,
        })
    })
}
