//! The synthetic S organisation builds, and `check` finds exactly what the
//! generator planted.

use std::collections::BTreeMap;
use std::process::Command;

#[test]
fn s_project_reports_exactly_the_planted_findings_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(["synth", "--size", "s", "--seed", "7"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let planted: BTreeMap<String, usize> =
        serde_json::from_slice(&std::fs::read(dir.join("planted.json")).unwrap()).unwrap();
    assert!(planted.values().sum::<usize>() >= 4, "{planted:?}");

    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .arg("check")
        .arg(&dir)
        .args(["--as-of", "2026-09-30", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for d in doc["diagnostics"].as_array().unwrap() {
        assert_eq!(
            d["kind"], "finding",
            "an input error in a generated project: {d}"
        );
        *found
            .entry(d["code"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(found, planted);

    let out = tmp.path().join("pkg");
    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .arg("build")
        .arg(&dir)
        .args(["--as-of", "2026-09-30", "--format", "md", "-q", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let evidence = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"].as_str().unwrap().starts_with("evidence/"))
        .count();
    assert_eq!(
        evidence, 1000,
        "the evidence of every attestation of the period is bundled"
    );
}

#[test]
fn the_generator_is_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["a", "b"] {
        let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
            .args(["synth", "--size", "s", "--seed", "3"])
            .arg(tmp.path().join(name))
            .output()
            .unwrap();
        assert!(o.status.success());
    }
    let tree = |d: std::path::PathBuf| -> Vec<(String, Vec<u8>)> {
        walkdir::WalkDir::new(&d)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(&d).unwrap().display().to_string(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(tree(tmp.path().join("a")), tree(tmp.path().join("b")));
}
