//! Parse one YAML text into a typed value, turning every parser error into a
//! located diagnostic (unknown keys get a "did you mean").

use super::raw::{Location, Spanned};
use crate::diag::{Code, Diagnostic, Span};
use serde::de::DeserializeOwned;

/// Largest input file read, in bytes.
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The location of a spanned value in `file`.
pub fn span_of(file: &str, loc: &Location) -> Option<Span> {
    (loc.line() > 0).then(|| Span {
        file: file.to_string(),
        line: loc.line(),
        column: loc.column().max(1),
    })
}

/// The location of a spanned value in `file`.
pub fn span<T>(file: &str, v: &Spanned<T>) -> Option<Span> {
    span_of(file, &v.referenced)
}

/// Most nodes a file may hold once its aliases are expanded.
pub const MAX_EXPANDED_NODES: u64 = 1_000_000;

/// `Some((line, column))` of the alias at which the document's aliases
/// expand past `limit` nodes.
fn expansion_exceeds(text: &str, limit: u64) -> Option<(u32, u32)> {
    use serde_saphyr::granit_parser::{Event, Parser};
    let mut sizes: std::collections::HashMap<usize, u64> = std::collections::HashMap::new();
    // (anchor id, nodes so far) of every open collection; the root first.
    let mut open: Vec<(usize, u64)> = vec![(0, 0)];
    for item in Parser::new_from_str(text) {
        let Ok((event, at)) = item else { return None };
        let added = match event {
            Event::Scalar(_, _, anchor, _) => {
                if anchor != 0 {
                    sizes.insert(anchor, 1);
                }
                1
            }
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                open.push((anchor, 1));
                0
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (anchor, n) = open.pop().unwrap_or((0, 0));
                if anchor != 0 {
                    sizes.insert(anchor, n);
                }
                n
            }
            Event::Alias(anchor) => sizes.get(&anchor).copied().unwrap_or(1),
            _ => 0,
        };
        let top = open.last_mut()?;
        top.1 = top.1.saturating_add(added);
        if top.1 > limit {
            // granit's lines are 1-based, its columns 0-based.
            return Some((at.start.line() as u32, at.start.col() as u32 + 1));
        }
    }
    None
}

/// Limits on what one YAML file may expand to.
fn budget() -> serde_saphyr::Budget {
    let mut b = serde_saphyr::Budget::default();
    b.max_aliases = 1_000;
    b.max_nodes = 2_000_000;
    b.max_depth = 64;
    b
}

/// Parse `text` (from `file`) as `T`, in one pass.
///
/// Alias expansion is bounded during that pass (`alias_limits`: at most
/// [`MAX_EXPANDED_NODES`] replayed events). Only when the parse fails and the
/// text could hold an alias is the event stream measured again, so that an
/// alias bomb is reported as one, at the alias where it explodes, whatever
/// error the typed parse stopped at first (often an unknown key above it).
pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        budget: Some(budget()),
        emit_comments: false,
        with_snippet: false,
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_EXPANDED_NODES as usize,
        },
    };
    serde_saphyr::from_str_with_options::<T>(text, options)
        .map_err(|e| bomb_at(file, text).unwrap_or_else(|| to_diagnostic(file, &e)))
}

/// The diagnostic of an alias bomb in `text`, if it holds one.
fn bomb_at(file: &str, text: &str) -> Option<Diagnostic> {
    if !text.contains('*') {
        return None;
    }
    let (line, column) = expansion_exceeds(text, MAX_EXPANDED_NODES)?;
    Some(
        Diagnostic::error(
            Code::YamlBudget,
            format!("aliases expand to more than {MAX_EXPANDED_NODES} nodes; the file was not read (alias bomb?)"),
        )
        .at(Some(Span {
            file: file.to_string(),
            line,
            column,
        })),
    )
}

