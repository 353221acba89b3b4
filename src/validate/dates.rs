//! Dates and periods.

use super::types::Period;
use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::load::raw::Spanned;
use crate::load::raw::{PeriodRaw, Text};
use crate::load::yaml::span;
use chrono::{Datelike, NaiveDate};

/// Why a text is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not ten characters of digits with dashes at the fifth and eighth.
    #[error("not of the form YYYY-MM-DD")]
    Shape,
    /// Of the form, but no day of the calendar (such as `2026-02-30`).
    #[error(transparent)]
    Calendar(#[from] chrono::ParseError),
}

/// Parse exactly `YYYY-MM-DD` (four-digit year, no sign, no spaces inside).
pub fn parse_ymd(s: &str) -> Result<NaiveDate, DateError> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return Err(DateError::Shape);
    }
    Ok(NaiveDate::parse_from_str(s, "%Y-%m-%d")?)
}

/// Parse a `YYYY-MM-DD` date, or report where it is wrong.
pub fn date(file: &str, s: &Text, what: &str, diags: &mut Diagnostics) -> Option<NaiveDate> {
    match parse_ymd(s.value.trim()) {
        Ok(d) => Some(d),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    Code::BadDate,
                    format!("{what} `{}` is not a valid date ({e})", s.value),
                )
                .at(span(file, s))
                .hint("write dates as YYYY-MM-DD, e.g. 2026-09-30"),
            );
            None
        }
    }
}

/// Parse a `{start, end}` range of `what`, or report where it is wrong
/// (including a range that ends before it starts).
pub fn range(
    file: &str,
    r: &crate::load::raw::SpannedRangeRaw,
    what: &str,
    diags: &mut Diagnostics,
) -> Option<(NaiveDate, NaiveDate)> {
    let start = date(file, &r.start, "start", diags);
    let end = date(file, &r.end, "end", diags);
    let (start, end) = (start?, end?);
    if end < start {
        diags.push(
            Diagnostic::error(
                Code::BadDate,
                format!("{what} ends ({end}) before it starts ({start})"),
            )
            .at(span(file, &r.end)),
        );
        return None;
    }
    Some((start, end))
}

/// Parse a period label: `2026-Q3`, `2026-H1`, `2026`, or `2026-07` (a month).
pub fn period_label(label: &str) -> Option<Period> {
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let last_day = |y: i32, m: u32| -> Option<NaiveDate> {
        let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        ymd(ny, nm, 1)?.pred_opt()
    };
    let (year, rest) = match label.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (label, None),
    };
    if year.len() != 4 {
        return None;
    }
    let y: i32 = year.parse().ok()?;
    let (start, end) = match rest {
        None => (ymd(y, 1, 1)?, ymd(y, 12, 31)?),
        Some(q) if q.len() == 2 && q.starts_with('Q') => {
            let n: u32 = q[1..].parse().ok().filter(|n| (1..=4).contains(n))?;
            let m = (n - 1) * 3 + 1;
            (ymd(y, m, 1)?, last_day(y, m + 2)?)
        }
        Some(h) if h.len() == 2 && h.starts_with('H') => {
            let n: u32 = h[1..].parse().ok().filter(|n| (1..=2).contains(n))?;
            let m = (n - 1) * 6 + 1;
            (ymd(y, m, 1)?, last_day(y, m + 5)?)
        }
        Some(m) if m.len() == 2 => {
            let m: u32 = m.parse().ok().filter(|n| (1..=12).contains(n))?;
            (ymd(y, m, 1)?, last_day(y, m)?)
        }
        _ => return None,
    };
    Some(Period {
        label: label.to_string(),
        start,
        end,
    })
}

/// Validate the `period:` of a project.
pub fn period(file: &str, p: &Spanned<PeriodRaw>, diags: &mut Diagnostics) -> Option<Period> {
    let at = span(file, p);
    let bad = |m: String| {
        Diagnostic::error(Code::BadPeriod, m)
            .at(at.clone())
            .hint("write `2026-Q3`, `2026-H1`, `2026`, or `{start: 2026-07-01, end: 2026-09-30}`")
    };
    match &p.value {
        PeriodRaw::Label(l) => {
            let r = period_label(l.trim());
            if r.is_none() {
                diags.push(bad(format!(
                    "period `{l}` is not a quarter, half, month or year"
                )));
            }
            r
        }
        PeriodRaw::Range(r) => {
            let parse = |s: &str| parse_ymd(s.trim()).ok();
            match (parse(&r.start), parse(&r.end)) {
                (Some(start), Some(end)) if start <= end => Some(Period {
                    label: range_label(start, end),
                    start,
                    end,
                }),
                (Some(_), Some(_)) => {
                    diags.push(bad(format!(
                        "period ends ({}) before it starts ({})",
                        r.end, r.start
                    )));
                    None
                }
                _ => {
                    diags.push(bad(format!(
                        "period `{}` to `{}` has an invalid date",
                        r.start, r.end
                    )));
                    None
                }
            }
        }
    }
}

/// A label for an explicit range: the quarter's name when it is one.
fn range_label(start: NaiveDate, end: NaiveDate) -> String {
    let q = (start.month() - 1) / 3 + 1;
    match period_label(&format!("{}-Q{q}", start.year())) {
        Some(p) if p.start == start && p.end == end => p.label,
        _ => format!("{start} to {end}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let p = period_label("2026-Q3").unwrap();
        assert_eq!(
            (p.start.to_string(), p.end.to_string()),
            ("2026-07-01".into(), "2026-09-30".into())
        );
        let p = period_label("2024-H1").unwrap();
        assert_eq!(p.end.to_string(), "2024-06-30");
        let p = period_label("2024-02").unwrap();
        assert_eq!(p.end.to_string(), "2024-02-29");
        assert_eq!(period_label("2026").unwrap().end.to_string(), "2026-12-31");
        assert!(period_label("2026-Q5").is_none());
        assert!(period_label("26-Q1").is_none());
        assert!(period_label("2026-13").is_none());
    }

    #[test]
    fn dates_are_exactly_year_month_day() {
        assert_eq!(parse_ymd("2026-09-30").unwrap().to_string(), "2026-09-30");
        for bad in [
            "-2026-01-01",
            "+2026-01-01",
            "20260-01-01",
            "2026-1-01",
            "2026-02-30",
            "2026-01-01x",
        ] {
            assert!(parse_ymd(bad).is_err(), "{bad}");
        }
    }

    /// The reason shown after a bad date: its shape, or the calendar.
    #[test]
    fn a_bad_date_says_why() {
        assert_eq!(
            parse_ymd("2026-1-01").unwrap_err().to_string(),
            "not of the form YYYY-MM-DD"
        );
        assert_eq!(parse_ymd("2026-1-01"), Err(DateError::Shape));
        let calendar = parse_ymd("2026-02-30").unwrap_err();
        assert!(matches!(calendar, DateError::Calendar(_)), "{calendar:?}");
        assert_eq!(calendar.to_string(), "input is out of range");
    }
}
