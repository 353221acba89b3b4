//! Laid-out pages become PDF bytes: printpdf writes the pages, the embedded
//! font subsets and the links; lopdf (printpdf's object layer) then adds what
//! printpdf does not do or does not do reproducibly: a nested outline, the
//! document information, and a trailer /ID derived from the content.

use super::content::{self, Glyphs};
use super::document::{Furniture, Laid};
use super::fonts::{fonts, Face};
use super::layout::Draw;
use super::style::*;
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};
use printpdf::{
    Actions, BorderArray, ColorArray, Destination, HighlightingMode, Line, LinePoint,
    LinkAnnotation, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point,
    Pt, Rect, TextItem, TextMatrix,
};
use sha2::{Digest, Sha256};

/// Write the document.
///
/// Pages are turned into operations twice, and never all at once: a first
/// pass records the glyphs they show (the font subsets need them all) and
/// their links; then printpdf lays out the document's objects from pages that
/// hold only their links, and each page's real content is encoded,
/// compressed and put in its place one page at a time (`content.rs`).
pub fn write(mut laid: Laid, furniture: &Furniture) -> Result<Vec<u8>, String> {
    let f = fonts();
    let mut doc = PdfDocument::new(&furniture.title);
    for face in Face::ALL {
        doc.resources.fonts.map.insert(
            face.id(),
            printpdf::PdfFont::new(f.face(face).parsed.clone()),
        );
    }
    let page_draws = std::mem::take(&mut laid.pages.pages);
    let laid = &laid;
    let total = page_draws.len();
    let mut glyphs = Glyphs::default();
    let mut pages = Vec::with_capacity(total);
    for (n, draws) in page_draws.iter().enumerate() {
        let mut ops = page_ops(furniture, n, total, draws, laid);
        glyphs.add(&ops);
        ops.retain(|op| matches!(op, Op::LinkAnnotation { .. }));
        // Keep the links only, not the room the page's operations took.
        ops.shrink_to_fit();
        pages.push(ops);
    }
    if let Some(first) = pages.first_mut() {
        first.extend(glyphs.carrier());
    }
    let size = (Mm(PAGE_W * 25.4 / 72.0), Mm(PAGE_H * 25.4 / 72.0));
    doc.pages = pages
        .into_iter()
        .map(|ops| PdfPage::new(size.0, size.1, ops))
        .collect();
    let mut warnings = Vec::new();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    drop(doc);
    let codes = glyphs.codes();
    let page_ids: Vec<ObjectId> = lo.get_pages().values().copied().collect();
    for (n, (draws, id)) in page_draws.into_iter().zip(page_ids).enumerate() {
        let ops = page_ops(furniture, n, total, &draws, laid);
        drop(draws);
        let bytes = content::encode(&ops, &codes).map_err(|e| e.to_string())?;
        let mut stream = Stream::new(Dictionary::new(), bytes);
        stream
            .compress()
            .map_err(|e| format!("compressing a PDF page: {e}"))?;
        let contents = lo
            .get_dictionary(id)
            .and_then(|page| page.get(b"Contents"))
            .and_then(Object::as_reference)
            .map_err(|e| format!("PDF page {}: {e}", n + 1))?;
        lo.objects.insert(contents, Object::Stream(stream));
    }
    finish(&mut lo, laid, furniture)?;
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| format!("writing the PDF: {e}"))?;
    Ok(out)
}

/// The printpdf operations of page `n`: shapes first, then all text in one
/// text object, then links, so the text sits on its backgrounds and the
/// stream stays small.
fn page_ops(fur: &Furniture, n: usize, total: usize, draws: &[Draw], laid: &Laid) -> Vec<Op> {
    let mut ops = Ops::default();
    let furniture = if n > 0 {
        furniture_draws(fur, n, total)
    } else {
        footer_only(n, total)
    };
    for pass in 0..3 {
        for d in furniture.iter().chain(draws) {
            if pass_of(d) == pass {
                ops.draw(d, laid);
            }
        }
    }
    ops.end_text();
    ops.ops
}

/// The running header and the footer of a page.
fn furniture_draws(fur: &Furniture, n: usize, total: usize) -> Vec<Draw> {
    let mut d = vec![
        Draw::Text {
            x: MARGIN_X,
            y: 40.0,
            face: Face::Regular,
            size: SMALL_SIZE,
            color: MUTED,
            text: fur.header.clone(),
        },
        Draw::HLine {
            x: MARGIN_X,
            y: 47.0,
            w: BODY_W,
            width: 0.5,
            color: RULE,
        },
    ];
    d.extend(footer_only(n, total));
    d.push(Draw::Text {
        x: MARGIN_X,
        y: PAGE_H - 36.0,
        face: Face::Regular,
        size: SMALL_SIZE,
        color: MUTED,
        text: fur.footer.clone(),
    });
    d
}

