//! The PDF file, written in two layout passes so that no page is held
//! longer than it takes to write it.
//!
//! 1. The survey (`survey.rs`) lays the whole report out and keeps only what
//!    the file needs up front: page count, anchors, outline, glyphs, links.
//! 2. printpdf makes the font subsets and shared resources from a one-page
//!    document that shows every glyph (`skeleton`); its objects are numbered
//!    as printpdf numbers those of the whole document.
//! 3. The file is written in object order: page tree, fonts, page objects
//!    (with their link annotations), then the second layout pass writes each
//!    page's resources and compressed content stream as soon as the page is
//!    full, and drops it; then catalog, outline, document information,
//!    PDF/A metadata, cross-reference table and trailer.
//!
//! The bytes are those printpdf and lopdf write for the whole document.

use super::content::{self, Codes, Glyphs};
use super::document::{self, ReportMeta};
use super::file::{ascii, text_string, PdfFile};
use super::fonts::{fonts, Face};
use super::layout::Draw;
use super::page::{page_ops, Anchors};
use super::pager::PageSink;
use super::style::*;
use super::survey::{Link, Plan, Survey};
use lopdf::{Dictionary, Object, Stream, StringFormat};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions};
use sha2::{Digest, Sha256};
use std::io::{self, Write};

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("writing the PDF: {0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Content(#[from] content::Unsupported),
    #[error("compressing a PDF page: {0}")]
    Compress(lopdf::Error),
    #[error("printpdf laid the document out unexpectedly: {0}")]
    Structure(String),
    #[error("the report laid out as {first} pages, then as {second}")]
    Repaginated { first: usize, second: usize },
}

/// Lay out the report `md` and write it to `out` as a PDF.
pub fn write(md: &str, meta: &ReportMeta, out: &mut dyn Write) -> Result<(), PdfError> {
    let chunks = super::chunks::split(md);
    let parts = document::split(&chunks);
    let (plan, entries) = survey(&parts, meta);
    let mut doc = skeleton(&meta.title, &plan.glyphs);
    let ids = Ids::of(&doc, plan.pages)?;
    let shared = ids.renumber(&mut doc)?;
    finish(&mut doc, &ids, &plan, meta)?;
    doc.compress();

    let mut file = PdfFile::new(out, &doc.version, &doc.binary_mark)?;
    let mut objects = std::mem::take(&mut doc.objects).into_iter().peekable();
    while let Some(((id, _), object)) = objects.next_if(|((id, _), _)| *id <= ids.fonts_end) {
        file.object(id, object)?;
    }
    for (n, links) in plan.links.iter().enumerate() {
        let page = page_object(&shared.page, &ids, n, links, &plan);
        file.object(ids.page(n), Object::Dictionary(page))?;
    }
    let codes = plan.glyphs.codes();
    let mut pages = ContentPages {
        file: &mut file,
        ids: &ids,
        resources: &shared.resources,
        codes: &codes,
        meta,
        anchors: &plan.anchors,
        total: plan.pages,
        written: 0,
        error: None,
    };
    document::lay_out_front(&parts, &entries, &mut pages);
    document::lay_out_body(&parts, plan.front, &mut pages);
    if let Some(e) = pages.error.take() {
        return Err(e);
    }
    if pages.written != plan.pages {
        return Err(PdfError::Repaginated {
            first: plan.pages,
            second: pages.written,
        });
    }
    for ((id, _), object) in objects {
        file.object(id, object)?;
    }
    file.finish(std::mem::take(&mut doc.trailer), doc.max_id)?;
    Ok(())
}

/// The first pass: front matter and body laid out, pages read and dropped.
fn survey(parts: &document::Parts<'_>, meta: &ReportMeta) -> (Plan, Vec<super::flow::Entry>) {
    let mut body = Survey::new(0);
    let (body_placed, entries) = document::lay_out_body(parts, 0, &mut body);
    let mut front = Survey::new(0);
    let front_placed = document::lay_out_front(parts, &entries, &mut front);
    let plan = Plan::join((front, front_placed), (body, body_placed), meta);
    (plan, entries)
}

/// printpdf's document of one page that shows every glyph the report shows:
/// its fonts and shared resources are those of the whole report.
fn skeleton(title: &str, glyphs: &Glyphs) -> lopdf::Document {
    let f = fonts();
    let mut doc = PdfDocument::new(title);
    for face in Face::ALL {
        doc.resources.fonts.map.insert(
            face.id(),
            printpdf::PdfFont::new(f.face(face).parsed.clone()),
        );
    }
    let size = (Mm(PAGE_W * 25.4 / 72.0), Mm(PAGE_H * 25.4 / 72.0));
    doc.pages = vec![PdfPage::new(size.0, size.1, glyphs.carrier())];
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    doc.to_lopdf_document(&opts, &mut warnings)
}

