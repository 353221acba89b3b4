//! The rules of `load` and `validate`: one test per diagnostic code they
//! emit, each on the valid project of `support::project` with one thing
//! broken, asserting the code, the file, line and column it points at, and
//! that nothing else is reported. `tests/cases/bad/` runs the same kind of
//! inputs through the binary (`tests/bad_input.rs`).

use crate::support;

use support::project::{only, Diag, Project};

/// The one input error of `p`, which must have `code`.
fn the_error(p: &Project, code: &str) -> Diag {
    let errors = p.errors();
    assert_eq!(errors.len(), 1, "one error expected: {errors:#?}");
    let d = only(&errors, code).clone();
    assert_eq!(d.severity, "error", "{d:?}");
    d
}

#[test]
fn yaml_syntax() {
    let p = Project::new();
    p.edit(
        "controls/c.yaml",
        "    layers: [data]\n",
        "    layers: [data\n",
    );
    let d = the_error(&p, "yaml-syntax");
    assert!(d.at.starts_with("controls/c.yaml:"), "{d:?}");
}

#[test]
fn yaml_budget() {
    let p = Project::new();
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!("a{i}: &a{i} [{}]\n", vec![prev; 9].join(", ")));
    }
    bomb.push_str("attestations: []\n");
    p.write("attestations/bomb.yaml", bomb);
    let d = the_error(&p, "yaml-budget");
    assert!(d.at.starts_with("attestations/bomb.yaml:"), "{d:?}");
}

#[test]
fn not_utf8() {
    let p = Project::new();
    p.write("attestations/latin1.yaml", b"attestations: []\n# caf\xe9\n");
    let d = the_error(&p, "not-utf8");
    assert!(d.message.contains("latin1.yaml"), "{d:?}");
}

#[test]
fn file_too_large() {
    let p = Project::new();
    let mut text = String::from("controls:\n");
    let line = format!("# {}\n", "padding ".repeat(16));
    while text.len() <= 16 << 20 {
        text.push_str(&line);
    }
    p.write("controls/huge.yaml", text);
    let d = the_error(&p, "file-too-large");
    assert!(d.message.contains("huge.yaml"), "{d:?}");
}

#[test]
fn unknown_key_with_a_suggestion() {
    let p = Project::new();
    p.edit(
        "controls/c.yaml",
        "    frequency: quarterly\n",
        "    frequncy: quarterly\n",
    );
    let d = the_error(&p, "unknown-key");
    assert_eq!(d.at, "controls/c.yaml:5:5");
}

#[test]
fn duplicate_id() {
    let p = Project::new();
    p.edit("controls/c.yaml", "  - id: INH-01\n", "  - id: CUS-01\n");
    let d = the_error(&p, "duplicate-id");
    assert!(d.message.contains("CUS-01"), "{d:?}");
    assert!(d.at.starts_with("controls/c.yaml:8:"), "{d:?}");
}

#[test]
fn unknown_control() {
    let p = Project::new();
    p.edit("attestations/a.yaml", "control: SHR-01", "control: SHR-99");
    let d = the_error(&p, "unknown-control");
    assert_eq!(d.at, "attestations/a.yaml:9:14");
}

#[test]
fn unknown_requirement() {
    let p = Project::new();
    p.edit("controls/c.yaml", "soc2: [CC6.1]", "soc2: [CC6.99]");
    let d = the_error(&p, "unknown-requirement");
    assert_eq!(d.at, "controls/c.yaml:7:14");
}

#[test]
fn unknown_framework() {
    let p = Project::new();
    p.edit(
        "auditpack.yaml",
        "frameworks: [soc2]",
        "frameworks: [soc2, soc3]",
    );
    let d = the_error(&p, "unknown-framework");
    assert_eq!(d.at, "auditpack.yaml:6:20");
}

#[test]
fn unknown_service() {
    let p = Project::new();
    p.edit(
        "auditpack.yaml",
        "services: [s3, ec2]",
        "services: [s3, ec3]",
    );
    let d = the_error(&p, "unknown-service");
    assert_eq!(d.at, "auditpack.yaml:5:18");
}

#[test]
fn unknown_provider() {
    let p = Project::new();
    p.edit("auditpack.yaml", "provider: aws", "provider: awz");
    let errors = p.errors();
    let d = only(&errors, "unknown-provider");
    assert_eq!(d.at, "auditpack.yaml:4:13");
}

#[test]
fn bad_value() {
    let p = Project::new();
    p.edit("attestations/a.yaml", "status: implemented", "status: done");
    let d = the_error(&p, "bad-value");
    assert_eq!(d.at, "attestations/a.yaml:3:13");
}

#[test]
fn bad_date() {
    let p = Project::new();
    p.edit(
        "attestations/a.yaml",
        "date: 2026-09-01",
        "date: 2026-02-30",
    );
    let d = the_error(&p, "bad-date");
    assert_eq!(d.at, "attestations/a.yaml:5:11");
}

#[test]
fn bad_date_for_a_range_that_ends_before_it_starts() {
    let p = Project::new();
    p.edit("auditpack.yaml", "end: 2026-12-31", "end: 2025-12-31");
    let d = the_error(&p, "bad-date");
    assert!(d.at.starts_with("auditpack.yaml:1"), "{d:?}");
}

#[test]
fn bad_period() {
    let p = Project::new();
    p.edit("auditpack.yaml", "period: 2026-Q3", "period: 2026-Q5");
    let d = the_error(&p, "bad-period");
    assert_eq!(d.at, "auditpack.yaml:7:9");
}

