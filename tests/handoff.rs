//! The auditor handoff: bundle, sign, verify; every tampering is caught.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;
use support::files::copy_tree;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases/valid")
}

fn auditpack() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_auditpack"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

/// A signed, bundled package of the fixture in `dir`: (package, zip, key).
fn signed_package(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let key = dir.join("key");
    let o = auditpack().args(["keygen"]).arg(&key).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.join("pkg");
    let o = auditpack()
        .args(["build"])
        .arg(fixture())
        .args([
            "--as-of",
            "2026-09-30",
            "--format",
            "md",
            "--bundle",
            "--sign",
        ])
        .arg(&key)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (out, dir.join("pkg.zip"), dir.join("key.pub"))
}

fn verify(target: &Path, key: Option<&Path>) -> (i32, String) {
    let mut c = auditpack();
    c.arg("verify").arg(target);
    if let Some(k) = key {
        c.arg("--key").arg(k);
    }
    let o = c.output().unwrap();
    (
        o.status.code().unwrap(),
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr),
    )
}

#[test]
fn a_signed_bundle_verifies_with_the_public_key() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, zip, public) = signed_package(tmp.path());
    for target in [&dir, &zip] {
        let (code, out) = verify(target, Some(&public));
        assert_eq!(code, 0, "{out}");
        assert!(out.contains("signature: valid"), "{out}");
    }
    // The private key is not in the package.
    let key = fs::read(tmp.path().join("key")).unwrap();
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
    {
        let bytes = fs::read(entry.path()).unwrap();
        assert!(
            !bytes.windows(64).any(|w| key.windows(64).any(|k| k == w)),
            "{}",
            entry.path().display()
        );
    }
    // The zip holds manifest.json at its root, first.
    let mut z = zip::ZipArchive::new(fs::File::open(&zip).unwrap()).unwrap();
    assert_eq!(z.by_index(0).unwrap().name().unwrap(), "manifest.json");
}

#[test]
fn private_key_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let key = tmp.path().join("k");
    assert!(auditpack()
        .args(["keygen"])
        .arg(&key)
        .output()
        .unwrap()
        .status
        .success());
    assert_eq!(
        fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    // keygen never overwrites
    assert_eq!(
        auditpack()
            .args(["keygen"])
            .arg(&key)
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
    // a key readable by others gets a warning
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    let o = auditpack()
        .arg("build")
        .arg(fixture())
        .args(["--as-of", "2026-09-30", "--format", "md", "--sign"])
        .arg(&key)
        .arg("-o")
        .arg(tmp.path().join("p"))
        .output()
        .unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("readable by others"));
}

#[test]
fn one_changed_byte_of_evidence_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, public) = signed_package(tmp.path());
    let f = dir.join("evidence/report.csv");
    let mut bytes = fs::read(&f).unwrap();
    bytes[0] ^= 1;
    fs::write(&f, bytes).unwrap();
    let (code, out) = verify(&dir, Some(&public));
    assert_eq!(code, 1);
    assert!(out.contains("changed: evidence/report.csv"), "{out}");
}

#[test]
fn a_deleted_file_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, public) = signed_package(tmp.path());
    fs::remove_file(dir.join("report.md")).unwrap();
    let (code, out) = verify(&dir, Some(&public));
    assert_eq!(code, 1);
    assert!(out.contains("missing: report.md"), "{out}");
}

#[test]
fn an_added_file_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, public) = signed_package(tmp.path());
    fs::write(dir.join("evidence/extra.csv"), "x").unwrap();
    let (code, out) = verify(&dir, Some(&public));
    assert_eq!(code, 1);
    assert!(out.contains("extra: evidence/extra.csv"), "{out}");
}

#[test]
fn an_edited_manifest_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, public) = signed_package(tmp.path());
    // Make the manifest agree with a tampered file: the signature no longer does.
    let f = dir.join("evidence/report.csv");
    fs::write(&f, "user,mfa\nalice,false\n").unwrap();
    let m = dir.join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&fs::read(&m).unwrap()).unwrap();
    let (size, sha) = auditpack::sha256::file(&f).unwrap();
    let files: Vec<auditpack::package::manifest::Entry> =
        serde_json::from_value(manifest["files"].clone()).unwrap();
    let files: Vec<_> = files
        .into_iter()
        .map(|mut e| {
            if e.path == "evidence/report.csv" {
                e.size = size;
                e.sha256 = sha.clone();
            }
            e
        })
        .collect();
    manifest["package_digest"] = auditpack::package::manifest::Manifest::digest_of(&files).into();
    manifest["files"] = serde_json::to_value(&files).unwrap();
    fs::write(&m, serde_json::to_string_pretty(&manifest).unwrap() + "\n").unwrap();
    let (code, out) = verify(&dir, Some(&public));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("signature: BAD"), "{out}");
    // Without a key the broken signature is still reported.
    let (code, out) = verify(&dir, None);
    assert_eq!(code, 1, "{out}");
}

#[test]
fn a_swapped_signature_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, _, public_a) = signed_package(&tmp.path().join("a").tap_mkdir());
    let (b, _, public_b) = signed_package(&tmp.path().join("b").tap_mkdir());
    // b's signature (valid for b's identical manifest, by b's key) put into a
    fs::copy(b.join("manifest.json.sig"), a.join("manifest.json.sig")).unwrap();
    let (code, out) = verify(&a, Some(&public_a));
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not by the given key"), "{out}");
    // a signature of another manifest
    fs::write(
        b.join("manifest.json"),
        fs::read_to_string(b.join("manifest.json"))
            .unwrap()
            .replace("2026-Q3", "2026-Q4"),
    )
    .unwrap();
    let (code, _) = verify(&b, Some(&public_b));
    assert_eq!(code, 1);
    // no signature at all, with a key expected
    fs::remove_file(a.join("manifest.json.sig")).unwrap();
    let (code, out) = verify(&a, Some(&public_a));
    assert_eq!(code, 1);
    assert!(out.contains("not signed"), "{out}");
}

