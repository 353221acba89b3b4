//! Scanner checks of controls: the check ids the library knows per scanner
//! (`controls/checks/known-*.yaml`), the library controls' checks
//! (`controls/checks/<provider>.yaml`) and project controls' own `checks:`.
//! An unknown id in the library is an error; in a project, a warning.

pub use super::types::{Checks, Scanner};
use super::types::{Control, Origin};
use crate::diag::{Code, Diagnostic, Diagnostics, Severity};
use crate::load::raw::{ChecksFile, ChecksRaw, ControlsFile, Text};
use crate::load::yaml::span;
use crate::load::Parsed;
use crate::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

fn raw_of(r: &ChecksRaw, s: Scanner) -> &[Text] {
    match s {
        Scanner::Prowler => &r.prowler,
        Scanner::SecurityHub => &r.securityhub,
        Scanner::Config => &r.config,
    }
}

/// The check ids the library knows, per scanner.
pub type Known = BTreeMap<Scanner, BTreeSet<String>>;

/// Gather the known check ids of the library's check files.
pub fn known(files: &[Parsed<ChecksFile>]) -> Known {
    let mut out = Known::new();
    for r in files.iter().filter_map(|f| f.value.known.as_ref()) {
        for s in Scanner::ALL {
            let set = out.entry(s).or_default();
            set.extend(raw_of(r, s).iter().map(|v| v.value.clone()));
        }
    }
    out
}

/// Diagnostics for every id of `raw` that `known` lacks.
fn unknown_ids(
    file: &str,
    raw: &ChecksRaw,
    known: &Known,
    severity: Option<Severity>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for s in Scanner::ALL {
        let set = known.get(&s);
        for id in raw_of(raw, s) {
            if set.is_some_and(|k| k.contains(&id.value)) {
                continue;
            }
            let message = format!("`{}` is not a known {} check", id.value, s.key());
            let d = match severity {
                None => Diagnostic::error(Code::BadLibrary, message),
                Some(sev) => Diagnostic::finding(Code::UnknownCheck, sev, message),
            };
            let hint = set.and_then(|k| did_you_mean(&id.value, k.iter().map(String::as_str)));
            out.push(d.at(span(file, id)).maybe_hint(hint));
        }
    }
    out
}

/// Give library controls their checks (a project control that replaces a
/// library control and names no checks keeps the library's), and check
/// every id: unknown ids in the library are errors, in a project warnings.
/// Without library controls (`baseline: false`) the library's checks name
/// no control of the run and only its known ids are read.
pub fn attach(
    library: &[Parsed<ChecksFile>],
    library_controls: &[Parsed<ControlsFile>],
    project: &[Parsed<ControlsFile>],
    controls: &mut [Control],
    diags: &mut Diagnostics,
) {
    let known = known(library);
    let library = if library_controls.is_empty() {
        &[]
    } else {
        library
    };
    let index: BTreeMap<String, usize> = controls
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.clone(), i))
        .collect();
    let library_ids: BTreeSet<&str> = library_controls
        .iter()
        .flat_map(|f| f.value.controls.iter().map(|c| c.id.value.as_str()))
        .collect();
    for f in library {
        let mut entries: Vec<_> = f.value.controls.iter().collect();
        entries.sort_by(|a, b| a.0.value.cmp(&b.0.value));
        for (id, raw) in entries {
            diags.extend(unknown_ids(&f.file, raw, &known, None));
            if !library_ids.contains(id.value.as_str()) {
                diags.push(
                    Diagnostic::error(
                        Code::BadLibrary,
                        format!(
                            "checks name control `{}`, which the library does not have",
                            id.value
                        ),
                    )
                    .at(span(&f.file, id)),
                );
                continue;
            }
            // Absent when the project leaves the baseline out.
            let Some(&i) = index.get(&id.value) else {
                continue;
            };
            let c = &mut controls[i];
            let own = matches!(c.origin, Origin::Override) && !c.checks.is_empty();
            if !own && c.origin != Origin::Project {
                c.checks = Checks::from_raw(Some(raw));
            }
        }
    }
    for f in project {
        for raw in f.value.controls.iter().filter_map(|c| c.checks.as_ref()) {
            diags.extend(unknown_ids(&f.file, raw, &known, Some(Severity::Warning)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sources;

    /// Library checks with an unknown id or control fail here: every id of
    /// `controls/checks/aws.yaml` is in `known-aws.yaml`.
    #[test]
    fn library_checks_are_known_and_name_library_controls() {
        let (mut sources, mut diags) = (Sources::default(), Diagnostics::default());
        let files = crate::load::library(&mut sources, &mut diags);
        let lib = crate::validate::library(&files, &mut diags);
        let mut controls =
            crate::validate::controls::merge(&files.controls, &[], &lib.catalogs, None, &mut diags);
        attach(
            &files.checks,
            &files.controls,
            &[],
            &mut controls,
            &mut diags,
        );
        let problems: Vec<String> = diags
            .into_sorted()
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
        let prowler: BTreeSet<&String> = controls.iter().flat_map(|c| &c.checks.prowler).collect();
        let securityhub: BTreeSet<&String> = controls
            .iter()
            .flat_map(|c| &c.checks.securityhub)
            .collect();
        assert!(prowler.len() >= 60, "{} Prowler checks", prowler.len());
        assert!(
            securityhub.len() >= 40,
            "{} Security Hub controls",
            securityhub.len()
        );
        let iam01 = controls.iter().find(|c| c.id == "IAM-01").unwrap();
        assert!(iam01
            .checks
            .prowler
            .contains(&"iam_root_mfa_enabled".to_string()));
        assert!(iam01.checks.securityhub.contains(&"IAM.6".to_string()));
    }

    #[test]
    fn unknown_ids_are_library_errors_and_project_warnings() {
        let text = "known:\n  prowler: [iam_root_mfa_enabled]\ncontrols:\n  IAM-01:\n    prowler: [iam_root_mfa_enable]\n";
        let file: ChecksFile = crate::load::yaml::parse("t.yaml", text).unwrap();
        let known = known(&[Parsed {
            file: "t.yaml".into(),
            value: ChecksFile {
                known: file.known,
                controls: Default::default(),
            },
        }]);
        let raw = &file.controls.values().next().unwrap();
        let lib = unknown_ids("t.yaml", raw, &known, None);
        assert_eq!(lib[0].code, Code::BadLibrary);
        assert_eq!(
            lib[0].hint.as_deref(),
            Some("did you mean `iam_root_mfa_enabled`?")
        );
        let project = unknown_ids("t.yaml", raw, &known, Some(Severity::Warning));
        assert_eq!(project[0].code, Code::UnknownCheck);
        assert_eq!(project[0].span.as_ref().map(|s| s.line), Some(5));
    }
}
