//! A control's statement as Markdown: the prose and lettered items of its
//! OSCAL `statement` part, with every parameter written in the way NIST and
//! FedRAMP print them (`[Assignment: organization-defined frequency]`,
//! `[Selection (one or more): …]`, or the value a profile sets). Guidance
//! parts are left out: the statement is what is required.

use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
pub(super) struct Prop {
    pub(super) name: String,
    pub(super) value: String,
    #[serde(default)]
    pub(super) ns: String,
    #[serde(default)]
    pub(super) class: String,
}

/// A part of a control (`statement`, `item`, `guidance`, …).
#[derive(Deserialize)]
pub(super) struct Part {
    name: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    props: Vec<Prop>,
    #[serde(default)]
    prose: String,
    #[serde(default)]
    parts: Vec<Part>,
}

/// A control parameter.
#[derive(Deserialize)]
pub(super) struct Param {
    pub(super) id: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    values: Vec<String>,
    select: Option<Select>,
    #[serde(default)]
    constraints: Vec<Constraint>,
}

/// A profile's `set-parameters` entry: what it sets replaces the
/// catalog's (values, constraints, a selection, a label).
#[derive(Deserialize)]
pub(super) struct SetParam {
    #[serde(rename = "param-id")]
    pub(super) param_id: String,
    label: Option<String>,
    values: Option<Vec<String>>,
    select: Option<Select>,
    constraints: Option<Vec<Constraint>>,
}

impl SetParam {
    /// The catalog's parameter with what this entry sets.
    pub(super) fn apply(&self, base: Option<&Param>) -> Param {
        Param {
            id: self.param_id.clone(),
            label: self
                .label
                .clone()
                .or_else(|| base.map(|b| b.label.clone()))
                .unwrap_or_default(),
            values: self
                .values
                .clone()
                .or_else(|| base.map(|b| b.values.clone()))
                .unwrap_or_default(),
            select: self
                .select
                .clone()
                .or_else(|| base.and_then(|b| b.select.clone())),
            constraints: self
                .constraints
                .clone()
                .or_else(|| base.map(|b| b.constraints.clone()))
                .unwrap_or_default(),
        }
    }
}

#[derive(Deserialize, Clone)]
struct Select {
    #[serde(rename = "how-many")]
    how_many: Option<String>,
    #[serde(default)]
    choice: Vec<String>,
}

#[derive(Deserialize, Clone)]
struct Constraint {
    #[serde(default)]
    description: String,
}

/// Every parameter of a catalog by id, and whose values a constraint
/// states (`FedRAMP` in a FedRAMP catalog: it writes its values as
/// constraints, never as `values`).
pub(super) struct Params<'a> {
    pub(super) by_id: HashMap<&'a str, &'a Param>,
    pub(super) setter: &'static str,
}

/// Parameters nest (a choice may insert another parameter); deeper
/// insertions are written as their id.
const MAX_DEPTH: usize = 4;

/// The Markdown statement of a control with these parts; empty when it has
/// no statement part.
pub(super) fn statement(parts: &[Part], params: &Params) -> String {
    let Some(smt) = parts.iter().find(|p| p.name == "statement") else {
        return String::new();
    };
    let mut blocks = Vec::new();
    let prose = normalize(&expand(&smt.prose, params, 0));
    if !prose.is_empty() {
        blocks.push(prose);
    }
    let mut lines = Vec::new();
    for p in &smt.parts {
        item(p, 0, params, &mut lines);
    }
    if !lines.is_empty() {
        blocks.push(lines.join("\n"));
    }
    blocks.join("\n\n")
}

/// One item and its sub-items, as a Markdown list item `depth` levels deep.
fn item(p: &Part, depth: usize, params: &Params, out: &mut Vec<String>) {
    if p.name == "guidance" {
        return;
    }
    let mut children = Vec::new();
    for c in &p.parts {
        item(c, depth + 1, params, &mut children);
    }
    let mut text = normalize(&expand(&p.prose, params, 0));
    if text.is_empty() {
        // A titled group of items (FedRAMP's additional requirements) is
        // kept only for the items it still holds.
        if children.is_empty() {
            return;
        }
        text = one_line(&p.title);
    }
    let indent = "  ".repeat(depth);
    let head = match label(&p.props) {
        Some(l) if text.is_empty() => literal_label(l),
        Some(l) => format!("{} {text}", literal_label(l)),
        None => text,
    };
    for (i, line) in head.lines().enumerate() {
        out.push(match (i, line.is_empty()) {
            (0, _) => format!("{indent}- {line}"),
            (_, true) => String::new(),
            _ => format!("{indent}  {line}"),
        });
    }
    out.append(&mut children);
}

