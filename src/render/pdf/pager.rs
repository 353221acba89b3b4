//! Units become pages as they come. Pagination keeps a heading with what
//! follows it, the first line of a paragraph with the second, a table header
//! with its first row, and repeats the header row on every page a table
//! continues on. A page is handed on ([`PageSink`]) as soon as it is full,
//! so the pages of a document are never all held at once.

use super::layout::Draw;
use super::style::*;
use super::unit::Unit;
use std::collections::HashMap;

/// How far the pager looks ahead: a chain of units kept together is at
/// most this long, so a unit is placed once this many follow it.
const LOOKAHEAD: usize = 8;

/// Takes each page once it is complete.
pub trait PageSink {
    /// Page `n` (0-based, in the whole document): its draws in page
    /// coordinates (y down from the top edge).
    fn page(&mut self, n: usize, draws: Vec<Draw>);
}

/// A heading of the outline, where it was placed.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineItem {
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// Where things landed: anchors and outline headings, by page.
#[derive(Debug, Default)]
pub struct Placed {
    /// Pages laid out.
    pub pages: usize,
    /// Anchor → (page index, y); the first place of a name wins.
    pub anchors: HashMap<String, (usize, f32)>,
    /// In reading order.
    pub outline: Vec<OutlineItem>,
}

/// Places units on pages, the first one numbered `first`.
pub struct Pager<'s> {
    sink: &'s mut dyn PageSink,
    first: usize,
    /// Pages started so far; the last one is open when `open`.
    started: usize,
    open: bool,
    draws: Vec<Draw>,
    y: f32,
    at_top: bool,
    placed: Placed,
}

impl<'s> Pager<'s> {
    pub fn new(first: usize, sink: &'s mut dyn PageSink) -> Self {
        Pager {
            sink,
            first,
            started: 0,
            open: false,
            draws: Vec::new(),
            y: BODY_TOP,
            at_top: true,
            placed: Placed::default(),
        }
    }

    /// Index of the page a `new_page` would start.
    pub fn next_page(&self) -> usize {
        self.first + self.started
    }

    /// Index of the page being filled.
    fn current(&self) -> usize {
        self.first + self.started - 1
    }

    /// Close the open page and start another, its first unit at `first_y`.
    pub fn new_page(&mut self, first_y: f32) {
        self.close();
        self.started += 1;
        self.open = true;
        self.y = first_y;
        self.at_top = true;
    }

    fn close(&mut self) {
        if self.open {
            let n = self.current();
            self.sink.page(n, std::mem::take(&mut self.draws));
            self.open = false;
        }
    }

    /// Place all `units` on new pages, the first one starting at `first_y`.
    pub fn place(&mut self, mut units: Vec<Unit>, first_y: f32) {
        self.new_page(first_y);
        self.take(&mut units, true);
    }

    /// Place the units at the front of `units` and remove them: all of them
    /// when `complete`, else those that have enough units after them to
    /// decide where they go.
    pub fn take(&mut self, units: &mut Vec<Unit>, complete: bool) {
        if !self.open {
            self.new_page(BODY_TOP);
        }
        let mut i = 0;
        while i < units.len() && (complete || i + LOOKAHEAD < units.len()) {
            if units[i].break_before && !self.at_top {
                self.new_page(BODY_TOP);
            }
            let need = self.need(units, i);
            if self.y + need > BODY_BOTTOM + 0.01 && !self.at_top {
                self.new_page(BODY_TOP);
                continue;
            }
            let u = &mut units[i];
            if self.at_top && self.y == BODY_TOP {
                if let Some(h) = u.header.clone() {
                    self.put(&h.draws, &h.anchors, &h.outline, self.y);
                    self.y += h.h;
                }
            }
            let top = self.y + if self.at_top { 0.0 } else { u.gap };
            let draws = std::mem::take(&mut u.draws);
            let (anchors, outline) = (std::mem::take(&mut u.anchors), u.outline.take());
            self.put_owned(draws, &anchors, &outline, top);
            self.y = top + u.h;
            self.at_top = false;
            i += 1;
        }
        units.drain(..i);
    }

    /// Room unit `i` needs here: its gap and height, and those of the units
    /// it is kept with.
    fn need(&self, units: &[Unit], i: usize) -> f32 {
        let u = &units[i];
        let gap = if self.at_top { 0.0 } else { u.gap };
        let mut need = gap + u.h;
        if u.keep_next {
            let mut j = i;
            while j + 1 < units.len() && units[j].keep_next && j - i < LOOKAHEAD {
                j += 1;
                need += units[j].gap + units[j].h;
            }
            need = need.min(BODY_H);
        }
        need
    }

    fn put(
        &mut self,
        draws: &[Draw],
        anchors: &[String],
        outline: &Option<(u8, String)>,
        top: f32,
    ) {
        self.put_owned(draws.to_vec(), anchors, outline, top);
    }

    fn put_owned(
        &mut self,
        draws: Vec<Draw>,
        anchors: &[String],
        outline: &Option<(u8, String)>,
        top: f32,
    ) {
        let page = self.current();
        self.draws.extend(draws.into_iter().map(|mut d| {
            d.shift(0.0, top);
            d
        }));
        for a in anchors {
            if !self.placed.anchors.contains_key(a) {
                self.placed.anchors.insert(a.clone(), (page, top));
            }
        }
        if let Some((level, title)) = outline {
            self.placed.outline.push(OutlineItem {
                level: *level,
                title: title.clone(),
                page,
                y: top,
            });
        }
    }

    /// Hand on the last page; what was placed where.
    pub fn finish(mut self) -> Placed {
        self.close();
        self.placed.pages = self.started;
        self.placed
    }
}

/// A flow hands its finished units to the pager through this.
impl super::unit::Drain for Pager<'_> {
    fn drain(&mut self, units: &mut Vec<Unit>) {
        self.take(units, false);
    }
}

/// Collects pages in memory, for tests.
#[cfg(test)]
#[derive(Default)]
pub struct Collect {
    pub pages: Vec<Vec<Draw>>,
}

#[cfg(test)]
impl PageSink for Collect {
    fn page(&mut self, _n: usize, draws: Vec<Draw>) {
        self.pages.push(draws);
    }
}
