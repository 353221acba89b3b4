//! The Word renderer: `report.docx` and `frameworks/<id>.docx`, with the
//! content and order of the PDF because both are read from the same
//! Markdown (`pdf::blocks`): cover with sign-off lines, contents, summary,
//! matrix, sections, gaps, evidence index.
//!
//! Written as WordprocessingML directly, with the shipped
//! `assets/docx/styles.xml` (Heading 1/2, an "Audit Table" style whose
//! header row repeats on every page), a footer with page numbers, and a TOC
//! field in a `w:sdt` marked as a table of contents (Word updates it;
//! LibreOffice shows it without field code) followed by a static contents
//! list for viewers that do not update fields. The zip has fixed
//! timestamps and the core properties the as-of date: the bytes depend on
//! the inputs only.

mod body;

use super::pdf::{blocks, document};
use super::{markdown, RenderError, Renderer, ReportView, Sink};
use crate::model::ReportModel;
use body::{esc, Body};
use std::io::Write;

/// The shipped Word styles.
const STYLES: &str = include_str!("../../../assets/docx/styles.xml");

const W_NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"";

/// Renders the reports as Word documents.
pub struct Docx<'t> {
    /// The Markdown of the reports, shared with the Markdown renderer.
    pub reports: &'t markdown::SharedMarkdown<'t>,
}

impl Renderer for Docx<'_> {
    fn name(&self) -> &'static str {
        "docx"
    }

    /// One document per report.
    fn file_count(&self, model: &ReportModel) -> u64 {
        ReportView::count(model)
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        self.reports.each(model, "docx", out, |md, view, w| {
            let bytes = render_markdown(md, &super::pdf::report_meta(view), view.as_of)
                .map_err(std::io::Error::other)?;
            w.write_all(&bytes)
        })
    }
}

/// One Word document from a report's Markdown.
pub fn render_markdown(
    md: &str,
    fur: &document::ReportMeta,
    as_of: chrono::NaiveDate,
) -> Result<Vec<u8>, RenderError> {
    let (title, cover, main) = document::whole(md);
    let mut b = Body::default();
    title_page(&mut b, &title, &cover);
    contents(&mut b, &main);
    b.blocks(&main, 0);
    package(&b, fur, as_of).map_err(|e| RenderError::encode("docx", e))
}

/// Kicker and title, the cover's facts, the sign-off lines, a page break.
fn title_page(b: &mut Body, title: &[blocks::Span], cover: &[blocks::Block]) {
    let text = blocks::plain(title);
    let (kicker, name) = match text.split_once(" — ") {
        Some((k, n)) => (k.trim(), n.trim()),
        None => ("", text.trim()),
    };
    if !kicker.is_empty() {
        b.text("Subtitle", &kicker.to_uppercase());
    }
    b.text("Title", name);
    b.blocks(cover, 0);
    b.xml.push_str("<w:tbl><w:tblPr><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblBorders><w:insideV w:val=\"nil\"/></w:tblBorders></w:tblPr><w:tblGrid><w:gridCol w:w=\"4819\"/><w:gridCol w:w=\"4819\"/></w:tblGrid><w:tr><w:trPr><w:trHeight w:val=\"900\"/></w:trPr>");
    for _ in document::SIGN_OFF {
        b.xml.push_str("<w:tc><w:tcPr><w:tcW w:w=\"4819\" w:type=\"dxa\"/><w:tcBorders><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/></w:tcBorders><w:vAlign w:val=\"bottom\"/></w:tcPr><w:p/></w:tc>");
    }
    b.xml.push_str("</w:tr><w:tr>");
    for label in document::SIGN_OFF {
        b.xml
            .push_str("<w:tc><w:tcPr><w:tcW w:w=\"4819\" w:type=\"dxa\"/></w:tcPr>");
        b.text("TableText", label);
        b.xml.push_str("</w:tc>");
    }
    b.xml.push_str("</w:tr></w:tbl>");
    b.page_break();
}

