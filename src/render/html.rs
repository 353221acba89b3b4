//! The HTML renderer: `index.html`, `report.html`, `frameworks/<id>.html`,
//! the control pages `controls/<family>.html` and their search index
//! `controls/index.js`, through the `html/` templates, from the same
//! [`ReportView`] selections as the Markdown renderer.
//!
//! Every page is self-contained (inline CSS, inline SVG, one optional inline
//! script) and opens from disk with no network. Text from inputs reaches the
//! page only escaped (tera autoescape) or through the `md_html` filter
//! ([`super::sanitize`]).

use super::index_page::IndexEntry;
use super::pages::ControlPages;
use super::site::{self, Flavor};
use super::{RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;
use tera::Tera;

/// The HTML templates.
pub const FLAVOR: Flavor = Flavor {
    ext: "html",
    report: "html/report.html",
    control: "html/control.html",
    page: "html/controls.html",
    tidy,
    native: super::native::html,
};

/// The search index of the controls, loaded by the pages' search on first
/// use.
pub const SEARCH_INDEX: &str = "controls/index.js";

/// Renders self-contained HTML5 pages.
pub struct Html<'t> {
    pub tera: &'t Tera,
    /// Every format of this build, for the index page.
    pub formats: Vec<&'static str>,
    /// The files of every format of this build, for the index page.
    pub index: Vec<IndexEntry>,
}

impl Renderer for Html<'_> {
    fn name(&self) -> &'static str {
        "html"
    }

    fn file_count(&self, model: &ReportModel) -> u64 {
        ReportView::count(model) + ControlPages::of(model).pages.len() as u64 + 2
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        let index = || {
            out.put(SEARCH_INDEX, &search_index(model))?;
            let index = super::index_page::render(
                self.tera,
                "html/index.html",
                model,
                (&self.formats, &self.index),
                &[("page", "index")],
            )?;
            out.put("index.html", tidy(index).as_bytes())
        };
        let pages = || {
            site::write_all(self.tera, &FLAVOR, model, &|stem, text| {
                out.put(&format!("{stem}.html"), text.as_bytes())
            })
        };
        let (index, pages) = rayon::join(index, pages);
        pages.and(index)
    }
}

/// `controls/index.js`: every control of the pages as `[id, title, family,
/// status, link]` (the link from the package root to its section), assigned
/// to `window.auditpackControls`. A script, not JSON read with `fetch`, so
/// that pages opened from disk can load it.
pub fn search_index(model: &ReportModel) -> Vec<u8> {
    let pages = ControlPages::of(model);
    let rows: Vec<[String; 5]> = pages
        .pages
        .iter()
        .flat_map(|p| {
            p.controls().map(move |c| {
                [
                    c.id.clone(),
                    c.title.clone(),
                    c.family.clone(),
                    crate::values::Badge::label(&c.status).to_string(),
                    format!(
                        "{}.html#{}",
                        p.stem,
                        super::anchors::anchor_of(&format!("control-{}", c.id))
                    ),
                ]
            })
        })
        .collect();
    let json = serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into());
    format!(
        "/* The controls of this package, for the search of its pages. */\nwindow.auditpackControls = {};\n",
        json.replace("</", "<\\/")
    )
    .into_bytes()
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
