//! Line layout: spans become lines of positioned text, broken at spaces
//! with the real advances of the embedded fonts. A word wider than the line
//! (a hash, a URL, a long id) is broken inside, preferably after `-`, `/`,
//! `.`, `_` or `:`.

use super::blocks::{Span, Style, Tone};
use super::fonts::{fonts, Face};
use super::style::{Rgb, BADGE_PAD, INK, LINK};

/// Something to draw, positioned relative to the top-left of its unit (or
/// of the page once placed). `y` grows downwards.
#[derive(Debug, Clone, PartialEq)]
pub enum Draw {
    /// Text with its baseline at `y`.
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Rgb,
        text: String,
    },
    /// A filled rectangle whose top edge is at `y`.
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Rgb,
    },
    /// A horizontal rule at `y`.
    HLine {
        x: f32,
        y: f32,
        w: f32,
        width: f32,
        color: Rgb,
    },
    /// A vertical rule from `y` down `h`.
    VLine {
        x: f32,
        y: f32,
        h: f32,
        width: f32,
        color: Rgb,
    },
    /// A clickable area.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: String,
    },
    /// The page number of an anchor, right-aligned at `x`.
    PageRef {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Rgb,
        anchor: String,
    },
}

impl Draw {
    /// The same draw moved by (dx, dy).
    pub fn shifted(&self, dx: f32, dy: f32) -> Draw {
        let mut d = self.clone();
        d.shift(dx, dy);
        d
    }

