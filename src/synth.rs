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

/// Write a synthetic project of `size` into `dir` (which must not exist).
pub fn generate(dir: &Path, size: Size, seed: u64, lib: &Library) -> std::io::Result<Planted> {
    let (n_controls, per_control, large) = size.shape();
    let mut rng = Rng(seed);
    let period_start = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
    std::fs::create_dir_all(dir.join("controls"))?;
    std::fs::create_dir_all(dir.join("attestations"))?;
    std::fs::create_dir_all(dir.join("evidence"))?;

    // Every requirement of the four frameworks, dealt round-robin to the
    // controls, less the three planted gaps.
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

    let stale = |i: usize| i % 97 == 5;
    let past_due = |i: usize| i % 199 == 11;
    let boundary = |i: usize| i % 499 == 7;
    let inherited = |i: usize| i % 10 == 3;
    let mut planted: Planted = BTreeMap::new();
    planted.insert("requirement-gap", gaps.len());

    let families = [
        "Identity",
        "Logging",
        "Network",
        "Encryption",
        "Backup",
        "Incident response",
        "Change management",
    ];
    let customer_layers = [
        "identity",
        "data",
        "application",
        "network-config",
        "firewall-config",
        "client-side-encryption",
    ];
    let mut controls_text = String::new();
    let mut att_text = String::new();
    let mut file_no = 0;
    for i in 0..n_controls {
        let id = format!("SYN-{:05}", i + 1);
        let _ = writeln!(controls_text, "  - id: {id}");
        let _ = writeln!(
            controls_text,
            "    title: Synthetic control {} for {}",
            i + 1,
            families[i % families.len()]
        );
        let _ = writeln!(
            controls_text,
            "    family: {}",
            families[i % families.len()]
        );
        if boundary(i) {
            *planted.entry("boundary-error").or_default() += 1;
            let _ = writeln!(
                controls_text,
                "    layers: [guest-os]\n    services: [ec2]\n    responsibility: inherited"
            );
        } else if inherited(i) {
            let _ = writeln!(controls_text, "    layers: [physical, hardware]");
        } else {
            let a = customer_layers[rng.below(customer_layers.len())];
            let b = customer_layers[rng.below(customer_layers.len())];
            let layers = if a == b {
                a.to_string()
            } else {
                format!("{a}, {b}")
            };
            let _ = writeln!(controls_text, "    layers: [{layers}]");
            if rng.below(3) == 0 {
                let _ = writeln!(
                    controls_text,
                    "    services: [{}]",
                    SERVICES[rng.below(SERVICES.len())]
                );
            }
        }
        let frequency = if stale(i) { "monthly" } else { "quarterly" };
        let _ = writeln!(controls_text, "    frequency: {frequency}");
        let _ = writeln!(
            controls_text,
            "    description: |\n      Generated control {} (seed {seed}).",
            i + 1
        );
        let _ = writeln!(controls_text, "    frameworks:");
        // Every control maps somewhere in every framework.
        for fw in FRAMEWORKS {
            let mut ids: Vec<&str> = mapped[i].get(fw).cloned().unwrap_or_default();
            if ids.is_empty() {
                let cat = &lib.catalogs[fw];
                let mut pick = rng.below(cat.requirements.len());
                while gaps
                    .iter()
                    .any(|&g| reqs[g] == (fw, cat.requirements[pick].id.as_str()))
                {
                    pick = (pick + 1) % cat.requirements.len();
                }
                ids.push(cat.requirements[pick].id.as_str());
            }
            let key = if fw.starts_with("fedramp") {
                "fedramp"
            } else {
                fw
            };
            let list: Vec<String> = ids.iter().map(|x| format!("\"{x}\"")).collect();
            let _ = writeln!(controls_text, "      {key}: [{}]", list.join(", "));
        }
        if stale(i) {
            *planted.entry("stale-evidence").or_default() += 1;
        }
        if past_due(i) && !boundary(i) {
            *planted.entry("exception-past-due").or_default() += 1;
        }
        for j in 0..per_control {
            // Spread over the quarter; the stale control's latest is 1 August.
            let day = if stale(i) {
                (j * 31 / per_control) as u64
            } else {
                (j * 90 / per_control) as u64
            };
            let date = period_start
                .checked_add_days(Days::new(day))
                .unwrap_or(period_start);
            file_no += 1;
            let rel = format!("e/{:03}/{:06}.csv", file_no / 1000, file_no);
            let path = dir.join("evidence").join(&rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p)?;
            }
            let kib = 1 + rng.below(16);
            let mut body = String::with_capacity(kib * 1024);
            body.push_str("resource,check,result,checked_at\n");
            while body.len() < kib * 1024 {
                let _ = writeln!(
                    body,
                    "arn:aws:iam::111122223333:resource/{:08x},{id},PASS,{date}",
                    rng.next() as u32
                );
            }
            std::fs::write(&path, body)?;
            let _ = writeln!(att_text, "  - control: {id}\n    status: implemented\n    attested_by: Synthetic Owner <owner{}@example.com>\n    date: {date}", i % 17);
            att_text.push_str(&narrative(i, j));
            let _ = writeln!(
                att_text,
                "    evidence:\n      - path: {rel}\n        description: Check export {j}"
            );
            if j + 1 == per_control && past_due(i) && !boundary(i) {
                let _ = writeln!(att_text, "    exceptions:\n      - id: EXC-{}\n        description: Remediation pending\n        remediation_due: 2026-09-01", i + 1);
            }
        }
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
    if large > 0 {
        std::fs::create_dir_all(dir.join("evidence/large"))?;
        let _ = writeln!(
            att_text,
            "  - control: SYN-00001\n    status: implemented\n    attested_by: Synthetic Owner <owner@example.com>\n    date: 2026-09-20\n    evidence:"
        );
    }
    for k in 0..large {
        let mut f = std::io::BufWriter::new(std::fs::File::create(
            dir.join(format!("evidence/large/flow-logs-{}.bin", k + 1)),
        )?);
        let mut block = vec![0u8; 1 << 20];
        for _ in 0..200 {
            for chunk in block.chunks_mut(8) {
                chunk.copy_from_slice(&rng.next().to_le_bytes()[..chunk.len()]);
            }
            f.write_all(&block)?;
        }
        f.flush()?;
        let _ = writeln!(
            att_text,
            "      - path: large/flow-logs-{}.bin\n        description: VPC flow logs {}",
            k + 1,
            k + 1
        );
    }
    if !att_text.is_empty() {
        std::fs::write(
            dir.join("attestations/attestations-large.yaml"),
            format!("attestations:\n{att_text}"),
        )?;
    }
    let mut pas = String::new();
    for fw in FRAMEWORKS {
        let _ = writeln!(pas, "  - id: aws-{fw}\n    framework: {fw}\n    title: AWS {fw} attestation\n    covers: {{start: 2026-01-01, end: 2026-12-31}}");
    }
    let project = format!(
        "# Synthetic organisation, size {size:?}, seed {seed}. Generated by `auditpack synth`.\n\
         system:\n  name: Synthetic {size:?}\n  organization: Synthetic Org\n  provider: aws\n  services: [{}]\n\
         frameworks: [{}]\nperiod: 2026-Q3\nbaseline: false\ncontrols: [controls/]\nattestations: [attestations/]\n\
         evidence_root: evidence/\nprovider_attestations:\n{pas}",
        SERVICES.join(", "),
        FRAMEWORKS.join(", ")
    );
    std::fs::write(dir.join("auditpack.yaml"), project)?;
    let json = serde_json::to_string_pretty(&planted).unwrap_or_default();
    std::fs::write(dir.join("planted.json"), json + "\n")?;
    Ok(planted)
}

/// The narrative of attestation `j` of control `i`: Markdown as owners write
/// it (bold, emphasis, a list, `&`, a `*` that is no emphasis), as a YAML
/// block scalar. Derived from the indices only, so the random stream (and
/// with it every planted finding and evidence file) is unchanged.
fn narrative(i: usize, j: usize) -> String {
    let total = 40 + (i * 7 + j * 3) % 200;
    let sampled = 5 + (i + j) % 20;
    let mut s = format!(
        "    narrative: |\n      Checked by the generator, run {j}: **{total} of {total} resources passed** \
         & none was muted.\n"
    );
    if (i + j).is_multiple_of(3) {
        let _ = write!(
            s,
            "      The *platform* team reviewed the export:\n\n      - {sampled} accounts sampled (2 * {} regions)\n      \
             - findings & exceptions: none open\n",
            sampled.div_ceil(2)
        );
    }
    s
}
