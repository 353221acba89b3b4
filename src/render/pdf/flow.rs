//! Blocks become units: unbreakable slices (a line, a table row, a
//! heading) that the pager (`pager.rs`) places on pages.

use super::blocks::{plain, slug, Block, Span};
use super::fonts::{fonts, Face};
use super::layout::{self, Draw, Para};
use super::source::Item;
use super::style::*;
use super::table;
use super::unit::{Drain, Unit};

/// A heading that goes into the table of contents and the outline.
#[derive(Debug, Clone)]
pub struct Entry {
    pub level: u8,
    pub title: String,
    pub anchor: String,
}

/// Units handed on at a time when the flow streams.
const BATCH: usize = 64;

/// Units of the body, and its headings.
#[derive(Default)]
pub struct Flow<'d> {
    /// Units not handed on yet.
    pub units: Vec<Unit>,
    pub entries: Vec<Entry>,
    pending: Vec<String>,
    /// Where finished units go; without it they stay in `units`.
    out: Option<&'d mut dyn Drain>,
    /// Lists and quotes being laid out: their units may still change.
    depth: usize,
}

impl<'d> Flow<'d> {
    /// A flow that hands finished units to `out` as it goes.
    pub fn streaming(out: &'d mut dyn Drain) -> Self {
        Flow {
            out: Some(out),
            ..Flow::default()
        }
    }

    /// Hand the remaining units on (the pager still has to place them).
    pub fn rest(&mut self) -> Vec<Unit> {
        std::mem::take(&mut self.units)
    }

    /// Lay out blocks at `x`, `width` wide.
    pub fn blocks(&mut self, blocks: &[Block], x: f32, width: f32) {
        for b in blocks {
            self.block(b, x, width);
        }
    }

    fn push(&mut self, mut u: Unit) {
        if !self.pending.is_empty() {
            let mut a = std::mem::take(&mut self.pending);
            a.append(&mut u.anchors);
            u.anchors = a;
        }
        self.units.push(u);
        if self.depth == 0 && self.units.len() >= BATCH {
            if let Some(out) = self.out.as_mut() {
                out.drain(&mut self.units);
            }
        }
    }

    /// Lay out a block, or a long table part by part.
    pub fn item(&mut self, item: &Item<'_>, x: f32, width: f32) {
        match item {
            Item::Block(b) => self.block(b, x, width),
            Item::Table(t) => table::layout_parts(&|f| t.each(f), x, width, &mut |u| self.push(u)),
        }
    }

    pub fn block(&mut self, b: &Block, x: f32, width: f32) {
        match b {
            Block::Anchor(id) => self.pending.push(id.clone()),
            Block::Heading {
                level,
                spans,
                anchors,
            } => self.heading(*level, spans, anchors, x, width),
            Block::Para { spans, anchors } => {
                self.pending.extend(anchors.iter().cloned());
                self.para(spans, x, width, layout::body(TEXT_SIZE), 5.0);
            }
            Block::List { start, items } => {
                for (i, item) in items.iter().enumerate() {
                    let marker = match start {
                        Some(n) => format!("{}.", n + i as u64),
                        None => "•".to_string(),
                    };
                    let first = self.units.len();
                    self.depth += 1;
                    self.blocks(item, x + 14.0, width - 14.0);
                    self.depth -= 1;
                    if let Some(u) = self.units.get_mut(first) {
                        let baseline = TEXT_SIZE * 1.4 * 0.5 + TEXT_SIZE * 0.36;
                        u.draws.push(Draw::Text {
                            x: x + 3.0,
                            y: baseline,
                            face: Face::Regular,
                            size: TEXT_SIZE,
                            color: MUTED,
                            text: marker,
                        });
                        u.gap = if i == 0 { 5.0 } else { 2.0 };
                    }
                }
            }
            Block::Table {
                aligns,
                head,
                rows,
                anchors,
            } => {
                let t = table::Table {
                    aligns,
                    head,
                    rows,
                    anchors,
                };
                t.layout(x, width, &mut |u| self.push(u));
            }
            Block::Code(text) => self.code(text, x, width),
            Block::Quote(inner) => {
                let first = self.units.len();
                self.depth += 1;
                self.blocks(inner, x + 12.0, width - 12.0);
                self.depth -= 1;
                for u in &mut self.units[first..] {
                    u.draws.push(Draw::VLine {
                        x: x + 3.0,
                        y: 0.0,
                        h: u.h,
                        width: 2.0,
                        color: RULE,
                    });
                }
            }
            Block::Rule => self.push(Unit {
                h: 12.0,
                gap: 4.0,
                draws: vec![Draw::HLine {
                    x,
                    y: 6.0,
                    w: width,
                    width: 0.6,
                    color: RULE,
                }],
                ..Unit::default()
            }),
        }
    }

