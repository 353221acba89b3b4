//! Properties of the text helpers every report goes through, on arbitrary
//! input (proptest): tidying rendered Markdown and HTML, fragment anchors,
//! and the escapes that keep input text inside a table cell or a link.
//! (Badge splitting, which is internal to the PDF renderer, has its
//! property test beside it in `src/render/pdf/blocks.rs`.)

use auditpack::render::anchors::anchor_of;
use auditpack::render::filters::{md_cell_of, md_escape_of, url_path_of};
use auditpack::render::{html, markdown, tidy_lines};
use proptest::prelude::*;

/// Text of lines made of spaces, letters, `<pre>` tags and Markdown marks,
/// with `\n` and `\r\n` line breaks: what templates leave behind.
fn rendered() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "",
        " ",
        "  ",
        "\t",
        "a",
        "b c",
        "# h",
        "| x |",
        "<p>t</p>",
        "<pre>",
        "</pre>",
        "<pre><code>",
        "</code></pre>",
        "é",
        "✅ met",
    ]);
    let line = prop::collection::vec(piece, 0..5).prop_map(|p| p.concat());
    let sep = prop::sample::select(vec!["\n", "\r\n"]);
    prop::collection::vec((line, sep), 0..12).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(l, s)| format!("{l}{s}"))
            .collect::<String>()
    })
}

/// The non-blank lines of `s`, with trailing white space removed.
fn content_lines(s: &str) -> Vec<String> {
    s.lines()
        .map(|l| l.trim_end().to_string())
        .filter(|l| !l.trim().is_empty())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn markdown_tidy_keeps_every_content_line_and_one_blank_between(text in rendered()) {
        let t = markdown::tidy(text.clone());
        prop_assert!(t.ends_with('\n') && !t.ends_with("\n\n"), "{t:?}");
        prop_assert!(t == "\n" || !t.starts_with('\n'), "{t:?}");
        prop_assert!(!t.contains("\n\n\n"), "two blank lines in a row: {t:?}");
        prop_assert!(t.lines().all(|l| l == l.trim_end()), "trailing space: {t:?}");
        prop_assert_eq!(content_lines(&t), content_lines(&text));
        prop_assert_eq!(markdown::tidy(t.clone()), t, "tidying twice changes nothing");
    }

    #[test]
    fn html_tidy_drops_blank_lines_outside_pre_only(text in rendered()) {
        let t = html::tidy(text.clone());
        prop_assert!(t.ends_with('\n'), "{t:?}");
        prop_assert!(t == "\n" || !t.starts_with('\n'), "{t:?}");
        prop_assert_eq!(content_lines(&t), content_lines(&text));
        if !text.contains("<pre") {
            prop_assert!(!t.contains("\n\n"), "a blank line outside <pre>: {t:?}");
        }
        prop_assert_eq!(html::tidy(t.clone()), t, "tidying twice changes nothing");
    }

    #[test]
    fn tidy_lines_keeping_every_line_only_normalises_line_breaks(text in rendered()) {
        let t = tidy_lines(text.clone(), |l| Some(l.len()));
        let want = text.replace("\r\n", "\n");
        let want = want.trim_matches('\n');
        prop_assert_eq!(t, format!("{want}\n"));
    }

    #[test]
    fn tidy_lines_keeps_the_chosen_prefix_of_each_line(text in "[a-z \n]{0,80}", n in 0usize..4) {
        let t = tidy_lines(text.clone(), |l| Some(l.len().min(n)));
        let want: Vec<String> = text.split('\n').map(|l| l[..l.len().min(n)].to_string()).collect();
        let want = want.join("\n");
        prop_assert_eq!(t, format!("{}\n", want.trim_matches('\n')));
    }

    #[test]
    fn anchors_are_safe_fragment_ids(s in "\\PC{0,40}") {
        let a = anchor_of(&s);
        prop_assert!(a.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')), "{a:?}");
        prop_assert!(!a.ends_with('-'), "{a:?}");
        prop_assert_eq!(anchor_of(&a), a.clone(), "an anchor is its own anchor");
    }

    #[test]
    fn ids_made_of_anchor_characters_are_their_own_anchor(s in "[A-Za-z0-9._]([A-Za-z0-9._-]{0,20}[A-Za-z0-9._])?") {
        prop_assert_eq!(anchor_of(&s), s);
    }

    #[test]
    fn a_table_cell_is_one_line_with_no_unescaped_bar(s in "\\PC{0,60}|[a-z |\n<>`]{0,60}") {
        let c = md_cell_of(&s);
        prop_assert!(!c.contains('\n'), "{c:?}");
        let bytes = c.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'|' {
                prop_assert!(i > 0 && bytes[i - 1] == b'\\', "unescaped | in {c:?}");
            }
        }
    }

    #[test]
    fn escaped_text_has_no_live_markdown(s in "[a-z \\[\\]()*_`<>|#!:]{0,60}") {
        let e = md_escape_of(&s);
        let mut chars = e.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                prop_assert!(chars.next().is_some(), "a trailing backslash in {e:?}");
            } else {
                prop_assert!(!"[]*_`<>|#!():".contains(c), "{c:?} unescaped in {e:?}");
            }
        }
    }

    #[test]
    fn link_paths_are_percent_encoded_and_decode_back(s in "\\PC{0,40}") {
        let u = url_path_of(&s);
        prop_assert!(u.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~/%".contains(&b)), "{u:?}");
        let decoded = percent_decode(&u);
        prop_assert_eq!(decoded, s.into_bytes());
    }
}

/// `%XX` back to bytes.
fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}
