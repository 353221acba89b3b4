//! The figures an auditor tests, on the sample (`samples/acme --as-of
//! 2026-09-30`): which requirements are met, through which controls, and
//! that `--framework` packages one framework in every format.

use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support;
use support::sample::{build_with, package, root};

/// `auditpack build samples/acme --as-of 2026-09-30 -o OUT EXTRA…`, which
/// must succeed.
fn build(out: &Path, extra: &[&str]) {
    let o = build_with(out, extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn model() -> Value {
    support::sample::model().clone()
}

/// Every requirement of the model, by (framework, id).
fn requirements(model: &Value) -> Vec<Value> {
    model["frameworks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["groups"].as_array().unwrap().iter())
        .flat_map(|g| g["requirements"].as_array().unwrap().iter().cloned())
        .collect()
}

fn requirement(model: &Value, fw: &str, id: &str) -> Value {
    requirements(model)
        .into_iter()
        .find(|r| r["framework"] == fw && r["id"] == id)
        .unwrap_or_else(|| panic!("{fw} {id} missing"))
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn control<'a>(model: &'a Value, id: &str) -> &'a Value {
    model["controls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap()
}

#[test]
fn no_requirement_is_met_through_the_control_with_the_boundary_error() {
    let m = model();
    let through: Vec<String> = requirements(&m)
        .iter()
        .filter(|r| ids(&r["controls"]).contains(&"ACME-06".to_string()))
        .map(|r| {
            assert_ne!(
                r["status"], "met",
                "{} {} is met through ACME-06",
                r["framework"], r["id"]
            );
            format!(
                "{} {}",
                r["framework"].as_str().unwrap(),
                r["id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        through,
        [
            "soc2 CC6.8",
            "pci-dss-4 5.2.1",
            "pci-dss-4 5.3.1",
            "hipaa 164.308(a)(5)(ii)(B)",
            "fedramp-moderate SI-3"
        ]
    );
    for (fw, id) in [("pci-dss-4", "5.3.1"), ("fedramp-moderate", "SI-3")] {
        let r = requirement(&m, fw, id);
        assert_eq!(r["status"], "gap", "{fw} {id}");
        let reason = r["reason"].as_str().unwrap();
        assert!(reason.contains("ACME-06 (boundary error)"), "{reason}");
    }
}

#[test]
fn no_soc2_requirement_is_met_through_a_provider_part_and_the_headline_is_below_100() {
    let m = model();
    let soc2 = &m["frameworks"][0];
    assert_eq!(soc2["id"], "soc2");
    let pct = soc2["summary"]["coverage_percent"].as_u64().unwrap();
    assert!(pct < 100, "SOC 2 headline {pct} %");
    for r in requirements(&m).iter().filter(|r| r["framework"] == "soc2") {
        if r["status"] != "met" {
            continue;
        }
        for c in ids(&r["controls"]) {
            assert_eq!(
                control(&m, &c)["responsibility"],
                "customer",
                "SOC 2 {} is met through {c}, whose provider part no SOC 2 report covers",
                r["id"]
            );
        }
    }
    // The requirements the inherited controls carried before.
    for id in ["CC6.1", "CC6.4", "CC6.5", "CC6.6", "A1.2"] {
        let r = requirement(&m, "soc2", id);
        assert_ne!(r["status"], "met", "SOC 2 {id}");
        assert!(
            r["reason"]
                .as_str()
                .unwrap()
                .contains("provider part not covered by a SOC 2 provider attestation"),
            "SOC 2 {id}: {}",
            r["reason"]
        );
    }
    // The SOC 2 report names only SOC 2 provider reports; the control
    // sections (on the control pages) name each with its framework.
    let md = fs::read_to_string(package().join("frameworks/soc2.md")).unwrap();
    for other in [
        "aws-pci-dss-aoc-2026",
        "aws-hitrust-r2-2025",
        "aws-fedramp-moderate-pato-2026",
    ] {
        assert!(!md.contains(other), "the SOC 2 report names {other}");
    }
    let cards: String = fs::read_dir(package().join("controls"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| fs::read_to_string(p).unwrap())
        .collect();
    assert!(
        cards.contains("soc2 `aws-soc2-type2-2025h2-2026h1` (❌ ends before the period starts)")
    );
    // The SOC 2 report ends before the period starts: an error, not a warning.
    let finding = m["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "bridge-letter-needed")
        .unwrap();
    assert_eq!(finding["severity"], "error");
    assert!(finding["message"]
        .as_str()
        .unwrap()
        .contains("none of 2026-Q3"));
}

#[test]
fn a_stale_control_keeps_its_requirements_from_being_met() {
    let m = model();
    let r = requirement(&m, "soc2", "C1.1");
    assert_ne!(r["status"], "met");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("ACME-02 (stale evidence)"),
        "{}",
        r["reason"]
    );
}

#[test]
fn a_not_applicable_control_leaves_the_requirement_without_making_it_partial() {
    let m = model();
    for id in ["9.5.1", "9.5.1.1", "9.5.1.2", "9.5.1.3"] {
        let r = requirement(&m, "pci-dss-4", id);
        assert_eq!(r["status"], "not-applicable", "PCI {id}: {}", r["reason"]);
        assert_eq!(ids(&r["not_applicable_controls"]), ["PE-09"]);
    }
    let r = requirement(&m, "pci-dss-4", "9.5.1.2.1");
    assert_eq!(r["status"], "met", "{}", r["reason"]);
    assert_eq!(ids(&r["controls"]), ["RISK-02"]);
    assert_eq!(ids(&r["not_applicable_controls"]), ["PE-09"]);
}

#[test]
fn requirements_csv_has_one_row_per_requirement_with_its_reason() {
    let m = model();
    let csv = fs::read_to_string(package().join("requirements.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "framework,requirement,title,responsibility,status,controls,provider_attestations,reason"
    );
    assert_eq!(lines.count(), requirements(&m).len());
    assert!(csv.contains(
        "pci-dss-4,5.3.1,Anti-malware is kept current through automatic updates,shared,gap,ACME-06 VM-07,aws-pci-dss-aoc-2026,"
    ), "{csv}");
}

#[test]
fn every_report_explains_how_coverage_is_computed() {
    let readme = fs::read_to_string(root().join("README.md")).unwrap();
    let docs = fs::read_to_string(root().join("docs/coverage.md")).unwrap();
    let rules = fs::read_to_string(root().join("src/resolve/coverage.md")).unwrap();
    for (name, text) in [("README.md", &readme), ("docs/coverage.md", &docs)] {
        assert!(
            text.contains(rules.trim()),
            "{name} lacks the coverage rules"
        );
    }
    for report in ["report.md", "frameworks/soc2.md", "frameworks/hipaa.md"] {
        let md = fs::read_to_string(package().join(report)).unwrap();
        assert!(md.contains("## How coverage is computed"), "{report}");
        assert!(md.contains(rules.trim()), "{report}");
        assert!(md.contains("## Exceptions register"), "{report}");
    }
}

/// The requirement ids of `catalog` that occur in `text` as words.
fn ids_in(text: &str, catalog: &BTreeSet<String>) -> BTreeSet<String> {
    let boundary = |c: Option<char>| {
        c.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(')))
    };
    catalog
        .iter()
        .filter(|id| {
            text.match_indices(id.as_str()).any(|(i, _)| {
                boundary(text[..i].chars().next_back())
                    && boundary(text[i + id.len()..].chars().next())
            })
        })
        .cloned()
        .collect()
}

/// Requirement ids of PCI DSS, HIPAA and FedRAMP that SOC 2 does not share.
fn others_and_soc2() -> (BTreeSet<String>, BTreeSet<String>) {
    let m = model();
    let of = |fw: &str| -> BTreeSet<String> {
        requirements(&m)
            .iter()
            .filter(|r| r["framework"] == fw)
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    let soc2 = of("soc2");
    let others = ["pci-dss-4", "fedramp-moderate"]
        .iter()
        .flat_map(|f| of(f))
        .filter(|id| !soc2.contains(id) && id.contains(|c: char| c.is_ascii_alphabetic()))
        .collect();
    (others, soc2)
}

#[test]
fn framework_option_packages_only_that_framework_in_markdown_and_html() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    build(&out, &["--framework", "soc2", "--format", "md,html"]);
    let (others, soc2) = others_and_soc2();
    // The matrix is in the framework report; the whole package names no
    // other framework either.
    for report in ["report.md", "report.html"] {
        let text = fs::read_to_string(out.join(report)).unwrap();
        assert!(ids_in(&text, &others).is_empty(), "{report}");
        assert!(!text.contains("| **All**"), "one framework has no All row");
    }
    let md = fs::read_to_string(out.join("frameworks/soc2.md")).unwrap();
    let html = fs::read_to_string(out.join("frameworks/soc2.html")).unwrap();
    assert!(
        ids_in(&md, &others).is_empty(),
        "{:?}",
        ids_in(&md, &others)
    );
    assert!(
        ids_in(&html, &others).is_empty(),
        "{:?}",
        ids_in(&html, &others)
    );
    assert_eq!(ids_in(&md, &soc2), ids_in(&html, &soc2));
    assert_eq!(ids_in(&md, &soc2), soc2);
    assert!(
        html.contains("How coverage is computed</h2>")
            && html.contains("A control <strong>qualifies</strong> when"),
        "the HTML report explains the rules, as rendered Markdown"
    );
    assert!(html.contains(r#"<h2 id="exceptions-h">Exceptions register</h2>"#));
    let m: Value = serde_json::from_slice(&fs::read(out.join("model.json")).unwrap()).unwrap();
    assert_eq!(m["frameworks"].as_array().unwrap().len(), 1);
    assert_eq!(m["summary"]["requirements"], 61);
    let csv = fs::read_to_string(out.join("requirements.csv")).unwrap();
    assert!(csv.lines().skip(1).all(|l| l.starts_with("soc2,")));
}

#[test]
#[ignore = "needs pdftotext (poppler-utils)"]
fn framework_option_packages_only_that_framework_in_the_pdf_too() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    build(&out, &["--framework", "soc2", "--format", "md,pdf"]);
    let (others, soc2) = others_and_soc2();
    let md = fs::read_to_string(out.join("frameworks/soc2.md")).unwrap();
    let text = |pdf: &str| {
        let o = std::process::Command::new("pdftotext")
            .arg(out.join(pdf))
            .arg("-")
            .output()
            .expect("pdftotext runs");
        assert!(o.status.success());
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    for pdf in ["report.pdf", "frameworks/soc2.pdf"] {
        let t = text(pdf);
        assert!(
            ids_in(&t, &others).is_empty(),
            "{pdf}: {:?}",
            ids_in(&t, &others)
        );
    }
    assert_eq!(
        ids_in(&text("frameworks/soc2.pdf"), &soc2),
        ids_in(&md, &soc2)
    );
}

/// A copy of the sample with `edit` applied to the text of `file`.
fn edited_sample(file: &str, edit: impl Fn(&str) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    support::files::copy_tree(&support::sample::project(), tmp.path());
    let path = tmp.path().join(file);
    let text = fs::read_to_string(&path).unwrap();
    let new = edit(&text);
    assert_ne!(new, text, "the edit of {file} changed nothing");
    fs::write(&path, new).unwrap();
    tmp
}

/// `check --format json` of a project: its findings as (severity, code, message).
fn findings(dir: &Path) -> Vec<(String, String, String)> {
    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(["check", "--as-of", "2026-09-30", "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&o.stdout).unwrap();
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("severity"), s("code"), s("message"))
        })
        .collect()
}

/// The sample's SOC 2 report with a bridge letter from `start` to `end`.
fn with_bridge_letter(start: &str, end: &str) -> tempfile::TempDir {
    edited_sample("auditpack.yaml", |t| {
        t.replace(
            "      end: 2026-03-31\n",
            &format!(
                "      end: 2026-03-31\n    bridge_letter:\n      covers: {{start: {start}, end: {end}}}\n      evidence: provider/aws-soc2-bridge-letter-2026-07.pdf\n"
            ),
        )
    })
}

#[test]
fn a_recorded_bridge_letter_clears_the_finding_and_backs_the_provider_parts() {
    let dir = with_bridge_letter("2026-04-01", "2026-09-30");
    let f = findings(dir.path());
    assert!(
        !f.iter().any(|(_, code, _)| code == "bridge-letter-needed"),
        "{f:?}"
    );
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(["build", "--as-of", "2026-09-30", "--format", "md", "-o"])
        .arg(&out)
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m: Value = serde_json::from_slice(&fs::read(out.join("model.json")).unwrap()).unwrap();
    let r = requirement(&m, "soc2", "CC6.4");
    assert_eq!(r["status"], "met", "{}", r["reason"]);
    assert_eq!(r["responsibility"], "inherited");
    assert_eq!(
        ids(&r["provider_attestations"]),
        ["aws-soc2-type2-2025h2-2026h1"]
    );
    let pa = &m["provider_attestations"][0];
    assert_eq!(pa["coverage"], "bridged");
}

#[test]
fn a_bridge_letter_that_stops_short_is_a_warning_naming_the_uncovered_days() {
    let dir = with_bridge_letter("2026-04-01", "2026-09-20");
    let f = findings(dir.path());
    let (severity, _, message) = f
        .iter()
        .find(|(_, code, _)| code == "bridge-letter-needed")
        .expect("a bridge-letter finding");
    assert_eq!(severity, "warning");
    assert!(
        message.contains("2026-09-21 to 2026-09-30 (10 days)"),
        "{message}"
    );
}

#[test]
fn an_attestation_dated_after_the_as_of_date_is_an_error() {
    let dir = edited_sample("attestations/2026-Q3/identity.yaml", |t| {
        t.replacen("    date: 2026-09-15\n", "    date: 2026-10-05\n", 1)
    });
    let f = findings(dir.path());
    let (severity, _, message) = f
        .iter()
        .find(|(_, code, _)| code == "future-dated")
        .expect("a future-dated finding");
    assert_eq!(severity, "error");
    assert!(
        message.contains("`IAM-01`") && message.contains("2026-10-05"),
        "{message}"
    );
}

#[test]
fn the_matrix_shows_each_requirement_once_with_its_controls_beneath() {
    let md = fs::read_to_string(package().join("frameworks/soc2.md")).unwrap();
    let matrix = &md[md.find("\n## Responsibility matrix").unwrap()
        ..md.find("\n## Inherited controls").unwrap()];
    let title =
        "Organization attracts, develops and retains competent people in line with objectives";
    assert_eq!(matrix.matches(title).count(), 1, "the title of CC1.4 once");
    let rows: Vec<&str> = matrix
        .lines()
        .skip_while(|l| !l.contains(title))
        .take(7)
        .collect();
    assert!(rows[0].contains("| customer | ✅ met |"), "{}", rows[0]);
    let controls: Vec<&str> = rows[1..]
        .iter()
        .map(|l| l.split(['[', ']']).nth(1).unwrap())
        .collect();
    assert_eq!(
        controls,
        ["BC-03", "HR-01", "HR-02", "HR-08", "HR-09", "IR-02"]
    );
}
