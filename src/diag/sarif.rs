//! SARIF 2.1.0 (`check --format sarif`): the diagnostics as a static
//! analysis log, so that code scanning (GitHub and others) shows them on the
//! lines of the project's files.

use super::{Code, Diagnostic, Severity};
use serde_json::{json, Value};

/// The schema the log declares.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF log of `items`. A diagnostic without a location in a file of
/// the repository (unlocated, or in the built-in library) is placed on the
/// first line of `project_file`, and says where it comes from.
pub fn render(items: &[Diagnostic], project_file: &str) -> String {
    let rules: Vec<Value> = Code::ALL
        .iter()
        .map(|c| {
            json!({
                "id": c.name(),
                "shortDescription": {"text": c.description()},
                "helpUri": "https://github.com/auditpack/auditpack/blob/main/docs/diagnostics.md",
            })
        })
        .collect();
    let results: Vec<Value> = items.iter().map(|d| result(d, project_file)).collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "auditpack",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/auditpack/auditpack",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

fn result(d: &Diagnostic, project_file: &str) -> Value {
    let index = Code::ALL.iter().position(|c| *c == d.code).unwrap_or(0);
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    };
    let in_repo = d
        .span
        .as_ref()
        .filter(|s| !s.file.starts_with(crate::load::BUILTIN));
    let mut text = d.message.clone();
    if let (None, Some(s)) = (in_repo, &d.span) {
        text.push_str(&format!(" (at {s})"));
    }
    if let Some(h) = &d.hint {
        text.push_str(&format!(". Hint: {h}"));
    }
    let (file, line, column) = match in_repo {
        Some(s) => (s.file.as_str(), s.line.max(1), s.column.max(1)),
        None => (project_file, 1, 1),
    };
    json!({
        "ruleId": d.code.name(),
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": uri(file)},
            "region": {"startLine": line, "startColumn": column},
        }}],
    })
}

/// A relative URI reference of a path: `/` separators, and every byte
/// outside the unreserved set and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("a b/c%.yaml"), "a%20b/c%25.yaml");
        assert_eq!(uri("x\\y.yaml"), "x/y.yaml");
    }

    #[test]
    fn builtin_and_unlocated_diagnostics_land_on_the_project_file() {
        let builtin = Diagnostic::error(Code::NoAttestation, "m").at(Some(Span {
            file: format!("{}baseline/iam.yaml", crate::load::BUILTIN),
            line: 4,
            column: 7,
        }));
        let log: Value = serde_json::from_str(&render(&[builtin], "p/auditpack.yaml")).unwrap();
        let r = &log["runs"][0]["results"][0];
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "p/auditpack.yaml");
        assert_eq!(loc["region"]["startLine"], 1);
        assert!(r["message"]["text"]
            .as_str()
            .unwrap()
            .contains("baseline/iam.yaml:4:7"));
        assert_eq!(
            log["runs"][0]["tool"]["driver"]["rules"][r["ruleIndex"].as_u64().unwrap() as usize]
                ["id"],
            "no-attestation"
        );
    }
}
