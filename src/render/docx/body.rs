//! The body of `word/document.xml`: the report's blocks (the PDF's, read
//! from the same Markdown) as WordprocessingML paragraphs and tables.
//!
//! Sections (Markdown `##`) are Heading 1, the headings inside them
//! Heading 2 and below; tables use the shipped "Audit Table" style with a
//! header row that repeats on every page; every anchor of the Markdown is
//! a bookmark, and links to it are internal hyperlinks.

use crate::render::pdf::blocks::{plain, slug, Block, Span, Tone};

/// WordprocessingML being written, with the hyperlink targets that need
/// relationships and a bookmark counter.
#[derive(Default)]
pub struct Body {
    pub xml: String,
    /// External link targets, in order of first use (`rIdL<n>`).
    pub links: Vec<String>,
    bookmarks: u32,
    /// Anchors waiting for the next paragraph.
    pending: Vec<String>,
}

/// Escape text for XML content and attributes.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            // Characters XML 1.0 cannot hold.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => o.push(c),
        }
    }
    o
}

/// A bookmark name Word accepts (a letter, then at most 39 word
/// characters) for a Markdown anchor, the same for every link to it.
pub fn bookmark(anchor: &str) -> String {
    format!("a{}", &crate::sha256::bytes(anchor.as_bytes())[..20])
}

fn color(t: Tone) -> &'static str {
    match t {
        Tone::Good => "2E7D32",
        Tone::Bad => "C62828",
        Tone::Warn | Tone::Partial => "A15C00",
        Tone::Provider | Tone::Shared => "1F5FA8",
        Tone::Customer => "6A3D9A",
        Tone::Neutral => "595959",
    }
}

impl Body {
    /// Anchors for the next paragraph.
    pub fn anchor(&mut self, anchors: impl IntoIterator<Item = String>) {
        self.pending.extend(anchors);
    }

    /// Open a paragraph of `style`, with the pending bookmarks.
    fn open(&mut self, style: &str, extra_ppr: &str) {
        self.xml.push_str("<w:p><w:pPr>");
        if !style.is_empty() {
            self.xml.push_str(&format!("<w:pStyle w:val=\"{style}\"/>"));
        }
        self.xml.push_str(extra_ppr);
        self.xml.push_str("</w:pPr>");
        for a in std::mem::take(&mut self.pending) {
            let id = self.bookmarks;
            self.bookmarks += 1;
            self.xml.push_str(&format!(
                "<w:bookmarkStart w:id=\"{id}\" w:name=\"{}\"/><w:bookmarkEnd w:id=\"{id}\"/>",
                bookmark(&a)
            ));
        }
    }

    /// A paragraph of spans.
    pub fn para(&mut self, style: &str, extra_ppr: &str, spans: &[Span]) {
        self.open(style, extra_ppr);
        self.spans(spans);
        self.xml.push_str("</w:p>");
    }

    /// A paragraph of plain text.
    pub fn text(&mut self, style: &str, text: &str) {
        self.open(style, "");
        self.run(text, "");
        self.xml.push_str("</w:p>");
    }

    /// A page break.
    pub fn page_break(&mut self) {
        self.xml
            .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
    }

    fn run(&mut self, text: &str, rpr: &str) {
        let mut first = true;
        for line in text.split('\n') {
            self.xml.push_str("<w:r>");
            if !rpr.is_empty() {
                self.xml.push_str(&format!("<w:rPr>{rpr}</w:rPr>"));
            }
            if !first {
                self.xml.push_str("<w:br/>");
            }
            first = false;
            self.xml.push_str(&format!(
                "<w:t xml:space=\"preserve\">{}</w:t></w:r>",
                esc(line)
            ));
        }
    }

    fn spans(&mut self, spans: &[Span]) {
        for s in spans {
            let mut rpr = String::new();
            if s.link.is_some() {
                rpr.push_str("<w:rStyle w:val=\"Hyperlink\"/>");
            } else if s.style.mono {
                rpr.push_str("<w:rStyle w:val=\"CodeChar\"/>");
            }
            if s.style.bold {
                rpr.push_str("<w:b/>");
            }
            if s.style.italic {
                rpr.push_str("<w:i/>");
            }
            if let Some(t) = s.badge {
                rpr.push_str(&format!("<w:color w:val=\"{}\"/>", color(t)));
            }
            match s.link.as_deref() {
                Some(l) if l.starts_with('#') => {
                    self.xml
                        .push_str(&format!("<w:hyperlink w:anchor=\"{}\">", bookmark(&l[1..])));
                    self.run(&s.text, &rpr);
                    self.xml.push_str("</w:hyperlink>");
                }
                Some(l) => {
                    let n = match self.links.iter().position(|x| x == l) {
                        Some(n) => n,
                        None => {
                            self.links.push(l.to_string());
                            self.links.len() - 1
                        }
                    };
                    self.xml
                        .push_str(&format!("<w:hyperlink r:id=\"rIdL{}\">", n + 1));
                    self.run(&s.text, &rpr);
                    self.xml.push_str("</w:hyperlink>");
                }
                None => self.run(&s.text, &rpr),
            }
        }
    }