    fn heading(&mut self, level: u8, spans: &[Span], anchors: &[String], x: f32, width: f32) {
        let title = plain(spans).trim().to_string();
        let (size, gap, color) = match level {
            1 => (20.0, 10.0, ACCENT),
            2 => (15.0, 0.0, ACCENT),
            3 => (11.5, 16.0, INK),
            _ => (10.0, 10.0, INK),
        };
        let p = Para {
            size,
            leading: 1.25,
            color,
            bold: true,
            align_right: false,
        };
        let lines = layout::lines(spans, width, p);
        let mut draws = Vec::new();
        let mut y = 0.0;
        if level == 3 {
            draws.push(Draw::HLine {
                x,
                y: 0.0,
                w: width,
                width: 0.5,
                color: RULE,
            });
            y += 5.0;
        }
        for l in &lines {
            draws.extend(l.draws.iter().map(|d| d.shifted(x, y)));
            y += l.height;
        }
        if level <= 2 {
            draws.push(Draw::HLine {
                x,
                y: y + 2.0,
                w: width,
                width: if level == 1 { 1.2 } else { 0.8 },
                color: ACCENT,
            });
            y += 8.0;
        }
        let mut all_anchors = vec![slug(&title)];
        all_anchors.extend(anchors.iter().cloned());
        let outline = (level == 2 || level == 3).then(|| {
            let anchor = format!("toc-{}", self.entries.len());
            all_anchors.push(anchor.clone());
            self.entries.push(Entry {
                level: level - 1,
                title: title.clone(),
                anchor,
            });
            (level - 1, title.clone())
        });
        self.push(Unit {
            h: y + 2.0,
            gap,
            keep_next: true,
            break_before: level <= 2,
            draws,
            anchors: all_anchors,
            outline,
            header: None,
        });
    }

    /// A paragraph: one unit per line; the first line keeps with the second.
    pub fn para(&mut self, spans: &[Span], x: f32, width: f32, p: Para, gap: f32) {
        let lines = layout::lines(spans, width, p);
        let n = lines.len();
        for (i, l) in lines.into_iter().enumerate() {
            self.push(Unit {
                h: l.height,
                gap: if i == 0 { gap } else { 0.0 },
                keep_next: i == 0 && n > 1,
                draws: l.draws.iter().map(|d| d.shifted(x, 0.0)).collect(),
                ..Unit::default()
            });
        }
    }

