//! The Markdown renderer: `index.md`, `report.md`, `frameworks/<id>.md` and
//! the control pages `controls/<family>.md` through the `markdown/`
//! templates.

use super::pages::ControlPages;
use super::site::{self, Flavor, SectionTexts};
use super::{RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;
use std::sync::OnceLock;
use tera::Tera;

/// The Markdown templates.
pub const FLAVOR: Flavor = Flavor {
    ext: "md",
    report: "markdown/report.md",
    control: "markdown/control.md",
    page: "markdown/controls.md",
    tidy,
    native: super::native::markdown,
};

/// Renders GitHub-flavoured Markdown.
pub struct Markdown<'t> {
    pub tera: &'t Tera,
    /// Every format of this build, for the index page.
    pub formats: Vec<&'static str>,
    /// The files of every format of this build, for the index page.
    pub index: Vec<super::index_page::IndexEntry>,
    /// The Markdown texts, shared with the PDF and Word renderers.
    pub reports: &'t SharedMarkdown<'t>,
}

/// The Markdown of a package rendered once and shared by the Markdown, PDF
/// and Word renderers (PDF and Word are laid out from it): every report
/// and every control section.
pub struct SharedMarkdown<'t> {
    tera: &'t Tera,
    texts: OnceLock<Result<Texts, RenderError>>,
    document: OnceLock<Result<String, RenderError>>,
}

/// What [`SharedMarkdown`] holds.
pub struct Texts {
    /// (stem, Markdown) of every report, in [`ReportView::all`] order; the
    /// reports link to the control pages.
    pub reports: Vec<(String, String)>,
    /// The control sections of every page, in page order.
    pub sections: Vec<SectionTexts>,
}

impl<'t> SharedMarkdown<'t> {
    pub fn new(tera: &'t Tera) -> Self {
        SharedMarkdown {
            tera,
            texts: OnceLock::new(),
            document: OnceLock::new(),
        }
    }

    /// The reports and control sections of `model`, rendered on first use.
    pub fn get(&self, model: &ReportModel) -> Result<&Texts, RenderError> {
        use rayon::prelude::*;
        let texts = self.texts.get_or_init(|| {
            let pages = ControlPages::of(model);
            let sections = site::sections(self.tera, &FLAVOR, model, &pages)?;
            let reports = ReportView::all(model, &pages)
                .par_iter()
                .map(|(stem, view)| {
                    Ok((
                        stem.clone(),
                        site::report(self.tera, &FLAVOR, view, stem, None)?,
                    ))
                })
                .collect::<Result<Vec<_>, RenderError>>()?;
            Ok(Texts { reports, sections })
        });
        texts.as_ref().map_err(Clone::clone)
    }

    /// The whole package as one document: `report.md` with every control
    /// section in full rather than links to the control pages (the PDF
    /// and Word `report` files).
    pub fn document(&self, model: &ReportModel) -> Result<&str, RenderError> {
        let doc = self.document.get_or_init(|| {
            let texts = self.get(model)?;
            let pages = ControlPages::of(model);
            let view = ReportView::document(model, &pages);
            let full = SectionTexts::joined(&texts.sections);
            site::report(self.tera, &FLAVOR, &view, "report", Some(full))
        });
        doc.as_deref().map_err(Clone::clone)
    }

    /// Render every report of `model` from its Markdown with `render`, in
    /// parallel, each into `{stem}.{ext}` as soon as it is rendered (the
    /// PDF and Word renderers): the whole package from [`Self::document`],
    /// the framework reports as the Markdown renderer writes them.
    pub fn each(
        &self,
        model: &ReportModel,
        ext: &str,
        out: &dyn Sink,
        render: impl Fn(&str, &ReportView, &mut dyn std::io::Write) -> std::io::Result<()> + Sync,
    ) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let texts = self.get(model)?;
        let document = self.document(model)?;
        let pages = ControlPages::of(model);
        let views = ReportView::all(model, &pages);
        texts
            .reports
            .par_iter()
            .zip(views.par_iter())
            .try_for_each(|((stem, md), (_, view))| {
                let md = if view.framework.is_none() {
                    document
                } else {
                    md
                };
                out.put_with(&format!("{stem}.{ext}"), &mut |w| render(md, view, w))
            })
    }
}

impl Renderer for Markdown<'_> {
    fn name(&self) -> &'static str {
        "md"
    }

    fn file_count(&self, model: &ReportModel) -> u64 {
        ReportView::count(model) + ControlPages::of(model).pages.len() as u64 + 1
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let index = || {
            let index = super::index_page::render(
                self.tera,
                "markdown/index.md",
                model,
                (&self.formats, &self.index),
                &[],
            )?;
            out.put("index.md", tidy(index).as_bytes())
        };
        let pages = || {
            let texts = self.reports.get(model)?;
            for (stem, text) in &texts.reports {
                out.put(&format!("{stem}.md"), text.as_bytes())?;
            }
            let pages = ControlPages::of(model);
            texts
                .sections
                .par_iter()
                .enumerate()
                .try_for_each(|(i, s)| {
                    let text = site::page(self.tera, &FLAVOR, model, &pages, i, s.clone())?;
                    out.put(&format!("{}.md", pages.pages[i].stem), text.as_bytes())
                })
        };
        let (index, pages) = rayon::join(index, pages);
        pages.and(index)
    }
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
