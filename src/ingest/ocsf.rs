//! Prowler JSON-OCSF (`prowler aws --output-formats json-ocsf`): an array
//! of OCSF Detection Findings. Read: `metadata.event_code` (the check id),
//! `status_code` (PASS, FAIL, MANUAL), `status` (`Suppressed` when muted),
//! `resources[].uid`, `time` (epoch seconds) or `time_dt`, and
//! `cloud.account.uid`.

use super::json::{stream, Located};
use super::{Outcome, Record};
use crate::validate::checks::Scanner;
use serde::Deserialize;
use std::io::Read;

#[derive(Deserialize)]
struct Finding {
    metadata: Metadata,
    status_code: String,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    finding_info: Option<Info>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    time: Option<serde_json::Value>,
    #[serde(default)]
    time_dt: Option<String>,
    #[serde(default)]
    cloud: Option<Cloud>,
}

#[derive(Deserialize)]
struct Metadata {
    event_code: String,
}

#[derive(Deserialize)]
struct Info {
    #[serde(default)]
    uid: Option<String>,
}

#[derive(Deserialize)]
struct Resource {
    #[serde(default)]
    uid: Option<String>,
}

#[derive(Deserialize)]
struct Cloud {
    #[serde(default)]
    account: Option<Account>,
}

#[derive(Deserialize)]
struct Account {
    #[serde(default)]
    uid: Option<String>,
}

fn outcome(code: &str) -> Outcome {
    match code.to_ascii_uppercase().as_str() {
        "PASS" => Outcome::Pass,
        "FAIL" => Outcome::Fail,
        _ => Outcome::Manual,
    }
}

/// Stream every finding of an OCSF file to `each`.
pub fn read(r: impl Read, each: &mut dyn FnMut(Record)) -> Result<(), Located> {
    stream(r, None, |f: Finding| {
        let time = match &f.time {
            Some(serde_json::Value::Number(n)) => n.as_i64().and_then(super::epoch),
            Some(serde_json::Value::String(s)) => super::parse_time(s),
            _ => None,
        }
        .or_else(|| f.time_dt.as_deref().and_then(super::parse_time));
        let resource = f
            .resources
            .iter()
            .find_map(|r| r.uid.clone())
            .or_else(|| f.finding_info.and_then(|i| i.uid))
            .unwrap_or_default();
        each(Record {
            scanner: Scanner::Prowler,
            check: f.metadata.event_code,
            outcome: outcome(&f.status_code),
            muted: f
                .status
                .is_some_and(|s| s.eq_ignore_ascii_case("suppressed")),
            resource,
            time,
            account: f.cloud.and_then(|c| c.account).and_then(|a| a.uid),
        })
    })
}
