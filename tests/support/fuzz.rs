//! Fuzz targets shared by `tests/fuzz.rs` (a few seconds in `cargo test`)
//! and `examples/fuzz.rs` (as long as asked): the YAML loader on mutated
//! and random texts, and `verify` on mutated, forged and random zips.
//! A target fails only by panicking or by breaking its invariant.

#![allow(dead_code)]

use auditpack::load::raw::{AttestationsFile, ControlsFile, ProjectFile};
use auditpack::package::manifest::Manifest;
use auditpack::package::verify;
use proptest::prelude::*;
use std::io::{Cursor, Read, Write};

/// Real inputs the mutations start from.
const SEEDS: [&str; 4] = [
    include_str!("../../samples/acme/auditpack.yaml"),
    include_str!("../../samples/acme/controls/payments.yaml"),
    include_str!("../../samples/acme/attestations/2026-Q3/encryption.yaml"),
    include_str!("../../samples/acme/attestations/2026-Q3/continuity.yaml"),
];

/// Bits of YAML that change its structure.
const PIECES: [&str; 24] = [
    ":", "- ", "\n", "  ", "&a ", "*a", "!!str ", "|", ">", "'", "\"", "#", "[", "]", "{", "}",
    ",", "? ", "---\n", "...\n", "\\e", "\t", "\u{1b}", "<<: *a\n",
];

/// A seed text with a few edits: each inserts a piece, deletes a run or
/// duplicates a slice, at some position.
pub fn mutated_yaml() -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0u8..4,
        0..PIECES.len(),
        0usize..40,
    );
    (0..SEEDS.len(), prop::collection::vec(edit, 1..12)).prop_map(|(seed, edits)| {
        let mut s: Vec<char> = SEEDS[seed].chars().collect();
        for (at, op, piece, len) in edits {
            let i = at.index(s.len() + 1);
            match op {
                0 | 1 => {
                    let p: Vec<char> = PIECES[piece].chars().collect();
                    s.splice(i..i, p);
                }
                2 => {
                    let end = (i + len).min(s.len());
                    s.drain(i..end);
                }
                _ => {
                    let end = (i + len).min(s.len());
                    let copy: Vec<char> = s[i..end].to_vec();
                    s.splice(i..i, copy);
                }
            }
        }
        s.into_iter().collect()
    })
}

/// Short texts of YAML's punctuation, words and any character.
pub fn random_yaml() -> impl Strategy<Value = String> {
    prop_oneof![
        "[-:&*!|>'\"#\\[\\]{},? \n\ta-z0-9]{0,200}",
        "\\PC{0,120}",
        prop::collection::vec(0..PIECES.len(), 0..60)
            .prop_map(|v| v.into_iter().map(|i| PIECES[i]).collect::<String>()),
    ]
}

/// The loader on one text, as each kind of input file: a value or a
/// diagnostic with a message, never a panic.
pub fn load_yaml(text: &str) -> Result<(), TestCaseError> {
    use auditpack::load::yaml::parse;
    let results = [
        parse::<ProjectFile>("auditpack.yaml", text).err(),
        parse::<ControlsFile>("controls.yaml", text).err(),
        parse::<AttestationsFile>("attestations.yaml", text).err(),
    ];
    for d in results.into_iter().flatten() {
        prop_assert!(!d.message.is_empty());
    }
    Ok(())
}

/// One entry of a generated zip: name, unix mode, bytes.
pub type ZipEntry = (String, u32, Vec<u8>);

/// Names a zip may hold: a package's and hostile ones.
const NAMES: [&str; 14] = [
    "report.md",
    "index.md",
    "model.json",
    "matrix.csv",
    "evidence/a.csv",
    "evidence/b.csv",
    "Report.md",
    "../x",
    "/etc/x",
    "a\\b",
    "C:x",
    "evidence/../../x",
    "./a",
    "a//b",
];