fn footer_only(n: usize, total: usize) -> Vec<Draw> {
    let text = format!("Page {} of {}", n + 1, total);
    let w = fonts().width(Face::Regular, &text, SMALL_SIZE);
    vec![
        Draw::HLine {
            x: MARGIN_X,
            y: PAGE_H - 48.0,
            w: BODY_W,
            width: 0.5,
            color: RULE,
        },
        Draw::Text {
            x: MARGIN_X + BODY_W - w,
            y: PAGE_H - 36.0,
            face: Face::Regular,
            size: SMALL_SIZE,
            color: MUTED,
            text,
        },
    ]
}

/// printpdf operations of one page, with the fill and stroke state tracked
/// so that it is set only when it changes.
#[derive(Default)]
struct Ops {
    ops: Vec<Op>,
    fill: Option<Rgb>,
    stroke: Option<(Rgb, f32)>,
    in_text: bool,
    font: Option<(Face, f32)>,
}

/// Drawing order: 0 shapes, 1 text, 2 links.
fn pass_of(d: &Draw) -> u8 {
    match d {
        Draw::Rect { .. } | Draw::HLine { .. } | Draw::VLine { .. } => 0,
        Draw::Text { .. } | Draw::PageRef { .. } => 1,
        Draw::Link { .. } => 2,
    }
}

fn color(c: Rgb) -> printpdf::Color {
    printpdf::Color::Rgb(printpdf::Rgb {
        r: c.0,
        g: c.1,
        b: c.2,
        icc_profile: None,
    })
}

fn pt(x: f32, y: f32) -> Point {
    Point {
        x: Pt(x),
        y: Pt(PAGE_H - y),
    }
}

impl Ops {
    fn set_fill(&mut self, c: Rgb) {
        if self.fill != Some(c) {
            self.ops.push(Op::SetFillColor { col: color(c) });
            self.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, c: Rgb, w: f32) {
        if self.stroke != Some((c, w)) {
            self.ops.push(Op::SetOutlineColor { col: color(c) });
            self.ops.push(Op::SetOutlineThickness { pt: Pt(w) });
            self.stroke = Some((c, w));
        }
    }

    fn text(&mut self, x: f32, y: f32, face: Face, size: f32, c: Rgb, text: &str) {
        self.set_fill(c);
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
        }
        if self.font != Some((face, size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(face.id()),
                size: Pt(size),
            });
            self.font = Some((face, size));
        }
        let p = pt(x, y);
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(p.x, p.y),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_string())],
        });
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    fn line(&mut self, a: (f32, f32), b: (f32, f32), w: f32, c: Rgb) {
        self.end_text();
        self.set_stroke(c, w);
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: pt(a.0, a.1),
                        bezier: false,
                    },
                    LinePoint {
                        p: pt(b.0, b.1),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn draw(&mut self, d: &Draw, laid: &Laid) {
        match d {
            Draw::Text {
                x,
                y,
                face,
                size,
                color,
                text,
            } => self.text(*x, *y, *face, *size, *color, text),
            Draw::Rect { x, y, w, h, fill } => {
                self.end_text();
                self.set_fill(*fill);
                self.ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(PAGE_H - y - h),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Fill),
                        winding_order: None,
                    },
                });
            }
            Draw::HLine {
                x,
                y,
                w,
                width,
                color,
            } => self.line((*x, *y), (x + w, *y), *width, *color),
            Draw::VLine {
                x,
                y,
                h,
                width,
                color,
            } => self.line((*x, *y), (*x, y + h), *width, *color),
            Draw::PageRef {
                x,
                y,
                face,
                size,
                color,
                anchor,
            } => {
                if let Some((page, _)) = laid.pages.anchors.get(anchor) {
                    let text = (page + 1).to_string();
                    let w = fonts().width(*face, &text, *size);
                    self.text(x - w, *y, *face, *size, *color, &text);
                }
            }
            Draw::Link { x, y, w, h, target } => {
                let action = if target.starts_with("https://")
                    || target.starts_with("http://")
                    || target.starts_with("mailto:")
                {
                    Actions::uri(target.clone())
                } else if let Some((page, top)) = target
                    .split_once('#')
                    .and_then(|(_, frag)| laid.pages.anchors.get(frag))
                {
                    Actions::go_to(Destination::Xyz {
                        page: page + 1,
                        left: Some(0.0),
                        top: Some(PAGE_H - top + 6.0),
                        zoom: None,
                    })
                } else {
                    return;
                };
                let rect = Rect {
                    x: Pt(*x),
                    y: Pt(PAGE_H - y - h),
                    width: Pt(*w),
                    height: Pt(*h),
                    mode: None,
                    winding_order: None,
                };
                self.ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        rect,
                        action,
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        Some(ColorArray::Transparent),
                        Some(HighlightingMode::Invert),
                    ),
                });
            }
        }
    }
}

