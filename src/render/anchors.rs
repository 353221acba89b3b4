//! Fragment ids and file names made from input text: the one place both the
//! template filters and the Markdown sanitizer take them from.

/// A fragment id: letters, digits, `.`, `_` and `-`; other runs become `-`.
pub fn anchor_of(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A file name stem from a title: lower-case ASCII letters and digits, other
/// runs become one `-`; `other` when nothing is left.
pub fn slug_of(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_end_matches('-');
    if t.is_empty() {
        "other".into()
    } else {
        t.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_stable_and_safe() {
        assert_eq!(anchor_of("control-IAM-01"), "control-IAM-01");
        assert_eq!(
            anchor_of("req-fedramp-moderate-AC-2(1)"),
            "req-fedramp-moderate-AC-2-1"
        );
        assert_eq!(
            anchor_of("req-hipaa-164.312(a)(2)(iv)"),
            "req-hipaa-164.312-a-2-iv"
        );
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(
            slug_of("Identity & Access Management"),
            "identity-access-management"
        );
        assert_eq!(slug_of("../../etc"), "etc");
        assert_eq!(slug_of("Zoë"), "zo");
        assert_eq!(slug_of("…"), "other");
    }
}
