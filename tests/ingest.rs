//! `auditpack ingest`: the sample's scans (Prowler OCSF and CSV, Security
//! Hub ASFF, AWS Config) become exact proposed attestations and stored
//! evidence; a second ingest changes nothing; human files are never
//! overwritten; a malformed scan writes nothing.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const SCANS: &str = "samples/acme/scans";
const OCSF: &str = "prowler-output-111122223333-20260928061244.ocsf.json";
const CSV: &str = "prowler-output-111122223333-20260914054110.csv";
const ASFF: &str = "securityhub-findings-2026-09-27.asff.json";
const CONFIG: &str = "config-evaluations-2026-09-28.json";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn auditpack() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_auditpack"));
    c.current_dir(root()).env_remove("SOURCE_DATE_EPOCH");
    c
}

use crate::support;
use support::sample::copy as sample_copy;

/// `auditpack ingest TOOL FILE… --project PROJECT --as-of AS_OF EXTRA…`.
fn ingest_files(
    project: &Path,
    tool: &str,
    files: &[&Path],
    as_of: &str,
    extra: &[&std::ffi::OsStr],
) -> std::process::Output {
    let mut c = auditpack();
    c.args(["ingest", tool]).args(files);
    c.arg("--project")
        .arg(project)
        .args(["--as-of", as_of])
        .args(extra);
    c.output().unwrap()
}

/// Ingest sample scans at the end of 2026-Q3.
fn ingest(project: &Path, tool: &str, names: &[&str]) -> std::process::Output {
    let paths: Vec<PathBuf> = names.iter().map(|n| Path::new(SCANS).join(n)).collect();
    let files: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    ingest_files(project, tool, &files, "2026-09-30", &[])
}

/// `auditpack check PROJECT --as-of 2026-09-30`.
fn check(project: &Path) -> std::process::Output {
    auditpack()
        .arg("check")
        .arg(project)
        .args(["--as-of", "2026-09-30"])
        .output()
        .unwrap()
}

fn sha256(path: &Path) -> String {
    format!("{:x}", Sha256::digest(fs::read(path).unwrap()))
}

/// The proposed file's entries: (control, status, date), in file order.
fn entries(text: &str) -> Vec<(String, String, String)> {
    let field = |block: &str, key: &str| {
        block
            .lines()
            .find_map(|l| l.trim_start().strip_prefix(key))
            .map(|v| v.trim().trim_matches('"').to_string())
            .unwrap_or_default()
    };
    text.split("\n  - control: ")
        .skip(1)
        .map(|b| {
            let control = b.lines().next().unwrap().trim_matches('"').to_string();
            (control, field(b, "status:"), field(b, "date:"))
        })
        .collect()
}

fn expect(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter()
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
        .collect()
}

/// Every file below `dir` with its bytes.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), fs::read(e.path()).unwrap()))
        .collect()
}

