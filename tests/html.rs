//! The HTML audit package: hostile input stays inert, builds are
//! byte-identical, and (ignored, needs ../shared/tools and the checkers
//! installed by install-checkers.sh) every page passes the Nu Html Checker
//! and axe, and a real browser can follow matrix → control → evidence.
//!
//! Run the ignored ones with `cargo test --release --test integration html:: -- --ignored`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;

const AS_OF: &str = "2026-09-30";

/// Markdown and text that tries every way into a page.
const HOSTILE: &str = r#"Intro <script>alert("pwned-1")</script> text.

<img src=x onerror=alert("pwned-2")> <b onclick="alert('pwned-3')">bold</b>

[click](javascript:alert("pwned-4")) <a href="JaVaScRiPt:alert('pwned-5')">x</a>
<a href="  javascript:alert('pwned-6')">y</a>

<iframe src="https://evil.example/pwned-7"></iframe>
<style>body { display: none } /* pwned-8 */</style>
<svg onload=alert("pwned-9")><circle r=1 /></svg>
<form action="javascript:alert('pwned-10')"><button formaction="javascript:x">go</button></form>

![tracker](https://evil.example/pwned-11.png)

# A heading that wants to break the outline

| a | b |
|---|---|
| <script>alert("pwned-12")</script> | ok |
"#;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

fn indent(text: &str, n: usize) -> String {
    let pad = " ".repeat(n);
    text.lines().map(|l| format!("{pad}{l}\n")).collect()
}

/// A small project: one customer and one shared control under SOC 2, one
/// attestation with a bundled evidence file and a referenced URL. With
/// `hostile`, every free text carries [`HOSTILE`].
fn project(root: &Path, hostile: bool) {
    let md = if hostile {
        HOSTILE
    } else {
        "Reviewed **every** account; see the [runbook](https://wiki.example/mfa).\n"
    };
    let one_line = if hostile {
        r#"Title <img src=x onerror=alert("pwned-t")> <script>alert("pwned-t2")</script>"#
    } else {
        "MFA for every human user"
    };
    let url = if hostile {
        "https://evil.example/pwned-u?a=1&b=2"
    } else {
        "https://wiki.example/runbooks/mfa"
    };
    write(
        root,
        "auditpack.yaml",
        &format!(
            "system:\n  name: Test System\n  organization: Test Org\n  provider: aws\n  services: [iam, s3]\n  description: |\n{}\nframeworks: [soc2]\nperiod: 2026-Q3\ncontrols: [controls/]\nattestations: [attestations/]\nevidence_root: evidence/\nprovider_attestations:\n  - id: aws-soc2\n    framework: soc2\n    title: AWS SOC 2\n    covers: {{start: 2026-04-01, end: 2027-03-31}}\n",
            indent(md, 4)
        ),
    );
    write(
        root,
        "controls/test.yaml",
        &format!(
            "controls:\n  - id: TST-01\n    title: '{}'\n    layers: [identity]\n    services: [iam]\n    responsibility: customer\n    frequency: quarterly\n    owner: sec@test.example\n    description: |\n{}    frameworks:\n      soc2: [CC6.1]\n  - id: TST-02\n    title: Shared duty\n    layers: [identity, physical]\n    services: [iam]\n    responsibility: shared\n    frequency: quarterly\n    description: |\n{}    provider_part: |\n{}    customer_part: |\n{}    frameworks:\n      soc2: [CC6.2]\n",
            one_line.replace('\'', "''"),
            indent(md, 6),
            indent(md, 6),
            indent(md, 6),
            indent(md, 6)
        ),
    );
    write(
        root,
        "evidence/iam/credential-report.txt",
        "user,mfa\nalice,true\n",
    );
    write(
        root,
        "attestations/q3.yaml",
        &format!(
            "attestations:\n  - control: TST-01\n    status: implemented\n    attested_by: 'Jane <jane@test.example>'\n    date: 2026-09-15\n    narrative: |\n{}    evidence:\n      - path: iam/credential-report.txt\n        description: '{}'\n      - url: '{}'\n        description: Runbook\n    exceptions:\n      - id: EXC-1\n        description: '{}'\n        remediation_due: 2026-08-30\n",
            indent(md, 6),
            one_line.replace('\'', "''"),
            url.replace('\'', "''"),
            one_line.replace('\'', "''")
        ),
    );
}

fn build(project: &Path, out: &Path) {
    let ok = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args(["build"])
        .arg(project)
        .args(["--format", "md,html", "--as-of", AS_OF, "-o"])
        .arg(out)
        .env_remove("SOURCE_DATE_EPOCH")
        .status()
        .unwrap()
        .success();
    assert!(ok, "build failed");
}

fn html_pages(out: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = walkdir::WalkDir::new(out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    pages
}

/// The start tags of a page: (name, [(attribute, value)]), lower-cased names.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let s = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[s..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    i += 1;
                    let s = i;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = html[s..i.min(b.len())].to_string();
                    i += 1;
                } else {
                    let s = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[s..i].to_string();
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
    }
    out
}