    /// Code: monospaced, indentation kept, long lines wrapped by character.
    fn code(&mut self, text: &str, x: f32, width: f32) {
        let f = fonts();
        let size = CODE_SIZE;
        let lh = size * 1.35;
        let pad = 6.0;
        let cw = f.char_width(Face::Mono, 'M', size);
        let per_line = (((width - 2.0 * pad) / cw).floor() as usize).max(8);
        let mut rows: Vec<String> = Vec::new();
        for line in text.replace('\t', "    ").lines() {
            let chars: Vec<char> = line.chars().collect();
            if chars.is_empty() {
                rows.push(String::new());
            }
            for chunk in chars.chunks(per_line) {
                rows.push(chunk.iter().collect());
            }
        }
        let n = rows.len();
        for (i, row) in rows.into_iter().enumerate() {
            let top = if i == 0 { pad * 0.6 } else { 0.0 };
            let bottom = if i + 1 == n { pad * 0.6 } else { 0.0 };
            let h = lh + top + bottom;
            let mut draws = vec![Draw::Rect {
                x,
                y: 0.0,
                w: width,
                h,
                fill: CODE_BG,
            }];
            let mut cx = x + pad;
            for (face, run) in f.cover(Face::Mono, &row) {
                let w = f.width(face, &run, size);
                draws.push(Draw::Text {
                    x: cx,
                    y: top + lh * 0.5 + size * 0.36,
                    face,
                    size,
                    color: INK,
                    text: run,
                });
                cx += w;
            }
            self.push(Unit {
                h,
                gap: if i == 0 { 6.0 } else { 0.0 },
                keep_next: i == 0 && n > 1,
                draws,
                ..Unit::default()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::blocks::parse;
    use crate::render::pdf::pager::{Collect, Pager};

    /// The pages of `md`, laid out whole.
    fn pages(md: &str) -> Vec<Vec<Draw>> {
        let mut flow = Flow::default();
        flow.blocks(&parse(md), MARGIN_X, BODY_W);
        let mut sink = Collect::default();
        let mut pager = Pager::new(0, &mut sink);
        pager.place(flow.rest(), BODY_TOP);
        pager.finish();
        sink.pages
    }

    /// The pages of `md`, handed to the pager while the flow goes on.
    fn streamed(md: &str) -> Vec<Vec<Draw>> {
        let mut sink = Collect::default();
        let mut pager = Pager::new(0, &mut sink);
        pager.new_page(BODY_TOP);
        let rest = {
            let mut flow = Flow::streaming(&mut pager);
            flow.blocks(&parse(md), MARGIN_X, BODY_W);
            flow.rest()
        };
        let mut rest = rest;
        pager.take(&mut rest, true);
        pager.finish();
        sink.pages
    }

    #[test]
    fn headings_never_end_a_page() {
        let mut md = String::from("## Section\n\n");
        for i in 0..200 {
            md.push_str(&format!(
                "### Heading {i}\n\nText of paragraph {i}, long enough to be a line.\n\n"
            ));
        }
        let pages = pages(&md);
        assert!(pages.len() > 3);
        for (n, page) in pages.iter().enumerate() {
            let last = page
                .iter()
                .filter_map(|d| match d {
                    Draw::Text {
                        text,
                        face: Face::Bold,
                        ..
                    } => Some(("h", text.clone())),
                    Draw::Text { text, .. } => Some(("t", text.clone())),
                    _ => None,
                })
                .next_back();
            assert_ne!(last.map(|l| l.0), Some("h"), "page {n} ends with a heading");
        }
    }

    #[test]
    fn tables_repeat_their_header_on_each_page() {
        let mut md = String::from("| Id | Title |\n| --- | --- |\n");
        for i in 0..300 {
            md.push_str(&format!("| R-{i} | Requirement {i} |\n"));
        }
        let pages = pages(&md);
        assert!(pages.len() >= 3);
        for page in &pages {
            let first = page.iter().find_map(|d| match d {
                Draw::Text { text, .. } => Some(text.clone()),
                _ => None,
            });
            assert_eq!(first.as_deref(), Some("Id"));
        }
    }

    #[test]
    fn streamed_pages_are_the_pages_of_the_whole_flow() {
        let mut md = String::from("## Matrix\n\n| Id | Title |\n| --- | --- |\n");
        for i in 0..400 {
            md.push_str(&format!("| R-{i} | Requirement {i} |\n"));
        }
        md.push_str("\n## Controls\n\n");
        for i in 0..150 {
            md.push_str(&format!(
                "### C-{i}\n\n- one\n- two\n\n> quoted {i}\n\nText of paragraph {i}.\n\n"
            ));
        }
        let whole = pages(&md);
        assert!(whole.len() > 10);
        assert!(streamed(&md) == whole, "streaming moved something");
    }
}
