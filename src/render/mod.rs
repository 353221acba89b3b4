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