/// Minimal entity decoding for URL checks (`&#x3A;`, `&colon;` and friends).
fn decode(v: &str) -> String {
    v.replace("&#x3A;", ":")
        .replace("&#58;", ":")
        .replace("&colon;", ":")
        .replace("&#x2F;", "/")
        .replace("&amp;", "&")
}

#[test]
fn hostile_input_never_becomes_live_markup() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("proj");
    let out = dir.path().join("out");
    project(&proj, true);
    build(&proj, &out);
    let pages = html_pages(&out);
    assert!(
        pages.len() >= 3,
        "expected index, report and a framework page: {pages:?}"
    );
    let own = fs::read_to_string(out.join("controls/other.html")).unwrap();
    assert!(
        own.contains("pwned-1"),
        "the project's control page lacks the hostile text"
    );
    for page in &pages {
        let html = fs::read_to_string(page).unwrap();
        let name = page.strip_prefix(&out).unwrap().display().to_string();
        // The payload reached the page (as text), so the test tests something;
        // control pages of the library's families hold none of it.
        assert!(
            name == "index.html" || name.starts_with("controls/") || html.contains("pwned-1"),
            "{name}: the hostile text is missing"
        );
        let t = tags(&html);
        let count = |n: &str| t.iter().filter(|(name, _)| name == n).count();
        // The two built-in scripts (matrix filter, control search) and no other.
        assert!(
            count("script") <= 2,
            "{name}: {} <script> elements",
            count("script")
        );
        for script in html.split("<script").skip(1) {
            let body = script.split("</script>").next().unwrap_or("");
            assert!(
                body.starts_with(">\n/* Optional:") && !body.contains("pwned"),
                "{name}: a script that is not the report's own"
            );
        }
        assert_eq!(count("style"), 1, "{name}: one <style>, the report's own");
        for bad in [
            "iframe", "object", "embed", "img", "button", "base", "link", "frame",
        ] {
            assert_eq!(count(bad), 0, "{name}: <{bad}> reached the page");
        }
        // Form controls: only the matrix filter's and the control search's own,
        // all with known ids.
        for (tag, attrs) in t
            .iter()
            .filter(|(n, _)| matches!(n.as_str(), "form" | "input" | "select" | "textarea"))
        {
            let id = attrs
                .iter()
                .find(|(a, _)| a == "id")
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            assert!(
                matches!(id, "matrix-filter" | "control-search" | "cs-text")
                    || id.starts_with("f-"),
                "{name}: <{tag}> from inputs reached the page"
            );
        }
        for (tag, attrs) in &t {
            for (a, v) in attrs {
                assert!(!a.starts_with("on"), "{name}: <{tag} {a}={v:?}>");
                if matches!(
                    a.as_str(),
                    "href" | "src" | "action" | "formaction" | "xlink:href" | "data"
                ) {
                    let v = decode(v).trim().to_ascii_lowercase();
                    assert!(
                        !v.starts_with("javascript:") && !v.starts_with("data:"),
                        "{name}: <{tag} {a}={v:?}>"
                    );
                }
                assert!(
                    a != "style" || matches!(tag.as_str(), "th" | "td"),
                    "{name}: style attribute on <{tag}>"
                );
            }
        }
        // Our one script holds none of the payloads.
        if let Some(s) = html.find("<script>") {
            let e = html[s..].find("</script>").unwrap();
            assert!(
                !html[s..s + e].contains("pwned"),
                "{name}: a payload is inside the script"
            );
        }
        let style = &html[html.find("<style>").unwrap()..html.find("</style>").unwrap()];
        assert!(
            !style.contains("pwned"),
            "{name}: a payload is inside the style sheet"
        );
        // Headings from inputs are demoted, so the report's outline stays its own.
        assert!(
            !html.contains("<h1>A heading"),
            "{name}: an input heading became a page heading"
        );
    }
}