#[test]
fn prowler_ocsf_proposes_exact_attestations_and_stores_the_scan() {
    let (_tmp, p) = sample_copy();
    let o = ingest(&p, "prowler", &[OCSF]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    let source = root().join(SCANS).join(OCSF);
    let digest = sha256(&source);
    let stored = format!("scans/prowler/2026-09-28-{}.json", &digest[..12]);
    assert_eq!(
        fs::read(p.join("evidence").join(&stored)).unwrap(),
        fs::read(&source).unwrap()
    );

    let text = fs::read_to_string(p.join("attestations/2026-Q3/scans.yaml")).unwrap();
    assert!(
        text.starts_with("# auditpack ingest: proposed attestations"),
        "{text}"
    );
    let d = "2026-09-28";
    assert_eq!(
        entries(&text),
        expect(&[
            ("DP-03", "implemented", d),
            ("ENC-01", "implemented", d),
            ("ENC-02", "partially-implemented", d),
            ("IAM-01", "implemented", d),
            ("LOG-01", "implemented", d),
            ("LOG-02", "implemented", d),
            ("LOG-04", "implemented", d),
            ("LOG-09", "implemented", d),
            ("NET-11", "partially-implemented", d),
        ])
    );
    // Every entry cites the stored scan with its digest.
    assert_eq!(text.matches(&format!("path: \"{stored}\"")).count(), 9);
    assert_eq!(text.matches(&format!("sha256: \"{digest}\"")).count(), 9);
    // Failing resources, muted ones counted as failing, and the exception stubs.
    assert!(text.contains(
        "      - `s3_bucket_kms_encryption`: 1 PASS, 1 FAIL (1 muted, counted as failing)\n        - failing: `arn:aws:s3:::acme-www` (muted)\n"
    ), "{text}");
    assert!(text.contains(
        "        - failing: `arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a1b2c3d4e5f60718`\n"
    ), "{text}");
    assert!(
        text.contains(&format!("      - id: \"SCAN-NET-11-{}\"", &digest[..8])),
        "{text}"
    );
    assert!(
        text.contains(
            "        checks: [\"ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22\"]"
        ),
        "{text}"
    );
    assert_eq!(text.matches("remediation_due: 2026-09-28").count(), 2);
    // MANUAL-only results propose nothing but a note.
    assert!(!text.contains("IR-08"));
    assert!(
        stderr.contains("note: IR-08: MANUAL results only"),
        "{stderr}"
    );

    // Idempotent: the second ingest changes no byte.
    let before = tree(&p);
    let o = ingest(&p, "prowler", &[OCSF]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("scans.yaml: unchanged"));
    assert_eq!(tree(&p), before);
}

#[test]
fn prowler_csv_asff_and_config_propose_exact_attestations() {
    let (_tmp, p) = sample_copy();
    let file = p.join("attestations/2026-Q3/scans.yaml");
    type Case<'a> = (&'a str, &'a str, &'a str, Vec<(&'a str, &'a str, &'a str)>);
    let cases: [Case; 3] = [
        (
            "prowler",
            CSV,
            "prowler",
            vec![
                ("BCK-01", "implemented", "2026-09-14"),
                ("BCK-04", "partially-implemented", "2026-09-14"),
                ("IAM-09", "implemented", "2026-09-14"),
            ],
        ),
        (
            "asff",
            ASFF,
            "securityhub",
            vec![
                ("CM-01", "implemented", "2026-09-27"),
                ("ENC-03", "implemented", "2026-09-27"),
                ("ENC-04", "partially-implemented", "2026-09-27"),
                ("IAM-01", "implemented", "2026-09-27"),
            ],
        ),
        (
            "config",
            CONFIG,
            "config",
            vec![
                ("ENC-03", "implemented", "2026-09-28"),
                ("NET-11", "partially-implemented", "2026-09-28"),
                ("VM-01", "partially-implemented", "2026-09-28"),
            ],
        ),
    ];
    let mut all = Vec::new();
    for (tool, name, dir, want) in cases {
        let o = ingest(&p, tool, &[name]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let digest = sha256(&root().join(SCANS).join(name));
        let ext = if name.ends_with(".csv") {
            "csv"
        } else {
            "json"
        };
        let stored = format!("scans/{dir}/{}-{}.{ext}", want[0].2, &digest[..12]);
        assert!(p.join("evidence").join(&stored).is_file(), "{stored}");
        all.extend(
            want.iter()
                .map(|(c, s, d)| (c.to_string(), s.to_string(), d.to_string())),
        );
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(&format!("sha256: \"{digest}\"")), "{text}");
    }
    all.sort();
    let text = fs::read_to_string(&file).unwrap();
    assert_eq!(entries(&text), all, "{text}");
    for failing in [
        "- failing: `arn:aws:rds:us-east-1:111122223333:db:acme-ledger-replica`",
        "- failing: `arn:aws:s3:::acme-www`",
        "- failing: `AWS::SSM::ManagedInstanceInventory i-03c4d5e6f7a8b9c0d`",
        "- failing: `AWS::EC2::SecurityGroup sg-0a1b2c3d4e5f60718`",
    ] {
        assert!(text.contains(failing), "{failing}\n{text}");
    }
    // The archived Security Hub finding and NOT_APPLICABLE Config result are left out.
    assert!(text.contains("- `EC2.8`: 1 PASS, 0 FAIL\n"), "{text}");
    assert!(!text.contains("sg-0b2c3d4e5f6071829"));

    // The project reads the proposals: `check` names the controls whose
    // human attestation says otherwise.
    let o = check(&p);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("warning[ingest-conflict]"), "{stderr}");
    assert!(
        stderr.contains("control `NET-11`: the scan of 2026-09-28 proposes partially-implemented"),
        "{stderr}"
    );
    assert!(!stderr.contains("error[yaml"), "{stderr}");
}

#[test]
fn muted_findings_covered_by_an_owned_exception_do_not_fail() {
    let (_tmp, p) = sample_copy();
    fs::write(
        p.join("attestations/2026-Q3/www-exception.yaml"),
        "attestations:\n  - control: ENC-02\n    status: implemented\n    attested_by: Kenji Watanabe <kenji.watanabe@acme.example>\n    date: 2026-09-14\n    exceptions:\n      - id: EXC-9\n        description: The public website bucket holds public content only; SSE-S3 accepted.\n        remediation_due: 2026-12-31\n        owner: Kenji Watanabe\n        checks: [s3_bucket_kms_encryption]\n",
    )
    .unwrap();
    let o = ingest(&p, "prowler", &[OCSF]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = fs::read_to_string(p.join("attestations/2026-Q3/scans.yaml")).unwrap();
    let enc02 = entries(&text)
        .into_iter()
        .find(|e| e.0 == "ENC-02")
        .unwrap();
    assert_eq!(enc02.1, "implemented");
    assert!(
        text.contains("(1 muted, covered by exception EXC-9)"),
        "{text}"
    );
}

#[test]
fn a_human_attestation_file_is_never_overwritten() {
    let (_tmp, p) = sample_copy();
    let human = p.join("attestations/2026-Q3/identity.yaml");
    let before = tree(&p);
    let scan = Path::new(SCANS).join(OCSF);
    let o = ingest_files(
        &p,
        "prowler",
        &[&scan],
        "2026-09-30",
        &["--out".as_ref(), human.as_os_str()],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("identity.yaml: was not written by `auditpack ingest`"),
        "{stderr}"
    );
    assert_eq!(tree(&p), before, "nothing may change");
}

#[test]
fn a_malformed_scan_is_refused_with_its_location_and_nothing_written() {
    let (tmp, p) = sample_copy();
    let before = tree(&p);
    let text = fs::read_to_string(root().join(SCANS).join(OCSF)).unwrap();
    // A finding without its status, then a truncated file.
    let bad = tmp.path().join("bad.ocsf.json");
    fs::write(&bad, text.replacen("\"status_code\": \"PASS\",", "", 1)).unwrap();
    let cut = tmp.path().join("cut.ocsf.json");
    fs::write(&cut, &text[..text.len() / 2]).unwrap();
    let csv = tmp.path().join("bad.csv");
    let rows = fs::read_to_string(root().join(SCANS).join(CSV)).unwrap();
    let mut lines: Vec<String> = rows.lines().map(str::to_string).collect();
    lines[3] = lines[3].replacen(';', "", 4);
    fs::write(&csv, lines.join("\n")).unwrap();
    for (file, want) in [
        (
            &bad,
            "bad.ocsf.json: line 91, column 3 (finding [0]): missing field `status_code`",
        ),
        (&cut, "cut.ocsf.json: line "),
        (&csv, "bad.csv: line 4, byte "),
    ] {
        let o = ingest_files(&p, "prowler", &[file], "2026-09-30", &[]);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(want), "{want}\n{stderr}");
        assert_eq!(tree(&p), before, "nothing may change");
    }
}

#[test]
fn a_scan_after_the_as_of_date_is_refused() {
    let (_tmp, p) = sample_copy();
    let before = tree(&p);
    let scan = Path::new(SCANS).join(OCSF);
    let o = ingest_files(&p, "prowler", &[&scan], "2026-09-15", &[]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the scan is dated 2026-09-28, after the as-of date 2026-09-15"),
        "{stderr}"
    );
    assert_eq!(tree(&p), before);
}

#[test]
fn unknown_check_ids_of_a_project_control_are_located_warnings() {
    let (_tmp, p) = sample_copy();
    let path = p.join("controls/payments.yaml");
    let text = fs::read_to_string(&path).unwrap();
    // ACME-01 names one real Prowler check and one misspelt one.
    let text = text.replacen(
        "    frequency: quarterly\n    owner: kenji.watanabe@acme.example\n",
        "    frequency: quarterly\n    owner: kenji.watanabe@acme.example\n    checks:\n      prowler: [dynamodb_tables_kms_cmk_encryption_enabled, iam_root_mfa_enable]\n",
        1,
    );
    fs::write(&path, &text).unwrap();
    let o = check(&p);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(
            "controls/payments.yaml:19:61: warning[unknown-check]: `iam_root_mfa_enable` is not a known prowler check"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("[unknown-check]").count(), 1, "{stderr}");
    assert!(
        stderr.contains("did you mean `iam_root_mfa_enabled`?"),
        "{stderr}"
    );
}

/// The ids `controls/checks/known-aws.yaml` lists for one scanner.
fn known_ids(tool: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct File {
        known: std::collections::BTreeMap<String, Vec<String>>,
    }
    let text = fs::read_to_string(root().join("controls/checks/known-aws.yaml")).unwrap();
    let file: File = serde_saphyr::from_str(&text).unwrap();
    file.known[tool].clone()
}

/// Every string found at `path` (keys; `*` walks an array) in a JSON value.
fn strings_at<'a>(v: &'a serde_json::Value, path: &[&str], out: &mut Vec<&'a str>) {
    match path.split_first() {
        None => out.extend(v.as_str()),
        Some((&"*", rest)) => {
            for item in v.as_array().into_iter().flatten() {
                strings_at(item, rest, out);
            }
        }
        Some((key, rest)) => {
            if let Some(next) = v.get(*key) {
                strings_at(next, rest, out);
            }
        }
    }
}

