//! `auditpack diff` follows evidence by identity: the monthly or quarterly
//! run of the same evidence is the same evidence, newer; what went stale is
//! a headline; only evidence no control cited before (or cites any more)
//! is new (or retired).

use std::path::PathBuf;
use std::process::Command;

use crate::support;

fn auditpack() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_auditpack"));
    c.current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .env_remove("SOURCE_DATE_EPOCH");
    c
}

/// The targets of the summary lines `evidence KIND: TARGET (…)`.
fn listed<'a>(out: &'a str, kind: &str) -> Vec<&'a str> {
    let prefix = format!("  evidence {kind}: ");
    out.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|l| l.split(" (").next().unwrap())
        .collect()
}

#[test]
fn quarterly_diff_follows_evidence_by_identity() {
    let o = auditpack()
        .args([
            "diff",
            "samples/acme",
            "samples/acme",
            "--old-period",
            "2026-Q2",
            "--new-period",
            "2026-Q3",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    // The headline, right after the coverage lines.
    let headline = out.lines().nth(5).unwrap();
    assert_eq!(
        headline,
        "  ACME-02: evidence went stale: lambda/pan-log-scan-*.md, s3/macie-pan-scan-*.json"
    );
    assert_eq!(
        listed(&out, "went-stale"),
        [
            "evidence/2026-Q3/lambda/pan-log-scan-2026-07.md",
            "evidence/2026-Q3/s3/macie-pan-scan-2026-07-19.json",
        ]
    );
    assert!(
        out.contains(
            "  evidence: 2 went stale, 0 fresh again, 36 new, 25 retired, 1 changed, 41 newer runs"
        ),
        "{out}"
    );
    // The monthly runs of BCK-01 are the same evidence, newer: not new.
    assert!(!out.contains("backup-jobs-2026-09.csv"), "{out}");
    assert_eq!(
        listed(&out, "new"),
        [
            "evidence/2026-Q3/backup/restore-test-2026-Q3.md",
            "evidence/2026-Q3/cloudtrail/event-selectors-2026-09-02.json",
            "evidence/2026-Q3/cloudwatch/security-alarms-2026-09-18.json",
            "evidence/2026-Q3/config/recorder-status-2026-09-28.json",
            "evidence/2026-Q3/dynamodb/token-vault-table-2026-09-14.json",
            "evidence/2026-Q3/endpoint/mdm-compliance-2026-09-18.csv",
            "evidence/2026-Q3/governance/poam-2026-09-30.csv",
            "evidence/2026-Q3/guardduty/detector-status-2026-09-20.json",
            "evidence/2026-Q3/hardening/cis-benchmark-al2023-2026-09-29.csv",
            "evidence/2026-Q3/hardening/sshd_config",
            "https://acme.atlassian.example/browse/SEC-4452",
            "https://acme.atlassian.example/browse/SEC-4471",
            "https://docs.pay.acme.example/rate-limits",
            "https://github.example/acme/infrastructure/blob/4be1f07/org/scp.tf",
            "https://wiki.acme.example/appsec/threat-models/rate-limit-v2",
            "https://wiki.acme.example/grc/risk-register",
            "https://wiki.acme.example/it/mfa-reset-procedure",
            "https://wiki.acme.example/people/aup-acceptance-2026",
            "https://wiki.acme.example/secops/aws-health-routing",
            "https://wiki.acme.example/security/crypto-architecture",
            "evidence/2026-Q3/iam/identity-center-mfa-settings-2026-09-15.json",
            "evidence/2026-Q3/iam/password-policy-2026-09-15.json",
            "evidence/2026-Q3/incident-response/tabletop-exercise-2026-08-19.md",
            "evidence/2026-Q3/kms/tokenisation-key-policy.json",
            "evidence/2026-Q3/lambda/tokenise-function-config-2026-09-14.json",
            "evidence/2026-Q3/network/firewall-ruleset-review-2026-Q3.md",
            "evidence/2026-Q3/network/route53-dnssec-2026-09-10.json",
            "evidence/2026-Q3/pentest/penetration-test-summary-2026.md",
            "evidence/2026-Q3/rds/describe-db-instances-2026-09-14.json",
            "evidence/2026-Q3/rds/parameter-group-acme-pg16-cde.txt",
            "evidence/2026-Q3/terraform/alb-tls-listener.tf",
            "evidence/2026-Q3/terraform/payments-api-rate-limit.tf",
            "evidence/2026-Q3/terraform/s3-baseline.tf",
            "evidence/2026-Q3/training/secure-coding-completion-2026-Q3.csv",
            "evidence/2026-Q3/training/security-awareness-completion-2026-Q3.csv",
            "evidence/2026-Q3/vendors/vendor-review-2026.csv",
        ]
    );
    assert_eq!(
        listed(&out, "retired"),
        [
            "https://acme.atlassian.example/browse/GRC-2026-Q2",
            "https://acme.atlassian.example/browse/SEC-4301",
            "https://github.example/acme/images/blob/main/al2023-cde.pkr.hcl",
            "https://github.example/acme/infrastructure",
            "https://github.example/acme/infrastructure/blob/main/org/scp.tf",
            "https://github.example/acme/payments-api/blob/main/tokenise/vault.py",
            "https://github.example/acme/payments-api/pull/2262",
            "https://github.example/acme/payments-api/tree/main/tokenise",
            "https://wiki.acme.example/appsec/dast/2026-06",
            "https://wiki.acme.example/appsec/pentest-2026-scope",
            "https://wiki.acme.example/appsec/threat-models/rate-limit-v1",
            "https://wiki.acme.example/grc/aws-artifact",
            "https://wiki.acme.example/grc/vendors",
            "https://wiki.acme.example/iam/access-analyzer-2026-06",
            "https://wiki.acme.example/iam/jit-elevation-2026-Q2",
            "https://wiki.acme.example/it/mdm-reports/2026-06",
            "https://wiki.acme.example/payments/detokenisation-reconciliation",
            "https://wiki.acme.example/platform/accounts",
            "https://wiki.acme.example/platform/dns",
            "https://wiki.acme.example/platform/eol-register",
            "https://wiki.acme.example/platform/logging",
            "https://wiki.acme.example/platform/runbooks",
            "https://wiki.acme.example/secops/responder-training",
            "evidence/2026-Q2/incident-response/post-incident-review-SEC-4312.md",
            "evidence/2026-Q2/training/security-awareness-new-hires-2026-Q2.csv",
        ]
    );
}

#[test]
fn ingested_scans_are_compared_check_by_check() {
    let (tmp, p) = support::sample::copy();
    // The June run of the same Prowler scan, when SSH was not yet open.
    let sept = "samples/acme/scans/prowler-output-111122223333-20260928061244.ocsf.json";
    let mut findings: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(sept)).unwrap(),
    )
    .unwrap();
    for f in &mut findings {
        let t = f["time"].as_i64().unwrap() - 92 * 86_400;
        f["time"] = t.into();
        f["time_dt"] = "2026-06-28T06:12:44.000000".into();
        if f["metadata"]["event_code"]
            == "ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22"
        {
            f["status_code"] = "PASS".into();
        }
    }
    let june = tmp
        .path()
        .join("prowler-output-111122223333-20260628061244.ocsf.json");
    std::fs::write(&june, serde_json::to_string_pretty(&findings).unwrap()).unwrap();
    for (scan, period, as_of) in [
        (june.as_path(), "2026-Q2", "2026-06-30"),
        (std::path::Path::new(sept), "2026-Q3", "2026-09-30"),
    ] {
        let o = auditpack()
            .args(["ingest", "prowler"])
            .arg(scan)
            .arg("--project")
            .arg(&p)
            .args(["--period", period, "--as-of", as_of])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = auditpack()
        .arg("diff")
        .arg(&p)
        .arg(&p)
        .args(["--old-period", "2026-Q2", "--new-period", "2026-Q3"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    let scans: Vec<&str> = out.lines().filter(|l| l.starts_with("  scan ")).collect();
    assert_eq!(
        scans,
        ["  scan prowler check ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22: PASS → FAIL (1 failing)"]
    );
    // The September scan is the June scan, newer: neither new nor retired.
    assert!(
        !listed(&out, "new").iter().any(|t| t.contains("scans/")),
        "{out}"
    );
    assert!(
        !listed(&out, "retired").iter().any(|t| t.contains("scans/")),
        "{out}"
    );
}
