//! Staging 4, render: every output format reads the same [`ReportModel`]
//! through the same [`ReportView`] selections; no renderer computes a fact.

pub mod anchors;
pub mod badges;
pub mod crm_xlsx;
pub mod data;
pub mod docx;
pub mod filters;
pub mod formats;
pub mod html;
pub mod index_page;
pub mod markdown;
pub mod native;
pub mod oscal_ssp;
pub mod pages;
pub mod pdf;
pub mod requirements_source;
pub mod sanitize;
pub mod site;
pub mod templates;
pub mod view;

use crate::model::ReportModel;

pub use view::ReportView;

/// Where rendered files go, each as soon as it is rendered: the package
/// being written (`package::Staging`).
pub trait Sink: Sync {
    /// Take one file, by package-relative path.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), RenderError>;

    /// Take one file written by `write`, for large files that should not be
    /// held in memory whole; by default through a buffer and [`Sink::put`].
    fn put_with(
        &self,
        rel: &str,
        write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), RenderError> {
        let mut buf = Vec::new();
        write(&mut buf).map_err(|e| RenderError::write(rel, e))?;
        self.put(rel, &buf)
    }
}

/// An output format.
pub trait Renderer {
    /// The `--format` name.
    fn name(&self) -> &'static str;
    /// How many files [`Renderer::render`] writes, for the progress bar.
    fn file_count(&self, model: &ReportModel) -> u64;
    /// Render the model into `out`.
    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError>;
}

/// Tidy rendered text in place (no second copy of a report in memory):
/// `keep` sees each line (without its line break) and says how many of its
/// leading bytes to keep, or `None` to drop it. Leading and trailing blank
/// lines go; the text ends with one newline.
pub fn tidy_lines(text: String, mut keep: impl FnMut(&str) -> Option<usize>) -> String {
    let mut bytes = text.into_bytes();
    let (mut r, mut w) = (0, 0);
    while r < bytes.len() {
        let end = bytes[r..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| r + i);
        let mut line_end = end;
        if line_end > r && bytes[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        // Bytes from `r` on are untouched: the write position never passes it.
        let kept = match std::str::from_utf8(&bytes[r..line_end]) {
            Ok(line) => keep(line),
            Err(_) => Some(line_end - r),
        };
        if let Some(n) = kept {
            bytes.copy_within(r..r + n, w);
            w += n;
            // A last line without a line break has no byte to reuse.
            if w < bytes.len() {
                bytes[w] = b'\n';
            } else {
                bytes.push(b'\n');
            }
            w += 1;
        }
        r = end + 1;
    }
    bytes.truncate(w);
    let lead = bytes.iter().take_while(|&&b| b == b'\n').count();
    bytes.drain(..lead);
    while bytes.last() == Some(&b'\n') {
        bytes.pop();
    }
    bytes.push(b'\n');
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// A template or layout failure.
#[derive(Debug, Clone, thiserror::Error)]
pub enum RenderError {
    #[error("template `{template}`: {message}")]
    Template { template: String, message: String },
    /// `--templates DIR` names no folder.
    #[error("--templates {0}: no such folder")]
    NoTemplates(String),
    /// A file of the package could not be written.
    #[error("{path}: {source}")]
    Write {
        path: String,
        #[source]
        source: std::sync::Arc<std::io::Error>,
    },
    /// A report could not be encoded in its format (JSON, XLSX, DOCX).
    #[error("{what}: {source}")]
    Encode {
        what: String,
        #[source]
        source: std::sync::Arc<dyn std::error::Error + Send + Sync>,
    },
}

impl RenderError {
    /// A write to `path` that failed.
    pub fn write(path: impl std::fmt::Display, e: std::io::Error) -> Self {
        RenderError::Write {
            path: path.to_string(),
            source: std::sync::Arc::new(e),
        }
    }

    /// An encoding of `what` that failed.
    pub fn encode(
        what: impl std::fmt::Display,
        e: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        RenderError::Encode {
            what: what.to_string(),
            source: std::sync::Arc::new(e),
        }
    }

    /// A tera error with its whole cause chain.
    pub fn template(template: &str, e: &tera::Error) -> Self {
        let mut message = e.to_string();
        let mut cur: Option<&dyn std::error::Error> = std::error::Error::source(e);
        while let Some(s) = cur {
            message.push_str(": ");
            message.push_str(&s.to_string());
            cur = s.source();
        }
        RenderError::Template {
            template: template.into(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tidying_keeps_a_last_line_without_a_line_break() {
        assert_eq!(super::markdown::tidy("a  \n\n\nb".into()), "a\n\nb\n");
        assert_eq!(super::html::tidy("<p>x</p>".into()), "<p>x</p>\n");
    }
}
