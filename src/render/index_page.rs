//! The index pages (`index.md`, `index.html`): the package at a glance and
//! a link to every file of the build.

use super::pages::ControlPages;
use super::{RenderError, ReportView};
use crate::model::ReportModel;
use serde::Serialize;

/// A link of an index entry.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub label: String,
    pub href: String,
}

/// A format as the index pages list it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexEntry {
    pub name: &'static str,
    pub about: &'static str,
    pub links: Vec<Link>,
}

/// Render an index template: the package view as `v`, the control pages
/// as `pages`, the format names of this build as `formats`, their files as
/// `outputs`, and `extra` variables.
pub fn render(
    tera: &tera::Tera,
    name: &str,
    model: &ReportModel,
    (formats, outputs): (&[&str], &[IndexEntry]),
    extra: &[(&str, &str)],
) -> Result<String, RenderError> {
    let pages = ControlPages::of(model);
    let mut ctx = tera::Context::new();
    ctx.insert("v", &ReportView::package(model, &pages));
    ctx.insert("pages", &pages.pages);
    ctx.insert("formats", formats);
    ctx.insert("outputs", outputs);
    for (k, v) in extra {
        ctx.insert(*k, v);
    }
    tera.render(name, &ctx)
        .map_err(|e| RenderError::template(name, &e))
}
