//! Page content streams, written one page at a time.
//!
//! printpdf numbers the glyphs of a subset font over the whole document, so
//! it turns pages into content streams only once it holds every page. Here
//! the glyphs a document uses are collected by a first layout pass
//! ([`Glyphs`]), the fonts are subset from that set exactly as printpdf
//! does, and then each page's operations become a content stream as soon as
//! the second pass has laid the page out ([`encode`]). The bytes are those printpdf would write for
//! the operations the writer emits (checked by comparing whole files).

use super::fonts::{fonts, Face};
use lopdf::content::{Content, Operation};
use lopdf::Object::{Name, Real, String as PdfString};
use lopdf::StringFormat::Hexadecimal;
use printpdf::{Op, PdfFontHandle, TextItem};
use std::collections::BTreeMap;

/// The glyphs each face shows, with the character each one was last used
/// for (printpdf's rule: that character goes into the font's ToUnicode
/// map). "Last" is by [`GlyphKey`], so pages may be recorded in any order.
#[derive(Default)]
pub struct Glyphs {
    used: BTreeMap<Face, BTreeMap<u16, (char, GlyphKey)>>,
}

/// Where a text is shown, in the order printpdf reads a document: page,
/// then the text's place among the page's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GlyphKey {
    pub page: usize,
    pub seq: usize,
}

impl Glyphs {
    /// Record the glyphs of `text` shown in `face` at `key`.
    pub fn add(&mut self, face: Face, text: &str, key: GlyphKey) {
        let parsed = &fonts().face(face).parsed;
        let used = self.used.entry(face).or_default();
        for c in text.chars() {
            if let Some(gid) = parsed.lookup_glyph_index(c as u32) {
                match used.get(&gid) {
                    Some((_, k)) if *k > key => {}
                    _ => {
                        used.insert(gid, (c, key));
                    }
                }
            }
        }
    }

    /// Move every record `pages` pages on.
    pub fn shift(&mut self, pages: usize) {
        for used in self.used.values_mut() {
            for (_, key) in used.values_mut() {
                key.page += pages;
            }
        }
    }

    /// The records of both, the later use of a glyph winning.
    pub fn merge(&mut self, other: Glyphs) {
        for (face, used) in other.used {
            for (gid, (c, key)) in used {
                let mine = self.used.entry(face).or_default();
                match mine.get(&gid) {
                    Some((_, k)) if *k > key => {}
                    _ => {
                        mine.insert(gid, (c, key));
                    }
                }
            }
        }
    }

    /// Glyph id → the text it stands for, per face.
    fn texts(&self) -> impl Iterator<Item = (Face, BTreeMap<u16, String>)> + '_ {
        self.used.iter().map(|(face, used)| {
            let texts = used
                .iter()
                .map(|(gid, (c, _))| (*gid, c.to_string()))
                .collect();
            (*face, texts)
        })
    }

    /// Operations that show every recorded glyph once, with its text: given
    /// to printpdf, they make the same font subsets as the whole document.
    pub fn carrier(&self) -> Vec<Op> {
        let mut ops = vec![Op::StartTextSection];
        for (face, used) in self.texts() {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(face.id()),
                size: printpdf::Pt(10.0),
            });
            ops.push(Op::ShowText {
                items: used.values().cloned().map(TextItem::Text).collect(),
            });
        }
        ops.push(Op::EndTextSection);
        ops
    }

    /// Original glyph id → code in the content stream, per face, as printpdf
    /// numbers the subset it embeds.
    pub fn codes(&self) -> Codes {
        let mut map = BTreeMap::new();
        for (face, used) in self.texts() {
            let parsed = &fonts().face(face).parsed;
            // printpdf embeds the whole font, with the original ids, when
            // subsetting fails.
            let Ok(subset) = printpdf::font::subset_font(parsed, &used) else {
                continue;
            };
            let cids = printpdf::font::cff_charset_gid_to_cid_map(&subset.bytes, 0);
            let codes = subset
                .glyph_mapping
                .iter()
                .map(|(orig, (new, _))| {
                    let code = cids.as_ref().and_then(|m| m.get(new).copied());
                    (*orig, code.unwrap_or(*new))
                })
                .collect();
            map.insert(face, codes);
        }
        Codes { map }
    }
}

/// Glyph codes of the subset fonts.
pub struct Codes {
    map: BTreeMap<Face, BTreeMap<u16, u16>>,
}

impl Codes {
    fn encode(&self, face: Face, text: &str) -> Vec<u8> {
        let parsed = &fonts().face(face).parsed;
        let codes = self.map.get(&face);
        text.chars()
            .flat_map(|c| {
                let gid = parsed.lookup_glyph_index(c as u32).unwrap_or(0);
                match codes {
                    Some(m) => m.get(&gid).copied().unwrap_or(0),
                    None => gid,
                }
                .to_be_bytes()
            })
            .collect()
    }
}

/// An operation the writer does not emit.
#[derive(Debug, thiserror::Error)]
#[error("PDF page operation not supported by the content writer: {0}")]
pub struct Unsupported(String);

/// The content stream of one page's operations (uncompressed), as printpdf
/// writes them.
pub fn encode(ops: &[Op], codes: &Codes) -> Result<Vec<u8>, Unsupported> {
    let mut out = Vec::with_capacity(ops.len() * 2);
    let mut face = None;
    let reals = |v: &[f32]| v.iter().copied().map(Real).collect::<Vec<_>>();
    for op in ops {
        let (name, args) = match op {
            Op::SetFillColor { col } => ("rg", reals(&col.into_vec())),
            Op::SetOutlineColor { col } => ("RG", reals(&col.into_vec())),
            Op::SetOutlineThickness { pt } => ("w", vec![Real(pt.0)]),
            Op::StartTextSection => ("BT", vec![]),
            Op::EndTextSection => ("ET", vec![]),
            Op::SetFont {
                font: PdfFontHandle::External(id),
                size,
            } => {
                face = Face::ALL.into_iter().find(|f| f.id() == *id);
                ("Tf", vec![Name(id.0.as_bytes().to_vec()), Real(size.0)])
            }
            Op::SetTextMatrix { matrix } => ("Tm", reals(&matrix.as_array())),
            Op::ShowText { items } => match (face, items.as_slice()) {
                (Some(face), [TextItem::Text(text)]) => {
                    ("Tj", vec![PdfString(codes.encode(face, text), Hexadecimal)])
                }
                _ => return Err(Unsupported(format!("{op:?}"))),
            },
            Op::DrawLine { line } if !line.is_closed && line.points.len() == 2 => {
                let [a, b] = [&line.points[0].p, &line.points[1].p];
                out.push(Operation::new("m", vec![Real(a.x.0), Real(a.y.0)]));
                out.push(Operation::new("l", vec![Real(b.x.0), Real(b.y.0)]));
                ("S", vec![])
            }
            Op::DrawRectangle { rectangle: r }
                if r.mode == Some(printpdf::PaintMode::Fill) && r.winding_order.is_none() =>
            {
                let args = vec![Real(r.x.0), Real(r.y.0), Real(r.width.0), Real(r.height.0)];
                out.push(Operation::new("re", args));
                ("f", vec![])
            }
            // Annotations belong to the page object, not its content.
            Op::LinkAnnotation { .. } => continue,
            other => return Err(Unsupported(format!("{other:?}"))),
        };
        out.push(Operation::new(name, args));
    }
    Content { operations: out }
        .encode()
        .map_err(|e| Unsupported(e.to_string()))
}
