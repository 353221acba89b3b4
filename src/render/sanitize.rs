//! Untrusted Markdown from inputs (descriptions, narratives, provider and
//! customer parts) turned into HTML that cannot run anything.
//!
//! Two steps, each with one job:
//! 1. pulldown-cmark parses with tables, strikethrough, task lists and
//!    footnotes. The event stream is adjusted so that input text cannot break
//!    the report around it: headings become bold paragraphs (the report owns
//!    the outline), images become links (a self-contained page fetches
//!    nothing), task-list checkboxes become text marks (no unlabelled form
//!    controls), and footnote labels get a per-fragment prefix (no duplicate
//!    ids when several narratives on a page use `[^1]`).
//! 2. ammonia cleans the HTML with an allow-list: no `<script>`, `<style>`,
//!    `<iframe>`, `<img>`, `<form>` or headings; no `on*` attributes; URLs
//!    only with `http`, `https` and `mailto` schemes (or relative), so no
//!    `javascript:`; `style` only on table cells and only `text-align`; `id`
//!    only on footnote definitions.

use super::anchors::anchor_of;
use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;
use tera::{to_value, Result, Value};

/// The Markdown dialect of inputs: GFM tables, strikethrough, task lists, footnotes.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
}

/// Untrusted Markdown → safe HTML. `prefix` makes footnote ids unique on the
/// page; pass something unique per fragment, such as `IAM-01-narrative`.
pub fn md_to_html(markdown: &str, prefix: &str) -> String {
    let fn_prefix = format!("fn-{}-", anchor_of(prefix));
    let label = |l: &CowStr| CowStr::from(format!("{fn_prefix}{}", anchor_of(l)));
    let events = Parser::new_ext(markdown, options()).map(|ev| match ev {
        Event::Start(Tag::Heading { .. }) => Event::Html("<p><strong>".into()),
        Event::End(TagEnd::Heading(_)) => Event::Html("</strong></p>\n".into()),
        Event::Start(Tag::Image {
            dest_url,
            title,
            id,
            ..
        }) => Event::Start(Tag::Link {
            link_type: LinkType::Inline,
            dest_url,
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        Event::TaskListMarker(done) => Event::Text(if done { "☑ " } else { "☐ " }.into()),
        Event::FootnoteReference(l) => Event::FootnoteReference(label(&l)),
        Event::Start(Tag::FootnoteDefinition(l)) => {
            Event::Start(Tag::FootnoteDefinition(label(&l)))
        }
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 2);
    pulldown_cmark::html::push_html(&mut raw, events);
    cleaner().clean(&raw).to_string().trim().to_string()
}

/// The configured allow-list, built once.
fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.rm_tags(["img", "h1", "h2", "h3", "h4", "h5", "h6", "map", "area"])
            .url_schemes(HashSet::from(["http", "https", "mailto"]))
            .add_tag_attributes("th", ["style"])
            .add_tag_attributes("td", ["style"])
            .filter_style_properties(HashSet::from(["text-align"]))
            .add_tag_attributes("div", ["id"])
            .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
            .add_allowed_classes("div", ["footnote-definition"])
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("div", "id") if value.starts_with("fn-") => Some(value.into()),
                (_, "id") => None,
                _ => Some(value.into()),
            })
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Register the HTML filters: `md_html`, `href_path` and `href_url`.
pub fn register(t: &mut tera::Tera) {
    t.register_filter("md_html", md_html);
    t.register_filter("href_path", href_path);
    t.register_filter("href_url", href_url);
}

/// A package-relative path as a URL path: every byte other than unreserved
/// characters and `/` is percent-encoded, so `a b#1.csv` stays one file.
pub fn href_path_of(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// An absolute URL from inputs, if it is safe to link: `http`, `https` or
/// `mailto`, no whitespace or control characters. Anything else (such as
/// `javascript:`) gives `""`, and templates show the text without a link.
/// The result is ready for a double-quoted attribute (`&` is escaped; `"`,
/// `<`, `>` and backticks are refused), so templates mark it `safe`.
pub fn href_url_of(url: &str) -> String {
    let lower = url.trim_start().to_ascii_lowercase();
    let scheme_ok = ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s));
    let clean = !url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>' | '`'));
    if scheme_ok && clean {
        url.replace('&', "&amp;")
    } else {
        String::new()
    }
}

fn string_arg(name: &str, v: &Value) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Null => Ok(String::new()),
        other => Err(tera::Error::msg(format!(
            "{name}: expected a string, got {other}"
        ))),
    }
}

fn href_path(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(href_path_of(&string_arg("href_path", v)?))?)
}

fn href_url(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(to_value(href_url_of(&string_arg("href_url", v)?))?)
}

/// The tera filter: `{{ c.description | md_html(id="IAM-01-description") | safe }}`.
/// The output is already safe; templates mark it `safe` after the filter.
fn md_html(v: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let s = match v {
        Value::String(s) => s.as_str(),
        Value::Null => "",
        other => {
            return Err(tera::Error::msg(format!(
                "md_html: expected a string, got {other}"
            )))
        }
    };
    let prefix = args.get("id").and_then(Value::as_str).unwrap_or("md");
    Ok(to_value(md_to_html(s, prefix))?)
}

#[cfg(test)]
mod tests {
    use super::{href_path_of, href_url_of, md_to_html};

    #[test]
    fn hrefs() {
        assert_eq!(
            href_path_of("evidence/a b/c#1.csv"),
            "evidence/a%20b/c%231.csv"
        );
        assert_eq!(href_path_of("evidence/ü.txt"), "evidence/%C3%BC.txt");
        assert_eq!(
            href_url_of("https://wiki.example/a?b=c"),
            "https://wiki.example/a?b=c"
        );
        assert_eq!(href_url_of("javascript:alert(1)"), "");
        assert_eq!(href_url_of(" JAVASCRIPT:alert(1)"), "");
        assert_eq!(href_url_of("https://x.example/\" onmouseover=\"x"), "");
    }

    fn clean(s: &str) -> String {
        md_to_html(s, "t")
    }

    #[test]
    fn scripts_and_handlers_are_removed() {
        let h = clean(
            "hi <script>alert(1)</script> <img src=x onerror=alert(1)> <b onclick=\"x()\">b</b>",
        );
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("alert(1)"), "{h}");
        assert!(!h.contains("onerror"), "{h}");
        assert!(!h.contains("onclick"), "{h}");
        assert!(h.contains("<b>b</b>"), "{h}");
    }

    #[test]
    fn javascript_urls_are_removed() {
        let h = clean("[x](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(2)\">y</a> [z](https://example.com/)");
        assert!(!h.to_lowercase().contains("javascript:"), "{h}");
        assert!(h.contains("href=\"https://example.com/\""), "{h}");
    }

    #[test]
    fn frames_styles_and_images_are_removed() {
        let h = clean("<iframe src=\"https://evil.example\"></iframe><style>body{display:none}</style>![a](https://t.example/p.png)");
        assert!(!h.contains("<iframe"), "{h}");
        assert!(!h.contains("<style"), "{h}");
        assert!(!h.contains("display:none"), "{h}");
        assert!(!h.contains("<img"), "{h}");
    }

    #[test]
    fn markdown_features_survive() {
        let h = clean("# Title\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~ new[^n]\n\n[^n]: note");
        assert!(h.contains("<p><strong>Title</strong></p>"), "{h}");
        assert!(h.contains("<table>"), "{h}");
        assert!(
            h.contains("style=\"text-align:left\"") || h.contains("style=\"text-align: left\""),
            "{h}"
        );
        assert!(h.contains("☑ done") && h.contains("☐ todo"), "{h}");
        assert!(!h.contains("<input"), "{h}");
        assert!(h.contains("<del>old</del>"), "{h}");
        assert!(
            h.contains("href=\"#fn-t-n\"") && h.contains("id=\"fn-t-n\""),
            "{h}"
        );
    }

    #[test]
    fn input_ids_cannot_clash_with_report_anchors() {
        let h = clean("<div id=\"control-IAM-01\">x</div><p id=\"top\">y</p>");
        assert!(!h.contains("id="), "{h}");
    }
}
