//! Command-line manners: exit codes, `--period` errors first, `-q`,
//! `--color` and `NO_COLOR`, completions and man page, SARIF output, the
//! as-of rule and the rough edges of `matrix`, `frameworks` and `--bundle`.

use serde_json::Value;
use std::fs;
use std::path::PathBuf;

use crate::support;
use support::sample::{auditpack, root, AS_OF};

fn run(args: &[&str]) -> (i32, String, String) {
    let o = auditpack().args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn exit_0_when_all_is_well() {
    let (code, out, _) = run(&["frameworks"]);
    assert_eq!(code, 0);
    assert!(out.contains("soc2"));
}

#[test]
fn exit_1_on_findings() {
    let (code, _, err) = run(&["check", "samples/acme", "--as-of", AS_OF]);
    assert_eq!(code, 1);
    assert!(err.contains("error[boundary-error]"), "{err}");
}

#[test]
fn exit_2_on_a_missing_project_folder_and_on_usage_errors() {
    let (code, _, err) = run(&["check", "no/such/project"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no such project folder"), "{err}");
    let (code, _, _) = run(&["build", "no/such/project", "-o", "target/never-written"]);
    assert_eq!(code, 2);
    assert!(!root().join("target/never-written").exists());
    let (code, _, _) = run(&["check", "--no-such-flag"]);
    assert_eq!(code, 2);
}

#[test]
fn a_bad_period_is_the_first_and_only_error() {
    let (code, _, err) = run(&["check", "no/such/project", "--period", "2026-Q5"]);
    assert_eq!(code, 2);
    assert!(err.contains("2026-Q5"), "{err}");
    assert!(!err.contains("no such project folder"), "{err}");
}

#[test]
fn quiet_prints_errors_only() {
    let (code, _, loud) = run(&["check", "samples/acme", "--as-of", AS_OF]);
    assert_eq!(code, 1);
    assert!(loud.contains("note["), "{loud}");
    let (code, _, quiet) = run(&["-q", "check", "samples/acme", "--as-of", AS_OF]);
    assert_eq!(code, 1);
    assert!(quiet.contains("error["), "{quiet}");
    assert!(
        !quiet.contains("warning[") && !quiet.contains("note["),
        "{quiet}"
    );
    assert!(!quiet.contains("warning(s)"), "{quiet}");
}

#[test]
fn color_follows_the_flag_and_no_color() {
    let args = ["check", "samples/acme", "--as-of", AS_OF];
    let with = |extra: &[&str], no_color: Option<&str>| {
        let mut c = auditpack();
        c.args(extra).args(args);
        if let Some(v) = no_color {
            c.env("NO_COLOR", v);
        }
        String::from_utf8_lossy(&c.output().unwrap().stderr).into_owned()
    };
    assert!(with(&["--color", "always"], None).contains("\x1b[1;31merror"));
    assert!(with(&["--color", "always"], Some("1")).contains("\x1b["));
    // stderr is a pipe here: auto means no colour, as does NO_COLOR.
    assert!(!with(&[], None).contains('\x1b'));
    assert!(!with(&["--color", "auto"], Some("1")).contains('\x1b'));
    assert!(!with(&["--color", "never"], None).contains('\x1b'));
}

#[test]
fn completions_and_man_page_are_generated() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef auditpack"),
        ("fish", "complete -c auditpack"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {err}");
        assert!(out.contains(marker), "{shell}");
        assert!(out.contains("matrix") && out.contains("as-of"), "{shell}");
    }
    let (code, out, _) = run(&["man"]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(".ie") || out.contains(".TH auditpack"),
        "{out}"
    );
    assert!(out.contains("completions"));
    let (code, out, _) = run(&["man", "check"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH auditpack-check") && out.contains("sarif"));
    assert_eq!(run(&["man", "nope"]).0, 2);
}

/// The vendored SARIF 2.1.0 schema (tests/sarif/README.md).
fn sarif_schema() -> Value {
    serde_json::from_str(
        &fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap()
}

/// Check `value` against the schema object `def`: its required keys, no key
/// outside its properties where additional ones are not allowed, enum
/// values; then the same for every property that is a `$ref` or an array
/// of `$ref`s.
fn conforms(schema: &Value, def: &Value, value: &Value, path: &str) {
    let resolve = |v: &Value| -> Value {
        match v["$ref"].as_str() {
            Some(r) => schema["definitions"][r.trim_start_matches("#/definitions/")].clone(),
            None => v.clone(),
        }
    };
    if let Some(allowed) = def["enum"].as_array() {
        assert!(
            allowed.contains(value),
            "{path}: {value} not in {allowed:?}"
        );
    }
    let Some(obj) = value.as_object() else { return };
    for key in def["required"].as_array().into_iter().flatten() {
        assert!(
            obj.contains_key(key.as_str().unwrap()),
            "{path}: missing {key}"
        );
    }
    let props = &def["properties"];
    for (k, v) in obj {
        let Some(p) = props.get(k) else {
            assert!(
                def["additionalProperties"] != false,
                "{path}: {k} is not allowed"
            );
            continue;
        };
        let p = resolve(p);
        if p["type"] == "array" {
            let item = resolve(&p["items"]);
            for (i, x) in v.as_array().unwrap().iter().enumerate() {
                conforms(schema, &item, x, &format!("{path}.{k}[{i}]"));
            }
        } else {
            if let Some(t) = p["type"].as_str() {
                let ok = match t {
                    "string" => v.is_string(),
                    "integer" => v.is_i64() || v.is_u64(),
                    "object" => v.is_object(),
                    "boolean" => v.is_boolean(),
                    _ => true,
                };
                assert!(ok, "{path}.{k}: not a {t}: {v}");
            }
            if let Some(min) = p["minimum"].as_i64() {
                assert!(v.as_i64().unwrap() >= min, "{path}.{k} below {min}");
            }
            conforms(schema, &p, v, &format!("{path}.{k}"));
        }
    }
}

#[test]
fn check_sarif_conforms_to_the_sarif_2_1_0_schema() {
    let (code, out, _) = run(&[
        "check",
        "samples/acme",
        "--as-of",
        AS_OF,
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&out).unwrap();
    let schema = sarif_schema();
    conforms(&schema, &schema, &log, "$");
    assert_eq!(log["version"], "2.1.0");
    let results = log["runs"][0]["results"].as_array().unwrap();
    let boundary = results
        .iter()
        .find(|r| r["ruleId"] == "boundary-error")
        .expect("the planted boundary error");
    assert_eq!(boundary["level"], "error");
    let loc = &boundary["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "samples/acme/controls/payments.yaml"
    );
    assert!(loc["region"]["startLine"].as_u64().unwrap() > 1);
    // Every result names a rule of the driver by its index.
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r["ruleId"]
        );
    }
}

/// The full JSON-schema validation, with check-jsonschema (installed by
/// `../shared/tools/install-checkers.sh`, which `.ci/run` runs).
#[test]
#[ignore = "needs check-jsonschema from ../shared/tools/install-checkers.sh"]
fn check_sarif_validates_with_check_jsonschema() {
    let home = std::env::var("CHECKERS_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap()).join(".cache/output-checkers")
        });
    let tool = home.join("venv/bin/check-jsonschema");
    assert!(tool.is_file(), "{} is missing: run .ci/run", tool.display());
    let (_, out, _) = run(&[
        "check",
        "samples/acme",
        "--as-of",
        AS_OF,
        "--format",
        "sarif",
    ]);
    let tmp = tempfile::tempdir().unwrap();
    let log = tmp.path().join("check.sarif");
    fs::write(&log, out).unwrap();
    let o = std::process::Command::new(&tool)
        .arg("--schemafile")
        .arg(root().join("tests/sarif/sarif-schema-2.1.0.json"))
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn as_of_defaults_to_the_end_of_a_past_period() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("q2");
    let o = auditpack()
        .args([
            "build",
            "samples/acme",
            "--period",
            "2026-Q2",
            "--format",
            "md",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let model: Value = serde_json::from_slice(&fs::read(out.join("model.json")).unwrap()).unwrap();
    // Today is after 2026-06-30 wherever this runs; the rule takes the earlier.
    assert_eq!(model["as_of"], "2026-06-30");
}

#[test]
fn matrix_header_names_the_framework_once() {
    let (code, out, _) = run(&[
        "matrix",
        "samples/acme",
        "--as-of",
        AS_OF,
        "--framework",
        "soc2",
    ]);
    assert_eq!(code, 0);
    let first = out.lines().next().unwrap();
    assert!(
        first.starts_with("SOC 2 — Trust Services Criteria"),
        "{first}"
    );
    assert!(!first.contains("SOC 2 — SOC 2"), "{first}");
}

#[test]
fn frameworks_table_has_no_nested_parentheses() {
    let (code, out, _) = run(&["frameworks"]);
    assert_eq!(code, 0);
    assert!(out.lines().next().unwrap().contains("VERSION"));
    let fedramp = out.lines().find(|l| l.starts_with("fedramp-low")).unwrap();
    assert!(
        fedramp.ends_with("fedramp2.1.0-oscal1.0.4 (2024-09-23)"),
        "{fedramp}"
    );
    for line in out.lines() {
        let mut depth = 0;
        for ch in line.chars() {
            match ch {
                '(' => depth += 1,
                ')' => depth -= 1,
                _ => {}
            }
            assert!(depth <= 1, "nested parentheses: {line}");
        }
    }
}

#[test]
fn matrix_csv_names_the_freshness_column_as_json_does() {
    let (_, csv, _) = run(&[
        "matrix",
        "samples/acme",
        "--as-of",
        AS_OF,
        "--format",
        "csv",
    ]);
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let (_, json, _) = run(&[
        "matrix",
        "samples/acme",
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ]);
    let rows: Value = serde_json::from_str(&json).unwrap();
    assert!(header.contains(&"freshness") && !header.contains(&"evidence"));
    assert!(rows[0].get("freshness").is_some());
}

#[cfg(unix)]
#[test]
fn the_bundle_is_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("pkg");
    let o = auditpack()
        .args([
            "build",
            "samples/acme",
            "--as-of",
            AS_OF,
            "--format",
            "md",
            "--bundle",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mode = fs::metadata(tmp.path().join("pkg.zip"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
}