fn label(props: &[Prop]) -> Option<&str> {
    props
        .iter()
        .find(|p| p.name == "label" && p.class.is_empty())
        .map(|p| p.value.as_str())
}

/// A label such as `1.` would open an ordered list after the item's `- `:
/// its dot is escaped.
fn literal_label(l: &str) -> String {
    match l.strip_suffix(['.', ')']) {
        Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{n}\\{}", &l[n.len()..])
        }
        _ => l.to_string(),
    }
}

/// Prose with every `{{ insert: param, ID }}` replaced by the parameter.
fn expand(prose: &str, params: &Params, depth: usize) -> String {
    let mut out = String::with_capacity(prose.len());
    let mut rest = prose;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = rest[start + 2..start + len].trim();
        match inner
            .strip_prefix("insert:")
            .map(str::trim)
            .and_then(|i| i.strip_prefix("param,"))
        {
            Some(id) => out.push_str(&param(id.trim(), params, depth)),
            None => out.push_str(inner),
        }
        rest = &rest[start + len + 2..];
    }
    out.push_str(rest);
    out
}

/// One parameter as NIST and FedRAMP print it.
fn param(id: &str, params: &Params, depth: usize) -> String {
    let p = match params.by_id.get(id) {
        Some(p) if depth < MAX_DEPTH => p,
        _ => return format!("[Assignment: {id}]"),
    };
    let inner = |s: &str| one_line(&expand(s, params, depth + 1));
    if !p.values.is_empty() {
        return p
            .values
            .iter()
            .map(|v| inner(v))
            .collect::<Vec<_>>()
            .join("; ");
    }
    let set: Vec<String> = p
        .constraints
        .iter()
        .map(|c| inner(&c.description))
        .filter(|d| !d.is_empty())
        .collect();
    let setter = match params.setter {
        "" => String::new(),
        s => format!("{s} "),
    };
    if !set.is_empty() {
        let set = set.join("; ");
        return match &p.select {
            Some(_) => {
                let choice = set
                    .strip_prefix("Selection:")
                    .map(str::trim)
                    .unwrap_or(&set);
                format!("[{setter}Selection: {choice}]")
            }
            None => format!("[{setter}Assignment: {set}]"),
        };
    }
    if let Some(s) = &p.select {
        let how = match s.how_many.as_deref() {
            Some("one-or-more") => " (one or more)",
            _ => "",
        };
        let choices: Vec<String> = s.choice.iter().map(|c| inner(c)).collect();
        return format!("[Selection{how}: {}]", choices.join("; "));
    }
    let label = one_line(&p.label);
    if label.is_empty() {
        format!("[Assignment: {id}]")
    } else if label.starts_with("organization-defined") {
        format!("[Assignment: {label}]")
    } else {
        format!("[Assignment: organization-defined {label}]")
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prose made regular Markdown: links inside the catalog (`[AU-2a](#au-2_smt.a)`)
/// become their text (the report has no such anchor), bare URLs become
/// links, lines lose trailing blanks, runs of blank lines become one and
/// `*` bullets become `-` like the rest of a report.
fn normalize(prose: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for line in prose.lines() {
        let line = if out.is_empty() {
            line.trim()
        } else {
            line.trim_end()
        };
        if line.is_empty() {
            if out.last().is_some_and(|l| !l.is_empty()) {
                out.push(String::new());
            }
            continue;
        }
        let body = line.trim_start();
        let lead = &line[..line.len() - body.len()];
        let body = match body.strip_prefix("* ") {
            Some(b) => format!("- {}", b.trim_start()),
            None => body.to_string(),
        };
        out.push(format!("{lead}{}", link_urls(&unlink_fragments(&body))));
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out.join("\n")
}

/// `[text](#fragment)` → `text`.
fn unlink_fragments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let link = after.find("](#").and_then(|close| {
            let target = &after[close + 3..];
            let end = target.find(')')?;
            let text = &after[..close];
            (!text.contains(['[', ']'])).then_some((text, close + 3 + end + 1))
        });
        out.push_str(&rest[..open]);
        match link {
            Some((text, len)) => {
                out.push_str(text);
                rest = &after[len..];
            }
            None => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Bare `http(s)://` URLs → `[url](url)`, so that no renderer or linter
/// meets a bare URL; the trailing `.`, `,`, `;` or `:` of a sentence stays out.
fn link_urls(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|p| rest.find(p))
        .min()
    {
        let before = &rest[..start];
        let bare = !(before.ends_with("](") || before.ends_with(['<', '[', '"']));
        let tail = &rest[start..];
        let len = tail
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '<' | '>' | ']' | '"'))
            .unwrap_or(tail.len());
        let url = tail[..len].trim_end_matches(['.', ',', ';', ':']);
        out.push_str(&rest[..start]);
        if bare && url.len() > "https://".len() {
            out.push_str(&format!("[{url}]({url})"));
        } else {
            out.push_str(url);
        }
        rest = &tail[url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(json: &str) -> Vec<Param> {
        serde_json::from_str(json).unwrap()
    }

    fn with<'a>(ps: &'a [Param], setter: &'static str) -> Params<'a> {
        Params {
            by_id: ps.iter().map(|p| (p.id.as_str(), p)).collect(),
            setter,
        }
    }

    #[test]
    fn parameters_as_nist_and_fedramp_print_them() {
        let ps = params(
            r#"[{"id":"p1","label":"personnel or roles"},
                {"id":"p2","label":"time period","constraints":[{"description":"twenty-four (24) hours"}]},
                {"id":"p3","select":{"how-many":"one-or-more","choice":["lock for {{ insert: param, p4 }}","notify"]}},
                {"id":"p4","label":"time period"},
                {"id":"p5","select":{"choice":["remove","disable"]},"constraints":[{"description":"Selection: disables"}]},
                {"id":"p6","values":["daily"]}]"#,
        );
        let fr = with(&ps, "FedRAMP");
        assert_eq!(
            expand("Notify {{ insert: param, p1 }} within {{ insert: param, p2 }}.", &fr, 0),
            "Notify [Assignment: organization-defined personnel or roles] within [FedRAMP Assignment: twenty-four (24) hours]."
        );
        assert_eq!(
            expand("{{ insert: param, p3 }}", &fr, 0),
            "[Selection (one or more): lock for [Assignment: organization-defined time period]; notify]"
        );
        assert_eq!(
            expand("{{ insert: param, p5 }}", &fr, 0),
            "[FedRAMP Selection: disables]"
        );
        assert_eq!(expand("{{ insert: param, p6 }}", &fr, 0), "daily");
        assert_eq!(
            expand("{{ insert: param, p2 }}", &with(&ps, ""), 0),
            "[Assignment: twenty-four (24) hours]"
        );
        assert_eq!(
            expand("{{ insert: param, nope }}", &fr, 0),
            "[Assignment: nope]"
        );
    }

    #[test]
    fn items_become_a_nested_list_without_guidance() {
        let parts: Vec<Part> = serde_json::from_str(
            r#"[{"name":"statement","parts":[
                {"name":"item","props":[{"name":"label","value":"a."}],"prose":"Specify:","parts":[
                    {"name":"item","props":[{"name":"label","value":"1."}],"prose":" Users; and"}]},
                {"name":"item","title":"AC-2 Additional FedRAMP Requirements and Guidance","parts":[
                    {"name":"item","props":[{"name":"label","value":"Requirement:"}],"prose":"See https://www.fedramp.gov/documents/.\n\n\n* one  \n* two"},
                    {"name":"guidance","props":[{"name":"label","value":"Guidance:"}],"prose":"Not required."}]},
                {"name":"item","title":"Guidance only","parts":[{"name":"guidance","prose":"x"}]}]},
              {"name":"guidance","prose":"Not a statement."}]"#,
        )
        .unwrap();
        let ps = Vec::new();
        assert_eq!(
            statement(&parts, &with(&ps, "")),
            "- a. Specify:\n  - 1\\. Users; and\n- AC-2 Additional FedRAMP Requirements and Guidance\n  - Requirement: See [https://www.fedramp.gov/documents/](https://www.fedramp.gov/documents/).\n\n    - one\n    - two"
        );
    }

    #[test]
    fn links_inside_the_catalog_become_text() {
        assert_eq!(
            normalize("as defined in [AU-2a](#au-2_smt.a) and [x](https://e.example)"),
            "as defined in AU-2a and [x](https://e.example)"
        );
        assert_eq!(
            link_urls("M-21-31 (https://w.example/a.pdf) and <https://b.example>"),
            "M-21-31 ([https://w.example/a.pdf](https://w.example/a.pdf)) and <https://b.example>"
        );
        assert_eq!(statement(&[], &with(&[], "")), "");
    }
}
