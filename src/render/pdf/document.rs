//! One report document: the cover (title and the facts table of the
//! Markdown report), the table of contents with page numbers, then the body.
//! The Markdown's own list of section links is replaced by the real contents.

use super::blocks::{plain, slug, Block, Span, Style};
use super::chunks::Chunk;
use super::flow::{Entry, Flow};
use super::fonts::Face;
use super::layout::{self, Draw, Para};
use super::pager::{OutlineItem, PageSink, Pager, Placed};
use super::source::{items, Item};
use super::style::*;
use super::unit::Unit;

/// What a report says about itself: the running header and footer of its
/// pages, and its document metadata.
#[derive(Debug, Clone)]
pub struct ReportMeta {
    /// `system · framework · period`.
    pub header: String,
    /// Left side of the footer.
    pub footer: String,
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    pub creator: String,
    /// `D:YYYYMMDDHHmmSSZ`.
    pub date: String,
    /// Seed of the trailer /ID.
    pub id_seed: Vec<u8>,
}

/// A report's blocks, by where they go.
pub struct Parts<'c> {
    pub title: Vec<Span>,
    /// Before the first section.
    pub cover: Vec<Block>,
    /// The whole report, read again for its sections.
    chunks: &'c [Chunk<'c>],
}

impl<'c> Parts<'c> {
    /// The sections, without the Markdown's "Contents" list, read as they
    /// are reached.
    pub fn body(&self) -> impl Iterator<Item = Item<'c>> + 'c {
        let mut sorter = Sorter::default();
        items(self.chunks).filter(move |i| sorter.sort(i) == Place::Body)
    }
}

/// Lay the body out, its first page numbered `first`, each page to `sink`
/// as soon as it is full; where things landed, and the headings of the
/// contents.
pub fn lay_out_body(
    parts: &Parts<'_>,
    first: usize,
    sink: &mut dyn PageSink,
) -> (Placed, Vec<Entry>) {
    let mut pager = Pager::new(first, sink);
    pager.new_page(BODY_TOP);
    let (mut rest, entries) = {
        let mut flow = Flow::streaming(&mut pager);
        for item in parts.body() {
            flow.item(&item, MARGIN_X, BODY_W);
        }
        let rest = flow.rest();
        (rest, std::mem::take(&mut flow.entries))
    };
    pager.take(&mut rest, true);
    (pager.finish(), entries)
}

/// Lay the cover and the contents (of `entries`) out from page 0.
pub fn lay_out_front(parts: &Parts<'_>, entries: &[Entry], sink: &mut dyn PageSink) -> Placed {
    let mut pager = Pager::new(0, sink);
    pager.place(cover_units(&parts.title, &parts.cover), BODY_TOP);
    let toc_first = pager.next_page();
    pager.place(toc_units(entries), BODY_TOP);
    let mut placed = pager.finish();
    let at = placed
        .outline
        .iter()
        .position(|o| o.page >= toc_first)
        .unwrap_or(placed.outline.len());
    placed.outline.insert(
        at,
        OutlineItem {
            level: 1,
            title: "Contents".into(),
            page: toc_first,
            y: BODY_TOP,
        },
    );
    placed
}

