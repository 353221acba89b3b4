//! `verify` on arbitrary bytes as a package zip: a report or an error,
//! never a panic; and a zip it passes holds no entry an extractor would
//! put outside the folder.
#![no_main]

use auditpack::package::verify;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(report) = verify::verify_zip(std::io::Cursor::new(data), None) else {
        return;
    };
    if report.ok() {
        let z = zip::ZipArchive::new(std::io::Cursor::new(data)).expect("verified, so a zip");
        assert!(!z.has_duplicate_names());
        for name in z.file_names().flatten() {
            assert!(verify::check_name(&name).is_ok(), "{name}");
        }
    }
});
