//! The report's Markdown, read back with pulldown-cmark into blocks: the
//! PDF says what the Markdown report says, because it is drawn from it.
//!
//! Status markers of the Markdown (✅ ❌ ⚠️ ◐ ☁️ ○ ◇ –) are emoji or symbols
//! that text fonts lack or that carry meaning by colour alone; here they
//! become coloured badges that keep their words.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Inline style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
}

/// The colour family of a badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Warn,
    Partial,
    Provider,
    Neutral,
    Shared,
    Customer,
}

/// A run of inline text.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    /// Link target as written in the Markdown.
    pub link: Option<String>,
    pub badge: Option<Tone>,
}

/// A table cell: inline spans.
pub type Cell = Vec<Span>;

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        spans: Vec<Span>,
        anchors: Vec<String>,
    },
    Para {
        spans: Vec<Span>,
        anchors: Vec<String>,
    },
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Table {
        aligns: Vec<Alignment>,
        head: Vec<Cell>,
        rows: Vec<Vec<Cell>>,
        anchors: Vec<Vec<String>>,
    },
    Code(String),
    Quote(Vec<Block>),
    Rule,
    /// A named place (`<a id="…"></a>` on a line of its own).
    Anchor(String),
}

/// Plain text of spans.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect::<String>()
}

/// GitHub-style heading slug: `Responsibility matrix` → `responsibility-matrix`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// The Markdown extensions the reports use.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_FOOTNOTES);

/// Parse Markdown into blocks.
pub fn parse(md: &str) -> Vec<Block> {
    let mut p = Reader {
        ev: Box::new(Parser::new_ext(md, OPTIONS).fuse()),
    };
    p.blocks(None)
}

/// Reads the parser's events as they come, never all at once.
struct Reader<'a> {
    ev: Box<dyn Iterator<Item = Event<'a>> + 'a>,
}

/// Inline state while collecting spans.
#[derive(Default)]
struct Inline {
    spans: Vec<Span>,
    anchors: Vec<String>,
    style: Style,
    links: Vec<String>,
}

impl Inline {
    fn push_text(&mut self, text: &str) {
        let link = self.links.last().cloned();
        for (t, badge) in split_badges(text) {
            if t.is_empty() {
                continue;
            }
            let style = if badge.is_some() {
                Style {
                    bold: true,
                    ..Style::default()
                }
            } else {
                self.style
            };
            match self.spans.last_mut() {
                Some(last)
                    if last.style == style
                        && last.link == link
                        && last.badge.is_none()
                        && badge.is_none() =>
                {
                    last.text.push_str(&t)
                }
                _ => self.spans.push(Span {
                    text: t,
                    style,
                    link: link.clone(),
                    badge,
                }),
            }
        }
    }