/// "Contents": a TOC field Word updates (in a content control marked as a
/// table of contents, so LibreOffice renders it without its field code),
/// then a static list of the sections, each linked.
fn contents(b: &mut Body, main: &[blocks::Block]) {
    b.anchor(["contents".to_string()]);
    b.text("TOCHeading", "Contents");
    b.xml.push_str(
        "<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val=\"Table of Contents\"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>\
<w:p><w:pPr><w:pStyle w:val=\"TOC1\"/></w:pPr>\
<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
<w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"1-2\" \\h \\z \\u </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>\
<w:r><w:t xml:space=\"preserve\">Page numbers: update this table in Word (F9). The sections are listed below.</w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"end\"/></w:r></w:p>\
</w:sdtContent></w:sdt>",
    );
    for blk in main {
        if let blocks::Block::Heading {
            level: level @ 2..=3,
            spans,
            ..
        } = blk
        {
            let target = format!("#{}", blocks::slug(&blocks::plain(spans)));
            let span = blocks::Span {
                text: blocks::plain(spans),
                style: Default::default(),
                link: Some(target),
                badge: None,
            };
            let style = if *level == 2 { "TOC1" } else { "TOC2" };
            b.para(style, "", &[span]);
        }
    }
    b.page_break();
}

/// The zip: content types, relationships, the document, styles, settings,
/// header, footer and properties.
fn package(
    b: &Body,
    fur: &document::ReportMeta,
    as_of: chrono::NaiveDate,
) -> Result<Vec<u8>, DocxError> {
    use chrono::Datelike;
    let time = zip::DateTime::from_date_and_time(
        as_of.year().clamp(1980, 2107) as u16,
        as_of.month() as u8,
        as_of.day() as u8,
        0,
        0,
        0,
    )?;
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let parts = parts(b, fur, as_of);
    for (name, text) in &parts {
        zip.start_file(*name, opts)?;
        zip.write_all(text.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// Why a Word document could not be written.
#[derive(Debug, thiserror::Error)]
enum DocxError {
    #[error("the as-of date has no zip timestamp")]
    Date(#[from] zip::result::DateTimeRangeError),
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

fn parts(
    b: &Body,
    fur: &document::ReportMeta,
    as_of: chrono::NaiveDate,
) -> Vec<(&'static str, String)> {
    let mut rels = String::from("<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdHeader\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" Target=\"header1.xml\"/>\
<Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rIdFonts\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/>");
    for (i, l) in b.links.iter().enumerate() {
        rels.push_str(&format!("<Relationship Id=\"rIdL{}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>", i + 1, esc(l)));
    }
    let date = format!("{as_of}T00:00:00Z");
    vec![
        ("[Content_Types].xml", format!("{XML}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/header1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>")),
        ("_rels/.rels", format!("{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>")),
        ("docProps/core.xml", format!("{XML}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
<dc:title>{}</dc:title><dc:subject>{}</dc:subject><dc:creator>{}</dc:creator><cp:keywords>{}</cp:keywords>\
<dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created><dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified>\
</cp:coreProperties>", esc(&fur.title), esc(&fur.subject), esc(&fur.author), esc(&fur.keywords.join(", ")))),
        ("docProps/app.xml", format!("{XML}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>{}</Application></Properties>", esc(&fur.creator))),
        ("word/_rels/document.xml.rels", format!("{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{rels}</Relationships>")),
        ("word/document.xml", format!("{XML}<w:document {W_NS}><w:body>{}\
<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr>\
</w:body></w:document>", b.xml)),
        ("word/styles.xml", STYLES.to_string()),
        ("word/fontTable.xml", format!("{XML}<w:fonts {W_NS}><w:font w:name=\"Arial\"><w:panose1 w:val=\"020B0604020202020204\"/><w:charset w:val=\"00\"/><w:family w:val=\"swiss\"/><w:pitch w:val=\"variable\"/></w:font><w:font w:name=\"Courier New\"><w:panose1 w:val=\"02070309020205020404\"/><w:charset w:val=\"00\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font></w:fonts>")),
        ("word/settings.xml", format!("{XML}<w:settings {W_NS}><w:defaultTabStop w:val=\"720\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>")),
        ("word/header1.xml", format!("{XML}<w:hdr {W_NS}><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p></w:hdr>", esc(&fur.header))),
        ("word/footer1.xml", format!("{XML}<w:ftr {W_NS}><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">Page </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
<w:r><w:t xml:space=\"preserve\"> of </w:t></w:r>\
<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> NUMPAGES </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
</w:p></w:ftr>", esc(&fur.footer))),
    ]
}
