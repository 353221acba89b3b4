//! Packaging through the binary, on the small project of
//! `support::project`: what a package holds and what its manifest says, how
//! a package replaces the one before it, and that auditpack never deletes or
//! overwrites what it did not write. (`tests/safety.rs` covers crafted
//! output paths, zips and stages of killed builds.)

use crate::support;

use std::fs;
use std::path::Path;
use std::process::Output;
use support::files::{json, names, tree};
use support::project::Project;

/// `auditpack build PROJECT --as-of 2026-09-30 -o OUT --format FORMATS`,
/// run from the folder that holds the project.
fn build(p: &Project, out: &Path, formats: &str, extra: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .current_dir(p.parent())
        .env_remove("SOURCE_DATE_EPOCH")
        .arg("build")
        .arg(p.dir())
        .args(["--as-of", "2026-09-30", "--format", formats, "-o"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn built(p: &Project, out: &Path, formats: &str) {
    let o = build(p, out, formats, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn the_manifest_lists_every_file_with_its_true_size_and_digest() {
    let p = Project::new();
    let out = p.parent().join("pkg");
    built(&p, &out, "md");
    let files = tree(&out);
    for f in ["index.md", "report.md", "frameworks/soc2.md", "matrix.csv"] {
        assert!(files.contains_key(f), "{f} missing: {:?}", files.keys());
    }
    let m = json(&out.join("manifest.json"));
    let listed: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let on_disk: Vec<&str> = files
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "manifest.json")
        .collect();
    assert_eq!(listed, on_disk, "every file but the manifest, in order");
    for f in m["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        assert_eq!(f["size"], files[path].len(), "{path}");
        assert_eq!(
            f["sha256"],
            auditpack::sha256::bytes(&files[path]),
            "{path}"
        );
    }
    assert_eq!(m["as_of"], "2026-09-30");
    assert_eq!(m["period"], "2026-Q3");
    // The evidence is copied byte for byte under its own path.
    assert_eq!(files["evidence/report.csv"], b"user,mfa\nalice,true\n");
    assert_eq!(names(p.parent()), ["pkg", "project"], "no stage left");
}

#[test]
fn an_empty_folder_becomes_the_package() {
    let p = Project::new();
    let out = p.parent().join("empty");
    fs::create_dir(&out).unwrap();
    built(&p, &out, "md");
    assert!(out.join("manifest.json").is_file());
}

#[test]
fn a_rebuild_replaces_the_whole_package() {
    let p = Project::new();
    let out = p.parent().join("pkg");
    built(&p, &out, "md");
    built(&p, &out, "html");
    let files = tree(&out);
    assert!(files.contains_key("report.html"));
    assert!(
        !files.contains_key("report.md"),
        "files of the old package are not carried over"
    );
    // The new manifest lists exactly what is there.
    let m = json(&out.join("manifest.json"));
    assert_eq!(m["files"].as_array().unwrap().len(), files.len() - 1);
    assert_eq!(names(p.parent()), ["pkg", "project"]);
}

#[test]
fn a_package_with_an_edited_file_is_not_replaced() {
    let p = Project::new();
    let out = p.parent().join("pkg");
    built(&p, &out, "md");
    fs::write(out.join("report.md"), "my notes on the report\n").unwrap();
    let o = build(&p, &out, "md", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("report.md was changed since it was written"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(out.join("report.md")).unwrap(),
        "my notes on the report\n"
    );
}

#[test]
fn a_folder_of_other_files_is_not_replaced() {
    let p = Project::new();
    let out = p.parent().join("docs");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("letter.txt"), "keep").unwrap();
    let o = build(&p, &out, "md", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not a package auditpack wrote"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(&out), ["letter.txt"]);
    assert_eq!(names(p.parent()), ["docs", "project"], "no stage left");
}

#[test]
fn a_file_is_not_replaced_by_a_package() {
    let p = Project::new();
    let out = p.parent().join("report.txt");
    fs::write(&out, "keep").unwrap();
    let o = build(&p, &out, "md", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&out).unwrap(), "keep");
}

#[test]
fn the_output_may_not_hold_the_project() {
    let p = Project::new();
    let o = build(&p, p.parent(), "md", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("overlaps the input folder"),
        "{}",
        stderr(&o)
    );
    assert_eq!(names(p.parent()), ["project"]);
    let o = build(&p, &p.dir().join("evidence/out"), "md", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(names(&p.dir().join("evidence")), ["report.csv"]);
}

#[test]
fn a_failed_build_leaves_the_previous_package_as_it_was() {
    let p = Project::new();
    let out = p.parent().join("pkg");
    built(&p, &out, "md");
    let before = tree(&out);
    // A template that fails to render: the build stops after staging began.
    let tpl = p.parent().join("tpl/markdown");
    fs::create_dir_all(&tpl).unwrap();
    fs::write(tpl.join("report.md"), "{{ no_such_value.field }}\n").unwrap();
    let tpl = p.parent().join("tpl");
    let o = build(&p, &out, "md", &["--templates", tpl.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(tree(&out), before, "the package is unchanged");
    assert_eq!(
        names(p.parent()),
        ["pkg", "project", "tpl"],
        "no stage left"
    );
}

#[test]
fn input_errors_write_nothing() {
    let p = Project::new();
    p.edit("attestations/a.yaml", "status: implemented", "status: done");
    let out = p.parent().join("pkg");
    let o = build(&p, &out, "md", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("error[bad-value]"), "{}", stderr(&o));
    assert_eq!(names(p.parent()), ["project"]);
}
