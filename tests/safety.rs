//! Nothing lost, nothing forged: the output folder and zip never replace
//! what auditpack did not write, `verify` trusts nothing in a package,
//! `diff` verifies before it reads, and the caches cannot be fooled.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::process::Output;

use crate::support;
use support::files::names;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn auditpack() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_auditpack"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A copy of a folder of the repository (or of `tests/cases/valid`) in `to`.
fn copy_of(from: &Path, to: &Path) -> PathBuf {
    let st = std::process::Command::new("cp")
        .arg("-r")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(st.success());
    to.to_path_buf()
}

fn fixture() -> PathBuf {
    root().join("tests/cases/valid")
}

/// `auditpack build PROJECT -o OUT` (Markdown only, as of 2026-09-30).
fn build(cwd: &Path, project: &Path, out: &str, extra: &[&str]) -> Output {
    auditpack()
        .current_dir(cwd)
        .arg("build")
        .arg(project)
        .args(["--as-of", "2026-09-30", "--format", "md", "-o", out])
        .args(extra)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

#[test]
fn a_missing_folder_in_the_output_spelling_deletes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let project = copy_of(&root().join("samples/acme"), &tmp.path().join("P"));
    let mydocs = tmp.path().join("mydocs");
    fs::create_dir(&mydocs).unwrap();
    fs::write(mydocs.join("letter.txt"), "keep me").unwrap();
    let absolute = format!("{}/missing/../P", tmp.path().display());
    for out in [
        absolute.as_str(),
        "missing/../P",
        "nothere/../mydocs",
        "P/../P/out",
    ] {
        let o = build(tmp.path(), Path::new("P"), out, &[]);
        assert_eq!(o.status.code(), Some(2), "-o {out}: {}", text(&o));
    }
    assert!(
        project.join("auditpack.yaml").is_file(),
        "the project survives"
    );
    assert!(project.join("evidence").is_dir());
    assert_eq!(
        fs::read_to_string(mydocs.join("letter.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(
        names(tmp.path()),
        ["P", "mydocs"],
        "nothing created or left"
    );
}

#[test]
fn a_folder_with_a_foreign_manifest_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("manifest.json"), r#"{"files": []}"#).unwrap();
    fs::write(out.join("notes.txt"), "mine").unwrap();
    let o = build(tmp.path(), &fixture(), "out", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("not a package auditpack wrote"),
        "{}",
        text(&o)
    );
    assert_eq!(names(&out), ["manifest.json", "notes.txt"]);
}

#[test]
fn a_package_holding_a_file_it_does_not_list_is_not_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(build(tmp.path(), &fixture(), "pkg", &[]).status.success());
    fs::write(tmp.path().join("pkg/mine.txt"), "x").unwrap();
    let o = build(tmp.path(), &fixture(), "pkg", &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("mine.txt is not part of the package"),
        "{}",
        text(&o)
    );
    assert_eq!(
        fs::read_to_string(tmp.path().join("pkg/mine.txt")).unwrap(),
        "x"
    );
}

