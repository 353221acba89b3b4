//! The PDF renderer: `report.pdf` and `frameworks/<id>.pdf`.
//!
//! The PDF is drawn from the very Markdown the Markdown renderer writes, so
//! the formats cannot disagree:
//!
//! ```text
//! ReportView ─► markdown/report.md ─► blocks ─► units ─► pages ─► printpdf ─► lopdf
//!               (tera, same template)  (pulldown-cmark)  (layout, flow,   (writer: fonts,
//!                                       blocks.rs        table, document)  links, outline;
//!                                                                           content: one page
//!                                                                           stream at a time)
//! ```
//!
//! Layout is done here, with the glyph advances of the embedded DejaVu fonts
//! (`fonts.rs`); printpdf only writes what was placed. Bytes are
//! reproducible: fixed font ids, no clock (dates come from `--as-of`), and a
//! trailer /ID derived from the content.

pub(crate) mod blocks;
mod content;
pub(crate) mod document;
mod flow;
mod fonts;
mod layout;
mod pdfa;
mod style;
mod table;
mod writer;

use super::{markdown, RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;

pub use document::Furniture;

/// Renders the reports as PDF.
pub struct Pdf<'t> {
    /// The Markdown of the reports, shared with the Markdown renderer.
    pub reports: &'t markdown::SharedMarkdown<'t>,
}

impl Renderer for Pdf<'_> {
    fn name(&self) -> &'static str {
        "pdf"
    }

    /// One PDF per report; the index is HTML or Markdown.
    fn file_count(&self, model: &ReportModel) -> u64 {
        ReportView::count(model)
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        self.reports.each(model, "pdf", out, |md, view| {
            render_markdown(md, &furniture(view))
        })
    }
}

/// Lay out and write one report from its Markdown.
pub fn render_markdown(md: &str, furniture: &Furniture) -> Result<Vec<u8>, RenderError> {
    let laid = document::lay_out(md);
    writer::write(laid, furniture).map_err(RenderError::Other)
}

/// Header, footer and metadata of a report, from its view.
pub fn furniture(v: &ReportView) -> Furniture {
    let framework = match v.framework {
        Some(f) => f.short.clone(),
        None => v
            .frameworks
            .iter()
            .map(|f| f.short.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    };
    let title = match v.framework {
        Some(f) => format!("{} report — {}, {}", f.short, v.system.name, v.period.label),
        None => format!("Audit package — {}, {}", v.system.name, v.period.label),
    };
    let mut keywords = vec![
        "audit package".to_string(),
        "shared responsibility model".to_string(),
    ];
    keywords.extend(v.frameworks.iter().map(|f| f.id.clone()));
    keywords.push(v.period.label.clone());
    let digest: String = v.inputs_digest.chars().take(12).collect();
    Furniture {
        header: format!("{} · {} · {}", v.system.name, framework, v.period.label),
        footer: format!("As of {} · inputs {digest}", v.as_of),
        title,
        author: v.system.organization.clone(),
        subject: format!(
            "Compliance evidence of {} ({}) for {}, period {} to {}, as of {}",
            v.system.name, v.system.organization, framework, v.period.start, v.period.end, v.as_of
        ),
        keywords,
        creator: format!("{} {}", v.tool.name, v.tool.version),
        date: format!("D:{}000000Z", v.as_of.format("%Y%m%d")),
        id_seed: format!(
            "{}\n{}\n{}",
            v.inputs_digest,
            v.as_of,
            v.framework.map(|f| f.id.as_str()).unwrap_or("")
        )
        .into_bytes(),
    }
}

/// A synthetic report of about `pages` pages, for the benchmark: controls
/// with narratives, and a long matrix table that breaks across pages.
pub fn synthetic_markdown(pages: usize) -> String {
    let mut md = String::from("# Audit package — Synthetic System\n\n| | |\n| --- | --- |\n| System | Synthetic |\n\n## Contents\n\n- [Summary](#summary)\n\n");
    md.push_str("## Responsibility matrix\n\n| Requirement | Title | Control | Responsibility | Status | Evidence | Coverage |\n| --- | --- | --- | --- | --- | --- | --- |\n");
    let rows = pages * 14;
    for i in 0..rows {
        md.push_str(&format!(
            "| REQ-{i} | Requirement {i} on access reviews and logging | [CTL-{c}](#control-CTL-{c}) | customer | ✅ implemented | fresh | ✅ met |\n",
            c = i % 500
        ));
    }
    md.push_str("\n## Customer controls\n\n");
    for i in 0..pages * 2 {
        md.push_str(&format!(
            "<a id=\"control-CTL-{i}\"></a>\n\n### CTL-{i} — Synthetic control number {i}\n\n| | |\n| --- | --- |\n| Responsibility | **customer** |\n| Status | ◐ partially implemented |\n\n\
             The control is operated every quarter by the platform team; evidence is a signed export of the access review, \
             stored with its SHA-256 `9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08` and reviewed by Zoë Müller.\n\n"
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fur() -> Furniture {
        Furniture {
            header: "S · F · P".into(),
            footer: "As of 2026-09-30".into(),
            title: "T".into(),
            author: "Zoë Müller".into(),
            subject: "S".into(),
            keywords: vec!["k".into()],
            creator: "auditpack test".into(),
            date: "D:20260930000000Z".into(),
            id_seed: b"seed".to_vec(),
        }
    }

    #[test]
    fn same_markdown_same_bytes_in_one_process() {
        let md = synthetic_markdown(3);
        let a = render_markdown(&md, &fur()).unwrap();
        let b = render_markdown(&md, &fur()).unwrap();
        assert!(a.starts_with(b"%PDF-1.7"));
        assert!(a == b, "two renders differ");
    }
}
