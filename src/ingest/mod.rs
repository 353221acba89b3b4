//! Evidence in: scanner results (Prowler OCSF JSON or CSV, AWS Security Hub
//! ASFF, AWS Config evaluation results) read as a stream into per-check
//! counts ([`Scan`]), from which `auditpack ingest` proposes attestations
//! for the controls the checks map to and keeps the scan as hashed evidence.
//!
//! Reading never loads a whole file: JSON arrays are walked element by
//! element ([`json`]), CSV record by record. A malformed file is an
//! [`IngestError`] naming the file and the place (line and column, or the
//! finding's index), and nothing is written.

pub mod apply;
pub mod asff;
pub mod config;
pub mod conflicts;
pub mod json;
pub mod ocsf;
pub mod output;
pub mod propose;
pub mod prowler_csv;
pub mod store;

use crate::validate::checks::Scanner;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// First line of every file `ingest` writes: it rewrites only files that
/// start with it.
pub const MARKER: &str = "# auditpack ingest: proposed attestations from scanner results.";

/// Failing resources listed per check at most (the counts stay exact).
pub const MAX_LISTED: usize = 50;

/// What went wrong while ingesting.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: {at}: {message}")]
    Malformed {
        file: String,
        at: String,
        message: String,
    },
    #[error("{file}: {message}")]
    Refused { file: String, message: String },
}

impl IngestError {
    pub(crate) fn refused(file: &Path, message: impl Into<String>) -> Self {
        IngestError::Refused {
            file: crate::load::files::display(file),
            message: message.into(),
        }
    }
}

/// A scan file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Prowler `--output-formats json-ocsf`.
    ProwlerOcsf,
    /// Prowler `--output-formats csv` (`;`-delimited).
    ProwlerCsv,
    /// AWS Security Finding Format (Security Hub `get-findings`, or Prowler's ASFF).
    Asff,
    /// AWS Config `get-compliance-details-by-config-rule` output.
    Config,
}

impl Format {
    /// The folder under `evidence/scans/` and the name used in reports.
    pub fn tool(self) -> &'static str {
        match self {
            Format::ProwlerOcsf | Format::ProwlerCsv => "prowler",
            Format::Asff => "securityhub",
            Format::Config => "config",
        }
    }

    /// How the tool is named in a narrative.
    pub fn title(self) -> &'static str {
        match self {
            Format::ProwlerOcsf | Format::ProwlerCsv => "Prowler",
            Format::Asff => "Security Hub",
            Format::Config => "AWS Config",
        }
    }

    /// Extension of the stored copy.
    pub fn extension(self) -> &'static str {
        match self {
            Format::ProwlerCsv => "csv",
            _ => "json",
        }
    }
}

/// What one finding says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Pass,
    Fail,
    /// Needs a person to judge (Prowler MANUAL, Config INSUFFICIENT_DATA).
    Manual,
}

/// One finding, as every format is read into.
#[derive(Debug, Clone)]
pub struct Record {
    pub scanner: Scanner,
    pub check: String,
    pub outcome: Outcome,
    /// Muted (Prowler) or suppressed (Security Hub).
    pub muted: bool,
    pub resource: String,
    pub time: Option<DateTime<Utc>>,
    pub account: Option<String>,
}

/// The results of one check in a scan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckResult {
    pub pass: u64,
    pub fail: u64,
    pub manual: u64,
    /// Failing findings that were muted or suppressed (also counted in `fail`).
    pub muted: u64,
    /// The first failing resources by name, at most [`MAX_LISTED`].
    pub failing: BTreeSet<String>,
    /// The first muted failing resources by name, at most [`MAX_LISTED`].
    pub muted_resources: BTreeSet<String>,
}

/// A scan file read: its digest, time and results per check.
#[derive(Debug, Clone)]
pub struct Scan {
    pub format: Format,
    pub source: PathBuf,
    pub size: u64,
    pub sha256: String,
    /// The latest finding time.
    pub time: Option<DateTime<Utc>>,
    pub accounts: BTreeSet<String>,
    pub findings: u64,
    pub checks: BTreeMap<(Scanner, String), CheckResult>,
}

impl Scan {
    /// The scan date (UTC), when any finding carries a time.
    pub fn date(&self) -> Option<NaiveDate> {
        self.time.map(|t| t.date_naive())
    }

    /// The stored copy's path under the evidence root:
    /// `scans/<tool>/<date>-<digest12>.<ext>`.
    pub fn stored_path(&self) -> String {
        let date = self
            .date()
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into());
        format!(
            "scans/{}/{date}-{}.{}",
            self.format.tool(),
            &self.sha256[..12],
            self.format.extension()
        )
    }

    fn add(&mut self, r: Record) {
        self.findings += 1;
        if r.time > self.time {
            self.time = r.time;
        }
        if let Some(a) = r.account {
            if !self.accounts.contains(&a) {
                self.accounts.insert(a);
            }
        }
        let c = self.checks.entry((r.scanner, r.check)).or_default();
        match r.outcome {
            Outcome::Pass => c.pass += 1,
            Outcome::Manual => c.manual += 1,
            Outcome::Fail => {
                c.fail += 1;
                capped_insert(&mut c.failing, &r.resource);
                if r.muted {
                    c.muted += 1;
                    capped_insert(&mut c.muted_resources, &r.resource);
                }
            }
        }
    }
}