    fn finish(mut self) -> (Vec<Span>, Vec<String>) {
        while self
            .spans
            .last()
            .is_some_and(|s| s.text.trim().is_empty() && s.badge.is_none())
        {
            self.spans.pop();
        }
        // A table of many rows holds many cells: no room to spare in each.
        self.spans.shrink_to_fit();
        (self.spans, self.anchors)
    }
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Option<Event<'a>> {
        self.ev.next()
    }

    /// Blocks until `end` (or the end of input).
    fn blocks(&mut self, end: Option<TagEnd>) -> Vec<Block> {
        let mut out = Vec::new();
        // Loose inline content directly inside a container (tight list items).
        let mut loose: Option<Inline> = None;
        while let Some(e) = self.next() {
            match e {
                Event::End(t) if Some(t) == end => break,
                Event::Start(Tag::Paragraph) => {
                    flush(&mut loose, &mut out);
                    let (spans, anchors) = self.inline(TagEnd::Paragraph);
                    if spans.is_empty() {
                        out.extend(anchors.into_iter().map(Block::Anchor));
                    } else {
                        out.push(Block::Para { spans, anchors });
                    }
                }
                Event::Start(Tag::Heading { level, .. }) => {
                    flush(&mut loose, &mut out);
                    let (spans, anchors) = self.inline(TagEnd::Heading(level));
                    out.push(Block::Heading {
                        level: heading_level(level),
                        spans,
                        anchors,
                    });
                }
                Event::Start(Tag::List(start)) => {
                    flush(&mut loose, &mut out);
                    out.push(self.list(start));
                }
                Event::Start(Tag::Table(aligns)) => {
                    flush(&mut loose, &mut out);
                    out.push(self.table(aligns));
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    flush(&mut loose, &mut out);
                    out.push(self.code());
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    flush(&mut loose, &mut out);
                    out.push(Block::Quote(self.blocks(Some(TagEnd::BlockQuote(None)))));
                }
                Event::Rule => {
                    flush(&mut loose, &mut out);
                    out.push(Block::Rule);
                }
                Event::Html(h) => {
                    flush(&mut loose, &mut out);
                    match anchor_id(&h) {
                        Some(id) => out.push(Block::Anchor(id)),
                        None if !h.trim().is_empty() => out.push(Block::Para {
                            spans: vec![text_span(h.trim_end(), Style::default())],
                            anchors: vec![],
                        }),
                        None => {}
                    }
                }
                Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
                // Inline content of a tight list item.
                other => {
                    let l = loose.get_or_insert_with(Inline::default);
                    self.inline_event(other, l);
                }
            }
        }
        flush(&mut loose, &mut out);
        // A tag end that closes a container we never opened is ignored.
        out
    }

    /// The items of a list, up to its end.
    fn list(&mut self, start: Option<u64>) -> Block {
        let mut items = Vec::new();
        loop {
            match self.next() {
                Some(Event::Start(Tag::Item)) => items.push(self.blocks(Some(TagEnd::Item))),
                Some(Event::End(TagEnd::List(_))) | None => break,
                _ => {}
            }
        }
        Block::List { start, items }
    }

    /// The text of a code block, up to its end.
    fn code(&mut self) -> Block {
        let mut text = String::new();
        while let Some(e) = self.next() {
            match e {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        Block::Code(text.trim_end_matches('\n').to_string())
    }

    fn table(&mut self, aligns: Vec<Alignment>) -> Block {
        let mut head = Vec::new();
        let mut rows: Vec<Vec<Cell>> = Vec::new();
        let mut anchors = Vec::new();
        let mut in_head = false;
        let mut row: Vec<Cell> = Vec::new();
        let mut row_anchors: Vec<String> = Vec::new();
        while let Some(e) = self.next() {
            match e {
                Event::Start(Tag::TableHead) => in_head = true,
                Event::End(TagEnd::TableHead) => {
                    head = std::mem::take(&mut row);
                    row_anchors.clear();
                    in_head = false;
                }
                Event::Start(Tag::TableRow) => row.clear(),
                Event::End(TagEnd::TableRow) if !in_head => {
                    rows.push(std::mem::take(&mut row));
                    anchors.push(std::mem::take(&mut row_anchors));
                }
                Event::Start(Tag::TableCell) => {
                    let (spans, a) = self.inline(TagEnd::TableCell);
                    row.push(spans);
                    row_anchors.extend(a);
                }
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table {
            aligns,
            head,
            rows,
            anchors,
        }
    }

    /// Inline content until `end`.
    fn inline(&mut self, end: TagEnd) -> (Vec<Span>, Vec<String>) {
        let mut st = Inline::default();
        while let Some(e) = self.next() {
            if matches!(&e, Event::End(t) if *t == end) {
                break;
            }
            self.inline_event(e, &mut st);
        }
        st.finish()
    }

    fn inline_event(&mut self, e: Event<'a>, st: &mut Inline) {
        match e {
            Event::Text(t) => st.push_text(&t),
            Event::Code(t) => {
                let link = st.links.last().cloned();
                st.spans.push(Span {
                    text: t.to_string(),
                    style: Style {
                        mono: true,
                        ..st.style
                    },
                    link,
                    badge: None,
                });
            }
            Event::SoftBreak => st.push_text(" "),
            Event::HardBreak => st.push_text("\n"),
            Event::InlineHtml(h) | Event::Html(h) => match anchor_id(&h) {
                Some(id) => st.anchors.push(id),
                None if h.trim_start().starts_with("</a") => {}
                None => st.push_text(&h),
            },
            Event::TaskListMarker(done) => st.push_text(if done { "☑ " } else { "☐ " }),
            Event::FootnoteReference(r) => st.push_text(&format!("[{r}]")),
            Event::Start(Tag::Strong) => st.style.bold = true,
            Event::End(TagEnd::Strong) => st.style.bold = false,
            Event::Start(Tag::Emphasis) => st.style.italic = true,
            Event::End(TagEnd::Emphasis) => st.style.italic = false,
            Event::Start(Tag::Link { dest_url, .. }) => st.links.push(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                st.links.pop();
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                st.push_text(&format!("[image: {dest_url}] "))
            }
            _ => {}
        }
    }
}

fn flush(loose: &mut Option<Inline>, out: &mut Vec<Block>) {
    if let Some(l) = loose.take() {
        let (spans, anchors) = l.finish();
        if !spans.is_empty() {
            out.push(Block::Para { spans, anchors });
        } else {
            out.extend(anchors.into_iter().map(Block::Anchor));
        }
    }
}

fn text_span(t: &str, style: Style) -> Span {
    Span {
        text: t.to_string(),
        style,
        link: None,
        badge: None,
    }
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// `<a id="x"></a>` → `x`.
fn anchor_id(html: &str) -> Option<String> {
    let h = html.trim();
    let rest = h.strip_prefix("<a id=\"")?;
    let end = rest.find('"')?;
    Some(rest[..end].to_string())
}

/// Words a marker may introduce, longest first within each marker.
const PHRASES: &[&str] = &[
    "ends before the period starts",
    "starts after the period starts",
    "starts after the period ends",
    "ends before the period ends",
    "expiring within 30 days",
    "partially implemented",
    "covers the period",
    "not implemented",
    "not applicable",
    "boundary error",
    "not attested",
    "implemented",
    "alternative",
    "inherited",
    "past due",
    "expiring",
    "warning",
    "missing",
    "partial",
    "planned",
    "error",
    "stale",
    "None",
    "met",
    "gap",
    "n/a",
    "yes",
];

/// The tone of a marker, and the text-font symbol that stands for it when
/// no known words follow.
fn marker_tone(c: char) -> Option<(Tone, &'static str)> {
    Some(match c {
        '✅' => (Tone::Good, "✓"),
        '❌' => (Tone::Bad, "✗"),
        '⚠' => (Tone::Warn, "⚠"),
        '◐' => (Tone::Partial, "◐"),
        '☁' => (Tone::Provider, "☁"),
        '○' => (Tone::Neutral, "○"),
        '◇' => (Tone::Neutral, "◇"),
        '–' => (Tone::Neutral, "–"),
        _ => return None,
    })
}

/// Unknown words after a marker: up to punctuation or the end of the text,
/// when short enough to be a label.
fn label_words(s: &str) -> Option<&str> {
    let end = s
        .find(['.', ',', ';', ':', '(', ')', '|', '—'])
        .unwrap_or(s.len());
    let words = s[..end].trim_end();
    (!words.is_empty() && words.len() <= 40 && !words.starts_with(' ')).then_some(words)
}

/// Split text at status markers: `"x ✅ implemented y"` →
/// `[("x ", None), ("implemented", Some(Good)), (" y", None)]`.
pub fn split_badges(text: &str) -> Vec<(String, Option<Tone>)> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let after = &rest[c.len_utf8()..];
        if let Some((tone, fallback)) = marker_tone(c) {
            let after_marker = after.trim_start_matches(['\u{FE0F}', '\u{FE0E}']);
            let words = after_marker.strip_prefix(' ').unwrap_or(after_marker);
            let phrase = PHRASES.iter().find(|p| {
                words.starts_with(**p)
                    && !words[p.len()..].starts_with(|ch: char| ch.is_alphanumeric())
            });
            // An en dash is a marker only before the words it marks.
            if c == '–' && phrase.is_none_or(|p| !matches!(*p, "not applicable" | "n/a")) {
                plain.push(c);
                rest = after;
                continue;
            }
            if !plain.is_empty() {
                out.push((std::mem::take(&mut plain), None));
            }
            match phrase {
                Some(p) => {
                    out.push((p.to_string(), Some(tone)));
                    rest = &words[p.len()..];
                }
                None => match label_words(words) {
                    Some(w) => {
                        out.push((w.to_string(), Some(tone)));
                        rest = &words[w.len()..];
                    }
                    None => {
                        out.push((fallback.to_string(), Some(tone)));
                        rest = after_marker;
                    }
                },
            }
            continue;
        }
        plain.push(c);
        rest = after;
    }
    if !plain.is_empty() {
        out.push((plain, None));
    }
    out
}

/// Responsibility words in table cells become badges too.
pub fn responsibility_tone(text: &str) -> Option<Tone> {
    match text.trim() {
        "inherited" => Some(Tone::Provider),
        "shared" => Some(Tone::Shared),
        "customer" => Some(Tone::Customer),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_become_badges_with_words() {
        assert_eq!(
            split_badges("x ✅ implemented, y"),
            vec![
                ("x ".into(), None),
                ("implemented".into(), Some(Tone::Good)),
                (", y".into(), None)
            ]
        );
        assert_eq!(
            split_badges("⚠️ expiring within 30 days"),
            vec![("expiring within 30 days".into(), Some(Tone::Warn))]
        );
        assert_eq!(
            split_badges("☁️ inherited"),
            vec![("inherited".into(), Some(Tone::Provider))]
        );
        assert_eq!(split_badges("a – b"), vec![("a – b".into(), None)]);
        assert_eq!(
            split_badges("– n/a"),
            vec![("n/a".into(), Some(Tone::Neutral))]
        );
        assert_eq!(
            split_badges("❌ exceptions past due"),
            vec![("exceptions past due".into(), Some(Tone::Bad))]
        );
        assert_eq!(
            split_badges("❌ gapless. More"),
            vec![("gapless".into(), Some(Tone::Bad)), (". More".into(), None)]
        );
        assert_eq!(
            split_badges("✅."),
            vec![("✓".into(), Some(Tone::Good)), (".".into(), None)]
        );
    }

    #[test]
    fn reads_headings_tables_anchors_and_lists() {
        let md = "<a id=\"top\"></a>\n\n# Title\n\n| A | B |\n| --- | ---: |\n| <a id=\"r1\"></a>x | **y** |\n\n- one\n- `two`\n";
        let b = parse(md);
        assert_eq!(b[0], Block::Anchor("top".into()));
        assert!(matches!(&b[1], Block::Heading { level: 1, .. }));
        match &b[2] {
            Block::Table {
                head,
                rows,
                anchors,
                ..
            } => {
                assert_eq!(plain(&head[0]), "A");
                assert_eq!(plain(&rows[0][0]), "x");
                assert!(rows[0][1][0].style.bold);
                assert_eq!(anchors[0], vec!["r1".to_string()]);
            }
            other => panic!("{other:?}"),
        }
        match &b[3] {
            Block::List { items, .. } => assert_eq!(items.len(), 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(slug("Responsibility matrix"), "responsibility-matrix");
    }
}

#[cfg(test)]
mod split_badges_props {
    use super::split_badges;
    use proptest::prelude::*;

    /// Marker characters, the symbols that replace a marker without words,
    /// and variation selectors: what splitting may add or drop.
    const MARKS: &str = "✅❌⚠◐☁○◇–✓✗\u{FE0F}\u{FE0E}";

    /// The words of `s`: everything but marks and white space.
    fn words(s: &str) -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && !MARKS.contains(*c))
            .collect()
    }

    fn cell() -> impl Strategy<Value = String> {
        let piece = prop::sample::select(vec![
            "✅",
            "❌",
            "⚠️",
            "◐",
            "☁️",
            "○",
            "◇",
            "–",
            " ",
            "implemented",
            "not applicable",
            "n/a",
            "met",
            "gap",
            "partially implemented",
            "expiring within 30 days",
            ".",
            ",",
            "(",
            "x",
            "Jane",
            "|",
            "—",
            "é",
        ]);
        prop::collection::vec(piece, 0..10).prop_map(|p| p.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn splitting_neither_loses_nor_invents_words(text in cell()) {
            let parts = split_badges(&text);
            let joined: String = parts.iter().map(|(t, _)| t.as_str()).collect();
            prop_assert_eq!(words(&joined), words(&text), "{:?}", parts);
        }

        #[test]
        fn badges_hold_words_or_one_symbol_and_plain_parts_no_marker(text in cell()) {
            for (t, tone) in split_badges(&text) {
                prop_assert!(!t.is_empty());
                match tone {
                    Some(_) => prop_assert!(
                        !t.starts_with(' ') && !t.ends_with(' ') && t.chars().count() <= 40,
                        "badge {:?}", t
                    ),
                    None => prop_assert!(
                        !t.chars().any(|c| "✅❌⚠◐☁○◇".contains(c)),
                        "a marker left in plain text {:?}", t
                    ),
                }
            }
        }

        #[test]
        fn text_without_markers_is_one_plain_part(text in "[a-zA-Z0-9 .,()|/é—-]{1,40}") {
            prop_assert_eq!(split_badges(&text), vec![(text.clone(), None)]);
        }
    }
}