#[test]
fn bundle_never_replaces_a_zip_auditpack_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("pkg.zip"), "my own zip").unwrap();
    let o = build(tmp.path(), &fixture(), "pkg", &["--bundle"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(
        fs::read_to_string(tmp.path().join("pkg.zip")).unwrap(),
        "my own zip"
    );
    assert_eq!(names(tmp.path()), ["pkg.zip"]);
}

#[test]
fn the_zip_is_renamed_into_place_readable_by_all_and_rebuilt_over_its_own() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let o = build(tmp.path(), &fixture(), "pkg", &["--bundle"]);
        assert!(o.status.success(), "{}", text(&o));
        assert_eq!(
            names(tmp.path()),
            ["pkg", "pkg.zip"],
            "no temporary file left"
        );
    }
    let mode = fs::metadata(tmp.path().join("pkg.zip"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}

#[test]
fn stages_of_killed_builds_are_cleaned_or_reported() {
    let tmp = tempfile::tempdir().unwrap();
    // A stage whose process is gone (pid above any Linux pid_max).
    let stale = tmp.path().join(".auditpack-stage-4194305-abc");
    fs::create_dir_all(stale.join("package")).unwrap();
    fs::write(stale.join(".auditpack-stage"), "4194305\n").unwrap();
    // A folder that only looks like one: reported, never removed.
    let lookalike = tmp.path().join(".auditpack-mine");
    fs::create_dir(&lookalike).unwrap();
    fs::write(lookalike.join("keep.txt"), "x").unwrap();
    let o = build(tmp.path(), &fixture(), "pkg", &[]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(!stale.exists(), "the stale stage is removed");
    assert!(
        text(&o).contains("left by an interrupted build"),
        "{}",
        text(&o)
    );
    assert!(lookalike.join("keep.txt").is_file());
    assert!(
        text(&o).contains(".auditpack-mine looks like a leftover"),
        "{}",
        text(&o)
    );
}

/// A signed, bundled package of the fixture in `dir`: (folder, zip, public key).
fn signed(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let o = auditpack()
        .arg("keygen")
        .arg(dir.join("key"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let key = dir.join("key").to_string_lossy().into_owned();
    let o = build(dir, &fixture(), "pkg", &["--bundle", "--sign", &key]);
    assert!(o.status.success(), "{}", text(&o));
    (dir.join("pkg"), dir.join("pkg.zip"), dir.join("key.pub"))
}

fn verify(target: &Path, key: &Path) -> Output {
    auditpack()
        .arg("verify")
        .arg(target)
        .arg("--key")
        .arg(key)
        .output()
        .unwrap()
}

/// The entries of a zip: name, unix mode, bytes.
fn entries(zip: &Path) -> Vec<(String, u32, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let mut bytes = Vec::new();
            e.read_to_end(&mut bytes).unwrap();
            (
                e.name().unwrap().to_string(),
                e.unix_mode().unwrap_or(0o644),
                bytes,
            )
        })
        .collect()
}

/// Write `list` as a zip; a symlink entry has mode 0o120777 and its target as bytes.
fn write_zip(path: &Path, list: &[(String, u32, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, mode, bytes) in list {
        let opts = zip::write::SimpleFileOptions::default();
        if mode & 0o170000 == 0o120000 {
            w.add_symlink(name.as_str(), String::from_utf8_lossy(bytes), opts)
                .unwrap();
        } else {
            w.start_file(name.as_str(), opts.unix_permissions(*mode & 0o777))
                .unwrap();
            w.write_all(bytes).unwrap();
        }
    }
    w.finish().unwrap();
}

#[test]
fn a_forged_entry_before_the_genuine_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, zip, public) = signed(tmp.path());
    let genuine = entries(&zip);
    let mut forged = vec![("report.mX".to_string(), 0o644, b"# All fine\n".to_vec())];
    forged.extend(genuine);
    let path = tmp.path().join("forged.zip");
    write_zip(&path, &forged);
    // Give the forged entry the genuine one's name (names are not checksummed).
    let bytes = fs::read(&path).unwrap();
    fs::write(&path, replace_all(&bytes, b"report.mX", b"report.md")).unwrap();
    let o = verify(&path, &public);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("two entries of the same name"),
        "{}",
        text(&o)
    );
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn entries_that_leave_the_folder_or_are_links_are_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, zip, public) = signed(tmp.path());
    let cases: [(&str, u32, &str); 5] = [
        (
            "../../evil.sh",
            0o644,
            "contains an empty, `.` or `..` part",
        ),
        (
            "evidence/../../x",
            0o644,
            "contains an empty, `.` or `..` part",
        ),
        ("/etc/cron.d/x", 0o644, "is an absolute or empty path"),
        ("..\\x", 0o644, "contains a backslash"),
        ("evidence/passwd.csv", 0o120777, "is a symbolic link"),
    ];
    for (name, mode, reason) in cases {
        let mut list = entries(&zip);
        let bytes = if mode == 0o644 {
            b"x".to_vec()
        } else {
            b"/etc/passwd".to_vec()
        };
        list.push((name.to_string(), mode, bytes));
        let path = tmp.path().join("bad.zip");
        write_zip(&path, &list);
        let o = verify(&path, &public);
        assert_eq!(o.status.code(), Some(1), "{name}: {}", text(&o));
        assert!(text(&o).contains(reason), "{name}: {}", text(&o));
    }
}

