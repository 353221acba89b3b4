//! Prowler CSV (`prowler aws --output-formats csv`): `;`-delimited, one
//! finding per record. Read by column name: `CHECK_ID`, `STATUS` (PASS,
//! FAIL, MANUAL), `MUTED` (True/False), `RESOURCE_UID`, `TIMESTAMP`,
//! `ACCOUNT_UID`.

use super::json::Located;
use super::{Outcome, Record};
use crate::validate::checks::Scanner;
use std::io::Read;

/// Stream every record of a Prowler CSV file to `each`.
pub fn read(r: impl Read, each: &mut dyn FnMut(Record)) -> Result<(), Located> {
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(false)
        .from_reader(r);
    let header = csv.headers().map_err(|e| error(&e))?.clone();
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let need = |name: &str| {
        column(name).ok_or_else(|| ("line 1".to_string(), format!("no `{name}` column")))
    };
    let (check, status, resource) = (need("CHECK_ID")?, need("STATUS")?, need("RESOURCE_UID")?);
    let (muted, time, account) = (column("MUTED"), column("TIMESTAMP"), column("ACCOUNT_UID"));
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(|e| error(&e))? {
        let field = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
        let outcome = match field(Some(status)).to_ascii_uppercase().as_str() {
            "PASS" => Outcome::Pass,
            "FAIL" => Outcome::Fail,
            _ => Outcome::Manual,
        };
        let acc = field(account);
        each(Record {
            scanner: Scanner::Prowler,
            check: field(Some(check)).to_string(),
            outcome,
            muted: field(muted).eq_ignore_ascii_case("true"),
            resource: field(Some(resource)).to_string(),
            time: super::parse_time(field(time)),
            account: (!acc.is_empty()).then(|| acc.to_string()),
        });
    }
    Ok(())
}

fn error(e: &csv::Error) -> Located {
    let at = match e.position() {
        Some(p) => format!("line {}, byte {}", p.line(), p.byte()),
        None => "header".to_string(),
    };
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("a record of {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8".to_string(),
        _ => e.to_string(),
    };
    (at, message)
}
