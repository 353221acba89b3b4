//! Staging 4, render: every output format reads the same [`ReportModel`]
//! through the same [`ReportView`] selections; no renderer computes a fact.

pub mod badges;
pub mod crm_xlsx;
pub mod data;
pub mod docx;
pub mod filters;
pub mod formats;
pub mod html;
pub mod markdown;
pub mod oscal_ssp;
pub mod pdf;
pub mod requirements_source;
pub mod sanitize;
pub mod templates;
pub mod view;

use crate::model::ReportModel;

pub use view::ReportView;

/// Where rendered files go, each as soon as it is rendered: the package
/// being written (`package::Staging`).
pub trait Sink: Sync {
    /// Take one file, by package-relative path.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), RenderError>;

    /// Take one file written by `write`, for large files that should not be
    /// held in memory whole; by default through a buffer and [`Sink::put`].
    fn put_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), RenderError> {
        let mut buf = Vec::new();
        write(&mut buf).map_err(|e| RenderError::Other(format!("{rel}: {e}")))?;
        self.put(rel, &buf)
    }
}

/// An output format.
pub trait Renderer {
    /// The `--format` name.
    fn name(&self) -> &'static str;
    /// How many files [`Renderer::render`] writes: one per report and an
    /// index page.
    fn file_count(&self, model: &ReportModel) -> u64 {
        ReportView::count(model) + 1
    }
    /// Render the model into `out`.
    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError>;
}

/// Render every report of `model` (whole package and one per framework) in
/// parallel with `page`, each into `{stem}.{ext}` as soon as it is rendered.
pub fn pages(
    model: &ReportModel,
    ext: &str,
    out: &dyn Sink,
    page: impl Fn(&str, &ReportView) -> Result<String, RenderError> + Sync,
) -> Result<(), RenderError> {
    use rayon::prelude::*;
    ReportView::all(model)
        .par_iter()
        .try_for_each(|(stem, view)| {
            out.put(&format!("{stem}.{ext}"), page(stem, view)?.as_bytes())
        })
}

/// The control sections of one report, each control rendered on its own
/// through a `control` template: the report template prints them in order
/// (`{% for s in sections.inherited %}{{ s }}{% endfor %}`). Rendering one
/// control at a time, in parallel, keeps the template context small: the
/// whole report's controls never become one tera value.
#[derive(Debug)]
pub struct Sections {
    pub inherited: Vec<String>,
    pub shared: Vec<String>,
    pub customer: Vec<String>,
}

impl Sections {
    /// The sections as a template value, the texts moved rather than copied.
    pub fn into_value(self) -> tera::Value {
        let list =
            |v: Vec<String>| tera::Value::Array(v.into_iter().map(tera::Value::String).collect());
        let mut m = tera::Map::new();
        m.insert("inherited".into(), list(self.inherited));
        m.insert("shared".into(), list(self.shared));
        m.insert("customer".into(), list(self.customer));
        tera::Value::Object(m)
    }

    /// Render every control of `view` through the template `name`, whose
    /// context holds the control as `c` and, of the report, `scope`,
    /// `framework` (its id, or `""` in the whole package), `fw_ids`,
    /// `pa_ids` (provider attestations) and `root`.
    pub fn render(tera: &tera::Tera, name: &str, view: &ReportView) -> Result<Self, RenderError> {
        use rayon::prelude::*;
        let mut base = tera::Context::new();
        base.insert("scope", view.scope);
        base.insert("framework", view.framework.map_or("", |f| f.id.as_str()));
        let fw_ids: Vec<&str> = view.frameworks.iter().map(|f| f.id.as_str()).collect();
        base.insert("fw_ids", &fw_ids);
        let pa_ids: Vec<&str> = view
            .provider_attestations
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        base.insert("pa_ids", &pa_ids);
        base.insert("root", view.root);
        let each =
            |controls: &[&crate::model::ResolvedControl]| -> Result<Vec<String>, RenderError> {
                controls
                    .par_iter()
                    .with_min_len(64)
                    .map(|c| {
                        let mut ctx = base.clone();
                        ctx.insert("c", c);
                        tera.render(name, &ctx)
                            .map_err(|e| RenderError::template(name, &e))
                    })
                    .collect()
            };
        Ok(Sections {
            inherited: each(&view.inherited)?,
            shared: each(&view.shared)?,
            customer: each(&view.customer)?,
        })
    }
}