#[test]
fn a_link_to_a_fifo_in_a_package_folder_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, public) = signed(tmp.path());
    let fifo = tmp.path().join("fifo");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    std::os::unix::fs::symlink(&fifo, dir.join("evidence/zzz.csv")).unwrap();
    // A listed file replaced by a link to another file is not followed either.
    fs::remove_file(dir.join("evidence/report.csv")).unwrap();
    std::os::unix::fs::symlink(
        fixture().join("evidence/report.csv"),
        dir.join("evidence/report.csv"),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .arg("verify")
        .arg(&dir)
        .arg("--key")
        .arg(&public)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if started.elapsed().as_secs() > 10 {
            child.kill().unwrap();
            panic!("verify hangs on a link to a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    assert_eq!(status.code(), Some(1), "{out}");
    assert!(
        out.contains("`evidence/zzz.csv` is a symbolic link (not followed)"),
        "{out}"
    );
    assert!(
        out.contains("`evidence/report.csv` is a symbolic link"),
        "{out}"
    );
    assert!(
        started.elapsed().as_millis() < 1000,
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_manifest_listing_a_path_twice_fails() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(build(tmp.path(), &fixture(), "pkg", &[]).status.success());
    let path = tmp.path().join("pkg/manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
    let files = m["files"].as_array_mut().unwrap();
    let first = files[0].clone();
    files.insert(0, first);
    fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let o = auditpack()
        .arg("verify")
        .arg(tmp.path().join("pkg"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("twice"), "{}", text(&o));
}

#[test]
fn an_in_place_edit_keeping_size_and_mtime_is_detected() {
    let tmp = tempfile::tempdir().unwrap();
    let project = copy_of(&fixture(), &tmp.path().join("project"));
    let cache = tmp.path().join("cache");
    let run = || {
        auditpack()
            .env("AUDITPACK_CACHE_DIR", &cache)
            .current_dir(tmp.path())
            .args([
                "build",
                "project",
                "--as-of",
                "2026-09-30",
                "--format",
                "md",
                "-o",
                "pkg",
            ])
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    let file = project.join("evidence/report.csv");
    let before = fs::read(&file).unwrap();
    let mtime = fs::metadata(&file).unwrap().modified().unwrap();
    let mut after = before.clone();
    after[0] ^= 0x20;
    fs::write(&file, &after).unwrap();
    fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    assert_eq!(fs::metadata(&file).unwrap().modified().unwrap(), mtime);
    let o = run();
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(
        fs::read(tmp.path().join("pkg/evidence/report.csv")).unwrap(),
        after
    );
    let v = auditpack()
        .arg("verify")
        .arg(tmp.path().join("pkg"))
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", text(&v));
}

#[test]
fn diff_verifies_each_package_first() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(build(tmp.path(), &fixture(), "a", &[]).status.success());
    assert!(build(tmp.path(), &fixture(), "b", &[]).status.success());
    fs::write(tmp.path().join("b/report.md"), "# forged\n").unwrap();
    let diff = |extra: &[&str]| {
        auditpack()
            .current_dir(tmp.path())
            .args(["diff", "a", "b"])
            .args(extra)
            .output()
            .unwrap()
    };
    let o = diff(&[]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(
        text(&o).contains("b fails verification (changed: report.md)"),
        "{}",
        text(&o)
    );
    let o = diff(&["--no-verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("b was NOT verified"), "{}", text(&o));
}

#[test]
fn keygen_never_overwrites_a_public_key() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("k.pub"), "ssh-ed25519 AAAA mine\n").unwrap();
    let o = auditpack()
        .arg("keygen")
        .arg(tmp.path().join("k"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert_eq!(
        fs::read_to_string(tmp.path().join("k.pub")).unwrap(),
        "ssh-ed25519 AAAA mine\n"
    );
    assert!(!tmp.path().join("k").exists());
}

#[test]
fn signed_years_and_negative_epochs_are_not_dates() {
    let o = auditpack()
        .arg("check")
        .arg(fixture())
        .arg("--as-of=-2026-01-01")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = auditpack()
        .arg("check")
        .arg(fixture())
        .env("SOURCE_DATE_EPOCH", "-86400")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("SOURCE_DATE_EPOCH `-86400`"),
        "{}",
        text(&o)
    );
}

#[test]
fn crafted_names_and_ids_stay_text_in_markdown() {
    let tmp = tempfile::tempdir().unwrap();
    let project = copy_of(&fixture(), &tmp.path().join("project"));
    let name = "a](javascript:x) <img src=x onerror=alert(1)> |b.csv";
    fs::write(project.join("evidence").join(name), "x\n").unwrap();
    let att = project.join("attestations/a.yaml");
    let yaml = fs::read_to_string(&att).unwrap()
        + &format!(
            "      - path: '{name}'\n        description: crafted\n    exceptions:\n      - id: 'EXC-1 | <img src=y onerror=alert(2)> [z](javascript:y)'\n        description: open\n        remediation_due: 2026-12-31\n"
        );
    fs::write(&att, yaml).unwrap();
    let o = build(tmp.path(), Path::new("project"), "pkg", &[]);
    assert!(o.status.success(), "{}", text(&o));
    // The whole package and the control pages, where evidence is listed.
    let mut md = fs::read_to_string(tmp.path().join("pkg/report.md")).unwrap();
    for e in fs::read_dir(tmp.path().join("pkg/controls")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "md") {
            md += "\n\n";
            md += &fs::read_to_string(p).unwrap();
        }
    }
    assert!(
        !md.replace("\\<", "").contains("<img"),
        "raw HTML in report.md"
    );
    assert!(!md.contains("](javascript"), "a crafted link in report.md");
    assert!(
        md.contains("evidence/a%5D%28javascript%3Ax%29%20%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E%20%7Cb.csv"),
        "the file name is percent-encoded in its link"
    );
    assert!(
        md.contains("EXC-1 \\| \\<img src=y onerror=alert\\(2\\)\\> \\[z\\]\\(javascript\\:y\\)")
    );
    same_columns(&md);
    // The quarterly review of the same crafted id.
    assert!(build(tmp.path(), &fixture(), "plain", &[]).status.success());
    let o = auditpack()
        .current_dir(tmp.path())
        .args(["diff", "plain", "pkg", "-o", "review.md"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let review = fs::read_to_string(tmp.path().join("review.md")).unwrap();
    assert!(review.contains("EXC-1 \\| \\<img"), "{review}");
    // Code spans show their text as it is; everything else is escaped.
    let prose: String = review.split('`').step_by(2).collect();
    assert!(!prose.replace("\\<", "").contains("<img"), "{review}");
    assert!(!prose.contains("](javascript"), "{review}");
    same_columns(&review);
}

/// Every table row of a Markdown text has its header's column count.
fn same_columns(md: &str) {
    for table in md.split("\n\n").filter(|b| b.starts_with('|')) {
        let cells = |l: &str| l.replace("\\|", "").matches('|').count();
        let head = cells(table.lines().next().unwrap());
        assert!(table.lines().all(|l| cells(l) == head), "{table}");
    }
}

/// The parse cache files in `cache`.
fn parse_caches(cache: &Path) -> Vec<String> {
    names(cache)
        .into_iter()
        .filter(|n| n.starts_with("parsed-"))
        .collect()
}

#[test]
fn an_edited_attestation_file_is_parsed_again_not_read_from_the_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let project = copy_of(&fixture(), &tmp.path().join("project"));
    let cache = tmp.path().join("cache");
    let check = || {
        auditpack()
            .env("AUDITPACK_CACHE_DIR", &cache)
            .args(["check", "--as-of", "2026-09-30", "--format", "json"])
            .arg(&project)
            .output()
            .unwrap()
    };
    let clean = check();
    assert!(!text(&clean).contains("FIX-99"), "{}", text(&clean));
    assert_eq!(parse_caches(&cache).len(), 1, "{:?}", names(&cache));
    let file = project.join("attestations/a.yaml");
    let before = fs::read_to_string(&file).unwrap();
    fs::write(&file, before.replace("control: FIX-01", "control: FIX-99")).unwrap();
    let edited = check();
    assert_eq!(edited.status.code(), Some(1), "{}", text(&edited));
    let json: serde_json::Value = serde_json::from_slice(&edited.stdout).unwrap();
    let unknown = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("FIX-99"))
        .unwrap_or_else(|| panic!("{}", text(&edited)));
    assert_eq!(unknown["span"]["line"], 2, "{unknown}");
    assert!(unknown["span"]["file"]
        .as_str()
        .unwrap()
        .ends_with("attestations/a.yaml"));
    fs::write(&file, before).unwrap();
    let back = check();
    assert_eq!(back.stdout, clean.stdout);
    assert_eq!(back.status.code(), clean.status.code());
}

#[test]
fn a_build_without_caches_writes_none() {
    let tmp = tempfile::tempdir().unwrap();
    let project = copy_of(&fixture(), &tmp.path().join("project"));
    let cache = tmp.path().join("cache");
    let o = auditpack()
        .env("AUDITPACK_CACHE_DIR", &cache)
        .current_dir(tmp.path())
        .arg("build")
        .arg(&project)
        .args([
            "--as-of",
            "2026-09-30",
            "--format",
            "md",
            "--no-cache",
            "-o",
            "pkg",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(!cache.exists(), "{:?}", names(&cache));
}
