//! The YAML loader on arbitrary text, as each kind of input file: a value
//! or a located diagnostic, never a panic.
#![no_main]

use auditpack::load::raw::{AttestationsFile, ControlsFile, ProjectFile};
use auditpack::load::yaml::parse;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for d in [
        parse::<ProjectFile>("auditpack.yaml", text).err(),
        parse::<ControlsFile>("controls.yaml", text).err(),
        parse::<AttestationsFile>("attestations.yaml", text).err(),
    ]
    .into_iter()
    .flatten()
    {
        assert!(!d.message.is_empty());
    }
});
