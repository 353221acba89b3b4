//! Templates: the built-in set is embedded in the binary; `--templates DIR`
//! overrides it file by file (missing files fall back to the built-in ones).
//! A run parses only the built-in folders its outputs use (`markdown/`,
//! `html/`, `diff/`): parsing a template costs more than rendering it.

use super::RenderError;
use include_dir::{include_dir, Dir};
use std::path::Path;
use tera::Tera;

/// The built-in templates, `templates/` of the repository.
pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Every built-in template: (name, text), sorted by name.
pub fn builtin() -> Vec<(String, &'static str)> {
    let mut out = Vec::new();
    fn walk(d: &'static Dir<'static>, out: &mut Vec<(String, &'static str)>) {
        for f in d.files() {
            if let Some(text) = f.contents_utf8() {
                out.push((f.path().to_string_lossy().replace('\\', "/"), text));
            }
        }
        for sub in d.dirs() {
            walk(sub, out);
        }
    }
    walk(&TEMPLATES, &mut out);
    out.sort();
    out
}

/// A tera instance with the built-in templates of `folders` (`markdown/`,
/// `html/`…), overridden by `user`. With `user`, every built-in template
/// is loaded, since a user's template may use any of them.
pub fn load(user: Option<&Path>, folders: &[&str]) -> Result<Tera, RenderError> {
    let mut embedded = Tera::default();
    let mut wanted = builtin();
    if user.is_none() {
        wanted.retain(|(name, _)| folders.iter().any(|f| name.starts_with(f)));
    }
    embedded
        .add_raw_templates(wanted)
        .map_err(|e| RenderError::template("built-in", &e))?;
    let mut t = match user {
        None => embedded,
        Some(dir) => {
            if !dir.is_dir() {
                return Err(RenderError::NoTemplates(dir.display().to_string()));
            }
            let glob = format!("{}/**/*", dir.display());
            let mut t = Tera::new(&glob)
                .map_err(|e| RenderError::template(&dir.display().to_string(), &e))?;
            t.extend(&embedded)
                .map_err(|e| RenderError::template("built-in", &e))?;
            t.build_inheritance_chains()
                .map_err(|e| RenderError::template(&dir.display().to_string(), &e))?;
            t
        }
    };
    super::filters::register(&mut t);
    Ok(t)
}
