//! One page's drawing: the running header and footer, and the page's draws
//! turned into printpdf operations for its content stream.

use super::document::ReportMeta;
use super::fonts::{fonts, Face};
use super::layout::Draw;
use super::style::*;
use printpdf::{
    Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, TextItem, TextMatrix,
};
use std::collections::HashMap;

/// Anchor → (page index, y).
pub type Anchors = HashMap<String, (usize, f32)>;

/// The printpdf operations of page `n`: shapes first, then all text in one
/// text object, then links, so the text sits on its backgrounds and the
/// stream stays small.
pub fn page_ops(
    meta: &ReportMeta,
    n: usize,
    total: usize,
    draws: &[Draw],
    anchors: &Anchors,
) -> Vec<Op> {
    let mut ops = PageOps::default();
    let running = running_draws(meta, n, total);
    for pass in 0..2 {
        for d in running.iter().chain(draws) {
            if pass_of(d) == Some(pass) {
                ops.draw(d, anchors);
            }
        }
    }
    ops.end_text();
    ops.ops
}

/// The running header and footer of page `n`; the cover (page 0) has only
/// its page number.
pub fn running_draws(meta: &ReportMeta, n: usize, total: usize) -> Vec<Draw> {
    if n == 0 {
        return page_number(n, total);
    }
    let mut d = vec![
        Draw::Text {
            x: MARGIN_X,
            y: 40.0,
            face: Face::Regular,
            size: SMALL_SIZE,
            color: MUTED,
            text: meta.header.clone(),
        },
        Draw::HLine {
            x: MARGIN_X,
            y: 47.0,
            w: BODY_W,
            width: 0.5,
            color: RULE,
        },
    ];
    d.extend(page_number(n, total));
    d.push(Draw::Text {
        x: MARGIN_X,
        y: PAGE_H - 36.0,
        face: Face::Regular,
        size: SMALL_SIZE,
        color: MUTED,
        text: meta.footer.clone(),
    });
    d
}

/// The footer rule and "Page n of total".
fn page_number(n: usize, total: usize) -> Vec<Draw> {
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
struct PageOps {
    ops: Vec<Op>,
    fill: Option<Rgb>,
    stroke: Option<(Rgb, f32)>,
    in_text: bool,
    font: Option<(Face, f32)>,
}

/// Drawing order: 0 shapes, 1 text; links are annotations of the page
/// object, not content.
fn pass_of(d: &Draw) -> Option<u8> {
    match d {
        Draw::Rect { .. } | Draw::HLine { .. } | Draw::VLine { .. } => Some(0),
        Draw::Text { .. } | Draw::PageRef { .. } => Some(1),
        Draw::Link { .. } => None,
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

impl PageOps {
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

    fn draw(&mut self, d: &Draw, anchors: &Anchors) {
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
                if let Some((page, _)) = anchors.get(anchor) {
                    let text = (page + 1).to_string();
                    let w = fonts().width(*face, &text, *size);
                    self.text(x - w, *y, *face, *size, *color, &text);
                }
            }
            Draw::Link { .. } => {}
        }
    }
}
