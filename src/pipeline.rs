//! The stages in order: load → validate → resolve. Rendering and packaging
//! take the [`Resolved`] model from here.

use crate::diag::{Diagnostic, Diagnostics, Kind, Sources};
use crate::resolve::Resolved;
use chrono::NaiveDate;
use std::path::Path;

/// The outcome of reading a project.
pub enum Outcome {
    /// The inputs are valid; the model holds the findings.
    Resolved(Box<Resolved>),
    /// Input errors: nothing can be trusted.
    Invalid(Vec<Diagnostic>),
}

/// How to run the pipeline.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Review this period instead of the project file's.
    pub period: Option<String>,
    /// Evidence hashing: progress bar and cache.
    pub hashing: crate::hashing::Options,
    /// Review only these frameworks of the project (empty: all of them).
    pub frameworks: Vec<String>,
}

/// The as-of date of a run: given (`--as-of`), or the earlier of today
/// (`SOURCE_DATE_EPOCH` when set) and the end of the period reviewed, which
/// is known only once the project is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AsOf {
    Given(NaiveDate),
    Today(NaiveDate),
}

impl From<NaiveDate> for AsOf {
    fn from(d: NaiveDate) -> Self {
        AsOf::Given(d)
    }
}

impl AsOf {
    /// The date for a period ending on `end`.
    pub fn for_period_ending(self, end: NaiveDate) -> NaiveDate {
        match self {
            AsOf::Given(d) => d,
            AsOf::Today(today) => today.min(end),
        }
    }
}

/// Load, validate and resolve the project in `dir` at `as_of`.
pub fn run(dir: &Path, as_of: impl Into<AsOf>, opts: &Options, sources: &mut Sources) -> Outcome {
    let as_of = as_of.into();
    let mut diags = Diagnostics::default();
    let loaded = crate::timings::time("load", || {
        crate::load::all(
            dir,
            opts.period.as_deref(),
            opts.hashing.cache,
            sources,
            &mut diags,
        )
    });
    let Some(loaded) = loaded else {
        return Outcome::Invalid(diags.into_sorted());
    };
    let inventory = crate::timings::time("validate", || {
        let inventory = crate::validate::inventory(&loaded, sources, &opts.hashing, &mut diags);
        if let Some(inv) = &inventory {
            diags.extend(crate::ingest::conflicts::find(&inv.attestations, sources));
        }
        inventory
    });
    // The parsed files are not needed past validation (the sources keep
    // the texts for diagnostics): freed beside the rest of the run.
    drop_aside(loaded);
    let (notes, errors): (Vec<Diagnostic>, Vec<Diagnostic>) = diags
        .into_sorted()
        .into_iter()
        .partition(|d| d.kind == Kind::Finding);
    match inventory {
        Some(mut inv) if errors.is_empty() => {
            let as_of = as_of.for_period_ending(inv.project.period.end);
            let all = inv.project.frameworks.clone();
            if !opts.frameworks.is_empty() {
                inv.project
                    .frameworks
                    .retain(|f| opts.frameworks.contains(f));
            }
            let mut r =
                crate::timings::time("resolve", || crate::resolve::resolve(&inv, as_of, notes));
            r.project_frameworks = all;
            drop_aside(inv);
            Outcome::Resolved(Box::new(r))
        }
        _ => Outcome::Invalid(errors),
    }
}

/// Free `value` on a thread of its own: a large project's parsed files
/// and inventory take a tenth of a second to free, which the next stage
/// need not wait for.
fn drop_aside<T: Send + 'static>(value: T) {
    if let Err(e) = std::thread::Builder::new().spawn(move || drop(value)) {
        // No thread to spare: the value came back in the error's closure
        // and is freed here.
        drop(e);
    }
}

/// The built-in library alone, parsed and validated (for commands that need
/// no project).
pub fn builtin_library(sources: &mut Sources, diags: &mut Diagnostics) -> crate::validate::Library {
    let files = crate::load::library(sources, diags);
    crate::validate::library(&files, diags)
}

/// An unusable `SOURCE_DATE_EPOCH`.
#[derive(Debug, thiserror::Error)]
pub enum AsOfError {
    #[error("SOURCE_DATE_EPOCH `{0}` is not a number of seconds since 1970-01-01")]
    NotSeconds(String),
    #[error("SOURCE_DATE_EPOCH `{0}` is out of range")]
    OutOfRange(String),
}

/// The as-of rule of every command: `--as-of`, else the earlier of today
/// (`SOURCE_DATE_EPOCH`, else the UTC date) and the period's end.
pub fn as_of_rule(flag: Option<NaiveDate>) -> Result<AsOf, AsOfError> {
    Ok(match flag {
        Some(d) => AsOf::Given(d),
        None => AsOf::Today(as_of(None)?),
    })
}

/// The as-of date: `--as-of`, else `SOURCE_DATE_EPOCH`, else today (UTC).
pub fn as_of(flag: Option<NaiveDate>) -> Result<NaiveDate, AsOfError> {
    if let Some(d) = flag {
        return Ok(d);
    }
    if let Ok(v) = std::env::var("SOURCE_DATE_EPOCH") {
        let secs: u32 = v
            .trim()
            .parse()
            .map_err(|_| AsOfError::NotSeconds(v.clone()))?;
        return chrono::DateTime::from_timestamp(i64::from(secs), 0)
            .map(|t| t.date_naive())
            .ok_or(AsOfError::OutOfRange(v));
    }
    Ok(chrono::Utc::now().date_naive())
}

#[cfg(test)]
mod tests {
    use super::AsOf;
    use chrono::NaiveDate;

    #[test]
    fn as_of_is_the_earlier_of_today_and_the_period_end_unless_given() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let end = d("2026-09-30");
        assert_eq!(AsOf::Today(d("2026-12-04")).for_period_ending(end), end);
        assert_eq!(
            AsOf::Today(d("2026-08-15")).for_period_ending(end),
            d("2026-08-15")
        );
        assert_eq!(
            AsOf::Given(d("2027-01-01")).for_period_ending(end),
            d("2027-01-01")
        );
    }
}
