//! Fuzzing that runs in `cargo test` in seconds: the YAML loader and
//! `verify` on arbitrary zips (targets in `support/fuzz.rs`). For a long
//! run: `cargo run --release --example fuzz -- yaml 600` (see examples/fuzz.rs).

#[path = "support/fuzz.rs"]
mod targets;

use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_loader_never_panics_on_mutated_inputs(text in targets::mutated_yaml()) {
        targets::load_yaml(&text)?;
    }

    #[test]
    fn the_loader_never_panics_on_random_texts(text in targets::random_yaml()) {
        targets::load_yaml(&text)?;
    }

    #[test]
    fn verify_passes_only_what_an_extractor_would_find(zip in targets::forged_zip()) {
        targets::verify_zip(&zip)?;
    }

    #[test]
    fn verify_never_panics_on_random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        targets::verify_zip(&bytes)?;
    }
}

/// The generator makes the cases it is meant to: a zip that verifies.
#[test]
fn a_true_manifest_verifies() {
    let entries = vec![
        ("report.md".to_string(), 0o100644, b"# r\n".to_vec()),
        ("evidence/a.csv".to_string(), 0o100644, b"a,b\n".to_vec()),
    ];
    let zip = targets::zip_with_manifest(&entries, &[0, 0]);
    let r = auditpack::package::verify::verify_zip(std::io::Cursor::new(zip), None).unwrap();
    assert!(r.ok(), "{r:?}");
    let zip = targets::zip_with_manifest(&entries, &[0, 2]);
    let r = auditpack::package::verify::verify_zip(std::io::Cursor::new(zip), None).unwrap();
    assert!(!r.ok(), "a path listed twice");
}
