//! `auditpack build`: the audit package.

use super::{output, CliError};
use crate::diag::Sources;
use crate::model::ReportModel;
use crate::{package, render};
use std::path::{Path, PathBuf};

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
    /// Re-hash every evidence file and parse every input file, ignoring the caches.
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

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    let started = std::time::Instant::now();
    let formats = render::formats::select(&a.format);
    // The templates are parsed on a thread of their own while the inputs
    // load: parsing them costs more than rendering a small project.
    let templates = {
        let (dir, folders) = (
            a.templates.clone(),
            render::formats::template_folders(&formats),
        );
        std::thread::spawn(move || render::templates::load(dir.as_deref(), &folders))
    };
    let mut sources = Sources::default();
    let hashing = crate::hashing::Options {
        progress: !quiet,
        cache: !a.no_cache,
    };
    let outcome = super::run_pipeline(
        &a.dir,
        a.as_of,
        a.period.clone(),
        hashing,
        &a.frameworks,
        &mut sources,
    )?;
    let invalid = "error: the inputs are invalid; nothing was written";
    // Only the chosen frameworks were resolved: every report, the CSV files
    // and model.json speak of them alone.
    let resolved = super::resolved(outcome, &sources, Some(invalid))?;
    let evidence_root = resolved.evidence_root;
    let model = resolved.model;
    let key = a.sign.as_deref().map(signing_key).transpose()?;
    let target = package::output::resolve(&a.output, &[&a.dir, &evidence_root], a.bundle)?;
    for note in &target.notes {
        output::message(&format!("note: {note}"));
    }
    let tera = templates
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
    let staging = package::Staging::create(target)?;
    // The evidence is copied while the reports render.
    let (rendered, copied) = std::thread::scope(|s| {
        let copying = s.spawn(|| {
            crate::timings::time("pkg evidence", || {
                staging.copy_evidence(&model, &evidence_root, !quiet)
            })
        });
        let rendered = render_formats(&formats, &tera, &model, &staging, !quiet);
        let copied = copying
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (rendered, copied)
    });
    rendered?;
    copied?;
    let manifest = crate::timings::time("package", || staging.finish(&model, key.as_ref()))?;
    if a.timings {
        output::timings(started);
    }
    if !quiet {
        let html = formats.iter().any(|f| f.name == "html");
        report(&a, &model, manifest.files.len() + 1, html, key.is_some());
    }
    super::leave_to_exit((model, sources, manifest));
    Ok(())
}

/// The private key of `--sign`, with a warning when others may read it.
fn signing_key(path: &Path) -> Result<ssh_key::PrivateKey, CliError> {
    if let Some(w) = package::sign::permission_warning(path) {
        output::message(&format!("warning: {w}"));
    }
    Ok(package::sign::read_private(path)?)
}

/// Render the selected formats in parallel into the package, each file
/// written as soon as it is rendered; Markdown and PDF share one Markdown
/// text. A progress bar counts the files.
fn render_formats(
    formats: &[&'static render::formats::Format],
    tera: &tera::Tera,
    model: &ReportModel,
    staging: &package::Staging,
    progress: bool,
) -> Result<(), CliError> {
    // Left to the end of the process like the model (see `leave_to_exit`):
    // the rendered Markdown is the size of the reports again in memory.
    let reports: &render::markdown::SharedMarkdown =
        Box::leak(Box::new(render::markdown::SharedMarkdown::new(tera)));
    let ctx = render::formats::Ctx {
        tera,
        reports,
        names: formats.iter().map(|f| f.name).collect(),
        index: render::formats::index(formats, model),
    };
    let renderers: Vec<(&render::formats::Format, render::formats::Boxed)> =
        formats.iter().map(|f| (*f, (f.make)(&ctx))).collect();
    let pages: u64 = renderers.iter().map(|(_, r)| r.file_count(model)).sum();
    let sink = ProgressSink {
        staging,
        bar: crate::progress::files(progress, pages, "rendering reports"),
    };
    let rendered: Vec<(&'static str, Result<(), render::RenderError>)> = {
        use rayon::prelude::*;
        renderers
            .par_iter()
            .map(|(f, r)| {
                let start = std::time::Instant::now();
                let res = r.render(model, &sink);
                crate::timings::record(f.stage, start.elapsed());
                (f.name, res)
            })
            .collect()
    };
    sink.bar.finish_and_clear();
    for (name, res) in rendered {
        res.map_err(|e| CliError::usage_or_io(format!("rendering {name}: {e}")))?;
    }
    Ok(())
}

/// What was built, where to open it, the zip and the signature (stderr).
fn report(a: &Args, model: &ReportModel, files: usize, html: bool, signed: bool) {
    let s = &model.summary;
    output::message(&format!(
        "built {} ({files} files) for {} {} as of {}: {} controls, {} of {} requirements met, {} error(s), {} warning(s) in Gaps",
        a.output.display(),
        model.system.name,
        model.period.label,
        model.as_of,
        s.controls,
        s.requirements_met,
        s.requirements - s.requirements_na,
        s.errors,
        s.warnings
    ));
    let entry = if html { "index.html" } else { "index.md" };
    output::message(&format!("open {}", a.output.join(entry).display()));
    if a.bundle {
        let bundle = package::bundle::path_for(&a.output);
        output::message(&format!("bundle {}", bundle.display()));
    }
    if signed {
        output::message(&format!(
            "signed {}",
            a.output.join(package::sign::SIG_FILE).display()
        ));
    }
}

/// The package as the renderers' sink, counting the files on a progress bar.
struct ProgressSink<'a> {
    staging: &'a package::Staging,
    bar: indicatif::ProgressBar,
}

impl ProgressSink<'_> {
    fn count(&self, rel: &str) {
        self.bar.set_message(rel.to_string());
        self.bar.inc(1);
    }
}

impl render::Sink for ProgressSink<'_> {
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), render::RenderError> {
        render::Sink::put(self.staging, rel, bytes)?;
        self.count(rel);
        Ok(())
    }

    fn put_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), render::RenderError> {
        render::Sink::put_with(self.staging, rel, write)?;
        self.count(rel);
        Ok(())
    }
}