    /// Blocks, with Markdown heading levels shifted so that the report's
    /// sections (`##`) are Heading 1.
    pub fn blocks(&mut self, blocks: &[Block], depth: u32) {
        for b in blocks {
            match b {
                Block::Heading {
                    level,
                    spans,
                    anchors,
                } => {
                    self.anchor(anchors.iter().cloned());
                    self.anchor([slug(&plain(spans))]);
                    let style = format!("Heading{}", level.saturating_sub(1).clamp(1, 4));
                    self.para(&style, "", spans);
                }
                Block::Para { spans, anchors } => {
                    self.anchor(anchors.iter().cloned());
                    let ind = indent(depth);
                    self.para("", &ind, spans);
                }
                Block::List { start, items } => self.list(*start, items, depth),
                Block::Table {
                    head,
                    rows,
                    anchors,
                    ..
                } => self.table(head, rows, anchors),
                Block::Code(code) => {
                    self.open("Code", "");
                    self.run(code.trim_end_matches('\n'), "");
                    self.xml.push_str("</w:p>");
                }
                Block::Quote(inner) => self.quote(inner),
                Block::Rule => self.xml.push_str(
                    "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"A6A6A6\"/></w:pBdr></w:pPr></w:p>",
                ),
                Block::Anchor(a) => self.anchor([a.clone()]),
            }
        }
    }

    fn quote(&mut self, inner: &[Block]) {
        for b in inner {
            match b {
                Block::Para { spans, anchors } => {
                    self.anchor(anchors.iter().cloned());
                    self.para("Quote", "", spans);
                }
                other => self.blocks(std::slice::from_ref(other), 1),
            }
        }
    }

    fn list(&mut self, start: Option<u64>, items: &[Vec<Block>], depth: u32) {
        for (i, item) in items.iter().enumerate() {
            let marker = match start {
                Some(n) => format!("{}.\t", n + i as u64),
                None => "•\t".to_string(),
            };
            let ind = format!(
                "<w:tabs><w:tab w:val=\"left\" w:pos=\"{}\"/></w:tabs>{}",
                360 + depth * 360,
                indent_hanging(depth)
            );
            let mut rest = item.as_slice();
            let first: Vec<Span> = match rest.first() {
                Some(Block::Para { spans, anchors }) => {
                    self.anchor(anchors.iter().cloned());
                    rest = &rest[1..];
                    spans.clone()
                }
                _ => Vec::new(),
            };
            let mut spans = vec![Span {
                text: marker,
                style: Default::default(),
                link: None,
                badge: None,
            }];
            spans.extend(first);
            self.para("ListParagraph", &ind, &spans);
            self.blocks(rest, depth + 1);
        }
    }

    fn table(&mut self, head: &[Vec<Span>], rows: &[Vec<Vec<Span>>], anchors: &[Vec<String>]) {
        let widths = widths(head, rows);
        self.xml.push_str(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"AuditTable\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/><w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        );
        for w in &widths {
            self.xml.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        self.xml.push_str("</w:tblGrid>");
        self.row(head, true, &widths);
        for (i, r) in rows.iter().enumerate() {
            if let Some(a) = anchors.get(i) {
                self.anchor(a.iter().cloned());
            }
            self.row(r, false, &widths);
        }
        self.xml.push_str("</w:tbl>");
        // Word needs a paragraph between two tables; it also spaces them.
        self.xml.push_str("<w:p/>");
    }

    fn row(&mut self, cells: &[Vec<Span>], header: bool, widths: &[usize]) {
        self.xml.push_str("<w:tr>");
        if header {
            self.xml
                .push_str("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        } else {
            self.xml.push_str("<w:trPr><w:cantSplit/></w:trPr>");
        }
        for (c, width) in cells.iter().zip(widths) {
            self.xml.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>"
            ));
            self.para("TableText", "", c);
            self.xml.push_str("</w:tc>");
        }
        self.xml.push_str("</w:tr>");
    }
}

/// Column widths (twips of the 9,638 of the text width) in proportion to
/// the longest text of each column, between 4 and 40 characters.
fn widths(head: &[Vec<Span>], rows: &[Vec<Vec<Span>>]) -> Vec<usize> {
    let mut chars: Vec<usize> = head.iter().map(|c| plain(c).chars().count()).collect();
    for r in rows {
        for (j, c) in r.iter().enumerate().take(chars.len()) {
            chars[j] = chars[j].max(plain(c).chars().count());
        }
    }
    let weights: Vec<usize> = chars.iter().map(|n| (*n).clamp(4, 40)).collect();
    let total: usize = weights.iter().sum::<usize>().max(1);
    weights.iter().map(|w| 9638 * w / total).collect()
}

fn indent(depth: u32) -> String {
    if depth == 0 {
        String::new()
    } else {
        format!("<w:ind w:left=\"{}\"/>", depth * 360)
    }
}

fn indent_hanging(depth: u32) -> String {
    format!(
        "<w:ind w:left=\"{}\" w:hanging=\"240\"/>",
        360 + depth * 360
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bookmarks_are_names_word_accepts() {
        let b = bookmark("control-IAM-01");
        assert_eq!(b.len(), 21);
        assert!(b.starts_with('a') && b.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(b, bookmark("control-IAM-01"));
        assert_ne!(b, bookmark("control-IAM-02"));
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        assert_eq!(esc("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
