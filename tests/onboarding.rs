//! The first hour: `init` and the next steps `check` prints, then a
//! project's own frameworks — a catalog written by hand and an OSCAL profile
//! imported into it — built without rebuilding auditpack.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;
use support::files::copy_tree;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn auditpack() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_auditpack"));
    c.current_dir(root()).env_remove("SOURCE_DATE_EPOCH");
    c
}

fn check(dir: &Path, extra: &[&str]) -> (i32, String) {
    let o = auditpack()
        .arg("check")
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The number in "Attest the N built-in controls".
fn awaiting(text: &str) -> usize {
    let rest = text
        .split("Attest the ")
        .nth(1)
        .expect("a step to attest controls");
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn init_then_check_prints_short_next_steps_that_shrink() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let o = auditpack()
        .args(["init"])
        .arg(&dir)
        .args([
            "--frameworks",
            "soc2,pci-dss-4",
            "--services",
            "ec2,s3,iam,cloudtrail",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let project = fs::read_to_string(dir.join("auditpack.yaml")).unwrap();
    assert!(
        project.contains("frameworks: [soc2, pci-dss-4]"),
        "{project}"
    );
    assert!(project.contains("services: [ec2, s3, iam, cloudtrail]"));
    // Provider attestations are placeholders, never invented dates.
    assert_eq!(
        project
            .matches("covers: {start: YYYY-MM-DD, end: YYYY-MM-DD}")
            .count(),
        2
    );

    let (code, text) = check(&dir, &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.lines().count() <= 15,
        "{} lines:\n{text}",
        text.lines().count()
    );
    assert!(text.starts_with("Next steps for"), "{text}");
    assert!(text.contains("from AWS Artifact"), "{text}");
    assert!(text.contains("Identity and access management ("), "{text}");
    let before = awaiting(&text);
    assert!(before > 50, "{text}");

    // One attestation of a built-in control: one item fewer.
    let folder = fs::read_dir(dir.join("attestations"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    fs::write(
        dir.join("evidence/credential-report.csv"),
        "user,mfa_active\nalice,true\n",
    )
    .unwrap();
    let date = fs::read_to_string(folder.join("app.yaml"))
        .unwrap()
        .lines()
        .find_map(|l| l.trim().strip_prefix("date: ").map(str::to_string))
        .unwrap();
    fs::write(
        folder.join("iam.yaml"),
        format!(
            "attestations:\n  - control: IAM-01\n    status: implemented\n    attested_by: A <a@example.com>\n    date: {date}\n    evidence:\n      - path: credential-report.csv\n"
        ),
    )
    .unwrap();
    let (code, text) = check(&dir, &[]);
    assert_eq!(code, 1, "{text}");
    assert_eq!(awaiting(&text), before - 1, "{text}");

    // --strict: every control awaiting an attestation is an error again.
    let (code, strict) = check(&dir, &["--strict"]);
    assert_eq!(code, 1);
    assert_eq!(strict.matches("error[no-attestation]").count(), before - 1);
    let (_, json) = {
        let o = auditpack()
            .arg("check")
            .arg(&dir)
            .args(["--format", "json"])
            .output()
            .unwrap();
        (o.status.code(), String::from_utf8(o.stdout).unwrap())
    };
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let todos = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "no-attestation")
        .inspect(|d| assert_eq!(d["severity"], "note", "{d}"))
        .count();
    assert_eq!(todos, before - 1);
}

#[test]
fn init_refuses_unknown_ids_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new");
    let o = auditpack()
        .args(["init"])
        .arg(&dir)
        .args(["--frameworks", "soc3", "--services", "ec2"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `soc2`?"));
    assert!(!dir.exists());
}

const INTERNAL: &str = "framework:
  id: acme-internal
  title: Acme Internal Security Standard
  short: Acme ISS
  version: \"2026.1\"
  source: Acme Corp security office
groups:
  - id: ISS-A
    title: Access
requirements:
  - id: ISS-A.1
    group: ISS-A
    title: Multi-factor authentication for every human user
  - id: ISS-A.2
    group: ISS-A
    title: Quarterly access reviews
";

#[test]
fn a_project_builds_its_own_framework_and_an_imported_oscal_profile() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("acme");
    copy_tree(&root().join("samples/acme"), &project);
    fs::create_dir_all(project.join("frameworks")).unwrap();
    fs::write(project.join("frameworks/acme-internal.yaml"), INTERNAL).unwrap();
    let o = auditpack()
        .args([
            "import",
            "oscal",
            "tests/fixtures/oscal/mini-profile.json",
            "--id",
            "mini-moderate",
            "--into",
        ])
        .arg(&project)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let imported = fs::read_to_string(project.join("frameworks/mini-moderate.yaml")).unwrap();
    assert!(imported.contains("Mini Moderate Baseline"));
    for id in ["AC-1", "AC-2", "AC-2(2)", "AU-2"] {
        assert!(
            imported.contains(&format!("id: {id}\n")),
            "{id}:\n{imported}"
        );
    }
    assert!(
        !imported.contains("AC-2(1)") && !imported.contains("AU-3") && !imported.contains("PM-1")
    );
    // The statement, with the value the profile sets and without guidance.
    assert!(
        imported.contains("- a. Notify [Assignment: organization-defined personnel or roles] within twenty-four (24) hours when accounts"),
        "{imported}"
    );
    assert!(!imported.contains("Guidance is not part"), "{imported}");

    let yaml = fs::read_to_string(project.join("auditpack.yaml")).unwrap();
    let yaml = yaml.replace(
        "  - fedramp-moderate\n",
        "  - fedramp-moderate\n  - acme-internal\n  - mini-moderate\n",
    );
    fs::write(project.join("auditpack.yaml"), yaml).unwrap();
    let payments = fs::read_to_string(project.join("controls/payments.yaml")).unwrap();
    assert!(payments.contains("    frameworks:\n"));
    fs::write(
        project.join("controls/payments.yaml"),
        payments.replacen(
            "    frameworks:\n",
            "    frameworks:\n      acme-internal: [ISS-A.1]\n      mini-moderate: [AC-2]\n",
            1,
        ),
    )
    .unwrap();

    let out = tmp.path().join("pkg");
    let o = auditpack()
        .args(["build"])
        .arg(&project)
        .args(["--as-of", "2026-09-30", "--format", "md,html", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let internal = fs::read_to_string(out.join("frameworks/acme-internal.md")).unwrap();
    assert!(internal.contains("ISS-A.1") && internal.contains("Acme Internal Security Standard"));
    assert!(
        !internal.contains("requirement statements"),
        "no statement, no section"
    );
    let mini = fs::read_to_string(out.join("frameworks/mini-moderate.md")).unwrap();
    assert!(mini.contains("AC-2"));
    // Statements are shown under the matrix, and the markup a catalog
    // brings is inert: escaped in Markdown, sanitised in HTML.
    assert!(mini.contains("requirement statements"), "{mini}");
    assert!(
        mini.contains("- b. Monitor the use of accounts.")
            && mini.contains("within twenty-four (24) hours when accounts are no longer required &lt;script&gt;alert(1)&lt;/script&gt;;"),
        "{mini}"
    );
    let html = fs::read_to_string(out.join("frameworks/mini-moderate.html")).unwrap();
    assert!(
        html.contains("within twenty-four (24) hours when accounts"),
        "statement in the HTML report"
    );
    assert!(
        !html.contains("<script>alert(1)"),
        "catalog markup reached the HTML report"
    );
}

#[test]
fn a_framework_with_a_built_in_id_is_an_error_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("acme");
    copy_tree(&root().join("samples/acme"), &project);
    fs::create_dir_all(project.join("frameworks")).unwrap();
    fs::write(
        project.join("frameworks/mine.yaml"),
        INTERNAL.replace("id: acme-internal", "id: soc2"),
    )
    .unwrap();
    let (code, text) = check(&project, &["--as-of", "2026-09-30"]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("framework `soc2` has the id of a built-in framework"),
        "{text}"
    );
    assert!(text.contains("id: soc2-internal"), "{text}");

    let o = auditpack()
        .args([
            "import",
            "oscal",
            "tests/fixtures/oscal/mini-catalog.json",
            "--id",
            "soc2",
            "--into",
        ])
        .arg(&project)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--id soc2-internal"));
    assert!(!project.join("frameworks/soc2.yaml").exists());
}

/// NIST SP 800-53B Moderate and FedRAMP LI-SaaS, resolved against the
/// official NIST catalog in `../shared/data/oscal`: the counts of its README.
#[test]
#[ignore = "needs ../shared/data/oscal"]
fn official_profiles_resolve_to_their_baselines() {
    let data = root().join("../shared/data/oscal");
    assert!(data.is_dir(), "{} is missing", data.display());
    let catalog = data.join("nist-800-53-rev5/NIST_SP-800-53_rev5_catalog.json");
    for (profile, want) in [
        (
            "nist-800-53-rev5/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json",
            287,
        ),
        (
            "fedramp-rev5/FedRAMP_rev5_LI-SaaS-baseline_profile.json",
            156,
        ),
    ] {
        let o = auditpack()
            .args(["import", "oscal"])
            .arg(data.join(profile))
            .arg("--catalog")
            .arg(&catalog)
            .args(["--id", "imported"])
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{profile}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let yaml = String::from_utf8(o.stdout).unwrap();
        let count = yaml.matches("\n  group: ").count();
        assert_eq!(count, want, "{profile}");
    }
}
