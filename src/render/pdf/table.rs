//! Tables: column widths from content (the widest word is the least a
//! column gets, the whole text the most it wants), one unit per row so a
//! row is never split across pages when it fits on one, and the header row
//! repeated on every page the table continues on.

use super::blocks::{plain, responsibility_tone, Cell, Span, Style};
use super::layout::{self, Draw, Line, Para};
use super::style::*;
use super::unit::Unit;
use pulldown_cmark::Alignment;
use std::rc::Rc;

const PAD_X: f32 = 4.0;
const PAD_Y: f32 = 3.0;

/// A Markdown table, borrowed from its block, or one part of its rows.
pub struct Table<'b> {
    pub aligns: &'b [Alignment],
    pub head: &'b [Cell],
    pub rows: &'b [Vec<Cell>],
    pub anchors: &'b [Vec<String>],
}

/// Hands each part of a table's rows, in order, to the function given.
pub type Parts<'p> = dyn Fn(&mut dyn FnMut(&Table<'_>)) + 'p;

impl Table<'_> {
    /// Lay the table out into units, each given to `emit` as soon as it is
    /// made: the header, then one per row.
    pub fn layout(&self, x: f32, width: f32, emit: &mut dyn FnMut(Unit)) {
        layout_parts(&|f| f(self), x, width, emit);
    }
}

/// Lay out a table whose rows come in parts that share its header: the
/// parts are read twice, to measure the columns, then to lay the rows out.
pub fn layout_parts(parts: &Parts<'_>, x: f32, width: f32, emit: &mut dyn FnMut(Unit)) {
    let mut first: Option<(Vec<Alignment>, Vec<Cell>)> = None;
    let mut measure = Measure::new(width);
    parts(&mut |t| {
        let look = Look::of(t.aligns, t.head);
        if first.is_none() {
            first = Some((t.aligns.to_vec(), t.head.to_vec()));
            measure.ncols = t.head.len();
            if !look.headless {
                for (c, cell) in t.head.iter().enumerate() {
                    measure.cell(c, cell, look.para(c, true), true);
                }
            }
        }
        for row in t.rows {
            measure.ncols = measure.ncols.max(row.len());
            for (c, cell) in row.iter().enumerate() {
                measure.cell(c, &with_badges(cell), look.para(c, false), false);
            }
        }
        measure.rows += t.rows.len();
    });
    let Some((aligns, head)) = first else { return };
    if measure.ncols == 0 {
        return;
    }
    let look = Look::of(&aligns, &head);
    let nrows = measure.rows;
    let widths = measure.widths();
    let header = look.header(&head, &widths, x, nrows > 0).map(|u| {
        emit(u.clone());
        Rc::new(Unit {
            gap: 0.0,
            keep_next: false,
            ..u
        })
    });
    let mut base = 0;
    parts(&mut |t| {
        for (k, row) in t.rows.iter().enumerate() {
            let row: Vec<Cell> = row.iter().map(with_badges).collect();
            let mut u = look.row(base + k, &row, &widths, x, width);
            u.anchors = t.anchors.get(k).cloned().unwrap_or_default();
            u.header = header.clone();
            for part in split_tall(u) {
                emit(part);
            }
        }
        base += t.rows.len();
    });
}

/// How a table looks: its alignments, and whether it has a header.
struct Look<'a> {
    aligns: &'a [Alignment],
    headless: bool,
}

impl<'a> Look<'a> {
    fn of(aligns: &'a [Alignment], head: &[Cell]) -> Self {
        Look {
            aligns,
            headless: head.iter().all(|c| plain(c).trim().is_empty()),
        }
    }

    /// How the text of column `col` is set.
    fn para(&self, col: usize, header: bool) -> Para {
        let headless = self.headless;
        Para {
            size: TABLE_SIZE,
            leading: 1.32,
            color: if headless && col == 0 { MUTED } else { INK },
            bold: header || headless && col == 0,
            align_right: self.aligns.get(col) == Some(&Alignment::Right),
        }
    }