    /// Move this draw by (dx, dy).
    pub fn shift(&mut self, dx: f32, dy: f32) {
        match self {
            Draw::Text { x, y, .. }
            | Draw::Rect { x, y, .. }
            | Draw::HLine { x, y, .. }
            | Draw::VLine { x, y, .. }
            | Draw::Link { x, y, .. }
            | Draw::PageRef { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
    }
}

/// A laid-out line: draws relative to the line's top, and its height.
#[derive(Debug, Clone, Default)]
pub struct Line {
    pub draws: Vec<Draw>,
    pub width: f32,
    pub height: f32,
}

/// One unbreakable piece of a word.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    face: Face,
    size: f32,
    color: Rgb,
    link: Option<String>,
    badge: Option<Tone>,
    w: f32,
    /// Left padding inside a badge.
    pad_l: f32,
}

/// A word: pieces with no break opportunity between them, and the width of
/// the space that follows it (0 at a forced break).
#[derive(Debug, Clone, Default)]
struct Word {
    pieces: Vec<Piece>,
    space_after: f32,
    newline_after: bool,
}

impl Word {
    fn width(&self) -> f32 {
        self.pieces.iter().map(|p| p.w).sum()
    }
}

/// Face for a style.
pub fn face_of(s: Style) -> Face {
    if s.mono {
        Face::Mono
    } else if s.bold {
        Face::Bold
    } else if s.italic {
        Face::Italic
    } else {
        Face::Regular
    }
}

/// Options of a paragraph.
#[derive(Debug, Clone, Copy)]
pub struct Para {
    pub size: f32,
    pub leading: f32,
    pub color: Rgb,
    /// Force bold (headings, table headers).
    pub bold: bool,
    pub align_right: bool,
}

/// Lay spans out into lines no wider than `width`.
pub fn lines(spans: &[Span], width: f32, p: Para) -> Vec<Line> {
    let words = words(spans, p);
    let line_h = p.size * p.leading;
    let mut out: Vec<Line> = Vec::new();
    let mut cur: Vec<(f32, Piece)> = Vec::new();
    let mut x = 0.0f32;
    let mut pending_space = 0.0f32;
    let width = width.max(p.size);
    let finish = |cur: &mut Vec<(f32, Piece)>, out: &mut Vec<Line>| {
        out.push(make_line(std::mem::take(cur), line_h, p, width));
    };
    for word in words {
        let ww = word.width();
        if !cur.is_empty() && x + pending_space + ww > width && ww <= width {
            finish(&mut cur, &mut out);
            x = 0.0;
            pending_space = 0.0;
        }
        if ww > width - x - pending_space + 0.01 {
            // Too wide even for a fresh line: break inside the word, on
            // this line when a fair part of it is still free.
            if !cur.is_empty() && width - x - pending_space < width * 0.3 {
                finish(&mut cur, &mut out);
                x = 0.0;
                pending_space = 0.0;
            }
            for piece in word.pieces {
                for part in split_piece(piece, width, x + pending_space) {
                    if !cur.is_empty() && x + pending_space + part.w > width + 0.01 {
                        finish(&mut cur, &mut out);
                        x = 0.0;
                        pending_space = 0.0;
                    }
                    x += pending_space;
                    pending_space = 0.0;
                    let w = part.w;
                    cur.push((x, part));
                    x += w;
                }
            }
        } else {
            x += pending_space;
            for piece in word.pieces {
                let w = piece.w;
                cur.push((x, piece));
                x += w;
            }
        }
        pending_space = word.space_after;
        if word.newline_after {
            finish(&mut cur, &mut out);
            x = 0.0;
            pending_space = 0.0;
        }
    }
    if !cur.is_empty() || out.is_empty() {
        finish(&mut cur, &mut out);
    }
    out
}

/// Break a piece into parts that fit: the first into `width - used`, the
/// others into `width`.
fn split_piece(piece: Piece, width: f32, used: f32) -> Vec<Piece> {
    if piece.badge.is_some() || piece.w <= width - used {
        return vec![piece];
    }
    let f = fonts();
    let mut parts = Vec::new();
    let mut room = (width - used).max(0.0);
    let chars: Vec<char> = piece.text.chars().collect();
    let mut start = 0;
    while start < chars.len() {
        let mut w = 0.0;
        let mut end = start;
        let mut soft = None;
        while end < chars.len() {
            let cw = f.char_width(piece.face, chars[end], piece.size);
            if w + cw > room && end > start {
                break;
            }
            w += cw;
            if matches!(
                chars[end],
                '-' | '/' | '.' | '_' | ':' | ',' | ')' | '?' | '&' | '='
            ) {
                soft = Some(end + 1);
            }
            end += 1;
        }
        if end < chars.len() {
            if let Some(s) = soft.filter(|s| *s > start && (*s - start) * 3 > (end - start)) {
                end = s;
            }
        }
        let text: String = chars[start..end].iter().collect();
        let w = f.width(piece.face, &text, piece.size);
        parts.push(Piece {
            text,
            w,
            ..piece.clone()
        });
        start = end;
        room = width;
    }
    parts
}

fn make_line(pieces: Vec<(f32, Piece)>, line_h: f32, p: Para, width: f32) -> Line {
    let used = pieces.last().map(|(x, pc)| x + pc.w).unwrap_or(0.0);
    let dx = if p.align_right {
        (width - used).max(0.0)
    } else {
        0.0
    };
    let baseline = line_h * 0.5 + p.size * 0.36;
    let mut draws = pills(&pieces, dx, baseline);
    for (x, pc) in pieces {
        if pc.text.is_empty() {
            continue;
        }
        let x = x + dx;
        if let Some(tone) = pc.badge {
            let (_, fg) = super::style::badge_colors(tone);
            draws.push(Draw::Text {
                x: x + pc.pad_l,
                y: baseline,
                face: pc.face,
                size: pc.size,
                color: fg,
                text: pc.text,
            });
            continue;
        }
        if let Some(target) = &pc.link {
            draws.push(Draw::Link {
                x,
                y: baseline - pc.size,
                w: pc.w,
                h: pc.size * 1.3,
                target: target.clone(),
            });
        }
        draws.push(Draw::Text {
            x,
            y: baseline,
            face: pc.face,
            size: pc.size,
            color: pc.color,
            text: pc.text,
        });
    }
    Line {
        draws,
        width: used,
        height: line_h,
    }
}

/// Pills: one background per run of badge pieces of one tone on a line.
fn pills(pieces: &[(f32, Piece)], dx: f32, baseline: f32) -> Vec<Draw> {
    let mut draws = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        if let Some(tone) = pieces[i].1.badge {
            let mut j = i;
            while j + 1 < pieces.len() && pieces[j + 1].1.badge == Some(tone) {
                j += 1;
            }
            let (first, last) = (&pieces[i], &pieces[j]);
            let open = if first.1.pad_l == 0.0 { BADGE_PAD } else { 0.0 };
            let close = if is_badge_end(&last.1) {
                0.0
            } else {
                BADGE_PAD
            };
            let left = first.0 + dx - open;
            let right = last.0 + dx + last.1.w + close;
            let size = first.1.size;
            let (bg, _) = super::style::badge_colors(tone);
            draws.push(Draw::Rect {
                x: left,
                y: baseline - size * 1.08,
                w: right - left,
                h: size * 1.5,
                fill: bg,
            });
            i = j + 1;
        } else {
            i += 1;
        }
    }
    draws
}

