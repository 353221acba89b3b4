//! Stage 4, render: every output format reads the same [`ReportModel`]
//! through the same [`ReportView`] selections; no renderer computes a fact.

pub mod filters;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod sanitize;
pub mod templates;
pub mod view;

use crate::model::ReportModel;
use std::collections::BTreeMap;

pub use view::ReportView;

/// The files a renderer produces: package-relative path → bytes.
pub type Files = BTreeMap<String, Vec<u8>>;

/// An output format.
pub trait Renderer {
    /// The `--format` name.
    fn name(&self) -> &'static str;
    /// The stage name in `--timings`.
    fn stage(&self) -> &'static str {
        match self.name() {
            "md" => "render md",
            "html" => "render html",
            "pdf" => "render pdf",
            _ => "render",
        }
    }
    /// Render the model into `out`.
    fn render(&self, model: &ReportModel, out: &mut Files) -> Result<(), RenderError>;
}

/// Render every report of `model` (whole package and one per framework) in
/// parallel with `page`, into `{stem}.{ext}`.
pub fn pages(
    model: &ReportModel,
    ext: &str,
    out: &mut Files,
    page: impl Fn(&str, &ReportView) -> Result<String, RenderError> + Sync,
) -> Result<(), RenderError> {
    use rayon::prelude::*;
    let views = ReportView::all(model);
    let texts: Result<Vec<(String, String)>, RenderError> = views
        .par_iter()
        .map(|(stem, view)| Ok((format!("{stem}.{ext}"), page(stem, view)?)))
        .collect();
    for (name, text) in texts? {
        out.insert(name, text.into_bytes());
    }
    Ok(())
}

/// Render an index template: the package view as `v`, the formats of this
/// build as `formats`, and `extra` variables.
pub fn index(
    tera: &tera::Tera,
    name: &str,
    model: &ReportModel,
    formats: &[&str],
    extra: &[(&str, &str)],
) -> Result<String, RenderError> {
    let mut ctx = tera::Context::new();
    ctx.insert("v", &ReportView::package(model));
    ctx.insert("formats", formats);
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
