//! The HTML renderer: `index.html`, `report.html` and `frameworks/<id>.html`
//! through the `html/` templates, from the same [`ReportView`] selections as
//! the Markdown renderer.
//!
//! Every page is self-contained (inline CSS, inline SVG, one optional inline
//! script) and opens from disk with no network. Text from inputs reaches the
//! page only escaped (tera autoescape) or through the `md_html` filter
//! ([`super::sanitize`]).

use super::{RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;
use tera::Tera;

/// Renders self-contained HTML5 pages.
pub struct Html<'t> {
    pub tera: &'t Tera,
    /// Every format of this build, for the index page.
    pub formats: Vec<&'static str>,
    /// The files of every format of this build, for the index page.
    pub index: Vec<super::formats::IndexEntry>,
}

impl Renderer for Html<'_> {
    fn name(&self) -> &'static str {
        "html"
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        super::pages(model, "html", out, |stem, view| {
            render(self.tera, "html/report.html", view, stem)
        })?;
        let index = super::index(
            self.tera,
            "html/index.html",
            model,
            (&self.formats, &self.index),
            &[("page", "index")],
        )?;
        out.put("index.html", tidy(index).as_bytes())
    }
}

/// Render one report template with a view as its context (`v`), the page's
/// package-relative stem (`page`, e.g. `frameworks/soc2`) and its control
/// sections (`sections`, through `html/control.html`).
pub fn render(
    tera: &Tera,
    name: &str,
    view: &ReportView,
    page: &str,
) -> Result<String, RenderError> {
    Ok(tidy(super::report(
        tera,
        name,
        "html/control.html",
        view,
        &[("page", page)],
    )?))
}

/// Drop blank lines and trailing spaces left by template tags, except inside
/// `<pre>`, where every line is content. End with one newline.
pub fn tidy(text: String) -> String {
    let mut in_pre = false;
    super::tidy_lines(text, |line| {
        let kept = if in_pre {
            Some(line.len())
        } else {
            let t = line.trim_end();
            (!t.trim_start().is_empty()).then_some(t.len())
        };
        let opens = line.matches("<pre").count();
        let closes = line.matches("</pre>").count();
        if opens > closes {
            in_pre = true;
        } else if closes > opens {
            in_pre = false;
        }
        kept
    })
}

#[cfg(test)]
mod tests {
    use super::tidy;

    #[test]
    fn tidy_keeps_preformatted_text() {
        let t = tidy("<p>a</p>   \n\n  \n<pre><code>x\n\n  y\n</code></pre>\n\n<p>b</p>\n".into());
        assert_eq!(
            t,
            "<p>a</p>\n<pre><code>x\n\n  y\n</code></pre>\n<p>b</p>\n"
        );
    }
}