    /// The header row, kept with the first row when there is one.
    fn header(&self, head: &[Cell], widths: &[f32], x: f32, rows: bool) -> Option<Unit> {
        if self.headless {
            return None;
        }
        let mut u = row_unit(head, widths, x, |c| self.para(c, true), Some(HEAD_BG), true);
        u.gap = 6.0;
        u.keep_next = rows;
        Some(u)
    }

    /// Body row `i`: zebra stripes under a header, a label column without.
    fn row(&self, i: usize, row: &[Cell], widths: &[f32], x: f32, width: f32) -> Unit {
        let headless = self.headless;
        let stripe = if !headless && i % 2 == 1 {
            Some(ZEBRA)
        } else {
            None
        };
        let mut u = row_unit(row, widths, x, |c| self.para(c, false), stripe, false);
        if headless {
            u.draws.insert(
                0,
                Draw::Rect {
                    x,
                    y: 0.0,
                    w: widths[0],
                    h: u.h,
                    fill: LABEL_BG,
                },
            );
        }
        if headless && i == 0 {
            u.gap = 6.0;
            u.draws.push(Draw::HLine {
                x,
                y: 0.0,
                w: width,
                width: 0.6,
                color: RULE,
            });
        }
        u
    }
}

/// Light stripe on every other row.
const ZEBRA: Rgb = Rgb(0.976, 0.98, 0.984);

/// Responsibility words alone in a cell become badges.
fn with_badges(cell: &Cell) -> Cell {
    let mut out = cell.clone();
    if let Some(first) = out.first_mut() {
        let alone = cell.len() == 1 || first.style.bold;
        if alone && first.badge.is_none() && first.link.is_none() {
            if let Some(tone) = responsibility_tone(&first.text) {
                first.text = first.text.trim().to_string();
                first.badge = Some(tone);
                first.style = Style {
                    bold: true,
                    ..Style::default()
                };
            }
        }
    }
    out
}

/// What the cells of each column ask for, row after row.
struct Measure {
    min: Vec<f32>,
    max: Vec<f32>,
    /// What a column's text asks for on average: the share of the rest.
    sum: Vec<f32>,
    cap: f32,
    width: f32,
    ncols: usize,
    /// Body rows measured.
    rows: usize,
}

impl Measure {
    fn new(width: f32) -> Self {
        Measure {
            min: Vec::new(),
            max: Vec::new(),
            sum: Vec::new(),
            cap: width * 0.28,
            width,
            ncols: 0,
            rows: 0,
        }
    }

    fn cell(&mut self, c: usize, cell: &[Span], p: Para, header: bool) {
        if self.min.len() <= c {
            for v in [&mut self.min, &mut self.max, &mut self.sum] {
                v.resize(c + 1, 0.0);
            }
        }
        let (lo, hi) = layout::extent(cell, p);
        self.min[c] = self.min[c].max(lo.min(self.cap) + 2.0 * PAD_X);
        self.max[c] = self.max[c].max(hi + 2.0 * PAD_X);
        if !header {
            self.sum[c] += hi + 2.0 * PAD_X;
        }
    }

    /// Column widths that fill the table's width.
    fn widths(self) -> Vec<f32> {
        widths(self)
    }
}

fn widths(mut m: Measure) -> Vec<f32> {
    let ncols = m.ncols;
    for v in [&mut m.min, &mut m.max, &mut m.sum] {
        v.resize(ncols, 0.0);
    }
    let (min, max, sum, width) = (m.min, m.max, m.sum, m.width);
    let rows = m.rows;
    let smax: f32 = max.iter().sum();
    let smin: f32 = min.iter().sum();
    if smax <= width {
        // Everything fits on one line: share the rest by need, so that
        // tables span the text width.
        return max.iter().map(|m| m + (width - smax) * m / smax).collect();
    }
    if smin >= width {
        return min.iter().map(|m| m * width / smin).collect();
    }
    let n = rows.max(1) as f32;
    let want: Vec<f32> = (0..ncols)
        .map(|c| (sum[c] / n).min(max[c]).max(min[c]))
        .collect();
    // Give the rest by average demand; a column never gets more than its
    // widest cell, and what it cannot take goes to the others.
    let mut w = min.clone();
    let mut open: Vec<bool> = (0..ncols).map(|c| max[c] > min[c] + 0.01).collect();
    for _ in 0..ncols {
        let rest = width - w.iter().sum::<f32>();
        let weight: f32 = (0..ncols)
            .filter(|c| open[*c])
            .map(|c| want[c] - min[c] + 1.0)
            .sum();
        if rest <= 0.01 || weight <= 0.0 {
            break;
        }
        let mut clamped = false;
        let cols: Vec<usize> = (0..ncols).filter(|c| open[*c]).collect();
        for &c in &cols {
            let add = rest * (want[c] - min[c] + 1.0) / weight;
            if w[c] + add >= max[c] {
                w[c] = max[c];
                open[c] = false;
                clamped = true;
            }
        }
        if !clamped {
            for &c in &cols {
                w[c] += rest * (want[c] - min[c] + 1.0) / weight;
            }
            break;
        }
    }
    w
}