/// Whether a badge piece is the last word of its badge (it carries the
/// right padding).
fn is_badge_end(p: &Piece) -> bool {
    let text_w = fonts().width(p.face, &p.text, p.size);
    p.w - p.pad_l - text_w > BADGE_PAD * 0.5
}

/// Spans → words, with faces resolved and missing glyphs replaced.
fn words(spans: &[Span], p: Para) -> Vec<Word> {
    let mut out: Vec<Word> = vec![Word::default()];
    for span in spans {
        let mut style = span.style;
        if p.bold {
            style.bold = true;
        }
        let color = if span.link.as_deref().is_some_and(is_followable) {
            LINK
        } else {
            p.color
        };
        match span.badge {
            Some(tone) => badge_words(&mut out, &span.text, tone, p.size * 0.86, color),
            None => text_words(&mut out, span, style, p.size, color),
        }
    }
    out.retain(|w| !w.pieces.is_empty() || w.newline_after);
    out
}

/// A badge of several words may wrap: each word is a piece, and the pieces
/// of one line are drawn as one pill.
fn badge_words(out: &mut Vec<Word>, text: &str, tone: Tone, bsize: f32, color: Rgb) {
    let f = fonts();
    let words: Vec<&str> = text.split(' ').filter(|w| !w.is_empty()).collect();
    let n = words.len();
    for (i, text) in words.into_iter().enumerate() {
        let pad_l = if i == 0 { BADGE_PAD } else { 0.0 };
        let pad_r = if i + 1 == n { BADGE_PAD } else { 0.0 };
        let w = f.width(Face::Bold, text, bsize) + pad_l + pad_r;
        let last = out.last_mut().expect("one word");
        last.pieces.push(Piece {
            text: text.to_string(),
            face: Face::Bold,
            size: bsize,
            color,
            link: None,
            badge: Some(tone),
            w,
            pad_l,
        });
        if i + 1 < n {
            last.space_after = f.char_width(Face::Bold, ' ', bsize);
            out.push(Word::default());
        }
    }
}