#[test]
fn html_package_is_byte_identical_across_builds() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("proj");
    project(&proj, false);
    let read = |out: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(out).unwrap().display().to_string(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    build(&proj, &a);
    build(&proj, &b);
    let (fa, fb) = (read(&a), read(&b));
    assert!(
        fa.contains_key("index.html") && fa.contains_key("frameworks/soc2.html"),
        "{:?}",
        fa.keys()
    );
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (k, v) in &fa {
        assert!(v == &fb[k], "{k} differs between two builds");
    }
}

#[test]
fn pages_link_matrix_controls_and_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("proj");
    let out = dir.path().join("out");
    project(&proj, false);
    build(&proj, &out);
    let fw = fs::read_to_string(out.join("frameworks/soc2.html")).unwrap();
    for needle in [
        r##"href="../controls/other.html#control-TST-01""##,
        r##"id="req-soc2-CC6.1""##,
        r##"href="#req-soc2-CC6.1""##,
    ] {
        assert!(fw.contains(needle), "frameworks/soc2.html lacks {needle}");
    }
    // The control's section is on the page of its family, once.
    let page = fs::read_to_string(out.join("controls/other.html")).unwrap();
    for needle in [
        r##"id="control-TST-01""##,
        r##"href="#control-TST-01""##,
        r##"href="../frameworks/soc2.html#req-soc2-CC6.1""##,
        r##"href="../evidence/iam/credential-report.txt""##,
        r##"href="https://wiki.example/runbooks/mfa""##,
        "<strong>every</strong>",
    ] {
        assert!(page.contains(needle), "controls/other.html lacks {needle}");
    }
    let report = fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains(r##"href="controls/other.html#evidence-index""##));
    assert!(
        !report.contains("http-equiv"),
        "no refresh or external loads"
    );
}

// ---------------------------------------------------------------------------
// Checks with the shared tools. Ignored by default: they need Java, Node,
// Chromium and the npm packages of ../shared/tools/install-checkers.sh.

fn shared_tools() -> PathBuf {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let tools = shared.join("tools");
    assert!(
        tools.join("check-html.sh").is_file(),
        "{} is missing: these checks need the shared tools at $CARGO_MANIFEST_DIR/../shared/tools",
        tools.display()
    );
    tools
}

fn screenshots() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    fs::create_dir_all(&d).unwrap();
    d
}

fn check_html(tools: &Path, args: &[&str], page: &Path, shot: &Path) -> Result<(), String> {
    let o = std::process::Command::new("bash")
        .arg(tools.join("check-html.sh"))
        .args(args)
        .arg(page)
        .arg(shot)
        .output()
        .map_err(|e| format!("cannot run check-html.sh: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}: exit {:?}\n{text}",
            page.display(),
            o.status.code()
        ))
    }
}