/// Render the report template `name` (not yet tidied) with the view as `v`,
/// its control sections rendered through `control` as `sections`, and
/// `extra` variables.
pub fn report(
    tera: &tera::Tera,
    name: &str,
    control: &str,
    view: &ReportView,
    extra: &[(&str, &str)],
) -> Result<String, RenderError> {
    let sections = Sections::render(tera, control, view)?;
    let mut m = tera::Map::new();
    m.insert(
        "v".into(),
        tera::to_value(view).map_err(|e| RenderError::Other(e.to_string()))?,
    );
    m.insert("sections".into(), sections.into_value());
    for (k, v) in extra {
        m.insert((*k).into(), tera::Value::String((*v).into()));
    }
    let ctx = tera::Context::from_value(tera::Value::Object(m))
        .map_err(|e| RenderError::template(name, &e))?;
    tera.render(name, &ctx)
        .map_err(|e| RenderError::template(name, &e))
}

/// Tidy rendered text in place (no second copy of a report in memory):
/// `keep` sees each line (without its line break) and says how many of its
/// leading bytes to keep, or `None` to drop it. Leading and trailing blank
/// lines go; the text ends with one newline.
pub fn tidy_lines(text: String, mut keep: impl FnMut(&str) -> Option<usize>) -> String {
    let mut bytes = text.into_bytes();
    let (mut r, mut w) = (0, 0);
    while r < bytes.len() {
        let end = bytes[r..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| r + i);
        let mut line_end = end;
        if line_end > r && bytes[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        // Bytes from `r` on are untouched: the write position never passes it.
        let kept = match std::str::from_utf8(&bytes[r..line_end]) {
            Ok(line) => keep(line),
            Err(_) => Some(line_end - r),
        };
        if let Some(n) = kept {
            bytes.copy_within(r..r + n, w);
            w += n;
            // A last line without a line break has no byte to reuse.
            if w < bytes.len() {
                bytes[w] = b'\n';
            } else {
                bytes.push(b'\n');
            }
            w += 1;
        }
        r = end + 1;
    }
    bytes.truncate(w);
    let lead = bytes.iter().take_while(|&&b| b == b'\n').count();
    bytes.drain(..lead);
    while bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Render an index template: the package view as `v`, the format names of
/// this build as `formats`, their files as `outputs`
/// ([`formats::IndexEntry`]), and `extra` variables.
pub fn index(
    tera: &tera::Tera,
    name: &str,
    model: &ReportModel,
    (formats, outputs): (&[&str], &[formats::IndexEntry]),
    extra: &[(&str, &str)],
) -> Result<String, RenderError> {
    let mut ctx = tera::Context::new();
    ctx.insert("v", &ReportView::package(model));
    ctx.insert("formats", formats);
    ctx.insert("outputs", outputs);
    for (k, v) in extra {
        ctx.insert(*k, v);
    }
    tera.render(name, &ctx)
        .map_err(|e| RenderError::template(name, &e))
}

/// A template or layout failure.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("template `{template}`: {message}")]
    Template { template: String, message: String },
    #[error("{0}")]
    Other(String),
}

impl RenderError {
    /// A tera error with its whole cause chain.
    pub fn template(template: &str, e: &tera::Error) -> Self {
        let mut message = e.to_string();
        let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
        while let Some(s) = cur {
            message.push_str(": ");
            message.push_str(&s.to_string());
            cur = s.source();
        }
        RenderError::Template {
            template: template.into(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidying_keeps_a_last_line_without_a_line_break() {
        assert_eq!(super::markdown::tidy("a  \n\n\nb".into()), "a\n\nb\n");
        assert_eq!(super::html::tidy("<p>x</p>".into()), "<p>x</p>\n");
    }
}
