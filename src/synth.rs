//! Synthetic organisations for tests and benchmarks: a valid project of a
//! given size, the same bytes for the same seed, with planted findings
//! listed in `planted.json`.

use crate::validate::Library;
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

/// A project size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Size {
    /// 100 controls, 1,000 attestations, 1,000 evidence files.
    S,
    /// 1,000 controls, 10,000 attestations, 10,000 evidence files.
    M,
    /// 10,000 controls, 100,000 attestations, 100,000 evidence files (1–16 KiB) and three 200 MB files.
    L,
}

impl Size {
    /// (controls, attestations per control, large files).
    fn shape(self) -> (usize, usize, usize) {
        match self {
            Size::S => (100, 10, 0),
            Size::M => (1_000, 10, 0),
            Size::L => (10_000, 10, 3),
        }
    }
}

/// SplitMix64: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Counts of the findings planted, by code.
pub type Planted = BTreeMap<&'static str, usize>;

const FRAMEWORKS: [&str; 4] = ["soc2", "pci-dss-4", "hipaa", "fedramp-moderate"];
const SERVICES: [&str; 8] = [
    "cloudtrail",
    "dynamodb",
    "ec2",
    "iam",
    "kms",
    "lambda",
    "rds",
    "s3",
];

/// Families of the synthetic controls, in turn.
const FAMILIES: [&str; 7] = [
    "Identity",
    "Logging",
    "Network",
    "Encryption",
    "Backup",
    "Incident response",
    "Change management",
];

/// The layers a customer control may act on.
const CUSTOMER_LAYERS: [&str; 6] = [
    "identity",
    "data",
    "application",
    "network-config",
    "firewall-config",
    "client-side-encryption",
];

/// Which controls carry a planted finding.
fn stale(i: usize) -> bool {
    i % 97 == 5
}
fn past_due(i: usize) -> bool {
    i % 199 == 11 && !boundary(i)
}
fn boundary(i: usize) -> bool {
    i % 499 == 7
}
fn inherited(i: usize) -> bool {
    i % 10 == 3
}

/// The state of one generation: the random stream, the requirements dealt
/// to the controls and the findings planted so far.
struct Generator<'a> {
    dir: &'a Path,
    lib: &'a Library,
    seed: u64,
    rng: Rng,
    per_control: usize,
    /// Every requirement of the four frameworks, as (framework, id).
    reqs: Vec<(&'a str, &'a str)>,
    /// Indices into `reqs` left unmapped on purpose.
    gaps: [usize; 3],
    /// The requirements each control maps to, by framework.
    mapped: Vec<BTreeMap<&'a str, Vec<&'a str>>>,
    planted: Planted,
    file_no: usize,
}

/// Write a synthetic project of `size` into `dir` (which must not exist).
pub fn generate(dir: &Path, size: Size, seed: u64, lib: &Library) -> std::io::Result<Planted> {
    let (n_controls, per_control, large) = size.shape();
    for sub in ["controls", "attestations", "evidence"] {
        std::fs::create_dir_all(dir.join(sub))?;
    }
    let mut g = Generator::new(dir, lib, seed, n_controls, per_control);
    let mut controls_text = String::new();
    let mut att_text = String::new();
    for i in 0..n_controls {
        g.control(i, &mut controls_text);
        g.attestations(i, &mut att_text)?;
        if (i + 1) % 100 == 0 || i + 1 == n_controls {
            let n = i / 100 + 1;
            std::fs::write(
                dir.join(format!("controls/controls-{n:04}.yaml")),
                format!("controls:\n{controls_text}"),
            )?;
            std::fs::write(
                dir.join(format!("attestations/attestations-{n:04}.yaml")),
                format!("attestations:\n{att_text}"),
            )?;
            controls_text.clear();
            att_text.clear();
        }
    }
    g.large_files(large, &mut att_text)?;
    if !att_text.is_empty() {
        std::fs::write(
            dir.join("attestations/attestations-large.yaml"),
            format!("attestations:\n{att_text}"),
        )?;
    }
    std::fs::write(dir.join("auditpack.yaml"), project_file(size, seed))?;
    let json = serde_json::to_string_pretty(&g.planted).unwrap_or_default();
    std::fs::write(dir.join("planted.json"), json + "\n")?;
    Ok(g.planted)
}

