//! The Markdown renderer: `index.md`, `report.md` and `frameworks/<id>.md`
//! through the `markdown/` templates.

use super::{RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;
use tera::Tera;

/// Renders GitHub-flavoured Markdown.
pub struct Markdown<'t> {
    pub tera: &'t Tera,
    /// Every format of this build, for the index page.
    pub formats: Vec<&'static str>,
    /// The files of every format of this build, for the index page.
    pub index: Vec<super::formats::IndexEntry>,
    /// The report texts, shared with the PDF renderer.
    pub reports: &'t Reports<'t>,
}

/// The Markdown text of every report, rendered once and shared by the
/// Markdown and PDF renderers (the PDF is laid out from it).
pub struct Reports<'t> {
    tera: &'t Tera,
    texts: std::sync::OnceLock<Result<Vec<(String, String)>, String>>,
}

impl<'t> Reports<'t> {
    pub fn new(tera: &'t Tera) -> Self {
        Reports {
            tera,
            texts: std::sync::OnceLock::new(),
        }
    }

    /// (stem, Markdown) of every report of `model`, rendered on first use.
    pub fn get(&self, model: &ReportModel) -> Result<&[(String, String)], RenderError> {
        use rayon::prelude::*;
        let texts = self.texts.get_or_init(|| {
            ReportView::all(model)
                .par_iter()
                .map(|(stem, view)| {
                    Ok((stem.clone(), render(self.tera, "markdown/report.md", view)?))
                })
                .collect::<Result<Vec<_>, RenderError>>()
                .map_err(|e| e.to_string())
        });
        texts.as_deref().map_err(|e| RenderError::Other(e.clone()))
    }

    /// Render every report of `model` from its Markdown with `render`, in
    /// parallel, each into `{stem}.{ext}` as soon as it is rendered (the
    /// PDF and Word renderers).
    pub fn each(
        &self,
        model: &ReportModel,
        ext: &str,
        out: &dyn Sink,
        render: impl Fn(&str, &ReportView) -> Result<Vec<u8>, RenderError> + Sync,
    ) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let texts = self.get(model)?;
        let views = ReportView::all(model);
        texts
            .par_iter()
            .zip(views.par_iter())
            .try_for_each(|((stem, md), (_, view))| {
                out.put(&format!("{stem}.{ext}"), &render(md, view)?)
            })
    }
}

impl Renderer for Markdown<'_> {
    fn name(&self) -> &'static str {
        "md"
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        for (stem, text) in self.reports.get(model)? {
            out.put(&format!("{stem}.md"), text.as_bytes())?;
        }
        let index = super::index(
            self.tera,
            "markdown/index.md",
            model,
            (&self.formats, &self.index),
            &[],
        )?;
        out.put("index.md", tidy(index).as_bytes())
    }
}

/// Render one report template with a view as its context (`v`) and its
/// control sections (`sections`, through `markdown/control.md`).
pub fn render(tera: &Tera, name: &str, view: &ReportView) -> Result<String, RenderError> {
    Ok(tidy(super::report(
        tera,
        name,
        "markdown/control.md",
        view,
        &[],
    )?))
}

/// Collapse runs of blank lines and end with one newline, so that templates
/// can be written for readability.
pub fn tidy(text: String) -> String {
    let mut blank = 0;
    super::tidy_lines(text, |line| {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                return None;
            }
        } else {
            blank = 0;
        }
        Some(line.len())
    })
}
