//! Provider coverage: which days of the review period the provider's
//! attestations of one framework (and the bridge letters recorded on them)
//! vouch for. An attestation counts for its own framework only.

use super::Scope;
use crate::diag::{Code, Diagnostic, Severity};
use crate::model::{DayRange, ProviderCoverage};
use crate::validate::{Period, ProviderAttestation};

/// How one provider attestation (with its bridge letter) meets the period.
pub fn coverage(pa: &ProviderAttestation, period: &Period) -> ProviderCoverage {
    if pa.start <= period.start && pa.end >= period.end {
        ProviderCoverage::Covers
    } else if uncovered(&[pa], period).is_empty() {
        ProviderCoverage::Bridged
    } else if pa.end < period.start {
        ProviderCoverage::EndsBefore
    } else if pa.start > period.end {
        ProviderCoverage::StartsAfter
    } else if pa.end < period.end {
        ProviderCoverage::EndsEarly
    } else {
        ProviderCoverage::StartsLate
    }
}

/// Whether `pa` (or its bridge letter) vouches for any day of the period.
pub fn overlaps(pa: &ProviderAttestation, period: &Period) -> bool {
    uncovered(&[pa], period)
        != [DayRange {
            start: period.start,
            end: period.end,
        }]
}

/// The days of `period` that none of `pas` (nor their bridge letters)
/// covers, as ranges in date order.
pub fn uncovered(pas: &[&ProviderAttestation], period: &Period) -> Vec<DayRange> {
    let mut spans: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = pas
        .iter()
        .flat_map(|pa| {
            std::iter::once((pa.start, pa.end))
                .chain(pa.bridge_letter.as_ref().map(|b| (b.start, b.end)))
        })
        .filter(|&(s, e)| s <= period.end && e >= period.start)
        .map(|(s, e)| (s.max(period.start), e.min(period.end)))
        .collect();
    spans.sort();
    let mut gaps = Vec::new();
    let mut next = Some(period.start);
    for (s, e) in spans {
        let Some(from) = next else { break };
        if s > from {
            gaps.push(DayRange {
                start: from,
                end: s.pred_opt().unwrap_or(s),
            });
        }
        if e >= from {
            next = e.succ_opt().filter(|d| *d <= period.end);
        }
    }
    if let Some(from) = next {
        gaps.push(DayRange {
            start: from,
            end: period.end,
        });
    }
    gaps
}

/// `2026-09-01 to 2026-09-30 (30 days)`, for each range.
pub fn describe(ranges: &[DayRange]) -> String {
    let parts: Vec<String> = ranges
        .iter()
        .map(|r| match r.days() {
            1 => format!("{} (1 day)", r.start),
            n => format!("{} to {} ({n} days)", r.start, r.end),
        })
        .collect();
    parts.join(", ")
}

/// What one framework's provider coverage needs from the reader.
pub struct Need<'a> {
    pub framework: &'a str,
    pub short: &'a str,
    /// Provider attestations of the framework.
    pub pas: &'a [&'a ProviderAttestation],
    pub uncovered: &'a [DayRange],
    /// In-scope controls of the framework with a provider part.
    pub controls: usize,
    pub provider: &'a str,
    pub framework_span: Option<crate::diag::Span>,
}

