//! The report's Markdown cut into pieces that each parse alone exactly as
//! they parse within the whole, so that no parse holds the whole document:
//! runs of top-level blocks, and long tables in groups of rows (each group
//! parsed after the table's header and delimiter lines).
//!
//! A cut is made only where no construct can cross it: before a line that
//! starts at the left margin after a blank line, outside fenced code and raw
//! HTML, and not before a list item (a list goes on after a blank line).
//! A document with link reference or footnote definitions, which the whole
//! document shares, is not cut at all.

use super::blocks::OPTIONS;
use pulldown_cmark::{Event, Parser, Tag};

/// About how many bytes of Markdown one parse reads.
const CHUNK: usize = 32 * 1024;

/// A piece of the Markdown.
#[derive(Debug, Clone, PartialEq)]
pub enum Chunk<'a> {
    /// Top-level blocks.
    Text(&'a str),
    /// A table: its header and delimiter lines, then its rows in groups of
    /// whole lines.
    Table { head: &'a str, groups: Vec<&'a str> },
}

/// Cut `md` into chunks; concatenated, they are `md`.
pub fn split(md: &str) -> Vec<Chunk<'_>> {
    if has_definitions(md) {
        return vec![Chunk::Text(md)];
    }
    let lines = line_starts(md);
    let line = |i: usize| &md[lines[i]..lines.get(i + 1).copied().unwrap_or(md.len())];
    let mut out = Vec::new();
    let (mut from, mut i) = (0, 0);
    let mut raw = Raw::None;
    while i < lines.len() {
        if i > 0 && raw.is_none() && blank(line(i - 1)) && cuttable(line(i)) {
            let end = table_end(&lines, md, i);
            let at = |k: usize| lines.get(k).copied().unwrap_or(md.len());
            if let Some(end) = end.filter(|end| at(*end) - at(i) > CHUNK) {
                push_text(&mut out, &md[at(from)..at(i)]);
                out.push(table(md, &lines, i, end));
                (from, i) = (end, end);
                continue;
            }
            if at(i) - at(from) >= CHUNK {
                push_text(&mut out, &md[at(from)..at(i)]);
                from = i;
            }
        }
        raw = raw.after(line(i));
        i += 1;
    }
    if from < lines.len() {
        push_text(&mut out, &md[lines[from]..]);
    }
    out
}

fn push_text<'a>(out: &mut Vec<Chunk<'a>>, text: &'a str) {
    if !text.is_empty() {
        out.push(Chunk::Text(text));
    }
}

/// Byte offset of every line.
fn line_starts(md: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(md.match_indices('\n').map(|(i, _)| i + 1));
    if starts.last() == Some(&md.len()) {
        starts.pop();
    }
    starts
}

fn blank(line: &str) -> bool {
    line.trim().is_empty()
}

/// A line that may start a chunk: at the left margin, and not a list item.
fn cuttable(line: &str) -> bool {
    match line.chars().next() {
        None => false,
        Some(c) => !(c.is_whitespace() || c.is_ascii_digit() || "-+*".contains(c)),
    }
}

/// A link reference or footnote definition anywhere in the document.
fn has_definitions(md: &str) -> bool {
    md.lines()
        .any(|l| l.trim_start().starts_with('[') && l.contains("]:"))
}

/// Raw text that a blank line does not end: fenced code, raw HTML.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Raw {
    None,
    Fence(char, usize),
    Html(&'static str),
}

impl Raw {
    fn is_none(self) -> bool {
        self == Raw::None
    }

    /// The state after `line`.
    fn after(self, line: &str) -> Raw {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let t = line.trim();
        match self {
            Raw::Fence(c, n) => {
                let run = t.chars().take_while(|x| *x == c).count();
                if indent < 4 && run >= n && run == t.chars().count() {
                    Raw::None
                } else {
                    self
                }
            }
            Raw::Html(end) if t.contains(end) => Raw::None,
            Raw::Html(_) => self,
            Raw::None if indent >= 4 => Raw::None,
            Raw::None => Raw::opened(t),
        }
    }