/// A zip built from generated entries, with a manifest that lists some of
/// them truly, some twice or wrongly; then maybe a few bytes flipped or
/// the end cut off.
pub fn forged_zip() -> impl Strategy<Value = Vec<u8>> {
    let entry = (
        0..NAMES.len(),
        prop_oneof![
            Just(0o100644u32),
            Just(0o120777),
            Just(0o010644),
            Just(0o040755)
        ],
        prop::collection::vec(any::<u8>(), 0..64),
    );
    let flip = (any::<prop::sample::Index>(), any::<u8>());
    (
        prop::collection::vec(entry, 0..8),
        prop::collection::vec(0u8..4, 0..8),
        prop::collection::vec(flip, 0..4),
        prop::option::of(any::<prop::sample::Index>()),
    )
        .prop_map(|(entries, listing, flips, cut)| {
            let entries: Vec<ZipEntry> = entries
                .into_iter()
                .map(|(n, mode, bytes)| (NAMES[n].to_string(), mode, bytes))
                .collect();
            let mut bytes = zip_with_manifest(&entries, &listing);
            for (at, x) in flips {
                let i = at.index(bytes.len());
                bytes[i] ^= x;
            }
            if let Some(at) = cut {
                bytes.truncate(at.index(bytes.len() + 1));
            }
            bytes
        })
}

/// The manifest of `entries`: entry i listed truly (0, 1), twice (2) or
/// with a wrong digest (3) per `listing[i]`, unlisted beyond it.
pub fn manifest_of(entries: &[ZipEntry], listing: &[u8]) -> Vec<u8> {
    let mut files = Vec::new();
    for ((name, _, bytes), how) in entries.iter().zip(listing) {
        let mut sha = auditpack::sha256::bytes(bytes);
        if *how == 3 {
            sha = auditpack::sha256::bytes(b"other");
        }
        let e = serde_json::json!({"path": name, "size": bytes.len(), "sha256": sha});
        files.push(e.clone());
        if *how == 2 {
            files.push(e);
        }
    }
    let listed: Vec<auditpack::package::manifest::Entry> =
        serde_json::from_value(serde_json::Value::Array(files.clone())).unwrap_or_default();
    let digest = Manifest::digest_of(&listed);
    let m = serde_json::json!({
        "format": "auditpack-package", "package_id": Manifest::id_of(&digest, "in"),
        "manifest_version": 2, "tool": "auditpack", "tool_version": "0", "system": "s",
        "organization": "o", "period": "p", "period_start": "2026-07-01",
        "period_end": "2026-09-30", "as_of": "2026-09-30", "frameworks": [],
        "inputs_digest": "in", "package_digest": digest, "files": files,
    });
    serde_json::to_vec_pretty(&m).unwrap_or_default()
}

/// `entries` zipped after their manifest (the zip writer refuses some
/// names and duplicates: those entries are left out).
pub fn zip_with_manifest(entries: &[ZipEntry], listing: &[u8]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    if w.start_file("manifest.json", opts).is_ok() {
        let _ = w.write_all(&manifest_of(entries, listing));
    }
    for (name, mode, bytes) in entries {
        let _ = match mode & 0o170000 {
            0o120000 => w.add_symlink(name.as_str(), "/etc/passwd", opts),
            0o040000 => w.add_directory(name.as_str(), opts),
            _ => w
                .start_file(name.as_str(), opts.unix_permissions(*mode))
                .and_then(|_| w.write_all(bytes).map_err(Into::into)),
        };
    }
    w.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// `verify` on one zip: never a panic, and OK only when what an extractor
/// would find is exactly what the manifest lists (unique, safe names,
/// regular files, matching digests).
pub fn verify_zip(bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(report) = verify::verify_zip(Cursor::new(bytes), None) else {
        return Ok(());
    };
    if !report.ok() {
        return Ok(());
    }
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("verified, so a zip");
    prop_assert!(!z.has_duplicate_names());
    let manifest = report.manifest.expect("verified, so a manifest");
    let mut seen = 0;
    for i in 0..z.len() {
        let mut e = z.by_index(i).expect("verified, so readable");
        let name = e.name().unwrap_or_default().to_string();
        prop_assert!(verify::check_name(&name).is_ok(), "{}", name);
        prop_assert!(!e.is_symlink(), "{}", name);
        if e.is_dir() || name == "manifest.json" {
            continue;
        }
        let mut data = Vec::new();
        e.read_to_end(&mut data).expect("verified, so readable");
        let listed = manifest.files.iter().find(|f| f.path == name);
        prop_assert!(
            listed.is_some_and(|f| f.sha256 == auditpack::sha256::bytes(&data)),
            "{}",
            name
        );
        seen += 1;
    }
    prop_assert_eq!(seen, manifest.files.len());
    Ok(())
}
