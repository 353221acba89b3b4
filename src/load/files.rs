//! Reading input files safely: size and encoding limits, paths that stay
//! inside their root, sorted folder walks.

use super::raw::Text;
use super::yaml::{span, MAX_INPUT_BYTES};
use crate::diag::{Code, Diagnostic, Diagnostics};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// How a path is shown in diagnostics: as given, with `/` separators.
pub fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The project folder as the start of the display paths of its files
/// (`samples/acme/`), or nothing when the project is the current folder.
/// The package names project files without it: the same inputs give the
/// same package wherever they were read from, and no local path leaks
/// into it.
pub fn project_prefix(root: &std::path::Path) -> String {
    let shown = display(root);
    let shown = shown.trim_end_matches('/');
    if shown.is_empty() || shown == "." {
        String::new()
    } else {
        format!("{shown}/")
    }
}

/// Read a UTF-8 text file of at most [`MAX_INPUT_BYTES`].
pub fn read_text(path: &Path, name: &str, diags: &mut Diagnostics) -> Option<Arc<str>> {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            diags.push(Diagnostic::error(
                Code::Io,
                format!("{name}: cannot read: {e}"),
            ));
            return None;
        }
    };
    let mut bytes = Vec::new();
    if let Err(e) = file.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes) {
        diags.push(Diagnostic::error(
            Code::Io,
            format!("{name}: cannot read: {e}"),
        ));
        return None;
    }
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        diags.push(Diagnostic::error(
            Code::FileTooLarge,
            format!(
                "{name}: larger than {} MiB; not read",
                MAX_INPUT_BYTES / 1024 / 1024
            ),
        ));
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(s) => Some(Arc::from(s)),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            diags.push(Diagnostic::error(
                Code::NotUtf8,
                format!("{name}: not UTF-8 text (invalid byte at offset {offset})"),
            ));
            None
        }
    }
}

/// Check that `rel` is a relative path with no `..`, and join it to `root`.
pub fn inside(root: &Path, rel: &str) -> Result<PathBuf, &'static str> {
    let p = Path::new(rel);
    if rel.is_empty() {
        return Err("is empty");
    }
    let mut out = root.to_path_buf();
    for c in p.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => return Err("contains `..`"),
            Component::RootDir | Component::Prefix(_) => return Err("is absolute"),
        }
    }
    Ok(out)
}

/// What a path below a root turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    File,
    Missing,
    /// The path or one of its folders is a symbolic link.
    Symlink,
    /// Not a regular file: a folder, FIFO, socket or device.
    Special,
}

/// Checks paths below one root with one `lstat` per file and one per
/// folder (folders are remembered).
#[derive(Debug)]
pub struct PathGuard {
    root: PathBuf,
    dirs: std::collections::HashMap<PathBuf, Found>,
}

impl PathGuard {
    pub fn new(root: &Path) -> Self {
        PathGuard {
            root: root.to_path_buf(),
            dirs: std::collections::HashMap::new(),
        }
    }

    /// Classify many paths below the root: their folders first (each once),
    /// then the files in parallel. A file found comes with its metadata.
    pub fn check_all(&mut self, fulls: &[PathBuf]) -> Vec<(Found, Option<std::fs::Metadata>)> {
        use rayon::prelude::*;
        let parents: Vec<Found> = fulls
            .iter()
            .map(|full| match full.parent() {
                Some(dir) if dir != self.root => self.check_dir(dir),
                _ => Found::File,
            })
            .collect();
        fulls
            .par_iter()
            .zip(parents)
            .map(|(full, parent)| {
                if parent != Found::File {
                    return (parent, None);
                }
                match std::fs::symlink_metadata(full) {
                    Ok(m) if m.file_type().is_symlink() => (Found::Symlink, None),
                    Ok(m) if m.is_file() => (Found::File, Some(m)),
                    Ok(_) => (Found::Special, None),
                    Err(_) => (Found::Missing, None),
                }
            })
            .collect()
    }

    /// Classify a folder below the root (`File` meaning a real folder).
    fn check_dir(&mut self, dir: &Path) -> Found {
        if let Some(&f) = self.dirs.get(dir) {
            return f;
        }
        let Ok(rel) = dir.strip_prefix(&self.root) else {
            return Found::Symlink;
        };
        let mut cur = self.root.clone();
        for c in rel.components() {
            cur.push(c);
            let found = match self.dirs.get(&cur) {
                Some(&f) => f,
                None => {
                    let f = match std::fs::symlink_metadata(&cur) {
                        Ok(m) if m.file_type().is_symlink() => Found::Symlink,
                        Ok(m) if m.is_dir() => Found::File,
                        _ => Found::Missing,
                    };
                    self.dirs.insert(cur.clone(), f);
                    f
                }
            };
            if found != Found::File {
                return found;
            }
        }
        Found::File
    }
}

/// True when a path below `root` passes through a symbolic link.
pub fn through_symlink(root: &Path, full: &Path) -> bool {
    let Ok(rel) = full.strip_prefix(root) else {
        return true;
    };
    let mut cur = root.to_path_buf();
    for c in rel.components() {
        cur.push(c);
        match std::fs::symlink_metadata(&cur) {
            Ok(m) if m.file_type().is_symlink() => return true,
            _ => {}
        }
    }
    false
}

/// The YAML files an entry of `controls:` or `attestations:` names: a file,
/// or every `*.yaml`/`*.yml` below a folder, sorted.
pub fn yaml_files(
    root: &Path,
    project_file: &str,
    entry: &Text,
    diags: &mut Diagnostics,
) -> Vec<PathBuf> {
    let at = span(project_file, entry);
    let full = match inside(root, &entry.value) {
        Ok(p) => p,
        Err(why) => {
            diags.push(
                Diagnostic::error(
                    Code::EvidenceOutsideRoot,
                    format!(
                        "path `{}` {why}: it must stay inside the project folder",
                        entry.value
                    ),
                )
                .at(at),
            );
            return Vec::new();
        }
    };
    if through_symlink(root, &full) {
        diags.push(
            Diagnostic::error(
                Code::EvidenceOutsideRoot,
                format!("path `{}` goes through a symbolic link", entry.value),
            )
            .at(at),
        );
        return Vec::new();
    }
    if full.is_file() {
        return vec![full];
    }
    if !full.is_dir() {
        diags.push(
            Diagnostic::error(
                Code::Io,
                format!("`{}` does not exist in the project", entry.value),
            )
            .at(at),
        );
        return Vec::new();
    }
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(&full)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_rejects_escapes() {
        let root = Path::new("/r");
        assert!(inside(root, "a/b.csv").is_ok());
        assert_eq!(inside(root, "../x"), Err("contains `..`"));
        assert_eq!(inside(root, "a/../../x"), Err("contains `..`"));
        assert_eq!(inside(root, "/etc/passwd"), Err("is absolute"));
        assert_eq!(inside(root, "./a").unwrap(), Path::new("/r/a"));
    }
}
