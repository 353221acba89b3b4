//! `auditpack init`: a new project from the built-in library.

use super::output;
use std::path::{Path, PathBuf};

/// Create a new project, ready to fill: `auditpack.yaml`, an example control,
/// an example attestation and evidence file.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  auditpack init my-project --name \"Payments API\" --organization \"Example Corp\"\n  auditpack check my-project"
)]
pub struct Args {
    /// Folder to create (must not exist or be empty).
    pub dir: PathBuf,
    /// System name.
    #[arg(long, default_value = "My System")]
    pub name: String,
    /// Organisation name.
    #[arg(long, default_value = "My Organization")]
    pub organization: String,
    /// Also write the built-in templates to DIR/templates, to customise.
    #[arg(long)]
    pub templates: bool,
}

const PROJECT: &str = r#"# auditpack project. Reference: https://github.com/auditpack/auditpack#input-format
system:
  name: {name}
  organization: {organization}
  provider: aws
  # Services in scope; `auditpack` resolves every control against them.
  services: [ec2, s3, iam, cloudtrail, kms]
frameworks: [soc2]
period: {period}
controls: [controls/]
attestations: [attestations/{period}/]
evidence_root: evidence/
provider_attestations:
  - id: aws-soc2-type2
    framework: soc2
    title: AWS SOC 2 Type II report (from AWS Artifact)
    covers: {start: {start}, end: {end}}
"#;

const CONTROLS: &str = r#"# Your own controls. A control with the id of a built-in control replaces it.
controls:
  - id: APP-01
    title: Production deploys require an approved pull request
    family: Change management
    layers: [application]
    frequency: quarterly
    owner: engineering@example.com
    description: |
      Every change to production passes code review by a second engineer
      and the CI pipeline before it is deployed.
    frameworks:
      soc2: [CC8.1]
"#;

const ATTESTATION: &str = r#"attestations:
  - control: APP-01
    status: implemented
    attested_by: Your Name <you@example.com>
    date: {date}
    narrative: |
      Branch protection requires one approving review; see the exported settings.
    evidence:
      - path: branch-protection.json
        description: Branch protection settings of the main repository
"#;

pub fn execute(a: Args, quiet: bool) -> u8 {
    if a.dir.exists()
        && std::fs::read_dir(&a.dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return output::fail(2, &format!("{} exists and is not empty", a.dir.display()));
    }
    let today = chrono::Utc::now().date_naive();
    let period = crate::validate::dates::period_label(&format!(
        "{}-Q{}",
        chrono::Datelike::year(&today),
        (chrono::Datelike::month(&today) - 1) / 3 + 1
    ));
    let Some(period) = period else {
        return output::fail(2, "cannot compute the current quarter");
    };
    let yaml_str = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let project = PROJECT
        .replace("{name}", &yaml_str(&a.name))
        .replace("{organization}", &yaml_str(&a.organization))
        .replace("{period}", &period.label)
        .replace("{start}", &period.start.to_string())
        .replace("{end}", &period.end.to_string());
    let mut files: Vec<(PathBuf, String)> = vec![
        ("auditpack.yaml".into(), project),
        ("controls/controls.yaml".into(), CONTROLS.into()),
        (
            format!("attestations/{}/app.yaml", period.label).into(),
            ATTESTATION.replace("{date}", &today.to_string()),
        ),
        (
            "evidence/branch-protection.json".into(),
            "{\n  \"required_approving_review_count\": 1\n}\n".into(),
        ),
    ];
    if a.templates {
        for (name, text) in crate::render::templates::builtin() {
            files.push((Path::new("templates").join(name), text.to_string()));
        }
    }
    for (rel, text) in &files {
        let path = a.dir.join(rel);
        if let Err(e) = crate::package::write_file_atomic(&path, text.as_bytes()) {
            return output::fail(2, &format!("{}: {e}", path.display()));
        }
    }
    if !quiet {
        output::message(&format!(
            "created {} ({} files): edit auditpack.yaml, then run `auditpack check {}`",
            a.dir.display(),
            files.len(),
            a.dir.display()
        ));
    }
    0
}
