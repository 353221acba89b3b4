//! `auditpack build`: the audit package.

use super::output;
use crate::diag::Sources;
use crate::pipeline::Outcome;
use crate::render;
use std::path::PathBuf;

/// Build the audit package: reports, matrix, evidence and manifest.
///
/// Findings (gaps, stale evidence, boundary errors…) do not stop the build:
/// they are reported inside the package. Input errors do, and nothing is
/// written.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  auditpack build samples/acme --as-of 2026-09-30 -o out/acme\n  auditpack build . -o out --framework soc2 --framework pci-dss-4"
)]
pub struct Args {
    /// Project folder (holds auditpack.yaml).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Output folder (replaced atomically if it holds an earlier package).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,
    /// Output formats (see `--help`).
    #[arg(long, value_delimiter = ',', value_name = "FORMAT",
          value_parser = clap::builder::PossibleValuesParser::new(render::formats::values()),
          long_help = render::formats::help())]
    pub format: Vec<String>,
    /// Only these frameworks of the project (repeatable) [default: all of them].
    #[arg(long = "framework", value_name = "ID")]
    pub frameworks: Vec<String>,
    /// Date at which evidence freshness and exceptions are judged [default: the earlier of today (or SOURCE_DATE_EPOCH) and the end of the period].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_date)]
    pub as_of: Option<chrono::NaiveDate>,
    /// Review this period instead of the project file's (e.g. 2026-Q2); `{period}` in attestation paths follows it.
    #[arg(long, value_name = "PERIOD", value_parser = super::parse_period)]
    pub period: Option<String>,
    /// Templates folder overriding the built-in templates file by file.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Re-hash every evidence file, ignoring the hash cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Print the time each stage took to stderr.
    #[arg(long)]
    pub timings: bool,
    /// Also write OUT.zip: the package as one deterministic zip.
    #[arg(long)]
    pub bundle: bool,
    /// Sign manifest.json with this Ed25519 private key (from `auditpack keygen`).
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
}

pub fn execute(a: Args, quiet: bool) -> u8 {
    let started = std::time::Instant::now();
    let mut sources = Sources::default();
    let outcome = match super::run_pipeline(
        &a.dir,
        a.as_of,
        a.period.clone(),
        crate::hashing::Options {
            progress: !quiet,
            cache: !a.no_cache,
        },
        &a.frameworks,
        &mut sources,
    ) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let resolved = match outcome {
        Outcome::Resolved(r) => r,
        Outcome::Invalid(errors) => {
            output::diagnostics(&errors, &sources);
            output::message("error: the inputs are invalid; nothing was written");
            return crate::diag::exit_code(&errors, false);
        }
    };
    // Only the chosen frameworks were resolved: every report, the CSV files
    // and model.json speak of them alone.
    if let Some(id) = a
        .frameworks
        .iter()
        .find(|id| !resolved.project_frameworks.contains(id))
    {
        return output::fail(
            2,
            &format!(
                "--framework {id}: not a framework of this project ({})",
                resolved.project_frameworks.join(", ")
            ),
        );
    }
    let evidence_root = resolved.evidence_root;
    let model = resolved.model;
    let key = match &a.sign {
        None => None,
        Some(path) => {
            if let Some(w) = crate::package::sign::permission_warning(path) {
                output::message(&format!("warning: {w}"));
            }
            match crate::package::sign::read_private(path) {
                Ok(k) => Some(k),
                Err(e) => return output::fail(2, &e.to_string()),
            }
        }
    };
    let target =
        match crate::package::output::resolve(&a.output, &[&a.dir, &evidence_root], a.bundle) {
            Ok(t) => t,
            Err(e) => return output::fail(2, &e.to_string()),
        };
    for note in &target.notes {
        output::message(&format!("note: {note}"));
    }
    let bundle = a
        .bundle
        .then(|| crate::package::bundle::path_for(&a.output));
    let tera = match render::templates::load(a.templates.as_deref()) {
        Ok(t) => t,
        Err(e) => return output::fail(2, &e.to_string()),
    };
    let formats = render::formats::select(&a.format);
    let reports = render::markdown::SharedMarkdown::new(&tera);
    let ctx = render::formats::Ctx {
        tera: &tera,
        reports: &reports,
        names: formats.iter().map(|f| f.name).collect(),
        index: render::formats::index(&formats, &model),
    };
    let renderers: Vec<(&render::formats::Format, render::formats::Boxed)> =
        formats.iter().map(|f| (*f, (f.make)(&ctx))).collect();
    // Formats render in parallel, each file written into the package as
    // soon as it is rendered; Markdown and PDF share one Markdown text.
    let stage = match crate::package::Stage::create(target) {
        Ok(s) => s,
        Err(e) => return output::fail(2, &e.to_string()),
    };
    let pages: u64 = renderers.iter().map(|(_, r)| r.file_count(&model)).sum();
    let sink = Counted {
        stage: &stage,
        bar: crate::progress::files(!quiet, pages, "rendering reports"),
    };
    let rendered: Vec<(&'static str, Result<(), render::RenderError>)> = {
        use rayon::prelude::*;
        renderers
            .par_iter()
            .map(|(f, r)| {
                let start = std::time::Instant::now();
                let res = r.render(&model, &sink);
                crate::timings::record(f.stage, start.elapsed());
                (f.name, res)
            })
            .collect()
    };
    sink.bar.finish_and_clear();
    drop(renderers);
    drop(ctx);
    drop(reports);
    for (name, res) in rendered {
        if let Err(e) = res {
            return output::fail(2, &format!("rendering {name}: {e}"));
        }
    }
    let manifest = match crate::timings::time("package", || {
        stage.finish(&model, &evidence_root, key.as_ref(), !quiet)
    }) {
        Ok(m) => m,
        Err(e) => return output::fail(2, &e.to_string()),
    };
    if a.timings {
        output::timings(started);
    }
    if !quiet {
        let s = &model.summary;
        output::message(&format!(
            "built {} ({} files) for {} {} as of {}: {} controls, {} of {} requirements met, {} error(s), {} warning(s) in Gaps",
            a.output.display(),
            manifest.files.len() + 1,
            model.system.name,
            model.period.label,
            model.as_of,
            s.controls,
            s.requirements_met,
            s.requirements - s.requirements_na,
            s.errors,
            s.warnings
        ));
        let entry = if formats.iter().any(|f| f.name == "html") {
            "index.html"
        } else {
            "index.md"
        };
        output::message(&format!("open {}", a.output.join(entry).display()));
        if let Some(bundle) = &bundle {
            output::message(&format!("bundle {}", bundle.display()));
        }
        if key.is_some() {
            output::message(&format!(
                "signed {}",
                a.output.join(crate::package::sign::SIG_FILE).display()
            ));
        }
    }
    0
}

/// The package as the renderers' sink, counting the files on a progress bar.
struct Counted<'a> {
    stage: &'a crate::package::Stage,
    bar: indicatif::ProgressBar,
}

impl Counted<'_> {
    fn count(&self, rel: &str) {
        self.bar.set_message(rel.to_string());
        self.bar.inc(1);
    }
}

impl render::Sink for Counted<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), render::RenderError> {
        render::Sink::put(self.stage, rel, bytes)?;
        self.count(rel);
        Ok(())
    }

    fn put_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), render::RenderError> {
        render::Sink::put_with(self.stage, rel, write)?;
        self.count(rel);
        Ok(())
    }
}