/// Object numbers, as printpdf gives them: page tree, fonts and shared
/// dictionaries (up to `fonts_end`), every page object, then per page its
/// resources and its content stream, then catalog and document information.
struct Ids {
    fonts_end: u32,
    pages: u32,
}

/// What every page object and every page's resources are made from.
struct Shared {
    page: Dictionary,
    resources: Dictionary,
}

impl Ids {
    /// The numbering of a document of `pages` pages, from the skeleton's.
    fn of(doc: &lopdf::Document, pages: usize) -> Result<Ids, PdfError> {
        let page = doc.get_pages().values().next().map(|id| id.0);
        let root = doc.trailer.get(b"Root").and_then(Object::as_reference);
        match (page, root) {
            (Some(p), Ok((root, 0))) if p > 1 && root == p + 3 && doc.max_id == p + 4 => Ok(Ids {
                fonts_end: p - 1,
                pages: u32::try_from(pages).map_err(|_| structure("too many pages"))?,
            }),
            _ => Err(structure(
                "page, catalog and information are not the last objects",
            )),
        }
    }

    fn page(&self, n: usize) -> u32 {
        self.fonts_end + 1 + n as u32
    }

    fn resources(&self, n: usize) -> u32 {
        self.fonts_end + self.pages + 1 + 2 * n as u32
    }

    fn contents(&self, n: usize) -> u32 {
        self.resources(n) + 1
    }

    fn catalog(&self) -> u32 {
        self.fonts_end + 3 * self.pages + 1
    }

    /// Take the skeleton's page and resources out as templates, give the
    /// page tree every page, and move catalog and information after the
    /// pages.
    fn renumber(&self, doc: &mut lopdf::Document) -> Result<Shared, PdfError> {
        let skel = self.fonts_end + 1;
        let mut take = |id: u32| match doc.objects.remove(&(id, 0)) {
            Some(Object::Dictionary(d)) => Ok(d),
            _ => Err(structure("a page or its resources is not a dictionary")),
        };
        let page = take(skel)?;
        let resources = take(skel + 1)?;
        doc.objects.remove(&(skel + 2, 0));
        let catalog = doc.objects.remove(&(skel + 3, 0));
        let info = doc.objects.remove(&(skel + 4, 0));
        let (Some(catalog), Some(info)) = (catalog, info) else {
            return Err(structure("no catalog or information"));
        };
        doc.objects.insert((self.catalog(), 0), catalog);
        doc.objects.insert((self.catalog() + 1, 0), info);
        doc.max_id = self.catalog() + 1;
        doc.trailer
            .set("Root", Object::Reference((self.catalog(), 0)));
        doc.trailer
            .set("Info", Object::Reference((self.catalog() + 1, 0)));
        let tree = doc
            .get_object_mut((1, 0))
            .and_then(Object::as_dict_mut)
            .map_err(|e| structure(&format!("page tree: {e}")))?;
        let kids = (0..self.pages as usize)
            .map(|n| Object::Reference((self.page(n), 0)))
            .collect();
        tree.set("Count", Object::Integer(i64::from(self.pages)));
        tree.set("Kids", Object::Array(kids));
        Ok(Shared { page, resources })
    }
}

fn structure(what: &str) -> PdfError {
    PdfError::Structure(what.to_string())
}

/// Page object `n`: the skeleton's, with its own resources, contents and
/// link annotations.
fn page_object(
    template: &Dictionary,
    ids: &Ids,
    n: usize,
    links: &[Link],
    plan: &Plan,
) -> Dictionary {
    let mut page = template.clone();
    page.set("Resources", Object::Reference((ids.resources(n), 0)));
    page.set("Contents", Object::Reference((ids.contents(n), 0)));
    let annots = links
        .iter()
        .filter_map(|l| annotation(l, &plan.targets[l.target as usize], &plan.anchors, ids))
        .map(Object::Dictionary)
        .collect();
    page.set("Annots", Object::Array(annots));
    page
}