/// Title spans and cover blocks (before the first section); the body is
/// read from `chunks` when it is laid out.
pub fn split<'c>(chunks: &'c [Chunk<'c>]) -> Parts<'c> {
    let mut sorter = Sorter::default();
    let (mut title, mut cover) = (Vec::new(), Vec::new());
    for item in items(chunks) {
        match (sorter.sort(&item), item) {
            (Place::Title, Item::Block(Block::Heading { spans, .. })) => title = spans,
            (Place::Cover, Item::Block(b)) => cover.push(b),
            (Place::Cover, Item::Table(t)) => cover.push(t.whole()),
            _ => {}
        }
        if sorter.in_body {
            break;
        }
    }
    Parts {
        title,
        cover,
        chunks,
    }
}

/// Title, cover and body blocks of a report, all held at once (for a
/// format written whole).
pub fn whole(md: &str) -> (Vec<Span>, Vec<Block>, Vec<Block>) {
    let chunks = super::chunks::split(md);
    let parts = split(&chunks);
    let body = parts
        .body()
        .map(|i| match i {
            Item::Block(b) => b,
            Item::Table(t) => t.whole(),
        })
        .collect();
    (parts.title, parts.cover, body)
}

/// Where a block goes, in reading order.
#[derive(Default)]
struct Sorter {
    in_body: bool,
    /// In the Markdown's "Contents" section.
    skipping: bool,
    titled: bool,
}

#[derive(Debug, PartialEq)]
enum Place {
    Title,
    Cover,
    Body,
    Nowhere,
}

impl Sorter {
    fn sort(&mut self, item: &Item<'_>) -> Place {
        let block = match item {
            Item::Block(b) => Some(b),
            Item::Table(_) => None,
        };
        match block {
            Some(Block::Heading {
                level: 1, spans, ..
            }) if !self.in_body && !self.titled => {
                self.titled = !spans.is_empty();
                Place::Title
            }
            Some(Block::Heading {
                level: 2, spans, ..
            }) => {
                self.in_body = true;
                self.skipping = slug(&plain(spans)) == "contents";
                if self.skipping {
                    Place::Nowhere
                } else {
                    Place::Body
                }
            }
            _ if self.skipping => Place::Nowhere,
            _ if self.in_body => Place::Body,
            Some(Block::Anchor(_)) => Place::Nowhere,
            _ => Place::Cover,
        }
    }
}

/// The cover: kicker, title, the facts table, the description, a sign-off
/// block.
fn cover_units(title: &[Span], cover: &[Block]) -> Vec<Unit> {
    let text = plain(title);
    let (kicker, name) = match text.split_once(" — ") {
        Some((k, n)) => (k.trim().to_string(), n.trim().to_string()),
        None => (String::new(), text.trim().to_string()),
    };
    let mut flow = Flow::default();
    // A band at the very top of the page.
    flow.units.push(Unit {
        h: 96.0,
        draws: vec![Draw::Rect {
            x: 0.0,
            y: -BODY_TOP,
            w: PAGE_W,
            h: 10.0,
            fill: ACCENT,
        }],
        ..Unit::default()
    });
    if !kicker.is_empty() {
        let p = Para {
            size: 11.0,
            leading: 1.3,
            color: ACCENT,
            bold: true,
            align_right: false,
        };
        flow.para(
            &layout::text(&kicker.to_uppercase(), Style::default()),
            MARGIN_X,
            BODY_W,
            p,
            0.0,
        );
    }
    let p = Para {
        size: 26.0,
        leading: 1.2,
        color: INK,
        bold: true,
        align_right: false,
    };
    flow.para(
        &layout::text(&name, Style::default()),
        MARGIN_X,
        BODY_W,
        p,
        6.0,
    );
    flow.units.push(Unit {
        h: 18.0,
        draws: vec![Draw::HLine {
            x: MARGIN_X,
            y: 10.0,
            w: 64.0,
            width: 2.5,
            color: ACCENT,
        }],
        ..Unit::default()
    });
    for b in cover {
        flow.block(b, MARGIN_X, BODY_W);
    }
    for u in &mut flow.units {
        u.break_before = false;
        u.outline = None;
    }
    flow.units.push(Unit {
        h: 28.0,
        ..Unit::default()
    });
    flow.units.extend(sign_off());
    flow.units
}

/// The labels of the cover's sign-off lines.
pub const SIGN_OFF: [&str; 2] = [
    "Prepared by (name, role, signature, date)",
    "Reviewed by (name, role, signature, date)",
];

/// "Prepared by / Reviewed by" lines, for the people who sign the package.
fn sign_off() -> Vec<Unit> {
    let mut draws = Vec::new();
    let col = (BODY_W - 24.0) / 2.0;
    for (i, label) in SIGN_OFF.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (col + 24.0);
        draws.push(Draw::HLine {
            x,
            y: 34.0,
            w: col,
            width: 0.6,
            color: MUTED,
        });
        draws.push(Draw::Text {
            x,
            y: 45.0,
            face: Face::Regular,
            size: SMALL_SIZE,
            color: MUTED,
            text: (*label).to_string(),
        });
    }
    vec![Unit {
        h: 52.0,
        keep_next: false,
        draws,
        ..Unit::default()
    }]
}

