//! The package for other tools: `--format all` writes the OSCAL SSP, the
//! FedRAMP CIS/CRM workbook and the Word reports beside the others, listed
//! in the manifest and linked from the index; the SSP's internal
//! references resolve (its schema is checked by check-oscal.sh, ignored test); the workbook reads back row by row as the matrix
//! says; the Word document has real headings, a TOC and every control id.
//! That two builds give the same bytes is tested with every other file in
//! `tests/sample.rs`.
//!
//! The ignored tests run the checkers of `../shared/tools` (install them
//! with `bash ../shared/tools/install-checkers.sh`):
//! `cargo test --release --test integration interop:: -- --ignored`.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support;
use support::files::json;
use support::sample::{package, root, AS_OF};

const SSP: &str = "oscal/ssp-fedramp-moderate.json";
const XLSX: &str = "fedramp-cis-crm.xlsx";
const FR: &str = "fedramp-moderate";
/// FedRAMP's CIS columns, as its template names them.
const CIS_HEADER: [&str; 13] = [
    "Control ID",
    "Implemented",
    "Partially Implemented",
    "Planned",
    "Alternative Implementation",
    "N/A",
    "Service Provider Corporate",
    "Service Provider System Specific",
    "Service Provider Hybrid (Corporate and System Specific)",
    "Configured by Customer (Customer System Specific)",
    "Provided by Customer (Customer System Specific)",
    "Shared (Service Provider and Customer Responsibility)",
    "Inherited from pre-existing FedRAMP Authorization",
];

/// The `requirements.csv` rows of the FedRAMP baseline: (requirement, its
/// responsibility — empty when no control counts — and status), in file order.
fn matrix(dir: &Path) -> Vec<(String, BTreeSet<String>, String)> {
    let mut r = csv::Reader::from_path(dir.join("requirements.csv")).unwrap();
    let mut out: Vec<(String, BTreeSet<String>, String)> = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if &rec[0] != FR {
            continue;
        }
        let (req, resp, status) = (&rec[1], &rec[3], &rec[4]);
        let resps = [resp].into_iter().filter(|r| !r.is_empty());
        out.push((
            req.to_string(),
            resps.map(str::to_string).collect(),
            status.to_string(),
        ));
    }
    out
}

/// What `requirements.csv` says a requirement's FedRAMP control origination is.
fn expected_origination(req: &str, resps: &BTreeSet<String>) -> Vec<&'static str> {
    let own = if req.ends_with("-1") {
        "sp-corporate"
    } else {
        "sp-system"
    };
    let only = |r: &str| resps.len() == 1 && resps.contains(r);
    if only("inherited") {
        vec!["inherited"]
    } else if resps.is_empty() || only("customer") {
        vec![own]
    } else {
        vec![own, "inherited"]
    }
}

fn expected_state(coverage: &str) -> &'static str {
    match coverage {
        "met" => "implemented",
        "partial" => "partial",
        "not-applicable" => "not-applicable",
        _ => "planned",
    }
}

#[test]
fn format_all_writes_the_interop_files_into_the_manifest_and_the_index() {
    let dir = package();
    let manifest = json(&dir.join("manifest.json"));
    let listed: HashSet<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    let html = fs::read_to_string(dir.join("index.html")).unwrap();
    let md = fs::read_to_string(dir.join("index.md")).unwrap();
    for f in [
        SSP,
        XLSX,
        "report.docx",
        "frameworks/fedramp-moderate.docx",
        "matrix.csv",
        "model.json",
        "report.pdf",
    ] {
        assert!(dir.join(f).is_file(), "{f} was not written");
        assert!(listed.contains(f), "{f} is not in manifest.json");
        assert!(
            html.contains(&format!("href=\"{f}\"")),
            "index.html does not link {f}"
        );
        assert!(
            md.contains(&format!("]({f})")),
            "index.md does not link {f}"
        );
    }
}