#[test]
fn tampering_inside_the_zip_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let (_, zip_path, public) = signed_package(tmp.path());
    // Rewrite the zip with one evidence byte changed.
    let mut src = zip::ZipArchive::new(fs::File::open(&zip_path).unwrap()).unwrap();
    let out_path = tmp.path().join("tampered.zip");
    let mut w = zip::ZipWriter::new(fs::File::create(&out_path).unwrap());
    for i in 0..src.len() {
        let mut e = src.by_index(i).unwrap();
        let name = e.name().unwrap().to_string();
        let mut buf = Vec::new();
        e.read_to_end(&mut buf).unwrap();
        if name == "evidence/report.csv" {
            buf[0] ^= 1;
        }
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&buf).unwrap();
    }
    w.finish().unwrap();
    let (code, out) = verify(&out_path, Some(&public));
    assert_eq!(code, 1);
    assert!(out.contains("changed: evidence/report.csv"), "{out}");
}

#[test]
fn two_bundles_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let mut zips = Vec::new();
    for name in ["a", "b"] {
        let out = tmp.path().join(name).join("pkg");
        let o = auditpack()
            .arg("build")
            .arg(fixture())
            .args(["--as-of", "2026-09-30", "--format", "md", "--bundle", "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success());
        zips.push(fs::read(tmp.path().join(name).join("pkg.zip")).unwrap());
    }
    assert_eq!(zips[0], zips[1]);
}

/// `ssh-keygen` on PATH; its absence fails the test that needs it.
fn ssh_keygen() -> PathBuf {
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|d| d.join("ssh-keygen"))
        .find(|p| p.is_file())
        .expect("ssh-keygen is not on PATH: install openssh-client (.ci/run does)")
}

/// The auditor's standard tool: OpenSSH's `ssh-keygen -Y verify`.
#[test]
#[ignore = "needs ssh-keygen (openssh-client, which .ci/run installs)"]
fn ssh_keygen_verifies_the_signature() {
    let ssh_keygen = ssh_keygen();
    let tmp = tempfile::tempdir().unwrap();
    let (dir, _, public) = signed_package(tmp.path());
    let allowed = tmp.path().join("allowed_signers");
    fs::write(
        &allowed,
        format!("auditor@example {}", fs::read_to_string(&public).unwrap()),
    )
    .unwrap();
    let run = |manifest: &Path| {
        std::process::Command::new(&ssh_keygen)
            .args(["-Y", "verify", "-f"])
            .arg(&allowed)
            .args(["-I", "auditor@example", "-n", "auditpack", "-s"])
            .arg(dir.join("manifest.json.sig"))
            .stdin(fs::File::open(manifest).unwrap())
            .output()
            .expect("ssh-keygen must be installed")
    };
    let o = run(&dir.join("manifest.json"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tampered = tmp.path().join("m.json");
    fs::write(
        &tampered,
        fs::read_to_string(dir.join("manifest.json"))
            .unwrap()
            .replace("2026-09-30", "2026-09-29"),
    )
    .unwrap();
    assert!(!run(&tampered).status.success());
}

trait TapMkdir {
    fn tap_mkdir(self) -> Self;
}

impl TapMkdir for PathBuf {
    fn tap_mkdir(self) -> Self {
        fs::create_dir_all(&self).unwrap();
        self
    }
}

/// Build `project` into `out` (Markdown only).
fn build_into(project: &Path, out: &Path) {
    let o = auditpack()
        .args(["build"])
        .arg(project)
        .args(["--as-of", "2026-09-30", "--format", "md", "-o"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_evidence_and_never_carries_over_an_edited_copy() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("project");
    copy_tree(&fixture(), &project);
    let out = tmp.path().join("pkg");
    let copy = out.join("evidence/report.csv");
    build_into(&project, &out);
    let first = fs::metadata(&copy).unwrap().ino();

    // Unchanged evidence: the rebuilt package holds the same file, linked,
    // and verifies.
    build_into(&project, &out);
    assert_eq!(fs::metadata(&copy).unwrap().ino(), first);
    assert_eq!(verify(&out, None).0, 0);

    // The old package's copy edited behind the manifest's back: copied
    // afresh from the evidence folder, not carried over.
    let mut bytes = fs::read(&copy).unwrap();
    bytes[0] ^= 1;
    fs::write(&copy, &bytes).unwrap();
    build_into(&project, &out);
    assert_eq!(
        fs::read(&copy).unwrap(),
        fs::read(project.join("evidence/report.csv")).unwrap()
    );
    assert_eq!(verify(&out, None).0, 0);

    // The evidence itself changed: the new content is copied.
    let src = project.join("evidence/report.csv");
    let mut edited = fs::read(&src).unwrap();
    edited.extend_from_slice(b"one more row\n");
    fs::write(&src, &edited).unwrap();
    build_into(&project, &out);
    assert_eq!(fs::read(&copy).unwrap(), edited);
    assert_eq!(verify(&out, None).0, 0);
}
