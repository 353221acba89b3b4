//! The text formats' pages (Markdown and HTML): each control section
//! rendered once, into the control pages ([`super::pages`]); the reports
//! (whole package and one per framework) link to them.

use super::pages::{ControlPage, ControlPages};
use super::view::{requirements_of, PageView, ReportView};
use super::RenderError;
use crate::model::{ReportModel, ResolvedControl};

/// The templates and tidying of one text format.
pub struct Flavor {
    /// File name extension.
    pub ext: &'static str,
    /// A report (`v`: [`ReportView`]).
    pub report: &'static str,
    /// One control section (`c` and its `requirements`).
    pub control: &'static str,
    /// A page of control sections (`v`: [`PageView`]).
    pub page: &'static str,
    /// Run on every rendered page.
    pub tidy: fn(String) -> String,
    /// `control` written in Rust, used while it is the built-in template.
    pub native: super::native::Section,
}

/// The rendered sections of some controls, by responsibility, in order.
#[derive(Debug, Default, Clone)]
pub struct SectionTexts {
    pub inherited: Vec<String>,
    pub shared: Vec<String>,
    pub customer: Vec<String>,
}

impl SectionTexts {
    /// The sections as a template value, the texts moved rather than copied.
    pub fn into_value(self) -> tera::Value {
        let list =
            |v: Vec<String>| tera::Value::Array(v.into_iter().map(tera::Value::String).collect());
        let mut m = tera::Map::new();
        m.insert("inherited".into(), list(self.inherited));
        m.insert("shared".into(), list(self.shared));
        m.insert("customer".into(), list(self.customer));
        tera::Value::Object(m)
    }

    /// Every page's sections, one list per responsibility (the whole
    /// package in one document).
    pub fn joined(pages: &[SectionTexts]) -> SectionTexts {
        let mut out = SectionTexts::default();
        for p in pages {
            out.inherited.extend(p.inherited.iter().cloned());
            out.shared.extend(p.shared.iter().cloned());
            out.customer.extend(p.customer.iter().cloned());
        }
        out
    }
}

/// Render every control section of every page through `flavor.control`,
/// in parallel. The context holds the control as `c`, the requirements its
/// section lists as `requirements` ([`requirements_of`]), the package's
/// framework ids as `fw_ids`, its provider attestation ids as `pa_ids`,
/// the page's stem as `page` and the way back to the package root as
/// `root`.
///
/// While `flavor.control` is the built-in template, the sections are
/// written by its Rust twin ([`super::native`]), which gives the same bytes.
pub fn sections(
    tera: &tera::Tera,
    flavor: &Flavor,
    model: &ReportModel,
    pages: &ControlPages,
) -> Result<Vec<SectionTexts>, RenderError> {
    let native = super::native::is_builtin(tera, flavor.control);
    sections_through(tera, flavor, model, pages, native)
}

/// [`sections`], through [`Flavor::native`] when `native`, else tera.
pub(crate) fn sections_through(
    tera: &tera::Tera,
    flavor: &Flavor,
    model: &ReportModel,
    pages: &ControlPages,
    native: bool,
) -> Result<Vec<SectionTexts>, RenderError> {
    use rayon::prelude::*;
    let fw_ids: Vec<&str> = model.frameworks.iter().map(|f| f.id.as_str()).collect();
    let pa_ids: Vec<&str> = model
        .provider_attestations
        .iter()
        .map(|p| p.id.as_str())
        .collect();
    let mut base = tera::Context::new();
    base.insert("fw_ids", &fw_ids);
    base.insert("pa_ids", &pa_ids);
    base.insert("root", "../");
    let name = flavor.control;
    let native = native.then_some(flavor.native);
    let one = |page: &ControlPage, c: &ResolvedControl| -> Result<String, RenderError> {
        if let Some(native) = native {
            return Ok(native(c, &requirements_of(c, &fw_ids), &pa_ids, "../"));
        }
        let mut ctx = base.clone();
        ctx.insert("c", c);
        ctx.insert("requirements", &requirements_of(c, &fw_ids));
        ctx.insert("page", &page.stem);
        tera.render(name, &ctx)
            .map_err(|e| RenderError::template(name, &e))
    };
    let each = |page: &ControlPage, list: &[&ResolvedControl]| {
        list.par_iter()
            .with_min_len(32)
            .map(|c| one(page, c))
            .collect::<Result<Vec<_>, _>>()
    };
    pages
        .pages
        .par_iter()
        .map(|p| {
            Ok(SectionTexts {
                inherited: each(p, &p.inherited)?,
                shared: each(p, &p.shared)?,
                customer: each(p, &p.customer)?,
            })
        })
        .collect()
}

/// Render page `i` of `pages` around its rendered `sections`.
pub fn page(
    tera: &tera::Tera,
    flavor: &Flavor,
    model: &ReportModel,
    pages: &ControlPages,
    i: usize,
    sections: SectionTexts,
) -> Result<String, RenderError> {
    let view = PageView::new(model, pages, i);
    render(tera, flavor.page, &view, sections.into_value(), []).map(flavor.tidy)
}

/// Render the report template of `flavor` with the view as `v`, its
/// package-relative stem as `page` and, as `full`, every control section in
/// full (the whole package as one document, for PDF and Word) or `null`
/// (the report links to the control pages).
pub fn report(
    tera: &tera::Tera,
    flavor: &Flavor,
    view: &ReportView,
    stem: &str,
    full: Option<SectionTexts>,
) -> Result<String, RenderError> {
    let extra = [
        ("page", tera::Value::String(stem.into())),
        (
            "full",
            full.map_or(tera::Value::Null, SectionTexts::into_value),
        ),
    ];
    render(tera, flavor.report, view, tera::Value::Null, extra).map(flavor.tidy)
}

/// Render `name` with `v` as `v`, `sections` and `extra` variables, the
/// values moved into the context rather than copied.
fn render(
    tera: &tera::Tera,
    name: &str,
    v: &impl serde::Serialize,
    sections: tera::Value,
    extra: impl IntoIterator<Item = (&'static str, tera::Value)>,
) -> Result<String, RenderError> {
    let mut m = tera::Map::new();
    m.insert(
        "v".into(),
        tera::to_value(v).map_err(|e| RenderError::encode(name, e))?,
    );
    m.insert("sections".into(), sections);
    for (k, val) in extra {
        m.insert(k.into(), val);
    }
    let ctx = tera::Context::from_value(tera::Value::Object(m))
        .map_err(|e| RenderError::template(name, &e))?;
    tera.render(name, &ctx)
        .map_err(|e| RenderError::template(name, &e))
}

/// Render the control pages and reports of one text format, in parallel,
/// each given to `put` with its stem as soon as it is rendered.
pub fn write_all(
    tera: &tera::Tera,
    flavor: &Flavor,
    model: &ReportModel,
    put: &(dyn Fn(&str, String) -> Result<(), RenderError> + Sync),
) -> Result<(), RenderError> {
    use rayon::prelude::*;
    let pages = ControlPages::of(model);
    let texts = sections(tera, flavor, model, &pages)?;
    texts.into_par_iter().enumerate().try_for_each(|(i, s)| {
        put(
            &pages.pages[i].stem,
            page(tera, flavor, model, &pages, i, s)?,
        )
    })?;
    ReportView::all(model, &pages)
        .par_iter()
        .try_for_each(|(stem, view)| put(stem, report(tera, flavor, view, stem, None)?))
}