/// Every value of key `k` anywhere in `v`, with its path.
fn find<'a>(v: &'a Value, k: &str, path: String, out: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Object(m) => {
            for (key, x) in m {
                let p = format!("{path}.{key}");
                if key == k {
                    out.push((p.clone(), x));
                }
                find(x, k, p, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                find(x, k, format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

fn all<'a>(v: &'a Value, k: &str) -> Vec<(String, &'a Value)> {
    let mut out = Vec::new();
    find(v, k, String::new(), &mut out);
    out
}

#[test]
fn ssp_references_resolve_and_control_ids_are_in_the_fedramp_profile() {
    let doc = json(&package().join(SSP));
    let ssp = &doc["system-security-plan"];
    let uuids: Vec<&str> = all(ssp, "uuid")
        .iter()
        .filter_map(|(_, v)| v.as_str())
        .collect();
    let unique: HashSet<&str> = uuids.iter().copied().collect();
    assert_eq!(unique.len(), uuids.len(), "a uuid is used twice");
    let ids = |v: &Value, k: &str| -> HashSet<String> {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x["uuid"].as_str().unwrap().to_string())
            .collect()
    };
    let si = &ssp["system-implementation"];
    let components = ids(si, "components");
    let parties = ids(&ssp["metadata"], "parties");
    let leveraged = ids(si, "leveraged-authorizations");
    let roles: HashSet<&str> = ssp["metadata"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for (p, v) in all(ssp, "component-uuid") {
        assert!(
            components.contains(v.as_str().unwrap()),
            "{p} names no component"
        );
    }
    for (p, v) in all(ssp, "party-uuids")
        .into_iter()
        .chain(all(ssp, "party-uuid"))
    {
        let list = v.as_array().cloned().unwrap_or_else(|| vec![v.clone()]);
        for u in list {
            assert!(parties.contains(u.as_str().unwrap()), "{p} names no party");
        }
    }
    for (p, v) in all(ssp, "role-id") {
        assert!(roles.contains(v.as_str().unwrap()), "{p} names no role");
    }
    let resources: HashSet<String> = ssp["back-matter"]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| format!("#{}", r["uuid"].as_str().unwrap()))
        .collect();
    for (p, v) in all(ssp, "links") {
        for l in v.as_array().unwrap() {
            assert!(
                resources.contains(l["href"].as_str().unwrap()),
                "{p}: link names no resource"
            );
        }
    }
    let mut n_leveraged = 0;
    for c in si["components"].as_array().unwrap() {
        for prop in c["props"].as_array().into_iter().flatten() {
            if prop["name"] == "leveraged-authorization-uuid" {
                n_leveraged += 1;
                assert!(leveraged.contains(prop["value"].as_str().unwrap()));
            }
        }
    }
    assert_eq!(n_leveraged, 1, "one leveraged authorization: the AWS P-ATO");
    let profile: HashSet<String> =
        fs::read_to_string(root().join("tests/fixtures/oscal/fedramp-moderate-profile-ids.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(String::from)
            .collect();
    let reqs = ssp["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap();
    assert_eq!(
        reqs.len(),
        profile.len(),
        "one implemented requirement per control of the profile"
    );
    for r in reqs {
        let id = r["control-id"].as_str().unwrap();
        assert!(
            profile.contains(id),
            "{id} is not a control of the FedRAMP Moderate profile"
        );
    }
    let legal = [
        "implemented",
        "partial",
        "planned",
        "alternative",
        "not-applicable",
    ];
    for (p, v) in all(ssp, "implementation-status") {
        assert!(
            legal.contains(&v["state"].as_str().unwrap()),
            "{p}: illegal state"
        );
    }
}

/// The FedRAMP props of an implemented requirement named `name`.
fn props<'a>(r: &'a Value, name: &str) -> Vec<&'a str> {
    r["props"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"] == name)
        .map(|p| p["value"].as_str().unwrap())
        .collect()
}

#[test]
fn ssp_says_what_the_matrix_says_requirement_by_requirement() {
    let dir = package();
    let doc = json(&dir.join(SSP));
    let reqs = doc["system-security-plan"]["control-implementation"]["implemented-requirements"]
        .as_array()
        .unwrap();
    let rows = matrix(dir);
    assert_eq!(reqs.len(), rows.len());
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (r, (id, resps, coverage)) in reqs.iter().zip(&rows) {
        let cid = id.to_ascii_lowercase().replace('(', ".").replace(')', "");
        assert_eq!(r["control-id"], cid.as_str());
        assert_eq!(
            props(r, "control-origination"),
            expected_origination(id, resps),
            "{id}"
        );
        assert_eq!(
            props(r, "implementation-status"),
            [expected_state(coverage)],
            "{id}"
        );
        let inherits = r["by-components"]
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b.get("inherited").is_some());
        assert_eq!(
            inherits,
            resps.contains("inherited") || resps.contains("shared"),
            "{id}: inherited[]"
        );
        for o in props(r, "control-origination") {
            *counts.entry(o).or_default() += 1;
        }
    }
    // The sample has requirements of every kind.
    for o in ["inherited", "sp-system", "sp-corporate"] {
        assert!(
            counts.get(o).copied().unwrap_or(0) > 0,
            "no {o} requirement: {counts:?}"
        );
    }
}

/// Every row of a sheet as strings.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{open_workbook, Reader, Xlsx};
    let mut wb: Xlsx<_> = open_workbook(path).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn workbook_reads_back_row_by_row_as_the_matrix_says() {
    let dir = package();
    let path = dir.join(XLSX);
    let rows = matrix(dir);
    let cis = sheet(&path, "CIS");
    let head: Vec<&str> = cis[0].iter().map(String::as_str).collect();
    assert_eq!(head, CIS_HEADER);
    assert_eq!(cis.len() - 1, rows.len());
    let column = |state: &str| match state {
        "implemented" => 1,
        "partial" => 2,
        "planned" => 3,
        "not-applicable" => 5,
        _ => unreachable!(),
    };
    let origin = |o: &str| match o {
        "sp-corporate" => 6,
        "sp-system" => 7,
        _ => 12,
    };
    for (row, (id, resps, coverage)) in cis[1..].iter().zip(&rows) {
        assert_eq!(&row[0], id);
        let mut want = vec![column(expected_state(coverage))];
        want.extend(expected_origination(id, resps).iter().map(|o| origin(o)));
        let marked: Vec<usize> = (1..row.len()).filter(|&j| row[j] == "X").collect();
        want.sort();
        assert_eq!(marked, want, "CIS row of {id}");
    }
    let crm = sheet(&path, "CRM");
    assert_eq!(
        crm[0],
        [
            "Control ID",
            "Can Be Inherited from CSP",
            "Specific Inheritance and Customer Agency/CSP Responsibilities"
        ]
    );
    assert_eq!(crm.len() - 1, rows.len());
    for (row, (id, ..)) in crm[1..].iter().zip(&rows) {
        assert_eq!(&row[0], id);
        // Only a stated customer responsibility makes a row more than "No".
        match row[1].as_str() {
            "No" => assert!(row[2].is_empty(), "{id}: No with a responsibility"),
            "Partial" => assert!(!row[2].is_empty(), "{id}: Partial without a responsibility"),
            other => panic!("{id}: Can Be Inherited is {other:?}"),
        }
    }
    let info = sheet(&path, "Instructions");
    assert!(info.iter().any(|r| r[0] == "As of" && r[1] == AS_OF));
}

/// A part of a zip package, as text.
fn part(path: &Path, name: &str) -> String {
    let mut z = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[test]
fn word_report_has_headings_a_toc_a_repeating_table_header_and_every_control() {
    let dir = package();
    let path = dir.join("report.docx");
    let doc = part(&path, "word/document.xml");
    let styles = part(&path, "word/styles.xml");
    for style in ["Heading1", "Heading2", "AuditTable", "TOC1"] {
        assert!(
            styles.contains(&format!("w:styleId=\"{style}\"")),
            "style {style}"
        );
    }
    let headings: Vec<&str> = doc
        .split("<w:p>")
        .filter(|p| p.contains("<w:pStyle w:val=\"Heading1\"/>"))
        .collect();
    // The whole package links to the framework reports (which hold the
    // matrices) and holds every control section.
    for h in [
        "Summary",
        "Framework reports",
        "Inherited controls",
        "Shared controls",
        "Customer controls",
        "Gaps",
        "Evidence index",
    ] {
        let text = format!(">{h}</w:t>");
        assert!(
            headings.iter().any(|p| p.contains(&text)),
            "no Heading 1 {h}"
        );
    }
    assert!(doc.contains("<w:docPartGallery w:val=\"Table of Contents\"/>"));
    assert!(doc.contains("TOC \\o \"1-2\""));
    assert!(doc.contains("<w:tblHeader/>"));
    assert!(part(&path, "word/footer1.xml").contains(" PAGE "));
    let model = json(&dir.join("model.json"));
    for c in model["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["in_scope"] == true)
    {
        let id = c["id"].as_str().unwrap();
        assert!(doc.contains(id), "{id} is not in report.docx");
    }
}

/// `../shared`, which holds the checkers: its absence is a failure.
fn tools() -> PathBuf {
    let s = root().join("../shared/tools");
    assert!(
        s.is_dir(),
        "{} is missing: the interop checks need it",
        s.display()
    );
    s
}

fn check(script: &str, args: &[&str]) {
    let o = std::process::Command::new("bash")
        .arg(tools().join(script))
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{script} failed:\n{text}");
}

#[test]
#[ignore = "needs ../shared/tools/check-oscal.sh (NIST schema, trestle)"]
fn ssp_passes_the_oscal_checker() {
    let ssp = package().join(SSP);
    let oscal = root().join("../shared/data/oscal");
    check(
        "check-oscal.sh",
        &[
            "--oscal-dir",
            oscal.to_str().unwrap(),
            ssp.to_str().unwrap(),
        ],
    );
}

#[test]
#[ignore = "needs ../shared/tools/check-xlsx.sh (openpyxl, LibreOffice)"]
fn workbook_passes_the_xlsx_checker() {
    let x = package().join(XLSX);
    let cis = CIS_HEADER.join("|");
    let crm = "Control ID|Can Be Inherited from CSP|Specific Inheritance and Customer Agency/CSP Responsibilities";
    check(
        "check-xlsx.sh",
        &[
            "--sheet",
            "CIS",
            "--header",
            &cis,
            "--min-rows",
            "300",
            "--sheet",
            "CRM",
            "--header",
            crm,
            "--min-rows",
            "300",
            "--sheet",
            "Instructions",
            x.to_str().unwrap(),
        ],
    );
}

#[test]
#[ignore = "needs ../shared/tools/check-docx.sh (python-docx, LibreOffice)"]
fn word_reports_pass_the_docx_checker_with_every_control_id() {
    let dir = package();
    let model = json(&dir.join("model.json"));
    let ids: Vec<&str> = model["controls"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["in_scope"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let list = dir.join("../control-ids.txt");
    fs::write(&list, ids.join("\n")).unwrap();
    check(
        "check-docx.sh",
        &[
            "--expect-text",
            list.to_str().unwrap(),
            "--min-headings",
            "6",
            "--timeout",
            "300",
            dir.join("report.docx").to_str().unwrap(),
        ],
    );
}

#[test]
fn a_stated_customer_responsibility_makes_the_crm_row_partial_with_its_text() {
    let (tmp, project) = support::sample::copy();
    let controls = project.join("controls/payments.yaml");
    let text = fs::read_to_string(&controls).unwrap().replacen(
        "    owner: kenji.watanabe@acme.example\n",
        "    owner: kenji.watanabe@acme.example\n    customer_responsibility: Merchants keep PANs out of their own logs.\n",
        1,
    );
    fs::write(&controls, text).unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_auditpack"))
        .args([
            "build",
            project.to_str().unwrap(),
            "--as-of",
            AS_OF,
            "--format",
            "crm-xlsx",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let crm = sheet(&out.join(XLSX), "CRM");
    let row = |id: &str| crm.iter().find(|r| r[0] == id).unwrap().clone();
    // ACME-01 maps to SC-28 and SC-28(1).
    for id in ["SC-28", "SC-28(1)"] {
        assert_eq!(row(id)[1], "Partial");
        assert!(row(id)[2].contains("ACME-01: Merchants keep PANs out of their own logs."));
    }
    assert_eq!(row("AC-2")[1], "No");
}
