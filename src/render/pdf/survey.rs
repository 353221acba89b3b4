//! The first layout pass: what the writer must know before it writes the
//! first byte — the number of pages, where every anchor and heading landed,
//! the glyphs of the font subsets, and the links of each page object. The
//! draws of each page are dropped as soon as they are read.

use super::content::{GlyphKey, Glyphs};
use super::document::ReportMeta;
use super::layout::Draw;
use super::page::{running_draws, Anchors};
use super::pager::{OutlineItem, PageSink, Placed};
use std::collections::HashMap;

/// The running texts of a page come before its own (see `page::page_ops`).
const FIRST_OWN_TEXT: usize = 8;

/// A link of a page, its target interned.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub target: u32,
}

/// Records the pages of one part (front matter or body) as the pager
/// hands them over.
#[derive(Default)]
pub struct Survey {
    /// Index of this part's first page.
    first: usize,
    glyphs: Glyphs,
    /// Page numbers of the contents, resolved once every anchor is known.
    page_refs: Vec<(GlyphKey, super::fonts::Face, String)>,
    links: Vec<Vec<Link>>,
    targets: Vec<String>,
    target_ids: HashMap<String, u32>,
}

impl Survey {
    pub fn new(first: usize) -> Self {
        Survey {
            first,
            ..Survey::default()
        }
    }

    fn intern(&mut self, target: &str) -> u32 {
        if let Some(id) = self.target_ids.get(target) {
            return *id;
        }
        let id = self.targets.len() as u32;
        self.targets.push(target.to_string());
        self.target_ids.insert(target.to_string(), id);
        id
    }
}

impl PageSink for Survey {
    fn page(&mut self, n: usize, draws: Vec<Draw>) {
        let mut links = Vec::new();
        for (i, d) in draws.into_iter().enumerate() {
            let key = GlyphKey {
                page: n,
                seq: FIRST_OWN_TEXT + i,
            };
            match d {
                Draw::Text { face, text, .. } => self.glyphs.add(face, &text, key),
                Draw::PageRef { face, anchor, .. } => self.page_refs.push((key, face, anchor)),
                Draw::Link { x, y, w, h, target } => {
                    let target = self.intern(&target);
                    links.push(Link { x, y, w, h, target });
                }
                Draw::Rect { .. } | Draw::HLine { .. } | Draw::VLine { .. } => {}
            }
        }
        let i = n - self.first;
        if self.links.len() <= i {
            self.links.resize_with(i + 1, Vec::new);
        }
        self.links[i] = links;
    }
}

/// Everything the writer needs from the first pass.
pub struct Plan {
    pub pages: usize,
    /// Pages before the body (cover and contents).
    pub front: usize,
    pub anchors: Anchors,
    pub outline: Vec<OutlineItem>,
    pub glyphs: Glyphs,
    /// Per page, in drawing order.
    pub links: Vec<Vec<Link>>,
    pub targets: Vec<String>,
}

impl Plan {
    /// Join the front matter (from page 0) and the body (surveyed from page
    /// 0 too, moved after the front matter here).
    pub fn join(
        (mut front, front_placed): (Survey, Placed),
        (mut body, body_placed): (Survey, Placed),
        meta: &ReportMeta,
    ) -> Plan {
        let shift = front_placed.pages;
        let pages = shift + body_placed.pages;
        let mut anchors = front_placed.anchors;
        for (name, (page, y)) in body_placed.anchors {
            anchors.entry(name).or_insert((page + shift, y));
        }
        let mut outline = front_placed.outline;
        outline.extend(body_placed.outline.into_iter().map(|mut o| {
            o.page += shift;
            o
        }));
        let mut glyphs = std::mem::take(&mut front.glyphs);
        let mut body_glyphs = std::mem::take(&mut body.glyphs);
        body_glyphs.shift(shift);
        glyphs.merge(body_glyphs);
        for (key, face, anchor) in &front.page_refs {
            if let Some((page, _)) = anchors.get(anchor) {
                glyphs.add(*face, &(page + 1).to_string(), *key);
            }
        }
        add_running(&mut glyphs, meta, pages);
        let (links, targets) = join_links(front, body, shift);
        Plan {
            pages,
            front: shift,
            anchors,
            outline,
            glyphs,
            links,
            targets,
        }
    }
}

/// The glyphs of every page's running header and footer.
fn add_running(glyphs: &mut Glyphs, meta: &ReportMeta, pages: usize) {
    for n in 0..pages {
        for (seq, d) in running_draws(meta, n, pages).iter().enumerate() {
            if let Draw::Text { face, text, .. } = d {
                glyphs.add(*face, text, GlyphKey { page: n, seq });
            }
        }
    }
}

/// The links of all pages, their targets in one table.
fn join_links(front: Survey, body: Survey, shift: usize) -> (Vec<Vec<Link>>, Vec<String>) {
    let mut links = front.links;
    links.resize_with(shift, Vec::new);
    let mut targets = front.targets;
    let base = targets.len() as u32;
    targets.extend(body.targets);
    links.extend(body.links.into_iter().map(|page| {
        page.into_iter()
            .map(|l| Link {
                target: l.target + base,
                ..l
            })
            .collect()
    }));
    (links, targets)
}
