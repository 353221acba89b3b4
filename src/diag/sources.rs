//! Source texts kept for diagnostics, and locations into them.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A location: file (as shown to the user), 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Span {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl Span {
    /// This location with its file named within the project whose files'
    /// display paths start with `prefix` (`load::files::project_prefix`).
    pub fn within(&self, prefix: &str) -> Span {
        Span {
            file: in_project(&self.file, prefix).to_string(),
            ..self.clone()
        }
    }
}

/// `file`, a display path, named within the project whose files' display
/// paths start with `prefix`; a file outside it (the built-in library) as
/// it is.
pub fn in_project<'a>(file: &'a str, prefix: &str) -> &'a str {
    file.strip_prefix(prefix).unwrap_or(file)
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// The texts of every input read, by display path, so that a diagnostic can
/// show its source line.
#[derive(Debug, Default, Clone)]
pub struct Sources {
    texts: BTreeMap<String, Arc<str>>,
    /// The SHA-256 of texts whose digest was taken when they were read.
    digests: BTreeMap<String, String>,
}

impl Sources {
    pub fn add(&mut self, name: &str, text: Arc<str>) {
        self.texts.insert(name.to_string(), text);
    }

    /// Add a text and its SHA-256 (lower-case hex), taken when it was read.
    pub fn add_digested(&mut self, name: &str, text: Arc<str>, sha256: String) {
        self.add(name, text);
        self.digests.insert(name.to_string(), sha256);
    }

    /// The SHA-256 of the text of `file`, if it was taken when it was read.
    pub fn digest(&self, file: &str) -> Option<&str> {
        self.digests.get(file).map(String::as_str)
    }

    /// Take every text of `other`.
    pub fn extend(&mut self, other: Sources) {
        self.texts.extend(other.texts);
        self.digests.extend(other.digests);
    }

    /// The text of line `line` (1-based) of `file`, if known.
    pub fn line(&self, file: &str, line: u32) -> Option<&str> {
        let text = self.texts.get(file)?;
        text.lines().nth(line.checked_sub(1)? as usize)
    }
}

impl Sources {
    /// Every source, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts.iter().map(|(k, v)| (k.as_str(), &**v))
    }
}