/// Keep the [`MAX_LISTED`] smallest names: deterministic whatever the order.
fn capped_insert(set: &mut BTreeSet<String>, name: &str) {
    if set.len() >= MAX_LISTED && set.last().is_some_and(|l| name >= l.as_str()) {
        return;
    }
    set.insert(name.to_string());
    if set.len() > MAX_LISTED {
        set.pop_last();
    }
}

/// A reader that hashes and counts what passes through it.
struct Hashing<R> {
    inner: R,
    hasher: sha2::Sha256,
    size: u64,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use sha2::Digest;
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
}

/// Read a scan from any reader (a file, or a zip entry): every finding
/// streamed into per-check counts, the bytes hashed on the way.
pub fn read_from(format: Format, name: &Path, reader: impl Read) -> Result<Scan, IngestError> {
    let file = crate::load::files::display(name);
    let mut hashing = Hashing {
        inner: std::io::BufReader::with_capacity(256 * 1024, reader),
        hasher: sha2::Digest::new(),
        size: 0,
    };
    let mut scan = Scan {
        format,
        source: name.to_path_buf(),
        size: 0,
        sha256: String::new(),
        time: None,
        accounts: BTreeSet::new(),
        findings: 0,
        checks: BTreeMap::new(),
    };
    let mut each = |r: Record| scan.add(r);
    let parsed = match format {
        Format::ProwlerOcsf => ocsf::read(&mut hashing, &mut each),
        Format::ProwlerCsv => prowler_csv::read(&mut hashing, &mut each),
        Format::Asff => asff::read(&mut hashing, &mut each),
        Format::Config => config::read(&mut hashing, &mut each),
    };
    parsed.map_err(|(at, message)| IngestError::Malformed {
        file: file.clone(),
        at,
        message,
    })?;
    // Whatever the parser left unread (trailing white space) is hashed too.
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|source| IngestError::Io {
        file: file.clone(),
        source,
    })?;
    scan.size = hashing.size;
    scan.sha256 = crate::sha256::hex(&sha2::Digest::finalize(hashing.hasher));
    Ok(scan)
}

/// Read a scan file. `prowler` files are CSV when they end in `.csv`.
pub fn read(tool: Tool, path: &Path) -> Result<Scan, IngestError> {
    let format = match tool {
        Tool::Prowler
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv")) =>
        {
            Format::ProwlerCsv
        }
        Tool::Prowler => Format::ProwlerOcsf,
        Tool::Asff => Format::Asff,
        Tool::Config => Format::Config,
    };
    let f = std::fs::File::open(path).map_err(|source| IngestError::Io {
        file: crate::load::files::display(path),
        source,
    })?;
    read_from(format, path, f)
}

/// The scanner named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    /// Prowler JSON-OCSF (`.json`, `.ocsf.json`) or CSV (`.csv`).
    Prowler,
    /// AWS Security Finding Format (Security Hub).
    Asff,
    /// AWS Config evaluation results.
    Config,
}

/// A time as scanners write it: RFC 3339, ISO 8601 without a zone (UTC),
/// `YYYY-MM-DD HH:MM:SS[.f]`, or seconds since the epoch.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    s.parse::<i64>().ok().and_then(epoch)
}

/// Seconds (or milliseconds, when that large) since the epoch.
pub fn epoch(n: i64) -> Option<DateTime<Utc>> {
    if n > 100_000_000_000 {
        DateTime::from_timestamp_millis(n)
    } else {
        DateTime::from_timestamp(n, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_resources_kept_are_the_first_by_name_whatever_the_order() {
        let names: Vec<String> = (0..120)
            .map(|i| format!("r{:03}", (i * 37) % 120))
            .collect();
        let (mut a, mut b) = (BTreeSet::new(), BTreeSet::new());
        names.iter().for_each(|n| capped_insert(&mut a, n));
        names.iter().rev().for_each(|n| capped_insert(&mut b, n));
        assert_eq!(a, b);
        assert_eq!(a.len(), MAX_LISTED);
        assert_eq!(a.last().map(String::as_str), Some("r049"));
    }

    #[test]
    fn scanner_times_are_read_in_every_form() {
        let want = "2026-09-28T06:12:44Z";
        for s in [
            "2026-09-28T06:12:44Z",
            "2026-09-28T08:12:44+02:00",
            "2026-09-28T06:12:44.000000",
            "2026-09-28 06:12:44.381204",
            "1790575964",
            "1790575964000",
        ] {
            let t = parse_time(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(t.format("%Y-%m-%dT%H:%M:%SZ").to_string(), want, "{s}");
        }
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn arrays_stream_bare_or_under_their_key_with_located_errors() {
        let mut seen = Vec::new();
        json::stream(
            &br#"{"NextToken": null, "Findings": [1, 2, 3]}"#[..],
            Some("Findings"),
            |v: u32| seen.push(v),
        )
        .unwrap();
        json::stream(&b"[4]"[..], Some("Findings"), |v: u32| seen.push(v)).unwrap();
        assert_eq!(seen, [1, 2, 3, 4]);
        let (at, message) = json::stream(&b"[1,\n \"x\"]"[..], None, |_: u32| {}).unwrap_err();
        assert_eq!(at, "line 2, column 4 (finding [1])");
        assert!(message.starts_with("invalid type: string"), "{message}");
        let (at, _) = json::stream(&b"[1, 2"[..], None, |_: u32| {}).unwrap_err();
        assert_eq!(at, "line 1, column 5");
        assert!(json::stream(&b"{\"Other\": []}"[..], Some("Findings"), |_: u32| {}).is_err());
    }
}
