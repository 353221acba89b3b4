//! A small project in a temporary folder, read in-process through the
//! pipeline (load → validate → resolve), for tests of one rule each.
//!
//! [`Project::new`] writes a valid project without the built-in baseline:
//! SOC 2 on S3 and EC2, a provider attestation that covers the whole year,
//! and three controls, each met:
//!
//! | control | layers | responsibility | SOC 2 | attested |
//! | --- | --- | --- | --- | --- |
//! | `CUS-01` | data | customer | CC6.1 | implemented 2026-09-01, quarterly |
//! | `INH-01` | physical | inherited | CC6.4 | (provider) |
//! | `SHR-01` | physical, data | shared | CC6.7 | implemented 2026-09-01, quarterly |
//!
//! A test edits or adds files, then reads the outcome as plain data: the
//! diagnostics in the shape of `check --format json` ([`Diag`]) and the
//! model in the shape of `model.json`.

use auditpack::pipeline::{run, Options, Outcome};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

/// The project file of [`Project::new`].
pub const PROJECT_YAML: &str = "\
system:
  name: Test System
  organization: Test Org
  provider: aws
  services: [s3, ec2]
frameworks: [soc2]
period: 2026-Q3
baseline: false
controls: [controls/]
attestations: [attestations/]
evidence_root: evidence/
provider_attestations:
  - id: aws-soc2
    framework: soc2
    covers:
      start: 2026-01-01
      end: 2026-12-31
";

/// The controls of [`Project::new`].
pub const CONTROLS_YAML: &str = "\
controls:
  - id: CUS-01
    title: Customer control
    layers: [data]
    frequency: quarterly
    frameworks:
      soc2: [CC6.1]
  - id: INH-01
    title: Provider control
    layers: [physical]
    frequency: annually
    frameworks:
      soc2: [CC6.4]
  - id: SHR-01
    title: Shared control
    layers: [physical, data]
    frequency: quarterly
    frameworks:
      soc2: [CC6.7]
";

/// The attestations of [`Project::new`].
pub const ATTESTATIONS_YAML: &str = "\
attestations:
  - control: CUS-01
    status: implemented
    attested_by: Test Person <t@example.com>
    date: 2026-09-01
    evidence:
      - path: report.csv
        description: A report
  - control: SHR-01
    status: implemented
    attested_by: Test Person <t@example.com>
    date: 2026-09-01
    evidence:
      - path: report.csv
        description: A report
";

/// One diagnostic, as `check --format json` shows it; `at` is
/// `file:line:column` with the file relative to the project ("" when the
/// diagnostic has no location).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub severity: String,
    pub code: String,
    pub at: String,
    pub message: String,
}

/// What reading a project gave.
pub enum Read {
    /// Valid inputs: the model (as `model.json`) and the findings.
    Resolved(Value, Vec<Diag>),
    /// Input errors.
    Invalid(Vec<Diag>),
}

/// A project folder that lives as long as the value.
pub struct Project {
    tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Project {
    /// The valid project described in the module documentation.
    pub fn new() -> Self {
        let p = Self::empty();
        p.write("auditpack.yaml", PROJECT_YAML)
            .write("controls/c.yaml", CONTROLS_YAML)
            .write("attestations/a.yaml", ATTESTATIONS_YAML)
            .write("evidence/report.csv", "user,mfa\nalice,true\n");
        p
    }

    /// An empty project folder.
    pub fn empty() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("project");
        fs::create_dir_all(&dir).unwrap();
        Project { tmp, dir }
    }

    /// The project folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The temporary folder that holds the project (for outputs beside it).
    pub fn parent(&self) -> &Path {
        self.tmp.path()
    }

    /// Write `text` to the project file `rel`, making its folder.
    pub fn write(&self, rel: &str, text: impl AsRef<[u8]>) -> &Self {
        let path = self.dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// Replace the first `from` in the project file `rel` with `to`; `from`
    /// must be there.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Self {
        let path = self.dir.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        fs::write(path, text.replacen(from, to, 1)).unwrap();
        self
    }

    /// Append `text` to the project file `rel`.
    pub fn append(&self, rel: &str, text: &str) -> &Self {
        let path = self.dir.join(rel);
        let mut all = fs::read_to_string(&path).unwrap_or_default();
        all.push_str(text);
        fs::write(path, all).unwrap();
        self
    }

    /// Load, validate and resolve at `as_of` (`YYYY-MM-DD`).
    pub fn read(&self, as_of: &str) -> Read {
        let as_of = chrono::NaiveDate::parse_from_str(as_of, "%Y-%m-%d").unwrap();
        let mut sources = Default::default();
        match run(&self.dir, as_of, &Options::default(), &mut sources) {
            Outcome::Resolved(r) => Read::Resolved(
                serde_json::to_value(&r.model).unwrap(),
                r.findings.iter().map(|d| self.diag(d)).collect(),
            ),
            Outcome::Invalid(ds) => Read::Invalid(ds.iter().map(|d| self.diag(d)).collect()),
        }
    }

    /// The input errors at 2026-09-30; panics when the inputs are valid.
    pub fn errors(&self) -> Vec<Diag> {
        match self.read("2026-09-30") {
            Read::Invalid(ds) => ds,
            Read::Resolved(_, f) => panic!("the inputs are valid; findings: {f:#?}"),
        }
    }

    /// The model and findings at `as_of`; panics on input errors.
    pub fn resolve(&self, as_of: &str) -> (Value, Vec<Diag>) {
        match self.read(as_of) {
            Read::Resolved(m, f) => (m, f),
            Read::Invalid(ds) => panic!("input errors: {ds:#?}"),
        }
    }

    fn diag(&self, d: &auditpack::diag::Diagnostic) -> Diag {
        let v = serde_json::to_value(d).unwrap();
        let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
        let at = match v.get("span") {
            Some(span) => {
                let file = span["file"].as_str().unwrap_or_default();
                let file = Path::new(file)
                    .strip_prefix(&self.dir)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_else(|_| file.to_string());
                format!("{file}:{}:{}", span["line"], span["column"])
            }
            None => String::new(),
        };
        Diag {
            severity: s("severity"),
            code: s("code"),
            at,
            message: s("message"),
        }
    }
}

/// The diagnostics of `code`.
pub fn with_code<'a>(ds: &'a [Diag], code: &str) -> Vec<&'a Diag> {
    ds.iter().filter(|d| d.code == code).collect()
}

/// The one diagnostic of `code`; panics, listing them all, unless there is
/// exactly one.
pub fn only<'a>(ds: &'a [Diag], code: &str) -> &'a Diag {
    match with_code(ds, code).as_slice() {
        [d] => d,
        other => panic!(
            "{} diagnostics {code}: {other:#?}\nall: {ds:#?}",
            other.len()
        ),
    }
}

/// The item of the JSON array `list` whose `id` is `id`.
fn by_id<'a>(list: &'a Value, id: &str, what: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("{what} {id} is not in the model"))
}

/// A framework of the model.
pub fn framework<'a>(model: &'a Value, id: &str) -> &'a Value {
    by_id(&model["frameworks"], id, "framework")
}

/// A control of the model.
pub fn control<'a>(model: &'a Value, id: &str) -> &'a Value {
    by_id(&model["controls"], id, "control")
}

/// A requirement of the model.
pub fn requirement<'a>(model: &'a Value, fw: &str, id: &str) -> &'a Value {
    framework(model, fw)["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["requirements"].as_array().unwrap())
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("{fw} {id} is not in the model"))
}
