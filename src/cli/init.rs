//! `auditpack init`: a new project from the built-in library.

use super::{output, CliError};
use std::path::{Path, PathBuf};

/// Create a new project, ready to fill: `auditpack.yaml`, an example control,
/// an example attestation and evidence file. The provider attestations are
/// placeholders to fill in from AWS Artifact; `check` then lists the next
/// steps.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Example:\n  auditpack init my-project --frameworks soc2,pci-dss-4 --services ec2,s3,iam,rds --name \"Payments API\"\n  auditpack check my-project"
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
    /// Frameworks in scope, comma-separated (`auditpack frameworks` lists them).
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "soc2",
        value_name = "ID,…"
    )]
    pub frameworks: Vec<String>,
    /// AWS services in scope, comma-separated.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "ec2,s3,iam,cloudtrail,kms",
        value_name = "ID,…"
    )]
    pub services: Vec<String>,
    /// Also write the built-in templates to DIR/templates, to customise.
    #[arg(long)]
    pub templates: bool,
}

const PROJECT: &str = r#"# auditpack project. Every key: docs/project-format.md of auditpack.
system:
  name: {name}
  organization: {organization}
  provider: aws
  # Services in scope; auditpack resolves every control against them.
  services: [{services}]
frameworks: [{frameworks}]
period: {period}
controls: [controls/]
attestations: [attestations/{period}/]
evidence_root: evidence/
# The built-in AWS baseline controls are part of the project (`baseline: false`
# leaves them out). `auditpack check` lists those still awaiting an attestation.
baseline: true
# What AWS certifies: copy each report's period from AWS Artifact
# (https://console.aws.amazon.com/artifact/). Until then `check` flags them.
provider_attestations:
{provider_attestations}"#;

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

/// The title of the AWS report that covers a framework.
fn provider_report(framework: &str) -> String {
    match framework {
        "soc2" => "AWS SOC 2 Type II report".into(),
        "pci-dss-4" => "AWS PCI DSS Attestation of Compliance".into(),
        "hipaa" => "AWS HITRUST CSF certification (HIPAA)".into(),
        f if f.starts_with("fedramp") => "AWS FedRAMP P-ATO".into(),
        f => format!("AWS report for {f}"),
    }
}

/// One placeholder provider attestation per framework: no invented dates.
fn provider_attestations(frameworks: &[String]) -> String {
    frameworks
        .iter()
        .map(|f| {
            format!(
                "  - id: aws-{f}\n    framework: {f}\n    title: {}\n    covers: {{start: {p}, end: {p}}}\n",
                provider_report(f),
                p = crate::validate::project::PLACEHOLDER_DATE
            )
        })
        .collect()
}

/// Unknown framework or service ids, with suggestions (usage errors).
fn unknown_ids(a: &Args) -> Option<String> {
    let mut sources = crate::diag::Sources::default();
    let mut diags = crate::diag::Diagnostics::default();
    let lib = crate::pipeline::builtin_library(&mut sources, &mut diags);
    let aws = lib.matrices.get("aws")?;
    let mut problems = Vec::new();
    for (kind, ids, known) in [
        (
            "framework",
            &a.frameworks,
            lib.catalogs.keys().collect::<Vec<_>>(),
        ),
        ("service", &a.services, aws.services.keys().collect()),
    ] {
        for id in ids.iter().filter(|id| !known.iter().any(|k| k == id)) {
            let hint = crate::suggest::did_you_mean(id, known.iter().map(|k| k.as_str()))
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            problems.push(format!("unknown {kind} `{id}`{hint}"));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

pub fn execute(a: Args, quiet: bool) -> Result<(), CliError> {
    if let Some(problem) = unknown_ids(&a) {
        return Err(CliError::usage_or_io(format!(
            "{problem}; nothing was written"
        )));
    }
    if a.dir.exists()
        && std::fs::read_dir(&a.dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(true)
    {
        return Err(CliError::usage_or_io(format!(
            "{} exists and is not empty",
            a.dir.display()
        )));
    }
    let today = chrono::Utc::now().date_naive();
    let period = crate::validate::dates::period_label(&format!(
        "{}-Q{}",
        chrono::Datelike::year(&today),
        (chrono::Datelike::month(&today) - 1) / 3 + 1
    ));
    let Some(period) = period else {
        return Err(CliError::usage_or_io("cannot compute the current quarter"));
    };
    let yaml_str = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let project = PROJECT
        .replace("{name}", &yaml_str(&a.name))
        .replace("{organization}", &yaml_str(&a.organization))
        .replace("{services}", &a.services.join(", "))
        .replace("{frameworks}", &a.frameworks.join(", "))
        .replace("{period}", &period.label)
        .replace(
            "{provider_attestations}",
            &provider_attestations(&a.frameworks),
        );
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
        crate::fsio::write_file_atomic(&path, text.as_bytes())
            .map_err(|e| CliError::usage_or_io(e).context(path.display()))?;
    }
    if !quiet {
        output::message(&format!(
            "created {} ({} files): run `auditpack check {}` for the next steps",
            a.dir.display(),
            files.len(),
            a.dir.display()
        ));
    }
    Ok(())
}