#[test]
#[ignore = "needs ../shared/tools and install-checkers.sh (Java, Chromium)"]
fn every_sample_page_passes_nu_and_axe() {
    let tools = shared_tools();
    let out = support::sample::package();
    let shots = screenshots();
    let mut failures = Vec::new();
    for page in html_pages(out) {
        let stem = page
            .strip_prefix(out)
            .unwrap()
            .with_extension("")
            .display()
            .to_string()
            .replace('/', "-");
        if let Err(e) = check_html(&tools, &[], &page, &shots.join(format!("{stem}-1280.png"))) {
            failures.push(e);
        }
    }
    for stem in ["index", "frameworks/soc2"] {
        let page = out.join(format!("{stem}.html"));
        let shot = shots.join(format!("{}-390.png", stem.replace('/', "-")));
        if let Err(e) = check_html(&tools, &["--skip-vnu", "--width", "390"], &page, &shot) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

const BROWSER_TEST: &str = r##"
'use strict';
const path = require('path');
const fs = require('fs');
const { pathToFileURL, fileURLToPath } = require('url');
const [nm, index] = process.argv.slice(2);
const { chromium } = require(path.join(nm, 'playwright-core'));
(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP * ~NOTFOUND'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.route(/^(https?|wss?):/, (r) => r.abort());
    await page.goto(pathToFileURL(path.resolve(index)).href);
    // index -> the framework report
    await Promise.all([page.waitForNavigation(), page.click('a[href="frameworks/soc2.html"] >> nth=0')]);
    // a link to a requirement that the matrix filter hides clears the filter
    await page.selectOption('#f-cov', 'gap');
    const hidden = await page.evaluate(() => document.getElementById('req-soc2-CC6.1').closest('[hidden]') !== null);
    if (!hidden) throw new Error('the coverage filter did not hide the CC6.1 row');
    await page.evaluate(() => { location.hash = 'req-soc2-CC6.1'; });
    await page.waitForFunction(() => document.getElementById('req-soc2-CC6.1').closest('[hidden]') === null);
    if (await page.$eval('#f-cov', (e) => e.value) !== '') throw new Error('the filter was not cleared');
    // matrix -> the control's section on the page of its family
    const link = page.locator('table.matrix a[href$="#control-TST-01"]').first();
    await Promise.all([page.waitForNavigation(), link.click()]);
    await page.waitForFunction(() => location.hash === '#control-TST-01');
    const visible = await page.locator('#control-TST-01').isVisible();
    if (!visible) throw new Error('the control is not visible after following the matrix link');
    const inView = await page.evaluate(() => {
      const r = document.getElementById('control-TST-01').getBoundingClientRect();
      return r.top < window.innerHeight && r.bottom > 0;
    });
    if (!inView) throw new Error('the control is not scrolled into view');
    // the search finds a control on any page, from controls/index.js
    await page.fill('#cs-text', 'tst-02');
    await page.waitForSelector('#cs-results a');
    const found = await page.$eval('#cs-results a', (a) => a.getAttribute('href'));
    if (!found.endsWith('#control-TST-02')) throw new Error('the search found ' + found);
    // control -> evidence file
    const ev = page.locator('#control-TST-01 a.file').first();
    const href = await ev.evaluate((a) => a.href);
    const target = fileURLToPath(href);
    if (!fs.existsSync(target)) throw new Error('evidence link points at a missing file: ' + href);
    await ev.click();
    await page.waitForURL((u) => u.href === href);
    const body = await page.textContent('body');
    if (!body.includes('alice,true')) throw new Error('the evidence file did not open: ' + body.slice(0, 200));
    console.log('OK ' + href);
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error('FAIL ' + (e && e.stack || e)); process.exit(1); });
"##;

#[test]
#[ignore = "needs ../shared/tools and install-checkers.sh (Node, Chromium, playwright-core)"]
fn browser_follows_matrix_to_control_to_evidence() {
    shared_tools();
    let home = std::env::var("CHECKERS_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            let cache = std::env::var("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|_| {
                    PathBuf::from(std::env::var("HOME").expect("HOME")).join(".cache")
                });
            cache.join("output-checkers")
        });
    let nm = home.join("node/node_modules");
    assert!(
        nm.join("playwright-core").is_dir(),
        "playwright-core is not installed in {}: run ../shared/tools/install-checkers.sh",
        nm.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("proj");
    let out = dir.path().join("out");
    project(&proj, false);
    build(&proj, &out);
    let script = dir.path().join("follow.cjs");
    fs::write(&script, BROWSER_TEST).unwrap();
    let o = std::process::Command::new("node")
        .arg(&script)
        .arg(&nm)
        .arg(out.join("index.html"))
        .output()
        .expect("node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success() && text.contains("OK "), "{text}");
}