/// A PDF text string: UTF-16BE with a byte-order mark.
fn text_string(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        bytes.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn ascii(s: &str) -> Object {
    Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
}

/// Outline, document information, viewer preferences and the trailer /ID.
fn finish(doc: &mut lopdf::Document, laid: &Laid, fur: &Furniture) -> Result<(), String> {
    doc.version = "1.7".into();
    let page_ids: Vec<ObjectId> = doc.get_pages().values().copied().collect();
    let catalog_id = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(|e| format!("PDF catalog: {e}"))?;

    // Outline: sections, and the headings inside each (closed).
    let outline_id = doc.new_object_id();
    let items = &laid.pages.outline;
    let mut top: Vec<(ObjectId, Vec<usize>)> = Vec::new();
    let mut ids = Vec::with_capacity(items.len());
    for (i, (level, ..)) in items.iter().enumerate() {
        let id = doc.new_object_id();
        ids.push(id);
        if *level <= 1 || top.is_empty() {
            top.push((id, Vec::new()));
        } else if let Some(last) = top.last_mut() {
            last.1.push(i);
        }
    }
    let dest = |i: usize| {
        let (_, _, page, y) = &items[i];
        Object::Array(vec![
            Object::Reference(page_ids[*page]),
            Object::Name(b"XYZ".to_vec()),
            Object::Real(0.0),
            Object::Real(PAGE_H - y + 6.0),
            Object::Null,
        ])
    };
    let index_of = |id: ObjectId| ids.iter().position(|x| *x == id).expect("outline id");
    for (t, (id, children)) in top.iter().enumerate() {
        let i = index_of(*id);
        let mut d = Dictionary::new();
        d.set("Title", text_string(&items[i].1));
        d.set("Parent", Object::Reference(outline_id));
        d.set("Dest", dest(i));
        if t > 0 {
            d.set("Prev", Object::Reference(top[t - 1].0));
        }
        if let Some(next) = top.get(t + 1) {
            d.set("Next", Object::Reference(next.0));
        }
        if let (Some(first), Some(last)) = (children.first(), children.last()) {
            d.set("First", Object::Reference(ids[*first]));
            d.set("Last", Object::Reference(ids[*last]));
            d.set("Count", Object::Integer(-(children.len() as i64)));
        }
        for (k, c) in children.iter().enumerate() {
            let mut cd = Dictionary::new();
            cd.set("Title", text_string(&items[*c].1));
            cd.set("Parent", Object::Reference(*id));
            cd.set("Dest", dest(*c));
            if k > 0 {
                cd.set("Prev", Object::Reference(ids[children[k - 1]]));
            }
            if let Some(n) = children.get(k + 1) {
                cd.set("Next", Object::Reference(ids[*n]));
            }
            doc.objects.insert(ids[*c], Object::Dictionary(cd));
        }
        doc.objects.insert(*id, Object::Dictionary(d));
    }
    if let (Some(first), Some(last)) = (top.first(), top.last()) {
        let mut o = Dictionary::new();
        o.set("Type", Object::Name(b"Outlines".to_vec()));
        o.set("First", Object::Reference(first.0));
        o.set("Last", Object::Reference(last.0));
        o.set("Count", Object::Integer(top.len() as i64));
        doc.objects.insert(outline_id, Object::Dictionary(o));
    }

    let catalog = doc
        .get_object_mut(catalog_id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| format!("PDF catalog: {e}"))?;
    if !top.is_empty() {
        catalog.set("Outlines", Object::Reference(outline_id));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    catalog.set("Lang", ascii("en"));
    let mut prefs = Dictionary::new();
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));

    // Document information, replacing printpdf's.
    let mut info = Dictionary::new();
    info.set("Title", text_string(&fur.title));
    info.set("Author", text_string(&fur.author));
    info.set("Subject", text_string(&fur.subject));
    info.set("Keywords", text_string(&fur.keywords.join(", ")));
    info.set("Creator", text_string(&fur.creator));
    info.set(
        "Producer",
        text_string(&format!("{} (printpdf)", fur.creator)),
    );
    info.set("CreationDate", ascii(&fur.date));
    info.set("ModDate", ascii(&fur.date));
    let info_id = doc.add_object(Object::Dictionary(info));
    doc.trailer.set("Info", Object::Reference(info_id));

    super::pdfa::apply(doc, catalog_id, fur)?;

    // The /ID: same content, same id.
    let digest = Sha256::digest(&fur.id_seed);
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    Ok(())
}
