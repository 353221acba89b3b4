//! The next steps of a project being filled in. A built-in (or library)
//! control without an attestation is a to-do, not an error, until `--strict`;
//! `check` then prints a short ordered list instead of one diagnostic each.

use crate::diag::{Code, Diagnostic, Severity};
use crate::model::ReportModel;
use crate::validate::Origin;
use std::collections::BTreeMap;

/// At most this many lines of family names, to keep the list short.
const MAX_FAMILY_LINES: usize = 6;

/// Library controls awaiting their first attestation, by family.
#[derive(Debug, Default)]
pub struct ToDos {
    pub families: BTreeMap<String, Vec<String>>,
}

impl ToDos {
    pub fn is_empty(&self) -> bool {
        self.families.is_empty()
    }

    pub fn count(&self) -> usize {
        self.families.values().map(Vec::len).sum()
    }
}

/// Make the `no-attestation` errors of library controls to-do notes and
/// collect them. `findings` are the diagnostics of `model.findings`, in
/// the same order.
pub fn mark(findings: &mut [Diagnostic], model: &ReportModel) -> ToDos {
    let mut todos = ToDos::default();
    if findings.len() != model.findings.len() {
        return todos;
    }
    let library: BTreeMap<&str, &str> = model
        .controls
        .iter()
        .filter(|c| c.origin == Origin::Library && c.attestation.is_none())
        .map(|c| (c.id.as_str(), c.family.as_str()))
        .collect();
    for (d, f) in findings.iter_mut().zip(&model.findings) {
        let Some(family) = library.get(f.control.as_str()) else {
            continue;
        };
        if d.code == Code::NoAttestation && d.severity == Severity::Error {
            d.severity = Severity::Note;
            d.hint =
                Some("awaits its first attestation (`check --strict` makes it an error)".into());
            todos
                .families
                .entry(family.to_string())
                .or_default()
                .push(f.control.clone());
        }
    }
    todos
}

/// The ordered list `check` prints: provider placeholders first, then the
/// controls to attest by family, then the other findings by code.
pub fn render(dir: &str, model: &ReportModel, items: &[Diagnostic], todos: &ToDos) -> String {
    let mut steps: Vec<String> = Vec::new();
    let others = items.iter().filter(|d| d.severity != Severity::Note);
    let mut by_code: BTreeMap<Code, Vec<&Diagnostic>> = BTreeMap::new();
    for d in others {
        by_code.entry(d.code).or_default().push(d);
    }
    if let Some(list) = by_code.remove(&Code::ProviderAttestationPlaceholder) {
        let at = list[0]
            .span
            .as_ref()
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        steps.push(format!(
            "Fill in {} provider attestation(s) from AWS Artifact{at}",
            list.len()
        ));
    }
    if !todos.is_empty() {
        let folder = attestation_folder(model)
            .map(|f| format!(" in {f}/"))
            .unwrap_or_default();
        let mut step = format!(
            "Attest the {} built-in controls awaiting a first attestation{folder}, family by family:",
            todos.count()
        );
        let families: Vec<String> = todos
            .families
            .iter()
            .map(|(f, ids)| format!("{f} ({})", ids.len()))
            .collect();
        let lines = wrap(&families, 96);
        for line in lines.iter().take(MAX_FAMILY_LINES) {
            step.push_str(&format!("\n       {line}"));
        }
        if lines.len() > MAX_FAMILY_LINES {
            step.push_str(" …");
        }
        if let Some((family, ids)) = todos.families.iter().next() {
            step.push_str(&format!("\n       first, {family}: {}", ids.join(" ")));
        }
        steps.push(step);
    }
    for (code, list) in by_code {
        steps.push(format!(
            "{} {} finding(s){}, e.g. {}",
            list.len(),
            code.name(),
            action(code),
            list[0].message
        ));
    }
    let mut out = format!(
        "Next steps for {dir} ({}, as of {}):\n",
        model.period.label, model.as_of
    );
    for (i, s) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {s}\n", i + 1));
    }
    out.push_str(&format!(
        "Then run `auditpack check {dir}` again; `--strict` lists every item.\n"
    ));
    out
}

/// What to do about findings of a code, where the code alone does not say.
fn action(code: Code) -> &'static str {
    match code {
        Code::RequirementGap => {
            ": map a control to them in controls/, or list them under not_applicable with a reason"
        }
        Code::BridgeLetterNeeded => ": cleared once the provider attestations cover the period",
        _ => "",
    }
}

/// The folder of the first attestation file of the project, if any.
fn attestation_folder(model: &ReportModel) -> Option<String> {
    let loc = model
        .controls
        .iter()
        .find_map(|c| c.attestation.as_ref())?
        .location
        .clone();
    let file = loc.split(':').next()?;
    let parent = std::path::Path::new(file).parent()?;
    Some(crate::load::files::display(parent))
}

/// Comma-separated items in lines of at most `width` characters.
fn wrap(items: &[String], width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for item in items {
        if !line.is_empty() && line.len() + item.len() + 2 > width {
            lines.push(std::mem::take(&mut line) + ",");
        }
        if !line.is_empty() {
            line.push_str(", ");
        }
        line.push_str(item);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn wraps_at_the_width() {
        let items: Vec<String> = ["aaaa", "bbbb", "cccc"].map(String::from).to_vec();
        assert_eq!(super::wrap(&items, 10), ["aaaa, bbbb,", "cccc"]);
        assert!(super::wrap(&[], 10).is_empty());
    }
}