/// `auditpack.yaml` of a synthetic organisation.
fn project_file(size: Size, seed: u64) -> String {
    let mut pas = String::new();
    for fw in FRAMEWORKS {
        let _ = writeln!(pas, "  - id: aws-{fw}\n    framework: {fw}\n    title: AWS {fw} attestation\n    covers: {{start: 2026-01-01, end: 2026-12-31}}");
    }
    format!(
        "# Synthetic organisation, size {size:?}, seed {seed}. Generated by `auditpack synth`.\n\
         system:\n  name: Synthetic {size:?}\n  organization: Synthetic Org\n  provider: aws\n  services: [{}]\n\
         frameworks: [{}]\nperiod: 2026-Q3\nbaseline: false\ncontrols: [controls/]\nattestations: [attestations/]\n\
         evidence_root: evidence/\nprovider_attestations:\n{pas}",
        SERVICES.join(", "),
        FRAMEWORKS.join(", ")
    )
}

impl<'a> Generator<'a> {
    /// Deal every requirement of the four frameworks round-robin to the
    /// controls, less the three planted gaps.
    fn new(
        dir: &'a Path,
        lib: &'a Library,
        seed: u64,
        n_controls: usize,
        per_control: usize,
    ) -> Self {
        let mut reqs: Vec<(&str, &str)> = Vec::new();
        for fw in FRAMEWORKS {
            if let Some(c) = lib.catalogs.get(fw) {
                reqs.extend(c.requirements.iter().map(|r| (fw, r.id.as_str())));
            }
        }
        let gaps = [reqs.len() / 7, reqs.len() / 3, reqs.len() / 2];
        let mut mapped: Vec<BTreeMap<&str, Vec<&str>>> = vec![BTreeMap::new(); n_controls];
        for (i, (fw, id)) in reqs.iter().enumerate() {
            if gaps.contains(&i) {
                continue;
            }
            mapped[i % n_controls].entry(fw).or_default().push(id);
        }
        let mut planted: Planted = BTreeMap::new();
        planted.insert("requirement-gap", gaps.len());
        Generator {
            dir,
            lib,
            seed,
            rng: Rng(seed),
            per_control,
            reqs,
            gaps,
            mapped,
            planted,
            file_no: 0,
        }
    }

    /// The YAML of control `i`.
    fn control(&mut self, i: usize, out: &mut String) {
        let id = control_id(i);
        let family = FAMILIES[i % FAMILIES.len()];
        let _ = writeln!(out, "  - id: {id}");
        let _ = writeln!(out, "    title: Synthetic control {} for {family}", i + 1);
        let _ = writeln!(out, "    family: {family}");
        self.layers(i, out);
        let frequency = if stale(i) { "monthly" } else { "quarterly" };
        let _ = writeln!(out, "    frequency: {frequency}");
        let _ = writeln!(
            out,
            "    description: |\n      Generated control {} (seed {}).",
            i + 1,
            self.seed
        );
        let _ = writeln!(out, "    frameworks:");
        // Every control maps somewhere in every framework.
        for fw in FRAMEWORKS {
            let ids = self.mapping(i, fw);
            let key = if fw.starts_with("fedramp") {
                "fedramp"
            } else {
                fw
            };
            let list: Vec<String> = ids.iter().map(|x| format!("\"{x}\"")).collect();
            let _ = writeln!(out, "      {key}: [{}]", list.join(", "));
        }
        for (planted, code) in [
            (stale(i), "stale-evidence"),
            (past_due(i), "exception-past-due"),
        ] {
            if planted {
                *self.planted.entry(code).or_default() += 1;
            }
        }
    }