/// The table of contents: sections, and the headings inside them, each
/// linked, with dotted leaders and page numbers.
fn toc_units(entries: &[Entry]) -> Vec<Unit> {
    let mut flow = Flow::default();
    let head = Block::Heading {
        level: 2,
        spans: layout::text("Contents", Style::default()),
        anchors: vec![],
    };
    flow.blocks(&[head], MARGIN_X, BODY_W);
    flow.entries.clear();
    if let Some(u) = flow.units.first_mut() {
        u.outline = None;
        u.anchors = vec!["contents".into()];
    }
    let num_w = 34.0;
    for e in entries {
        let (indent, size, bold, gap) = if e.level == 1 {
            (0.0, 10.0, true, 7.0)
        } else {
            (14.0, 8.5, false, 0.5)
        };
        let p = Para {
            size,
            leading: 1.35,
            color: INK,
            bold,
            align_right: false,
        };
        let x = MARGIN_X + indent;
        let w = BODY_W - indent - num_w;
        let lines = layout::lines(&layout::text(&e.title, Style::default()), w, p);
        let mut draws = Vec::new();
        let mut y = 0.0;
        let n = lines.len();
        for (i, l) in lines.iter().enumerate() {
            draws.extend(l.draws.iter().map(|d| d.shifted(x, y)));
            if i + 1 == n {
                let face = if bold { Face::Bold } else { Face::Regular };
                let baseline = y + l.height * 0.5 + size * 0.36;
                let dot_w = super::fonts::fonts().width(face, " .", size);
                let from = x + l.width + 4.0;
                let to = MARGIN_X + BODY_W - num_w + 4.0;
                let count = ((to - from) / dot_w).floor().max(0.0) as usize;
                if count > 0 {
                    draws.push(Draw::Text {
                        x: to - count as f32 * dot_w,
                        y: baseline,
                        face,
                        size,
                        color: RULE_DARK,
                        text: " .".repeat(count),
                    });
                }
                draws.push(Draw::PageRef {
                    x: MARGIN_X + BODY_W,
                    y: baseline,
                    face,
                    size,
                    color: INK,
                    anchor: e.anchor.clone(),
                });
            }
            y += l.height;
        }
        draws.push(Draw::Link {
            x,
            y: 0.0,
            w: BODY_W - indent,
            h: y,
            target: format!("#{}", e.anchor),
        });
        flow.units.push(Unit {
            h: y,
            gap,
            keep_next: e.level == 1,
            draws,
            ..Unit::default()
        });
    }
    flow.units
}

/// Leader dots.
const RULE_DARK: Rgb = Rgb(0.62, 0.66, 0.7);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::pager::Collect;

    #[test]
    fn contents_list_is_replaced_and_cover_keeps_the_facts() {
        let md = "# Audit package — Acme\n\n| | |\n| --- | --- |\n| System | Acme |\n\n## Contents\n\n- [Summary](#summary)\n\n## Summary\n\nText.\n";
        let chunks = super::super::chunks::split(md);
        let parts = split(&chunks);
        assert_eq!(plain(&parts.title), "Audit package — Acme");
        assert_eq!(parts.cover.len(), 1);
        assert_eq!(parts.body().count(), 2);
        let mut sink = Collect::default();
        let (body, entries) = lay_out_body(&parts, 2, &mut sink);
        assert_eq!(body.anchors.get("summary").map(|a| a.0), Some(2));
        let front = lay_out_front(&parts, &entries, &mut sink);
        assert_eq!(front.pages, 2, "cover and contents");
        assert_eq!(sink.pages.len(), 3);
        let titles: Vec<&str> = front.outline.iter().map(|o| o.title.as_str()).collect();
        assert_eq!(titles, ["Contents"]);
    }
}