    /// What `t` (a trimmed line) opens and does not close.
    fn opened(t: &str) -> Raw {
        for c in ['`', '~'] {
            let run = t.chars().take_while(|x| *x == c).count();
            if run >= 3 {
                return Raw::Fence(c, run);
            }
        }
        let lower = t.to_ascii_lowercase();
        let ends: [(&str, &'static str); 8] = [
            ("<script", "</script>"),
            ("<pre", "</pre>"),
            ("<style", "</style>"),
            ("<textarea", "</textarea>"),
            ("<!--", "-->"),
            ("<?", "?>"),
            ("<![cdata[", "]]>"),
            ("<!", ">"),
        ];
        for (start, end) in ends {
            if let Some(rest) = lower.strip_prefix(start) {
                let body = if start == "<!" {
                    rest
                } else {
                    &lower[start.len()..]
                };
                return if body.contains(end) {
                    Raw::None
                } else {
                    Raw::Html(end)
                };
            }
        }
        Raw::None
    }
}

/// When line `i` starts a table whose every line starts with `|`, up to a
/// blank line or the end: the index of the line after its last row.
fn table_end(lines: &[usize], md: &str, i: usize) -> Option<usize> {
    let line = |k: usize| &md[lines[k]..lines.get(k + 1).copied().unwrap_or(md.len())];
    if i + 2 >= lines.len() || !line(i).starts_with('|') || !delimiter(line(i + 1)) {
        return None;
    }
    let mut k = i + 2;
    while k < lines.len() && line(k).starts_with('|') {
        k += 1;
    }
    let head = &md[lines[i]..lines[i + 2]];
    let is_table = matches!(
        Parser::new_ext(head, OPTIONS).next(),
        Some(Event::Start(Tag::Table(_)))
    );
    (k > i + 2 && is_table && (k == lines.len() || blank(line(k)))).then_some(k)
}

/// `| --- | :-: |`
fn delimiter(line: &str) -> bool {
    let t = line.trim();
    t.starts_with('|')
        && t.contains('-')
        && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The table of lines `i..end` with its rows in groups.
fn table<'a>(md: &'a str, lines: &[usize], i: usize, end: usize) -> Chunk<'a> {
    let at = |k: usize| lines.get(k).copied().unwrap_or(md.len());
    let head = &md[at(i)..at(i + 2)];
    let mut groups = Vec::new();
    let mut from = i + 2;
    for k in i + 2..end {
        if at(k + 1) - at(from) >= CHUNK || k + 1 == end {
            groups.push(&md[at(from)..at(k + 1)]);
            from = k + 1;
        }
    }
    Chunk::Table { head, groups }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(chunks: &[Chunk<'_>]) -> String {
        chunks
            .iter()
            .map(|c| match c {
                Chunk::Text(t) => t.to_string(),
                Chunk::Table { head, groups } => format!("{head}{}", groups.concat()),
            })
            .collect()
    }

    #[test]
    fn chunks_put_together_are_the_markdown() {
        let mut md = String::from("# T\n\n| a | b |\n| --- | --- |\n");
        for i in 0..3000 {
            md.push_str(&format!("| r{i} | x |\n"));
        }
        md.push_str("\n## S\n\n```\n\n# not a heading\n```\n\n- a\n\n- b\n\nText.\n");
        for i in 0..2000 {
            md.push_str(&format!("\n### H{i}\n\nSome text of section {i}.\n"));
        }
        let chunks = split(&md);
        assert_eq!(joined(&chunks), md);
        assert!(chunks.len() > 3);
        let Chunk::Table { head, groups } = &chunks[1] else {
            panic!("the table is cut in groups: {:?}", chunks[1]);
        };
        assert_eq!(*head, "| a | b |\n| --- | --- |\n");
        assert!(groups.len() > 1);
        for c in &chunks[2..] {
            if let Chunk::Text(t) = c {
                assert!(!t.starts_with("# not") && !t.starts_with("- b"));
            }
        }
    }

    #[test]
    fn definitions_keep_the_document_whole() {
        let md = format!(
            "{}\n[x]: https://example.com\n",
            "# A\n\nText.\n\n".repeat(5000)
        );
        assert_eq!(split(&md), vec![Chunk::Text(&md)]);
    }

    #[test]
    fn raw_html_and_fences_are_not_cut() {
        assert_eq!(Raw::None.after("<!-- a"), Raw::Html("-->"));
        assert_eq!(Raw::None.after("<!-- a -->"), Raw::None);
        assert_eq!(Raw::None.after("````rust"), Raw::Fence('`', 4));
        assert_eq!(Raw::Fence('`', 4).after("```"), Raw::Fence('`', 4));
        assert_eq!(Raw::Fence('`', 4).after("````"), Raw::None);
        assert_eq!(Raw::None.after("<a id=\"x\"></a>"), Raw::None);
    }
}