/// One row: its cells' lines, a background, and the rule below it.
fn row_unit(
    cells: &[Cell],
    widths: &[f32],
    x: f32,
    para: impl Fn(usize) -> Para,
    bg: Option<Rgb>,
    header: bool,
) -> Unit {
    let mut cols: Vec<Vec<Line>> = Vec::new();
    for (c, w) in widths.iter().enumerate() {
        let empty = Vec::new();
        let cell = cells.get(c).unwrap_or(&empty);
        cols.push(if cell.is_empty() {
            Vec::new()
        } else {
            layout::lines(cell, w - 2.0 * PAD_X, para(c))
        });
    }
    let body_h = cols
        .iter()
        .map(|ls| ls.iter().map(|l| l.height).sum::<f32>())
        .fold(0.0, f32::max);
    let h = body_h.max(TABLE_SIZE * 1.32) + 2.0 * PAD_Y;
    let total: f32 = widths.iter().sum();
    let mut draws = Vec::new();
    if let Some(fill) = bg {
        draws.push(Draw::Rect {
            x,
            y: 0.0,
            w: total,
            h,
            fill,
        });
    }
    let mut cx = x;
    for (c, ls) in cols.iter().enumerate() {
        let mut y = PAD_Y;
        for l in ls {
            draws.extend(l.draws.iter().map(|d| d.shifted(cx + PAD_X, y)));
            y += l.height;
        }
        cx += widths[c];
    }
    let (rule_w, rule_c) = if header { (0.9, ACCENT) } else { (0.4, RULE) };
    draws.push(Draw::HLine {
        x,
        y: h,
        w: total,
        width: rule_w,
        color: rule_c,
    });
    Unit {
        h,
        gap: 0.0,
        draws,
        ..Unit::default()
    }
}

/// A row taller than a page is cut between lines (rare: a cell holding a
/// whole narrative); every other row stays whole.
fn split_tall(u: Unit) -> Vec<Unit> {
    let limit = BODY_H * 0.8;
    if u.h <= limit {
        return vec![u];
    }
    let mut parts: Vec<Unit> = Vec::new();
    let mut top = 0.0f32;
    while top < u.h {
        let bottom = (top + limit).min(u.h);
        // Cut at the highest text baseline below `bottom` that leaves the
        // line whole.
        let cut = if bottom >= u.h {
            u.h
        } else {
            u.draws
                .iter()
                .filter_map(|d| match d {
                    Draw::Text { y, size, .. } if *y > top && *y + size * 0.4 < bottom => {
                        Some(*y + size * 0.4)
                    }
                    _ => None,
                })
                .fold(top + 1.0, f32::max)
        };
        let draws = u
            .draws
            .iter()
            .filter(|d| match d {
                Draw::Text { y, .. } | Draw::Link { y, .. } => *y > top && *y <= cut + 0.5,
                Draw::HLine { y, .. } => *y > top && *y <= cut,
                Draw::Rect { .. } => false,
                _ => top == 0.0,
            })
            .map(|d| d.shifted(0.0, -top))
            .collect();
        parts.push(Unit {
            h: cut - top,
            draws,
            anchors: if top == 0.0 {
                u.anchors.clone()
            } else {
                Vec::new()
            },
            header: u.header.clone(),
            ..Unit::default()
        });
        top = cut;
    }
    parts
}