    /// The `layers:` (and `services:`) of control `i`.
    fn layers(&mut self, i: usize, out: &mut String) {
        if boundary(i) {
            *self.planted.entry("boundary-error").or_default() += 1;
            let _ = writeln!(
                out,
                "    layers: [guest-os]\n    services: [ec2]\n    responsibility: inherited"
            );
        } else if inherited(i) {
            let _ = writeln!(out, "    layers: [physical, hardware]");
        } else {
            let a = CUSTOMER_LAYERS[self.rng.below(CUSTOMER_LAYERS.len())];
            let b = CUSTOMER_LAYERS[self.rng.below(CUSTOMER_LAYERS.len())];
            let layers = if a == b {
                a.to_string()
            } else {
                format!("{a}, {b}")
            };
            let _ = writeln!(out, "    layers: [{layers}]");
            if self.rng.below(3) == 0 {
                let service = SERVICES[self.rng.below(SERVICES.len())];
                let _ = writeln!(out, "    services: [{service}]");
            }
        }
    }

    /// The requirements of `fw` control `i` maps to: those dealt to it, else
    /// one picked at random that is not a planted gap.
    fn mapping(&mut self, i: usize, fw: &'a str) -> Vec<&'a str> {
        let mut ids: Vec<&str> = self.mapped[i].get(fw).cloned().unwrap_or_default();
        if ids.is_empty() {
            let Some(cat) = self.lib.catalogs.get(fw) else {
                return ids;
            };
            let mut pick = self.rng.below(cat.requirements.len());
            while self
                .gaps
                .iter()
                .any(|&g| self.reqs[g] == (fw, cat.requirements[pick].id.as_str()))
            {
                pick = (pick + 1) % cat.requirements.len();
            }
            ids.push(cat.requirements[pick].id.as_str());
        }
        ids
    }

    /// The attestations of control `i`, one evidence file each.
    fn attestations(&mut self, i: usize, out: &mut String) -> std::io::Result<()> {
        let id = control_id(i);
        let period_start = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
        let per_control = self.per_control;
        for j in 0..per_control {
            // Spread over the quarter; the stale control's latest is 1 August.
            let span = if stale(i) { 31 } else { 90 };
            let day = (j * span / per_control) as u64;
            let date = period_start
                .checked_add_days(Days::new(day))
                .unwrap_or(period_start);
            let rel = self.evidence_file(&id, date)?;
            let _ = writeln!(out, "  - control: {id}\n    status: implemented\n    attested_by: Synthetic Owner <owner{}@example.com>\n    date: {date}", i % 17);
            out.push_str(&narrative(i, j));
            let _ = writeln!(
                out,
                "    evidence:\n      - path: {rel}\n        description: Check export {j}"
            );
            if j + 1 == per_control && past_due(i) {
                let _ = writeln!(out, "    exceptions:\n      - id: EXC-{}\n        description: Remediation pending\n        remediation_due: 2026-09-01", i + 1);
            }
        }
        Ok(())
    }

    /// Write the next evidence file (a check export of 1–16 KiB); its path
    /// below the evidence root.
    fn evidence_file(&mut self, id: &str, date: NaiveDate) -> std::io::Result<String> {
        self.file_no += 1;
        let rel = format!("e/{:03}/{:06}.csv", self.file_no / 1000, self.file_no);
        let path = self.dir.join("evidence").join(&rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        let kib = 1 + self.rng.below(16);
        let mut body = String::with_capacity(kib * 1024);
        body.push_str("resource,check,result,checked_at\n");
        while body.len() < kib * 1024 {
            let _ = writeln!(
                body,
                "arn:aws:iam::111122223333:resource/{:08x},{id},PASS,{date}",
                self.rng.next() as u32
            );
        }
        std::fs::write(&path, body)?;
        Ok(rel)
    }

    /// `large` files of 200 MB and the attestation that names them.
    fn large_files(&mut self, large: usize, out: &mut String) -> std::io::Result<()> {
        if large == 0 {
            return Ok(());
        }
        std::fs::create_dir_all(self.dir.join("evidence/large"))?;
        let _ = writeln!(
            out,
            "  - control: SYN-00001\n    status: implemented\n    attested_by: Synthetic Owner <owner@example.com>\n    date: 2026-09-20\n    evidence:"
        );
        for k in 0..large {
            let mut f = std::io::BufWriter::new(std::fs::File::create(
                self.dir
                    .join(format!("evidence/large/flow-logs-{}.bin", k + 1)),
            )?);
            let mut block = vec![0u8; 1 << 20];
            for _ in 0..200 {
                for chunk in block.chunks_mut(8) {
                    chunk.copy_from_slice(&self.rng.next().to_le_bytes()[..chunk.len()]);
                }
                f.write_all(&block)?;
            }
            f.flush()?;
            let _ = writeln!(
                out,
                "      - path: large/flow-logs-{}.bin\n        description: VPC flow logs {}",
                k + 1,
                k + 1
            );
        }
        Ok(())
    }
}

/// The id of control `i`.
fn control_id(i: usize) -> String {
    format!("SYN-{:05}", i + 1)
}

/// The narrative of attestation `j` of control `i`: Markdown as control
/// owners write it (bold, emphasis, lists, `&`, a `*` that is no emphasis),
/// about the control's family, as a YAML block scalar. Derived from the
/// indices only, so the random stream (and with it every planted finding
/// and evidence file) does not depend on it.
fn narrative(i: usize, j: usize) -> String {
    let total = 40 + (i * 7 + j * 3) % 200;
    let sampled = 5 + (i + j) % 20;
    let regions = sampled.div_ceil(2);
    let body = match FAMILIES[i % FAMILIES.len()] {
        "Identity" => format!(
            "Quarterly access review of the **{total} IAM principals** in scope: \
             each was confirmed by its manager & the *security* team.\n\n\
             - {sampled} users had unused keys older than 90 days; all were deactivated\n\
             - no policy grants `iam:*` outside the break-glass role\n"
        ),
        "Logging" => format!(
            "CloudTrail is on in all regions, with log file validation. \
             **{total} of {total} trails** deliver to the central `audit-logs-*` bucket.\n\n\
             The *log review* covered {sampled} days; alerts & escalations:\n\n\
             1. root sign-in: none\n\
             2. policy changes: reviewed in the change tickets\n"
        ),
        "Network" => format!(
            "Security groups were compared with the approved baseline: \
             **no ingress from 0.0.0.0/0** except on the load balancers (80 & 443).\n\n\
             - {total} groups checked across {regions} VPCs\n\
             - flow logs on for every VPC; sampled {sampled} * 24 h of traffic\n"
        ),
        "Encryption" => format!(
            "All {total} volumes, buckets & databases are encrypted with *customer-managed* \
             KMS keys; key rotation is **enabled on every key**.\n\n\
             - TLS 1.2+ enforced on {regions} endpoints\n\
             - no bucket policy allows `s3:GetObject` on `*` without TLS\n"
        ),
        "Backup" => format!(
            "Backups ran daily; a **restore test** of {sampled} snapshots succeeded \
             (RPO 24 h & RTO 4 h met).\n\n\
             - retention: 35 days, copied to a second region\n\
             - vault lock on; *no* deletion outside the retention window\n"
        ),
        "Incident response" => format!(
            "The on-call runbook was exercised in a **tabletop** with {sampled} participants \
             (engineering & legal).\n\n\
             1. detection to triage: 14 min\n\
             2. follow-ups tracked as tickets; *all closed* by the end of the quarter\n"
        ),
        _ => format!(
            "{total} production changes in the period; **every change** had an approved \
             pull request & a passing pipeline.\n\n\
             - {sampled} emergency changes, each reviewed *after the fact* within 2 days\n\
             - deploy rights: {regions} engineers (2 * on-call rota)\n"
        ),
    };
    let mut s = String::from("    narrative: |\n");
    for line in body.lines() {
        if line.is_empty() {
            s.push('\n');
        } else {
            let _ = writeln!(s, "      {line}");
        }
    }
    if j % 4 == 3 {
        let _ = writeln!(
            s,
            "\n      Reviewed by the control owner, run {j}: *no exceptions* & nothing muted."
        );
    }
    s
}