fn to_diagnostic(file: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let plain = e.render_with_options(serde_saphyr::render_options! {
        snippets: serde_saphyr::SnippetMode::Off,
    });
    let mut message = first_line(&plain);
    let span = e.location().filter(|l| l.line() > 0).map(|l| Span {
        file: file.to_string(),
        line: l.line() as u32,
        column: l.column().max(1) as u32,
    });
    let lower = message.to_lowercase();
    let code = if lower.contains("budget") || lower.contains("alias") && lower.contains("limit") {
        message = format!("{message} (the file expands too much to be read safely)");
        Code::YamlBudget
    } else if lower.contains("unknown field") {
        Code::UnknownKey
    } else {
        Code::YamlSyntax
    };
    let hint = if code == Code::UnknownKey {
        unknown_key_hint(&message)
    } else {
        None
    };
    Diagnostic::error(code, message).at(span).maybe_hint(hint)
}

/// The message without saphyr's own " at line X column Y" suffix.
fn first_line(rendered: &str) -> String {
    let line = rendered.lines().next().unwrap_or("invalid YAML").trim();
    let line = match line.find(" at line ") {
        Some(i) => &line[..i],
        None => line,
    };
    line.trim_end_matches(':').to_string()
}

/// From "unknown field `x`, expected one of a, b" build a hint.
fn unknown_key_hint(message: &str) -> Option<String> {
    let unknown = message.split('`').nth(1)?;
    if unknown == "framework" && message.ends_with("expected one of controls") {
        return Some(
            "this is a framework catalog: put it in the project's frameworks/ folder (or a folder `catalogs:` names)"
                .into(),
        );
    }
    let list = message
        .split_once("expected one of ")
        .map(|(_, l)| l)
        .or_else(|| message.split_once("expected ").map(|(_, l)| l))?;
    let expected: Vec<&str> = list
        .split(", ")
        .map(|k| k.trim().trim_matches('`'))
        .filter(|k| !k.is_empty())
        .collect();
    if let Some(best) = crate::suggest::closest(unknown, expected.iter().copied()) {
        return Some(format!("did you mean `{best}`?"));
    }
    (!expected.is_empty()).then(|| {
        let list: Vec<String> = expected.iter().map(|k| format!("`{k}`")).collect();
        format!("allowed keys: {}", list.join(", "))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        frequency: Option<String>,
    }

    #[test]
    fn unknown_key_is_located_with_suggestion() {
        let d = parse::<T>("f.yaml", "title: x\nfrequncy: daily\n").unwrap_err();
        assert_eq!(d.code, Code::UnknownKey);
        let s = d.span.unwrap();
        assert_eq!((s.line, s.column), (2, 1));
        assert_eq!(d.hint.as_deref(), Some("did you mean `frequency`?"));
        assert!(d.message.contains("frequncy"), "{}", d.message);
    }

    #[test]
    fn a_catalog_among_controls_says_where_catalogs_go() {
        let d =
            parse::<crate::load::raw::ControlsFile>("c.yaml", "framework:\n  id: x\n").unwrap_err();
        assert_eq!(d.code, Code::UnknownKey);
        assert!(d.hint.unwrap().contains("frameworks/"));
    }

    #[test]
    fn syntax_error_is_located() {
        let d = parse::<T>("f.yaml", "title: [x\n").unwrap_err();
        assert_eq!(d.code, Code::YamlSyntax);
        assert!(d.span.is_some());
    }

    #[test]
    fn markdown_stars_and_small_aliases_parse() {
        let y = "title: &t Reviewed **quarterly** & *signed*\nfrequency: *t\n";
        let t = parse::<T>("f.yaml", y).unwrap();
        assert_eq!(t.title, "Reviewed **quarterly** & *signed*");
        assert_eq!(t.frequency.as_deref(), Some(t.title.as_str()));
    }

    #[test]
    fn alias_bomb_under_an_unknown_key_is_still_a_bomb() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            let list = vec![format!("*a{p}"); 9].join(", ");
            y.push_str(&format!("a{i}: &a{i} [{list}]\n"));
        }
        y.push_str("title: boom\n");
        let d = parse::<T>("f.yaml", &y).unwrap_err();
        assert_eq!(d.code, Code::YamlBudget, "{}", d.message);
        assert_eq!(d.span.map(|s| s.line), Some(7));
    }

    #[test]
    fn alias_bomb_is_refused() {
        let mut y = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            y.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        y.push_str("title: boom\n");
        let d = parse::<serde_json::Value>("f.yaml", &y).unwrap_err();
        assert_eq!(d.code, Code::YamlBudget, "{}", d.message);
    }
}
