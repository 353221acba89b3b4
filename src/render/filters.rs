//! Template filters shared by every text format.

use std::collections::HashMap;
use tera::{to_value, try_get_value, Result, Value};

/// Register the filters on a tera instance.
pub fn register(t: &mut tera::Tera) {
    t.register_filter("anchor", anchor);
    t.register_filter("md_cell", md_cell);
    t.register_filter("md_text", md_text);
    t.register_filter("md_escape", md_escape);
    t.register_filter("md_code", md_code);
    t.register_filter("url_path", url_path);
    t.register_filter("bytes", bytes);
    t.register_filter("short_hash", short_hash);
    t.register_filter("words", words);
    super::sanitize::register(t);
    super::badges::register(t);
}

fn anchor(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let s = try_get_value!("anchor", "value", String, v);
    Ok(to_value(super::anchors::anchor_of(&s))?)
}

/// Text safe inside a GFM table cell: one line, `|` escaped, no raw HTML.
pub fn md_cell_of(s: &str) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    escape_inline(&one_line).replace('|', "\\|")
}

fn md_cell(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(md_cell_of(&string_of(v)))?)
}

/// Plain text made literal in Markdown, for ids, file names and link
/// text: one line, every character Markdown gives a meaning escaped
/// (`[`, `]`, `*`, `_`, `` ` ``, `|`, `<`…), so nothing in it can open a
/// link, emphasis, a tag or a new table cell.
pub fn md_escape_of(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        for c in word.chars() {
            if "\\`*_{}[]<>()#+!|~&$:".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// Text for inside a code span in a table: one line, no backtick that
/// could end the span, `|` escaped (GFM splits cells even in code).
pub fn md_code_of(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'")
        .replace('|', "\\|")
}

/// A relative path for a link target: every byte but unreserved ASCII and
/// `/` percent-encoded, so a file name cannot end the link or add a title.
pub fn url_path_of(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn string_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn md_escape(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(md_escape_of(&string_of(v)))?)
}

fn md_code(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(md_code_of(&string_of(v)))?)
}

fn url_path(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(url_path_of(&string_of(v)))?)
}

/// Escape `<` and `>` outside code spans, so raw HTML shows as text; an
/// e-mail address becomes an autolink (`<a@b.example>`), never bare.
fn escape_inline(line: &str) -> String {
    // Nothing to escape and no address to link: the line as it is.
    if !line.contains(['<', '>', '@']) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut chars = line.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !in_code
            && (c == '<' || i == 0 || line[..i].ends_with(|p: char| p.is_whitespace() || p == '('))
        {
            let start = if c == '<' { i + 1 } else { i };
            let rest = &line[start..];
            let end = rest
                .find(|ch: char| ch.is_whitespace() || matches!(ch, '>' | ')' | ',' | ';'))
                .unwrap_or(rest.len());
            let word = rest[..end].trim_end_matches('.');
            if is_email(word) {
                out.push('<');
                out.push_str(word);
                out.push('>');
                let skip_to = start
                    + word.len()
                    + usize::from(c == '<' && rest[word.len()..].starts_with('>'));
                while chars.peek().is_some_and(|&(j, _)| j < skip_to) {
                    chars.next();
                }
                continue;
            }
        }
        match c {
            '`' => {
                in_code = !in_code;
                out.push(c);
            }
            '<' if !in_code => out.push_str("&lt;"),
            '>' if !in_code => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
    out
}

/// `local@domain.tld`, with only the characters addresses use.
fn is_email(w: &str) -> bool {
    let Some((local, domain)) = w.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._%+-".contains(c))
        && domain
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-".contains(c))
}

/// Markdown from inputs, made inert for a Markdown report: raw HTML is
/// escaped outside code, fenced code is kept, headings are demoted to bold
/// so they cannot break the report's outline.
pub fn md_text_of(s: &str) -> String {
    let mut out = Vec::new();
    let mut fence: Option<&str> = None;
    for line in s.lines() {
        let t = line.trim_start();
        if let Some(f) = fence {
            out.push(line.to_string());
            if t.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if t.starts_with("```") || t.starts_with("~~~") {
            fence = Some(&t[..3]);
            out.push(line.to_string());
            continue;
        }
        if let Some(rest) = t.strip_prefix('#') {
            let text = rest.trim_start_matches('#').trim();
            out.push(format!("**{}**", escape_inline(text)));
            continue;
        }
        out.push(escape_inline(line));
    }
    if fence.is_some() {
        out.push("```".into());
    }
    out.join("\n").trim().to_string()
}

fn md_text(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let s = try_get_value!("md_text", "value", String, v);
    Ok(to_value(md_text_of(&s))?)
}

/// A size in bytes, human-readable (binary units).
pub fn bytes_of(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    format!("{v:.1} {}", UNITS[u])
}

fn bytes(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let n = try_get_value!("bytes", "value", u64, v);
    Ok(to_value(bytes_of(n))?)
}

/// The first 12 characters of a digest, as the HTML tables show it.
pub fn short_hash_of(s: &str) -> String {
    s.chars().take(12).collect()
}

fn short_hash(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let s = try_get_value!("short_hash", "value", String, v);
    Ok(to_value(short_hash_of(&s))?)
}

/// `partially-implemented` → `partially implemented`.
fn words(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(string_of(v).replace('-', " "))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_cannot_break_tables_or_inject_html() {
        assert_eq!(md_cell_of("a | b\nc"), "a \\| b c");
        assert_eq!(
            md_cell_of("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(md_cell_of("`a<b`"), "`a<b`");
    }

    #[test]
    fn emails_become_autolinks() {
        assert_eq!(
            md_cell_of("Jane Doe <jane@acme.example>"),
            "Jane Doe <jane@acme.example>"
        );
        assert_eq!(
            md_cell_of("owner: sec@acme.example."),
            "owner: <sec@acme.example>."
        );
        assert_eq!(
            md_cell_of("<b onclick=x>@</b>"),
            "&lt;b onclick=x&gt;@&lt;/b&gt;"
        );
    }

    #[test]
    fn input_markdown_is_made_inert() {
        let s = md_text_of("# Title\nhello <img src=x onerror=alert(1)>\n```\n<b>code</b>\n```");
        assert_eq!(
            s,
            "**Title**\nhello &lt;img src=x onerror=alert(1)&gt;\n```\n<b>code</b>\n```"
        );
    }

    #[test]
    fn escaped_text_cannot_open_links_tags_or_cells() {
        assert_eq!(
            md_escape_of("a](javascript:x) <img onerror=y> | *b*\nc"),
            "a\\]\\(javascript\\:x\\) \\<img onerror=y\\> \\| \\*b\\* c"
        );
        assert_eq!(md_escape_of("EXC-7"), "EXC-7");
        assert_eq!(md_code_of("a`b|c\nd"), "a'b\\|c d");
        assert_eq!(
            url_path_of("evidence/a b)\"x\".csv"),
            "evidence/a%20b%29%22x%22.csv"
        );
    }

    #[test]
    fn sizes() {
        assert_eq!(bytes_of(512), "512 B");
        assert_eq!(bytes_of(2048), "2.0 KiB");
        assert_eq!(bytes_of(3 * 1024 * 1024), "3.0 MiB");
    }
}
