//! The rules of `resolve` on small projects (`support::project`), as
//! `docs/coverage.md` states them: each requirement's status and
//! responsibility, evidence freshness, provider coverage and bridge letters,
//! and the summaries that count them. Each test changes one thing of the
//! valid project and checks the figures an auditor would test.

use crate::support;

use serde_json::Value;
use support::project::{control, framework, only, requirement, with_code, Project};

const AS_OF: &str = "2026-09-30";

fn ids(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

/// An attestation of `control` in the shape of `ATTESTATIONS_YAML`.
fn attestation(control: &str, status: &str, date: &str) -> String {
    format!(
        "  - control: {control}\n    status: {status}\n    attested_by: Test Person <t@example.com>\n    date: {date}\n    evidence:\n      - path: report.csv\n        description: A report\n"
    )
}

/// A customer control on the data layer mapped to `soc2` `req`.
fn customer_control(id: &str, req: &str) -> String {
    format!(
        "  - id: {id}\n    title: Another customer control\n    layers: [data]\n    frequency: quarterly\n    frameworks:\n      soc2: [{req}]\n"
    )
}

#[test]
fn each_kind_of_control_meets_its_requirement_with_its_responsibility() {
    let (m, findings) = Project::new().resolve(AS_OF);
    for (req, control, resp) in [
        ("CC6.1", "CUS-01", "customer"),
        ("CC6.4", "INH-01", "inherited"),
        ("CC6.7", "SHR-01", "shared"),
    ] {
        let r = requirement(&m, "soc2", req);
        assert_eq!(r["status"], "met", "{req}: {}", r["reason"]);
        assert_eq!(r["responsibility"], resp, "{req}");
        assert_eq!(ids(&r["controls"]), [control], "{req}");
        assert_eq!(control_responsibility(&m, control), resp);
    }
    // Provider parts rest on the provider's SOC 2 report; a customer
    // control needs none.
    assert_eq!(
        ids(&requirement(&m, "soc2", "CC6.4")["provider_attestations"]),
        ["aws-soc2"]
    );
    assert_eq!(
        ids(&requirement(&m, "soc2", "CC6.7")["provider_attestations"]),
        ["aws-soc2"]
    );
    assert!(ids(&requirement(&m, "soc2", "CC6.1")["provider_attestations"]).is_empty());
    // Every other requirement is a gap, each with a located finding.
    let gap = requirement(&m, "soc2", "CC1.1");
    assert_eq!(gap["status"], "gap");
    assert!(gap["responsibility"].is_null());
    assert!(gap["controls"].as_array().unwrap().is_empty());
    let gaps = with_code(&findings, "requirement-gap");
    assert_eq!(gaps.len(), 61 - 3, "{gaps:#?}");
    assert!(findings
        .iter()
        .all(|d| d.code == "requirement-gap" && d.severity == "error"));
}

fn control_responsibility(m: &Value, id: &str) -> String {
    let c = control(m, id);
    c["responsibility"]
        .as_str()
        .or(c["derived"].as_str())
        .unwrap_or_else(|| panic!("{id}: no responsibility in {c}"))
        .to_string()
}

#[test]
fn summary_counts_the_statuses_and_rounds_coverage_down() {
    let (m, _) = Project::new().resolve(AS_OF);
    let s = &framework(&m, "soc2")["summary"];
    assert_eq!(s["requirements"], 61);
    assert_eq!(s["requirements_met"], 3);
    assert_eq!(s["requirements_partial"], 0);
    assert_eq!(s["requirements_gap"], 58);
    assert_eq!(s["requirements_na"], 0);
    // 3 of 61 is 4.9 %: rounded down.
    assert_eq!(s["coverage_percent"], 4);
    assert_eq!(s["controls"], 3);
    assert_eq!(
        (&s["customer"], &s["shared"], &s["inherited"]),
        (&Value::from(1), &Value::from(1), &Value::from(1))
    );
    // One framework: the package summary says the same.
    let all = &m["summary"];
    for k in [
        "requirements",
        "requirements_met",
        "requirements_gap",
        "coverage_percent",
    ] {
        assert_eq!(all[k], s[k], "{k}");
    }
    assert_eq!(all["implemented"], 2, "the two attested controls");
    assert_eq!(all["fresh"], 2);
    assert_eq!(all["errors"], 58, "one per requirement gap");
}

#[test]
fn not_applicable_requirements_leave_the_denominator() {
    let p = Project::new();
    // Every group but CC6 out of scope: 3 of CC6's 8 requirements met.
    let groups = ["CC1", "CC2", "CC3", "CC4", "CC5", "CC7", "CC8", "CC9"];
    let mut na = String::from(
        "not_applicable:\n  soc2:\n    - reason: Outside the examination.\n      groups:\n",
    );
    for g in groups.iter().chain(["A1", "C1", "PI1"].iter()) {
        na.push_str(&format!("        - {g}\n"));
    }
    na.push_str("        - P1\n        - P2\n        - P3\n        - P4\n        - P5\n        - P6\n        - P7\n        - P8\n");
    p.append("auditpack.yaml", &na);
    let (m, findings) = p.resolve(AS_OF);
    let s = &framework(&m, "soc2")["summary"];
    let na = s["requirements_na"].as_u64().unwrap();
    let in_scope = 61 - na;
    assert_eq!(s["requirements_gap"].as_u64().unwrap(), in_scope - 3, "{s}");
    assert_eq!(s["coverage_percent"].as_u64().unwrap(), 300 / in_scope);
    let r = requirement(&m, "soc2", "CC1.1");
    assert_eq!(r["status"], "not-applicable");
    assert!(
        r["reason"]
            .as_str()
            .unwrap()
            .contains("Outside the examination."),
        "{}",
        r["reason"]
    );
    assert_eq!(
        with_code(&findings, "requirement-gap").len() as u64,
        in_scope - 3
    );
}

#[test]
fn every_control_of_a_requirement_must_qualify() {
    let p = Project::new();
    // A second control on CC6.1, attested long ago: its evidence is stale.
    p.append("controls/c.yaml", &customer_control("CUS-02", "CC6.1"))
        .append(
            "attestations/a.yaml",
            &attestation("CUS-02", "implemented", "2026-01-15"),
        );
    let (m, findings) = p.resolve(AS_OF);
    let r = requirement(&m, "soc2", "CC6.1");
    assert_eq!(r["status"], "partial", "{}", r["reason"]);
    assert_eq!(ids(&r["controls"]), ["CUS-01", "CUS-02"]);
    let stale = only(&findings, "stale-evidence");
    assert!(stale.message.contains("CUS-02"), "{stale:?}");
    assert!(stale.at.starts_with("attestations/a.yaml:"), "{stale:?}");
    assert_eq!(control(&m, "CUS-02")["freshness"], "stale");
    assert_eq!(framework(&m, "soc2")["summary"]["requirements_partial"], 1);
}

#[test]
fn a_control_attested_not_applicable_leaves_the_requirement() {
    let p = Project::new();
    p.append("controls/c.yaml", &customer_control("CUS-02", "CC6.1"))
        .append(
            "attestations/a.yaml",
            &attestation("CUS-02", "not-applicable", "2026-09-01"),
        );
    let (m, _) = p.resolve(AS_OF);
    let r = requirement(&m, "soc2", "CC6.1");
    assert_eq!(r["status"], "met", "{}", r["reason"]);
    assert_eq!(ids(&r["controls"]), ["CUS-01"]);
    assert_eq!(ids(&r["not_applicable_controls"]), ["CUS-02"]);

    // When every control of a requirement is not applicable, so is it.
    p.edit(
        "attestations/a.yaml",
        "  - control: CUS-01\n    status: implemented",
        "  - control: CUS-01\n    status: not-applicable",
    );
    let (m, _) = p.resolve(AS_OF);
    let r = requirement(&m, "soc2", "CC6.1");
    assert_eq!(r["status"], "not-applicable", "{}", r["reason"]);
    assert_eq!(framework(&m, "soc2")["summary"]["requirements_na"], 1);
}

#[test]
fn a_control_not_yet_implemented_leaves_its_requirement_a_gap() {
    for (status, finding) in [
        ("planned", None),
        ("not-implemented", Some("not-implemented")),
        ("partially-implemented", None),
    ] {
        let p = Project::new();
        p.edit(
            "attestations/a.yaml",
            "  - control: CUS-01\n    status: implemented",
            &format!("  - control: CUS-01\n    status: {status}"),
        );
        let (m, findings) = p.resolve(AS_OF);
        let r = requirement(&m, "soc2", "CC6.1");
        assert_eq!(r["status"], "gap", "{status}: {}", r["reason"]);
        if let Some(code) = finding {
            let d = only(&findings, code);
            assert!(d.message.contains("CUS-01"), "{d:?}");
            assert!(d.at.starts_with("attestations/a.yaml:"), "{d:?}");
        }
    }
}

#[test]
fn a_customer_control_without_an_attestation_is_a_gap_with_a_finding() {
    let p = Project::new();
    p.write(
        "attestations/a.yaml",
        format!(
            "attestations:\n{}",
            attestation("SHR-01", "implemented", "2026-09-01")
        ),
    );
    let (m, findings) = p.resolve(AS_OF);
    assert_eq!(requirement(&m, "soc2", "CC6.1")["status"], "gap");
    assert_eq!(control(&m, "CUS-01")["freshness"], "missing");
    let d = only(&findings, "no-attestation");
    assert!(d.message.contains("CUS-01"), "{d:?}");
    assert!(d.at.starts_with("controls/c.yaml:2:"), "{d:?}");
    assert_eq!(m["summary"]["not_attested"], 1);
}

#[test]
fn freshness_is_judged_30_days_ahead_of_the_as_of_date() {
    // Quarterly evidence dated 2026-09-01 is valid until 2026-12-01: fresh
    // while that is more than 30 days away, expiring up to that day.
    let p = Project::new();
    for (as_of, freshness, status) in [
        ("2026-09-30", "fresh", "met"),
        ("2026-10-31", "fresh", "met"),
        ("2026-11-01", "expiring", "met"),
        ("2026-12-01", "expiring", "met"),
        ("2026-12-02", "stale", "gap"),
    ] {
        let (m, findings) = p.resolve(as_of);
        assert_eq!(
            control(&m, "CUS-01")["freshness"],
            freshness,
            "CUS-01 at {as_of}"
        );
        assert_eq!(
            requirement(&m, "soc2", "CC6.1")["status"],
            status,
            "CC6.1 at {as_of}"
        );
        let stale = with_code(&findings, "stale-evidence");
        assert_eq!(
            stale.len(),
            usize::from(freshness == "stale") * 2,
            "{as_of}"
        );
    }
}

#[test]
fn valid_until_replaces_the_frequency() {
    let p = Project::new();
    p.edit(
        "attestations/a.yaml",
        "    date: 2026-09-01\n",
        "    date: 2026-09-01\n    valid_until: 2026-09-29\n",
    );
    let (m, findings) = p.resolve(AS_OF);
    assert_eq!(control(&m, "CUS-01")["freshness"], "stale");
    assert!(only(&findings, "stale-evidence").message.contains("CUS-01"));
}

#[test]
fn an_exception_past_its_remediation_date_disqualifies_the_control() {
    let p = Project::new();
    let exceptions = "    exceptions:\n      - id: EXC-1\n        description: One bucket unencrypted\n        remediation_due: DUE\n";
    p.edit(
        "attestations/a.yaml",
        "        description: A report\n",
        &format!(
            "        description: A report\n{}",
            exceptions.replace("DUE", "2026-10-15")
        ),
    );
    let (m, findings) = p.resolve(AS_OF);
    assert!(with_code(&findings, "exception-past-due").is_empty());
    assert_eq!(m["summary"]["open_exceptions"], 1);
    assert_eq!(requirement(&m, "soc2", "CC6.1")["status"], "met");

    let (m, findings) = p.resolve("2026-10-20");
    let d = only(&findings, "exception-past-due");
    assert!(d.message.contains("EXC-1"), "{d:?}");
    assert!(d.at.starts_with("attestations/a.yaml:"), "{d:?}");
    assert_eq!(d.severity, "error");
    assert_eq!(m["summary"]["past_due_exceptions"], 1);
    assert_eq!(requirement(&m, "soc2", "CC6.1")["status"], "gap");
}

#[test]
fn an_attestation_dated_after_the_as_of_date_proves_nothing() {
    let p = Project::new();
    p.edit(
        "attestations/a.yaml",
        "    date: 2026-09-01\n",
        "    date: 2026-09-20\n",
    );
    let (m, findings) = p.resolve("2026-09-10");
    let d = only(&findings, "future-dated");
    assert_eq!(d.severity, "error");
    assert!(d.message.contains("CUS-01") && d.message.contains("2026-09-20"));
    assert_eq!(requirement(&m, "soc2", "CC6.1")["status"], "gap");
}

#[test]
fn declaring_inherited_what_the_customer_runs_is_a_boundary_error() {
    let p = Project::new();
    p.edit(
        "controls/c.yaml",
        "    layers: [data]\n",
        "    layers: [data]\n    responsibility: inherited\n",
    );
    let (m, findings) = p.resolve(AS_OF);
    let d = only(&findings, "boundary-error");
    assert_eq!(d.severity, "error");
    assert!(
        d.message.contains("CUS-01") && d.message.contains("data"),
        "{d:?}"
    );
    assert!(d.at.starts_with("controls/c.yaml:"), "{d:?}");
    assert_ne!(requirement(&m, "soc2", "CC6.1")["status"], "met");
}

#[test]
fn another_declared_difference_is_a_note_and_the_declaration_wins() {
    let p = Project::new();
    p.edit(
        "controls/c.yaml",
        "    layers: [data]\n",
        "    layers: [data]\n    responsibility: shared\n",
    );
    let (m, findings) = p.resolve(AS_OF);
    let d = only(&findings, "responsibility-differs");
    assert_eq!(d.severity, "note");
    assert!(d.message.contains("CUS-01"), "{d:?}");
    assert_eq!(requirement(&m, "soc2", "CC6.1")["responsibility"], "shared");
}

#[test]
fn provider_attestations_of_another_framework_back_nothing() {
    let p = Project::new();
    p.edit(
        "auditpack.yaml",
        "    framework: soc2\n",
        "    framework: pci-dss-4\n",
    )
    .edit(
        "auditpack.yaml",
        "frameworks: [soc2]",
        "frameworks: [soc2, pci-dss-4]",
    );
    let (m, findings) = p.resolve(AS_OF);
    // No SOC 2 report at all: an error, and no provider part is backed.
    let d = with_code(&findings, "bridge-letter-needed");
    assert!(
        d.iter()
            .any(|d| d.severity == "error" && d.message.contains("SOC 2")),
        "{d:#?}"
    );
    for req in ["CC6.4", "CC6.7"] {
        let r = requirement(&m, "soc2", req);
        assert_ne!(r["status"], "met", "{req}: {}", r["reason"]);
        assert!(ids(&r["provider_attestations"]).is_empty(), "{req}");
    }
    // The customer control needs no provider report.
    assert_eq!(requirement(&m, "soc2", "CC6.1")["status"], "met");
}

/// The project with its SOC 2 report covering `start` to `end`.
fn provider_covering(start: &str, end: &str) -> Project {
    let p = Project::new();
    p.edit(
        "auditpack.yaml",
        "start: 2026-01-01",
        &format!("start: {start}"),
    )
    .edit("auditpack.yaml", "end: 2026-12-31", &format!("end: {end}"));
    p
}

#[test]
fn a_report_ending_inside_the_period_is_a_warning_naming_the_days() {
    let p = provider_covering("2025-10-01", "2026-09-20");
    let (m, findings) = p.resolve(AS_OF);
    let d = only(&findings, "bridge-letter-needed");
    assert_eq!(d.severity, "warning");
    assert!(
        d.message.contains("2026-09-21 to 2026-09-30 (10 days)"),
        "{d:?}"
    );
    assert!(d.at.starts_with("auditpack.yaml:"), "{d:?}");
    let pa = &m["provider_attestations"][0];
    assert_eq!(pa["coverage"], "ends-early");
    let uncovered = &framework(&m, "soc2")["provider_uncovered"];
    assert_eq!(uncovered.as_array().unwrap().len(), 1, "{uncovered}");
    assert_eq!(m["summary"]["bridge_letter_needed"], true);
    // Provider parts are unverified for those days.
    assert_ne!(requirement(&m, "soc2", "CC6.4")["status"], "met");
}

#[test]
fn a_report_ending_before_the_period_is_an_error() {
    let p = provider_covering("2025-04-01", "2026-03-31");
    let (m, findings) = p.resolve(AS_OF);
    let d = only(&findings, "bridge-letter-needed");
    assert_eq!(d.severity, "error");
    assert_eq!(m["provider_attestations"][0]["coverage"], "ends-before");
}

#[test]
fn a_bridge_letter_for_the_missing_days_clears_the_finding() {
    let p = provider_covering("2025-10-01", "2026-09-20");
    p.edit(
        "auditpack.yaml",
        "      end: 2026-09-20\n",
        "      end: 2026-09-20\n    bridge_letter:\n      covers:\n        start: 2026-09-21\n        end: 2026-12-31\n      evidence: bridge.pdf\n",
    )
    .write("evidence/bridge.pdf", "letter");
    let (m, findings) = p.resolve(AS_OF);
    assert!(
        with_code(&findings, "bridge-letter-needed").is_empty(),
        "{findings:#?}"
    );
    assert_eq!(m["provider_attestations"][0]["coverage"], "bridged");
    assert!(framework(&m, "soc2")["provider_uncovered"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(requirement(&m, "soc2", "CC6.4")["status"], "met");
    assert_eq!(m["summary"]["bridge_letter_needed"], false);

    // A letter that stops short still leaves the last days uncovered.
    p.edit("auditpack.yaml", "end: 2026-12-31", "end: 2026-09-27");
    let (_, findings) = p.resolve(AS_OF);
    let d = only(&findings, "bridge-letter-needed");
    assert_eq!(d.severity, "warning");
    assert!(
        d.message.contains("2026-09-28 to 2026-09-30 (3 days)"),
        "{d:?}"
    );
}

#[test]
fn two_reports_that_together_cover_the_period_need_no_letter() {
    let p = provider_covering("2025-10-01", "2026-08-15");
    p.edit(
        "auditpack.yaml",
        "provider_attestations:\n",
        "provider_attestations:\n  - id: aws-soc2-next\n    framework: soc2\n    covers:\n      start: 2026-08-16\n      end: 2027-08-15\n",
    );
    let (m, findings) = p.resolve(AS_OF);
    assert!(
        with_code(&findings, "bridge-letter-needed").is_empty(),
        "{findings:#?}"
    );
    let r = requirement(&m, "soc2", "CC6.4");
    assert_eq!(r["status"], "met", "{}", r["reason"]);
    let mut backing = ids(&r["provider_attestations"]);
    backing.sort_unstable();
    assert_eq!(backing, ["aws-soc2", "aws-soc2-next"]);
}
