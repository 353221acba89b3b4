//! The PDF renderer: `report.pdf` and `frameworks/<id>.pdf`.
//!
//! The PDF is drawn from the very Markdown the Markdown renderer writes, so
//! the formats cannot disagree:
//!
//! ```text
//! ReportView ─► markdown/report.md ─► blocks ─► units ─► pages ─► file
//!               (tera, same template)  (pulldown-cmark,  (flow, table,  (pager)  (writer: survey pass,
//!                                       blocks.rs)        layout)                 then pages streamed)
//! ```
//!
//! Layout is done here, with the glyph advances of the embedded DejaVu fonts
//! (`fonts.rs`); printpdf makes the font subsets, lopdf writes the objects.
//! Pages are laid out twice and never held all at once (`writer.rs`).
//! Bytes are reproducible: fixed font ids, no clock (dates come from
//! `--as-of`), and a trailer /ID derived from the content.

pub(crate) mod blocks;
mod chunks;
mod content;
pub(crate) mod document;
mod file;
mod flow;
mod fonts;
mod layout;
mod outline;
mod page;
mod pager;
mod pdfa;
mod source;
mod style;
mod survey;
mod table;
mod unit;
mod writer;

use super::{markdown, RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;

pub use document::ReportMeta;
pub use writer::PdfError;

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

    /// Every report in parallel, each written to its file page by page.
    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        self.reports.each(model, "pdf", out, |md, view, w| {
            writer::write(md, &report_meta(view), w).map_err(|e| match e {
                PdfError::Io(e) => e,
                other => std::io::Error::other(other),
            })
        })
    }
}

/// Lay out and write one report from its Markdown, in memory.
pub fn render_markdown(md: &str, meta: &ReportMeta) -> Result<Vec<u8>, PdfError> {
    let mut out = Vec::new();
    writer::write(md, meta, &mut out)?;
    Ok(out)
}

/// Lay out one report from its Markdown and write it to `out` as it goes.
pub fn write_markdown(
    md: &str,
    meta: &ReportMeta,
    out: &mut dyn std::io::Write,
) -> Result<(), PdfError> {
    writer::write(md, meta, out)
}

/// Header, footer and metadata of a report, from its view.
pub fn report_meta(v: &ReportView) -> ReportMeta {
    let framework = match &v.framework {
        Some(f) => f.short.to_string(),
        None => v
            .frameworks
            .iter()
            .map(|f| f.short)
            .collect::<Vec<_>>()
            .join(", "),
    };
    let title = match &v.framework {
        Some(f) => format!("{} report — {}, {}", f.short, v.system.name, v.period.label),
        None => format!("Audit package — {}, {}", v.system.name, v.period.label),
    };
    let mut keywords = vec![
        "audit package".to_string(),
        "shared responsibility model".to_string(),
    ];
    keywords.extend(v.frameworks.iter().map(|f| f.id.to_string()));
    keywords.push(v.period.label.clone());
    let digest: String = v.inputs_digest.chars().take(12).collect();
    ReportMeta {
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
            v.framework.as_ref().map_or("", |f| f.id)
        )
        .into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> ReportMeta {
        ReportMeta {
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

    /// A report with a cover, links, a table across pages and headings.
    fn report() -> String {
        let mut md = String::from("# Audit package — Test\n\n| | |\n| --- | --- |\n| System | Zoë |\n\n## Contents\n\n- [Matrix](#matrix)\n\n## Matrix\n\n| Id | Control |\n| --- | --- |\n");
        for i in 0..120 {
            md.push_str(&format!("| R-{i} | [C-{c}](#control-c-{c}) |\n", c = i % 7));
        }
        md.push_str("\n## Controls\n\n");
        for c in 0..7 {
            md.push_str(&format!("<a id=\"control-c-{c}\"></a>\n\n### C-{c} — Ωmega µ control\n\nSee <https://example.com/{c}>.\n\n"));
        }
        md
    }

    #[test]
    fn same_markdown_same_bytes_in_one_process() {
        let md = report();
        let a = render_markdown(&md, &meta()).unwrap();
        let b = render_markdown(&md, &meta()).unwrap();
        assert!(a.starts_with(b"%PDF-1.7"));
        assert!(a == b, "two renders differ");
    }

    #[test]
    fn pages_links_and_outline_are_all_there() {
        let pdf = render_markdown(&report(), &meta()).unwrap();
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let pages = doc.get_pages();
        assert!(pages.len() >= 4, "cover, contents and a matrix over pages");
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("/S/GoTo"), "internal links");
        assert!(text.contains("(https://example.com/3)"), "web links");
        assert!(text.contains("/Outlines"));
        let catalog = doc.catalog().unwrap();
        assert!(catalog.get(b"Outlines").is_ok());
        // Every page object's contents is a stream of its own.
        let mut contents = std::collections::BTreeSet::new();
        for id in pages.values() {
            let page = doc.get_dictionary(*id).unwrap();
            let c = page.get(b"Contents").unwrap().as_reference().unwrap();
            assert!(doc.get_object(c).unwrap().as_stream().is_ok());
            contents.insert(c);
        }
        assert_eq!(contents.len(), pages.len());
    }
}