/// The check ids one sample scan names, read as the scanner wrote them.
fn sample_ids(file: &str, path: &[&str]) -> Vec<String> {
    let text = fs::read_to_string(root().join(SCANS).join(file)).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut ids = Vec::new();
    strings_at(&json, path, &mut ids);
    assert!(!ids.is_empty(), "{file}: no check id at {path:?}");
    ids.into_iter().map(str::to_owned).collect()
}

#[test]
fn sample_scans_name_only_real_check_ids() {
    let mut csv_ids = Vec::new();
    let mut rows = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_path(root().join(SCANS).join(CSV))
        .unwrap();
    let column = rows.headers().unwrap().iter().position(|h| h == "CHECK_ID");
    for row in rows.records() {
        csv_ids.extend(row.unwrap().get(column.unwrap()).map(str::to_owned));
    }
    let mut ocsf = sample_ids(OCSF, &["*", "metadata", "event_code"]);
    ocsf.extend(csv_ids);
    let asff = sample_ids(ASFF, &["Findings", "*", "Compliance", "SecurityControlId"]);
    let config_path = [
        "EvaluationResults",
        "*",
        "EvaluationResultIdentifier",
        "EvaluationResultQualifier",
        "ConfigRuleName",
    ];
    let config = sample_ids(CONFIG, &config_path);
    for (tool, ids) in [("prowler", ocsf), ("securityhub", asff), ("config", config)] {
        let known = known_ids(tool);
        let unknown: Vec<&String> = ids.iter().filter(|id| !known.contains(id)).collect();
        assert!(
            unknown.is_empty(),
            "{tool} ids not in known-aws.yaml: {unknown:?}"
        );
    }
}