/// The finding when the provider parts of a framework's controls are not
/// covered for the whole period: an error when no attestation overlaps it,
/// a warning naming the uncovered days otherwise; none when covered.
pub fn finding(n: &Need, period: &Period) -> Option<(Diagnostic, Scope)> {
    if n.controls == 0 || n.uncovered.is_empty() {
        return None;
    }
    let scope = Scope {
        frameworks: vec![n.framework.to_string()],
        ..Scope::default()
    };
    let period_days = DayRange {
        start: period.start,
        end: period.end,
    };
    let latest = n.pas.iter().max_by_key(|pa| pa.end);
    let at = latest
        .and_then(|pa| pa.span.clone())
        .or(n.framework_span.clone());
    let record = "record it on the provider attestation as `bridge_letter: {covers: {start: …, end: …}, evidence: …}`";
    let d = if n.uncovered == [period_days] {
        let what = match latest {
            Some(pa) => format!(
                "{} ({}) covers {} to {}, none of {} ({} to {})",
                pa.title, pa.id, pa.start, pa.end, period.label, period.start, period.end
            ),
            None => format!("no {} provider attestation is listed", n.short),
        };
        Diagnostic::finding(
            Code::BridgeLetterNeeded,
            Severity::Error,
            format!(
                "{what}: the provider part of {} {} control(s) is unverified for the period",
                n.controls, n.short
            ),
        )
        .hint(format!(
            "ask {} for its {} report covering {}, or for a bridge letter, and {record}",
            n.provider, n.short, period.label
        ))
    } else {
        Diagnostic::finding(
            Code::BridgeLetterNeeded,
            Severity::Warning,
            format!(
                "{} provider attestations leave {} of {} uncovered: the provider part of {} {} control(s) needs a bridge letter",
                n.short,
                describe(n.uncovered),
                period.label,
                n.controls,
                n.short
            ),
        )
        .hint(format!(
            "ask {} for a bridge (gap) letter covering {} and {record}",
            n.provider,
            describe(n.uncovered)
        ))
    };
    Some((d.at(at), scope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::BridgeLetter;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn q3() -> Period {
        Period {
            label: "2026-Q3".into(),
            start: d("2026-07-01"),
            end: d("2026-09-30"),
        }
    }

    fn pa(start: &str, end: &str, bridge: Option<(&str, &str)>) -> ProviderAttestation {
        ProviderAttestation {
            id: "aws-soc2".into(),
            framework: "soc2".into(),
            title: "AWS SOC 2".into(),
            start: d(start),
            end: d(end),
            bridge_letter: bridge.map(|(s, e)| BridgeLetter {
                start: d(s),
                end: d(e),
                evidence: "provider/bridge.pdf".into(),
            }),
            span: None,
        }
    }

    #[test]
    fn coverage_of_one_attestation() {
        let p = q3();
        let cov = |a: &ProviderAttestation| coverage(a, &p);
        assert_eq!(
            cov(&pa("2026-01-01", "2026-12-31", None)),
            ProviderCoverage::Covers
        );
        assert_eq!(
            cov(&pa("2025-10-01", "2026-03-31", None)),
            ProviderCoverage::EndsBefore
        );
        assert_eq!(
            cov(&pa("2026-01-01", "2026-08-31", None)),
            ProviderCoverage::EndsEarly
        );
        assert_eq!(
            cov(&pa("2026-08-01", "2027-07-31", None)),
            ProviderCoverage::StartsLate
        );
        assert_eq!(
            cov(&pa("2026-10-01", "2027-09-30", None)),
            ProviderCoverage::StartsAfter
        );
        let bridged = pa(
            "2026-01-01",
            "2026-08-31",
            Some(("2026-09-01", "2026-12-31")),
        );
        assert_eq!(cov(&bridged), ProviderCoverage::Bridged);
    }

    #[test]
    fn uncovered_days_are_exact() {
        let p = q3();
        let early = pa("2026-01-01", "2026-08-31", None);
        assert_eq!(
            describe(&uncovered(&[&early], &p)),
            "2026-09-01 to 2026-09-30 (30 days)"
        );
        let none = pa("2025-10-01", "2026-03-31", None);
        assert_eq!(
            uncovered(&[&none], &p),
            vec![DayRange {
                start: p.start,
                end: p.end
            }]
        );
        // Two reports with one day between them.
        let a = pa("2026-01-01", "2026-07-14", None);
        let b = pa("2026-07-16", "2027-01-01", None);
        assert_eq!(describe(&uncovered(&[&a, &b], &p)), "2026-07-15 (1 day)");
        // A bridge letter that stops short leaves the rest uncovered.
        let short = pa(
            "2026-01-01",
            "2026-08-31",
            Some(("2026-09-01", "2026-09-20")),
        );
        assert_eq!(
            describe(&uncovered(&[&short], &p)),
            "2026-09-21 to 2026-09-30 (10 days)"
        );
        assert!(uncovered(&[], &p).len() == 1);
    }

    fn need<'a>(pas: &'a [&'a ProviderAttestation], gaps: &'a [DayRange]) -> Need<'a> {
        Need {
            framework: "soc2",
            short: "SOC 2",
            pas,
            uncovered: gaps,
            controls: 3,
            provider: "AWS",
            framework_span: None,
        }
    }

    #[test]
    fn no_overlap_is_an_error_partial_overlap_a_warning_a_bridge_letter_none() {
        let p = q3();
        let before = pa("2025-10-01", "2026-03-31", None);
        let gaps = uncovered(&[&before], &p);
        let (e, _) = finding(&need(&[&before], &gaps), &p).unwrap();
        assert_eq!(e.severity, Severity::Error);
        assert!(e.message.contains("none of 2026-Q3"), "{}", e.message);
        assert!(
            !e.message.contains("before the period ends"),
            "{}",
            e.message
        );

        let early = pa("2026-01-01", "2026-08-31", None);
        let gaps = uncovered(&[&early], &p);
        let (w, _) = finding(&need(&[&early], &gaps), &p).unwrap();
        assert_eq!(w.severity, Severity::Warning);
        assert!(
            w.message.contains("2026-09-01 to 2026-09-30 (30 days)"),
            "{}",
            w.message
        );

        let bridged = pa(
            "2026-01-01",
            "2026-08-31",
            Some(("2026-09-01", "2026-12-31")),
        );
        let gaps = uncovered(&[&bridged], &p);
        assert!(finding(&need(&[&bridged], &gaps), &p).is_none());
    }
}