#[test]
fn evidence_missing() {
    let p = Project::new();
    p.edit("attestations/a.yaml", "path: report.csv", "path: nope.csv");
    let d = the_error(&p, "evidence-missing");
    assert_eq!(d.at, "attestations/a.yaml:7:15");
}

#[test]
fn evidence_outside_root() {
    let p = Project::new();
    p.edit(
        "attestations/a.yaml",
        "path: report.csv",
        "path: ../auditpack.yaml",
    );
    let d = the_error(&p, "evidence-outside-root");
    assert_eq!(d.at, "attestations/a.yaml:7:15");
}

#[test]
fn evidence_hash_mismatch() {
    let p = Project::new();
    p.edit(
        "attestations/a.yaml",
        "        description: A report\n",
        &format!(
            "        description: A report\n        sha256: {}\n",
            "0".repeat(64)
        ),
    );
    let d = the_error(&p, "evidence-hash-mismatch");
    assert!(d.at.starts_with("attestations/a.yaml:9:"), "{d:?}");
}

#[test]
fn io_for_a_folder_the_project_names_that_does_not_exist() {
    let p = Project::new();
    p.edit(
        "auditpack.yaml",
        "controls: [controls/]",
        "controls: [controls/, more/]",
    );
    let d = the_error(&p, "io");
    assert!(d.at.starts_with("auditpack.yaml:9:"), "{d:?}");
    assert!(d.message.contains("more/"), "{d:?}");
}

#[test]
fn bad_library_for_a_library_control_that_declares_a_responsibility() {
    let p = Project::new();
    p.append("auditpack.yaml", "libraries: [lib/]\n").write(
        "lib/l.yaml",
        "controls:\n  - id: LIB-01\n    title: Library control\n    layers: [data]\n    responsibility: customer\n    frequency: annually\n    frameworks:\n      soc2: [CC6.2]\n",
    );
    let errors = p.errors();
    let d = only(&errors, "bad-library");
    assert!(d.at.starts_with("lib/l.yaml:"), "{d:?}");
}

#[test]
fn provider_attestation_placeholder() {
    let p = Project::new();
    p.edit("auditpack.yaml", "start: 2026-01-01", "start: YYYY-MM-DD")
        .edit("auditpack.yaml", "end: 2026-12-31", "end: YYYY-MM-DD");
    let errors = match p.read("2026-09-30") {
        support::project::Read::Invalid(ds) => ds,
        support::project::Read::Resolved(_, f) => f,
    };
    let d = only(&errors, "provider-attestation-placeholder");
    assert!(d.message.contains("aws-soc2"), "{d:?}");
    assert!(d.at.starts_with("auditpack.yaml:1"), "{d:?}");
}

#[test]
fn control_override_is_a_note() {
    let p = Project::new();
    p.edit("auditpack.yaml", "baseline: false", "baseline: true")
        .edit("controls/c.yaml", "  - id: INH-01\n", "  - id: IAM-01\n");
    let (_, findings) = p.resolve("2026-09-30");
    let d = only(&findings, "control-override");
    assert_eq!(d.severity, "note");
    assert!(d.message.contains("IAM-01"), "{d:?}");
    assert!(d.at.starts_with("controls/c.yaml:8:"), "{d:?}");
}

#[test]
fn unknown_check_is_a_warning() {
    let p = Project::new();
    p.edit(
        "controls/c.yaml",
        "      soc2: [CC6.1]\n",
        "      soc2: [CC6.1]\n    checks:\n      prowler: [s3_bucket_no_such_check]\n",
    );
    let (_, findings) = p.resolve("2026-09-30");
    let d = only(&findings, "unknown-check");
    assert_eq!(d.severity, "warning");
    assert_eq!(d.at, "controls/c.yaml:9:17");
}

#[test]
fn problems_in_several_files_are_reported_together() {
    let p = Project::new();
    p.edit("controls/c.yaml", "layers: [data]", "layers: [dta]")
        .edit("attestations/a.yaml", "status: implemented", "status: done")
        .edit(
            "attestations/a.yaml",
            "date: 2026-09-01",
            "date: 2026-13-01",
        );
    let mut codes: Vec<String> = p.errors().into_iter().map(|d| d.code).collect();
    codes.sort();
    assert_eq!(codes, ["bad-date", "bad-value", "bad-value"]);
}

/// Every diagnostic code has a test that makes it: in this file, in
/// `tests/resolve.rs`, in a `tests/cases/bad/*/expected` or in
/// `tests/ingest.rs`. A new code fails here until it has one.
#[test]
fn every_code_is_made_by_a_test() {
    let root = support::sample::root();
    let mut text = String::new();
    for f in ["tests/validate.rs", "tests/resolve.rs", "tests/ingest.rs"] {
        text.push_str(&std::fs::read_to_string(root.join(f)).unwrap());
    }
    for e in std::fs::read_dir(root.join("tests/cases/bad")).unwrap() {
        let expected = e.unwrap().path().join("expected");
        text.push_str(&std::fs::read_to_string(expected).unwrap());
    }
    let untested: Vec<&str> = auditpack::diag::Code::ALL
        .iter()
        .map(|c| c.name())
        .filter(|name| {
            !text.contains(&format!("\"{name}\"")) && !text.contains(&format!("[{name}]"))
        })
        .collect();
    assert!(untested.is_empty(), "codes no test makes: {untested:?}");
}
