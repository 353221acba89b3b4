//! The PDF reports of the sample: an outline and the as-of date in every
//! PDF, and (ignored by default, needs the checkers of `../shared/tools`)
//! structure, fonts, outline and a text layer that holds every id the
//! Markdown report holds. That two builds give the same PDF bytes is
//! tested with every other file in `tests/sample.rs`.
//!
//! Run the checker tests with `cargo test --release --test integration pdf:: -- --ignored`
//! after `../shared/tools/install-checkers.sh --no-browser`.

use crate::support;

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use support::sample::{package, root};

/// The PDFs of a package, by relative path.
fn pdfs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![(
        "report.pdf".to_string(),
        fs::read(dir.join("report.pdf")).unwrap(),
    )];
    let mut fw: Vec<_> = fs::read_dir(dir.join("frameworks"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    fw.sort();
    for p in fw {
        let name = format!("frameworks/{}", p.file_name().unwrap().to_string_lossy());
        out.push((name, fs::read(&p).unwrap()));
    }
    out
}

#[test]
fn every_pdf_has_an_outline_and_the_as_of_date() {
    let all = pdfs(package());
    assert_eq!(all.len(), 5, "the report and one per framework");
    for (name, x) in &all {
        assert!(x.starts_with(b"%PDF-"), "{name} is not a PDF");
        let text = String::from_utf8_lossy(x);
        assert!(text.contains("/Outlines"), "{name} has no outline");
        assert!(
            text.contains("D:20260930000000Z"),
            "{name}: creation date is not the as-of date"
        );
    }
}

/// `../shared`, which holds the checkers: its absence is a failure, not a
/// reason to skip.
fn shared() -> PathBuf {
    let s = root().join("../shared");
    assert!(
        s.join("tools/check-pdf.sh").is_file(),
        "{} is missing: the PDF checks need ../shared/tools/check-pdf.sh",
        s.display()
    );
    s
}

/// Every control id and requirement id of the model that `md` contains.
fn ids_in(md: &str, model: &serde_json::Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for c in model["controls"].as_array().unwrap() {
        ids.insert(c["id"].as_str().unwrap().to_string());
    }
    for f in model["frameworks"].as_array().unwrap() {
        for g in f["groups"].as_array().unwrap() {
            for r in g["requirements"].as_array().unwrap() {
                ids.insert(r["id"].as_str().unwrap().to_string());
            }
        }
    }
    ids.into_iter().filter(|id| contains_word(md, id)).collect()
}

/// `id` occurs in `text` not as part of a longer id.
fn contains_word(text: &str, id: &str) -> bool {
    let boundary =
        |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '-' || c == '_'));
    text.match_indices(id).any(|(i, _)| {
        boundary(text[..i].chars().next_back()) && boundary(text[i + id.len()..].chars().next())
    })
}

#[test]
#[ignore = "needs ../shared/tools checkers (qpdf, poppler, pikepdf)"]
fn pdfs_pass_the_checker_and_hold_every_id_of_the_markdown() {
    let tools = shared().join("tools");
    let tmp = tempfile::tempdir().unwrap();
    let out = package();
    let model = support::sample::model();
    for (name, _) in pdfs(out) {
        let md = fs::read_to_string(out.join(name.replace(".pdf", ".md"))).unwrap();
        // report.pdf is the landing page and every control page in one
        // document: it holds the ids of all of them.
        let mut all = md.clone();
        if name == "report.pdf" {
            for e in fs::read_dir(out.join("controls")).unwrap() {
                let p = e.unwrap().path();
                if p.extension().is_some_and(|x| x == "md") {
                    all += "\n\n";
                    all += &fs::read_to_string(p).unwrap();
                }
            }
        }
        let ids = ids_in(&all, model);
        assert!(
            ids.len() > 20,
            "{name}: too few ids found in the Markdown ({})",
            ids.len()
        );
        let list = tmp.path().join(format!("{}.ids", name.replace('/', "_")));
        fs::write(
            &list,
            ids.iter().map(|i| format!("{i}\n")).collect::<String>(),
        )
        .unwrap();
        let headings = md
            .lines()
            .filter(|l| l.starts_with("## ") || l.starts_with("### "))
            .count();
        let o = std::process::Command::new("bash")
            .arg(tools.join("check-pdf.sh"))
            .args(["--expect-text"])
            .arg(&list)
            .args([
                "--pdfa",
                "--min-pages",
                "5",
                "--min-outline",
                &headings.to_string(),
            ])
            .arg(out.join(&name))
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "check-pdf.sh {name} failed:\n{}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
    // The PDFs say what the Markdown says: the same summary sentence and
    // every finding of the Gaps section (compared with whitespace folded).
    let fold = |t: &str| {
        t.replace('`', "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (name, _) in pdfs(out) {
        let md = fs::read_to_string(out.join(name.replace(".pdf", ".md"))).unwrap();
        let o = std::process::Command::new("pdftotext")
            .args(["-layout"])
            .arg(out.join(&name))
            .arg("-")
            .output()
            .unwrap();
        assert!(o.status.success());
        let text = fold(&String::from_utf8_lossy(&o.stdout));
        let summary = md
            .lines()
            .find(|l| l.contains("requirements in scope are met"))
            .unwrap();
        let summary = fold(summary);
        let met = summary.split(" requirements").next().unwrap();
        assert!(text.contains(met), "{name}: lacks the summary `{met}`");
        let gaps = &md[md.find("\n## Gaps").unwrap()..md.find("\n## Evidence index").unwrap()];
        let mut findings = 0;
        for row in gaps
            .lines()
            .filter(|l| l.starts_with("| ❌ error") || l.starts_with("| ⚠️ warning"))
        {
            let message = row.split(" | ").nth(1).unwrap();
            let words: Vec<&str> = message.split_whitespace().take(6).collect();
            let head = fold(&words.join(" "));
            assert!(text.contains(&head), "{name}: lacks the finding `{head}`");
            findings += 1;
        }
        assert!(findings > 0, "{name}: no findings compared");
    }
}
