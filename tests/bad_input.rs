//! Every bad input of DESIGN §5 gets a located error, exit code 1, no panic,
//! and nothing written. Cases live in `tests/cases/bad/<case>/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;
use support::files::copy_tree;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

/// Every file below `dir` with its bytes, to prove nothing changed.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let bytes = if e.path_is_symlink() || !e.file_type().is_file() {
                Vec::new()
            } else {
                fs::read(e.path()).unwrap()
            };
            (e.path().to_path_buf(), bytes)
        })
        .collect()
}

fn setup(project: &Path, spec: &str) {
    for line in spec.lines().filter(|l| !l.trim().is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["symlink", link, "->", target] => {
                std::os::unix::fs::symlink(target, project.join(link)).unwrap();
            }
            ["fifo", file] => {
                // Git keeps no empty folder: make the FIFO's parent first.
                if let Some(parent) = project.join(file).parent() {
                    std::fs::create_dir_all(parent).unwrap();
                }
                let st = std::process::Command::new("mkfifo")
                    .arg(project.join(file))
                    .status()
                    .unwrap();
                assert!(st.success());
            }
            ["huge", file, mib] => {
                let n: usize = mib.parse().unwrap();
                let mut text = String::from("controls:\n");
                let line = "# padding padding padding padding padding padding padding padding\n";
                while text.len() < n * 1024 * 1024 {
                    text.push_str(line);
                }
                fs::write(project.join(file), text).unwrap();
            }
            _ => panic!("unknown setup line: {line}"),
        }
    }
}

fn run_case(name: &str) {
    let case = cases_dir().join("bad").join(name);
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    copy_tree(&case, &project);
    let _ = fs::remove_file(project.join("expected"));
    let _ = fs::remove_file(project.join("setup"));
    if let Ok(spec) = fs::read_to_string(case.join("setup")) {
        setup(&project, &spec);
    }
    let expected = fs::read_to_string(case.join("expected")).unwrap();
    let before = snapshot(&project);
    let out = tmp.path().join("out");

    // Twice, with the caches of the first run read back by the second:
    // both say the same.
    let cache = tempfile::tempdir().unwrap();
    let check = || {
        Command::new(env!("CARGO_BIN_EXE_auditpack"))
            .current_dir(&project)
            .env("AUDITPACK_CACHE_DIR", cache.path())
            .args(["check", ".", "--as-of", "2026-09-30"])
            .output()
            .unwrap()
    };
    let (check, again) = (check(), check());
    assert_eq!(
        (check.status.code(), &check.stderr, &check.stdout),
        (again.status.code(), &again.stderr, &again.stdout),
        "{name}: a second check, from the caches, differs"
    );
    let build = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .current_dir(&project)
        .env("AUDITPACK_CACHE_DIR", cache.path())
        .args(["build", ".", "--as-of", "2026-09-30", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    for (what, o) in [("check", &check), ("build", &build)] {
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{name}: {what} exit code; stderr:\n{stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "{name}: {what} panicked:\n{stderr}"
        );
        for want in expected.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                stderr.contains(want),
                "{name}: {what} stderr lacks `{want}`:\n{stderr}"
            );
        }
        // The source line is shown under the first located diagnostic.
        if stderr.lines().next().is_some_and(|l| {
            l.contains(':')
                && l.split(':')
                    .nth(1)
                    .is_some_and(|n| n.parse::<u32>().is_ok())
        }) {
            assert!(
                stderr.contains(" | "),
                "{name}: {what} shows no source line:\n{stderr}"
            );
        }
    }
    assert!(!out.exists(), "{name}: build wrote {}", out.display());
    assert_eq!(
        snapshot(&project),
        before,
        "{name}: the input folder changed"
    );
    let leftovers: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers,
        vec![std::ffi::OsString::from("project")],
        "{name}: stray files"
    );
}

macro_rules! cases {
    ($($name:ident => $dir:literal),* $(,)?) => {
        $(#[test] fn $name() { run_case($dir); })*

        #[test]
        fn every_case_folder_has_a_test() {
            let mut dirs: Vec<String> = fs::read_dir(cases_dir().join("bad")).unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
            dirs.sort();
            let mut named = vec![$($dir.to_string()),*];
            named.sort();
            assert_eq!(dirs, named);
        }
    };
}

cases! {
    malformed_yaml => "malformed-yaml",
    unknown_key => "unknown-key",
    duplicate_id => "duplicate-id",
    unknown_control => "unknown-control",
    unknown_requirement => "unknown-requirement",
    unknown_framework => "unknown-framework",
    service_alias => "service-alias",
    unknown_service => "unknown-service",
    bad_date => "bad-date",
    bad_period => "bad-period",
    bad_status => "bad-status",
    missing_evidence => "missing-evidence",
    hash_mismatch => "hash-mismatch",
    evidence_dotdot => "evidence-dotdot",
    evidence_absolute => "evidence-absolute",
    evidence_symlink => "evidence-symlink",
    evidence_root_symlink => "evidence-root-symlink",
    alias_bomb => "alias-bomb",
    huge_file => "huge-file",
    not_utf8 => "not-utf8",
    many_errors_are_reported_together => "many-errors",
    bridge_letter_backwards => "bridge-letter-backwards",
    exception_id_reused => "exception-id-reused",
    control_id_pattern => "control-id-pattern",
    date_signed_year => "date-signed-year",
    evidence_fifo => "evidence-fifo",
    terminal_escape => "terminal-escape",
}

#[test]
fn the_valid_case_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let st = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .current_dir(cases_dir().join("valid"))
        .args([
            "build",
            ".",
            "--as-of",
            "2026-09-30",
            "--format",
            "md",
            "-q",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    assert!(out.join("manifest.json").is_file());
    assert!(out.join("evidence/report.csv").is_file());
}