/// The words of a text span, broken at spaces and newlines.
fn text_words(out: &mut Vec<Word>, span: &Span, style: Style, size: f32, color: Rgb) {
    let f = fonts();
    let face = face_of(style);
    // Inline code is set a little smaller so that it sits with the text.
    let size = if style.mono { size * 0.92 } else { size };
    // No line break between a number and its per cent sign.
    let text = span.text.replace(" %", "\u{a0}%");
    for (run_face, run) in f.cover(face, &text) {
        let mut buf = String::new();
        let flush = |buf: &mut String, out: &mut Vec<Word>| {
            if !buf.is_empty() {
                let text = std::mem::take(buf);
                let w = f.width(run_face, &text, size);
                out.last_mut().expect("one word").pieces.push(Piece {
                    text,
                    face: run_face,
                    size,
                    color,
                    link: span.link.clone(),
                    badge: None,
                    w,
                    pad_l: 0.0,
                });
            }
        };
        for c in run.chars() {
            if c == '\n' {
                flush(&mut buf, out);
                let last = out.last_mut().expect("one word");
                last.newline_after = true;
                out.push(Word::default());
            } else if c == ' ' && (!style.mono || !buf.is_empty()) {
                flush(&mut buf, out);
                let n = out.len();
                let last = out.last_mut().expect("one word");
                if last.pieces.is_empty() && n > 1 {
                    // Collapse runs of spaces.
                    continue;
                }
                last.space_after = f.char_width(run_face, ' ', size);
                out.push(Word::default());
            } else {
                buf.push(c);
            }
        }
        flush(&mut buf, out);
    }
}

/// Whether a link target leads somewhere from inside the PDF.
pub fn is_followable(target: &str) -> bool {
    target.starts_with("https://")
        || target.starts_with("http://")
        || target.starts_with("mailto:")
        || target.contains('#')
}

/// Width of the widest unbreakable word (the least a column can be), and of
/// the whole text on one line (the most it needs).
pub fn extent(spans: &[Span], p: Para) -> (f32, f32) {
    let words = words(spans, p);
    let mut min = 0.0f32;
    let mut line = 0.0f32;
    let mut max = 0.0f32;
    // A badge is best kept on one line: it counts as one word here.
    let mut badge = 0.0f32;
    for w in &words {
        let ww = w.width();
        min = min.max(ww);
        if w.pieces.last().is_some_and(|p| p.badge.is_some()) {
            badge += ww;
            min = min.max(badge.min(p.size * 9.0));
            badge += w.space_after;
        } else {
            badge = 0.0;
        }
        line += ww;
        if w.newline_after {
            max = max.max(line);
            line = 0.0;
        } else {
            line += w.space_after;
        }
    }
    (min, max.max(line))
}

/// Plain text in one style, as spans.
pub fn text(t: &str, style: Style) -> Vec<Span> {
    vec![Span {
        text: t.to_string(),
        style,
        link: None,
        badge: None,
    }]
}

/// The default paragraph.
pub fn body(size: f32) -> Para {
    Para {
        size,
        leading: 1.4,
        color: INK,
        bold: false,
        align_right: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_text(lines: &[Line]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l.draws
                    .iter()
                    .filter_map(|d| match d {
                        Draw::Text { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect()
    }

    #[test]
    fn breaks_at_spaces_within_width() {
        let spans = text(
            "alpha beta gamma delta epsilon zeta eta theta",
            Style::default(),
        );
        let ls = lines(&spans, 100.0, body(10.0));
        assert!(ls.len() > 1);
        for l in &ls {
            assert!(l.width <= 100.0 + 0.01, "{}", l.width);
        }
        let joined = all_text(&ls).join(" ").replace('|', "");
        assert!(joined.contains("alpha") && joined.contains("theta"));
    }

    #[test]
    fn long_hashes_break_inside() {
        let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let spans = vec![Span {
            text: hash.into(),
            style: Style {
                mono: true,
                ..Style::default()
            },
            link: None,
            badge: None,
        }];
        let ls = lines(&spans, 120.0, body(9.0));
        assert!(ls.len() >= 2);
        for l in &ls {
            assert!(l.width <= 120.01);
        }
        assert_eq!(all_text(&ls).concat().replace('|', ""), hash);
    }

    #[test]
    fn extent_is_min_word_and_full_line() {
        let (min, max) = extent(&text("a bb ccc", Style::default()), body(10.0));
        assert!(min < max);
        assert!((min - fonts().width(Face::Regular, "ccc", 10.0)).abs() < 0.01);
    }
}
