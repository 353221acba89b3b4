//! The keys of the project file as the parser knows them, read from the
//! serde definitions, so that `docs/project-format.md` cannot drift from
//! `raw.rs`.

use super::raw::*;
use serde::de::{self, Deserialize, Deserializer, Visitor};

/// Stops a deserialisation, carrying the field names of the struct asked for.
#[derive(Debug)]
struct Stop(Option<&'static [&'static str]>);

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probe")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Stop(None)
    }
}

/// A deserializer that only asks a type for its field names.
struct Probe;

impl<'de> Deserializer<'de> for Probe {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        Err(Stop(None))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Stop> {
        Err(Stop(Some(fields)))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

/// The field names of a struct.
fn fields<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    match T::deserialize(Probe) {
        Err(Stop(Some(f))) => f,
        _ => &[],
    }
}

/// Every key of `auditpack.yaml`, as dotted paths (`system.name`,
/// `provider_attestations[].covers.start`, `not_applicable.<framework>[].reason`).
pub fn project_keys() -> Vec<String> {
    let nested: [(&str, &[&str]); 6] = [
        ("", fields::<ProjectFile>()),
        ("system.", fields::<SystemRaw>()),
        ("period.", fields::<RangeRaw>()),
        (
            "provider_attestations[].",
            fields::<ProviderAttestationRaw>(),
        ),
        (
            "provider_attestations[].covers.",
            fields::<SpannedRangeRaw>(),
        ),
        (
            "not_applicable.<framework>[].",
            fields::<NotApplicableRaw>(),
        ),
    ];
    let mut keys: Vec<String> = nested
        .iter()
        .flat_map(|(prefix, names)| names.iter().map(move |n| format!("{prefix}{n}")))
        .collect();
    keys.sort();
    keys
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// The keys the page documents: the first column of its tables.
    fn documented(page: &str) -> BTreeSet<String> {
        page.lines()
            .filter_map(|l| l.strip_prefix("| `"))
            .filter_map(|l| l.split('`').next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn project_format_page_documents_every_key_and_no_other() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/project-format.md");
        let page = std::fs::read_to_string(path).expect("docs/project-format.md");
        let documented = documented(&page);
        let parsed: BTreeSet<String> = super::project_keys().into_iter().collect();
        assert!(parsed.contains("baseline") && parsed.contains("system.name"));
        let missing: Vec<_> = parsed.difference(&documented).collect();
        let extra: Vec<_> = documented.difference(&parsed).collect();
        assert!(
            missing.is_empty(),
            "keys the page does not document: {missing:?}"
        );
        assert!(
            extra.is_empty(),
            "documented keys the parser does not have: {extra:?}"
        );
    }
}
