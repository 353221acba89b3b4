//! The Markdown renderer: `index.md`, `report.md` and `frameworks/<id>.md`
//! through the `markdown/` templates.

use super::{Files, RenderError, Renderer, ReportView};
use crate::model::ReportModel;
use tera::{Context, Tera};

/// Renders GitHub-flavoured Markdown.
pub struct Markdown<'t> {
    pub tera: &'t Tera,
    /// Every format of this build (`md`, `html`, `pdf`), for the index page.
    pub formats: Vec<&'static str>,
}

impl Renderer for Markdown<'_> {
    fn name(&self) -> &'static str {
        "md"
    }

    fn render(&self, model: &ReportModel, out: &mut Files) -> Result<(), RenderError> {
        use rayon::prelude::*;
        let views = ReportView::all(model);
        let texts: Result<Vec<(String, String)>, RenderError> = views
            .par_iter()
            .map(|(stem, view)| {
                Ok((
                    format!("{stem}.md"),
                    render(self.tera, "markdown/report.md", view)?,
                ))
            })
            .collect();
        for (name, text) in texts? {
            out.insert(name, text.into_bytes());
        }
        let mut ctx = Context::new();
        ctx.insert("v", &ReportView::package(model));
        ctx.insert("formats", &self.formats);
        let index = self
            .tera
            .render("markdown/index.md", &ctx)
            .map_err(|e| RenderError::template("markdown/index.md", &e))?;
        let index = tidy(&index);
        out.insert("index.md".into(), index.into_bytes());
        Ok(())
    }
}

/// Render one template with a view as its context (`v`).
pub fn render(tera: &Tera, name: &str, view: &ReportView) -> Result<String, RenderError> {
    let mut ctx = Context::new();
    ctx.insert("v", view);
    let text = tera
        .render(name, &ctx)
        .map_err(|e| RenderError::template(name, &e))?;
    Ok(tidy(&text))
}

/// Collapse runs of blank lines and end with one newline, so that templates
/// can be written for readability.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_matches('\n');
    format!("{trimmed}\n")
}