/// A link annotation as printpdf writes one: to a web or mail address, or
/// to an anchor of the report; `None` when the anchor is not in it.
fn annotation(l: &Link, target: &str, anchors: &Anchors, ids: &Ids) -> Option<Dictionary> {
    let mut action = Dictionary::new();
    if target.starts_with("https://")
        || target.starts_with("http://")
        || target.starts_with("mailto:")
    {
        action.set("S", Object::Name(b"URI".to_vec()));
        action.set(
            "URI",
            Object::String(target.as_bytes().to_vec(), StringFormat::Literal),
        );
    } else {
        let (_, frag) = target.split_once('#')?;
        let (page, top) = anchors.get(frag)?;
        action.set("S", Object::Name(b"GoTo".to_vec()));
        let dest = vec![
            Object::Reference((ids.page(*page), 0)),
            Object::Name(b"XYZ".to_vec()),
            Object::Real(0.0),
            Object::Real(PAGE_H - top + 6.0),
            Object::Null,
        ];
        action.set("D", Object::Array(dest));
    }
    let bottom = PAGE_H - l.y - l.h;
    let mut d = Dictionary::new();
    d.set("Type", Object::Name(b"Annot".to_vec()));
    d.set("Subtype", Object::Name(b"Link".to_vec()));
    let rect = [l.x, bottom, l.x + l.w, bottom + l.h];
    d.set(
        "Rect",
        Object::Array(rect.into_iter().map(Object::Real).collect()),
    );
    d.set("A", Object::Dictionary(action));
    // No border, no colour, inverted when clicked.
    d.set("Border", Object::Array(vec![Object::Real(0.0); 3]));
    d.set("C", Object::Array(Vec::new()));
    d.set("H", Object::Name(b"I".to_vec()));
    Some(d)
}

/// The second pass: each page's resources and content stream, written as
/// soon as the page is laid out.
struct ContentPages<'a, 'w> {
    file: &'a mut PdfFile<'w>,
    ids: &'a Ids,
    resources: &'a Dictionary,
    codes: &'a Codes,
    meta: &'a ReportMeta,
    anchors: &'a Anchors,
    total: usize,
    written: usize,
    /// The first failure; later pages are not written.
    error: Option<PdfError>,
}

impl ContentPages<'_, '_> {
    fn write(&mut self, n: usize, draws: &[Draw]) -> Result<(), PdfError> {
        if n >= self.total {
            return Err(PdfError::Repaginated {
                first: self.total,
                second: n + 1,
            });
        }
        let ops = page_ops(self.meta, n, self.total, draws, self.anchors);
        let mut stream = Stream::new(Dictionary::new(), content::encode(&ops, self.codes)?);
        stream.compress().map_err(PdfError::Compress)?;
        let resources = Object::Dictionary(self.resources.clone());
        self.file.object(self.ids.resources(n), resources)?;
        self.file
            .object(self.ids.contents(n), Object::Stream(stream))?;
        Ok(())
    }
}

impl PageSink for ContentPages<'_, '_> {
    fn page(&mut self, n: usize, draws: Vec<Draw>) {
        if self.error.is_none() {
            if let Err(e) = self.write(n, &draws) {
                self.error = Some(e);
            }
        }
        self.written += 1;
    }
}

/// Outline, catalog entries, document information, PDF/A metadata and the
/// trailer /ID.
fn finish(
    doc: &mut lopdf::Document,
    ids: &Ids,
    plan: &Plan,
    meta: &ReportMeta,
) -> Result<(), PdfError> {
    doc.version = "1.7".into();
    let catalog_id = (ids.catalog(), 0);
    let outline = super::outline::add(doc, &plan.outline, &|n| (ids.page(n), 0));
    let catalog = doc
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| structure(&format!("catalog: {e}")))?;
    if let Some(root) = outline {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    catalog.set("Lang", ascii("en"));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));

    let info_id = doc.add_object(Object::Dictionary(info(meta)));
    doc.trailer.set("Info", Object::Reference(info_id));
    super::pdfa::apply(doc, catalog_id, meta)
        .map_err(|e| PdfError::Structure(format!("PDF catalog: {e}")))?;

    // The /ID: same content, same id.
    let digest = Sha256::digest(&meta.id_seed);
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}

/// The document information dictionary.
fn info(meta: &ReportMeta) -> Dictionary {
    let mut info = Dictionary::new();
    info.set("Title", text_string(&meta.title));
    info.set("Author", text_string(&meta.author));
    info.set("Subject", text_string(&meta.subject));
    info.set("Keywords", text_string(&meta.keywords.join(", ")));
    info.set("Creator", text_string(&meta.creator));
    info.set(
        "Producer",
        text_string(&format!("{} (printpdf)", meta.creator)),
    );
    info.set("CreationDate", ascii(&meta.date));
    info.set("ModDate", ascii(&meta.date));
    info
}
