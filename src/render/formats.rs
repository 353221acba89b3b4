//! The format registry: the one table of every output a package can hold.
//!
//! Each [`Format`] names its `--format` value, the files it writes (for the
//! index pages), and how to make its [`Renderer`]. `--format` is parsed and
//! listed from [`FORMATS`]; `build` makes the renderers of the selected
//! formats from it; the index pages link every built format from it. Adding
//! an output is one entry here, its renderer module, and its templates.

use super::index_page::{IndexEntry, Link};
use super::markdown::SharedMarkdown;
use super::pages::ControlPages;
use super::{Renderer, ReportView};
use crate::model::ReportModel;
use tera::Tera;

/// What a renderer may need: the templates, the Markdown of the reports
/// (shared by Markdown, PDF and Word), and the index entries of the build.
pub struct Ctx<'t> {
    pub tera: &'t Tera,
    pub reports: &'t SharedMarkdown<'t>,
    /// The names of the formats of this build, in registry order.
    pub names: Vec<&'static str>,
    /// What the index pages list: every format of this build.
    pub index: Vec<IndexEntry>,
}

/// A renderer, made for one build.
pub type Boxed<'t> = Box<dyn Renderer + Send + Sync + 't>;

/// One output format.
pub struct Format {
    /// The `--format` value.
    pub name: &'static str,
    /// File name extensions it writes.
    pub ext: &'static [&'static str],
    /// What it is and what opens it, for the index pages and `--help`.
    pub about: &'static str,
    /// Written by every build, whatever `--format` says.
    pub always: bool,
    /// In the default `--format`.
    pub default: bool,
    /// The stage name in `--timings`.
    pub stage: &'static str,
    /// The folders of the built-in templates it renders with.
    pub templates: &'static [&'static str],
    /// The files it writes for `model`, as index links.
    pub files: fn(&ReportModel) -> Vec<Link>,
    /// Its renderer.
    pub make: for<'t> fn(&'t Ctx<'t>) -> Boxed<'t>,
}

/// Every format, in the order they are listed and built.
pub static FORMATS: &[Format] = &[
    Format {
        name: "md",
        ext: &["md"],
        about: "Markdown, for review in a repository",
        always: false,
        default: true,
        stage: "render md",
        templates: &["markdown/"],
        files: |m| reports(m, "md", true, true),
        make: |c| {
            Box::new(super::markdown::Markdown {
                tera: c.tera,
                formats: c.names.clone(),
                index: c.index.clone(),
                reports: c.reports,
            })
        },
    },
    Format {
        name: "html",
        ext: &["html"],
        about: "Web pages, self-contained, with charts and a filterable matrix",
        always: false,
        default: true,
        stage: "render html",
        templates: &["html/"],
        files: |m| reports(m, "html", true, true),
        make: |c| {
            Box::new(super::html::Html {
                tera: c.tera,
                formats: c.names.clone(),
                index: c.index.clone(),
            })
        },
    },
    Format {
        name: "pdf",
        ext: &["pdf"],
        about: "PDF, to print and file",
        always: false,
        default: true,
        stage: "render pdf",
        templates: &["markdown/"],
        files: |m| reports(m, "pdf", false, false),
        make: |c| Box::new(super::pdf::Pdf { reports: c.reports }),
    },
    Format {
        name: "docx",
        ext: &["docx"],
        about: "Word documents, to annotate (Word, LibreOffice)",
        always: false,
        default: false,
        stage: "render docx",
        templates: &["markdown/"],
        files: |m| reports(m, "docx", false, false),
        make: |c| Box::new(super::docx::Docx { reports: c.reports }),
    },
    Format {
        name: "oscal-ssp",
        ext: &["json"],
        about: "OSCAL 1.1.2 system security plan per FedRAMP baseline, for GRC tools (trestle, FedRAMP review)",
        always: false,
        default: false,
        stage: "render oscal-ssp",
        templates: &[],
        files: |m| {
            super::oscal_ssp::paths(m)
                .into_iter()
                .map(|(fw, href)| Link { label: fw, href })
                .collect()
        },
        make: |_| Box::new(super::oscal_ssp::OscalSsp),
    },
    Format {
        name: "crm-xlsx",
        ext: &["xlsx"],
        about: "FedRAMP CIS/CRM workbook (Excel, LibreOffice Calc)",
        always: false,
        default: false,
        stage: "render crm-xlsx",
        templates: &[],
        files: |m| {
            super::crm_xlsx::path(m)
                .map(|p| link(p, p))
                .into_iter()
                .collect()
        },
        make: |_| Box::new(super::crm_xlsx::CrmXlsx),
    },
    Format {
        name: "matrix",
        ext: &["csv"],
        about: "The responsibility matrix as CSV (requirement, control, responsibility, status, freshness) and the requirements, one row each (responsibility, status, controls, provider attestations, reason)",
        always: true,
        default: true,
        stage: "pkg model",
        templates: &[],
        files: |_| {
            vec![
                link("matrix.csv", "matrix.csv"),
                link("requirements.csv", "requirements.csv"),
            ]
        },
        make: |_| Box::new(super::data::MatrixCsv),
    },
    Format {
        name: "model",
        ext: &["json"],
        about: "The resolved report model, for other tools and auditpack diff",
        always: true,
        default: true,
        stage: "pkg model",
        templates: &[],
        files: |_| vec![link("model.json", "model.json")],
        make: |_| Box::new(super::data::ModelJson),
    },
];

/// The value of `--format` that selects every format.
pub const ALL: &str = "all";

fn link(label: &str, href: &str) -> Link {
    Link {
        label: label.into(),
        href: href.into(),
    }
}

/// One file per report (`report.EXT`, `frameworks/<id>.EXT`), `index.EXT`
/// first when `index`, and the control pages (`controls/<family>.EXT`)
/// when `pages`.
fn reports(model: &ReportModel, ext: &str, index: bool, pages: bool) -> Vec<Link> {
    let mut out = Vec::new();
    if index {
        out.push(link(&format!("index.{ext}"), &format!("index.{ext}")));
    }
    let control_pages = ControlPages::of(model);
    for (stem, framework) in ReportView::stems(model) {
        let label = framework.map_or_else(|| format!("report.{ext}"), |f| f.short.clone());
        out.push(Link {
            label,
            href: format!("{stem}.{ext}"),
        });
    }
    if pages {
        for p in &control_pages.pages {
            let label = if p.parts > 1 {
                format!("{} ({} of {})", p.family, p.part, p.parts)
            } else {
                p.family.to_string()
            };
            out.push(Link {
                label,
                href: format!("{}.{ext}", p.stem),
            });
        }
    }
    out
}

/// The registry entry named `name`.
pub fn get(name: &str) -> Option<&'static Format> {
    FORMATS.iter().find(|f| f.name == name)
}

/// Every `--format` value: the registry's names, then `all`.
pub fn values() -> Vec<&'static str> {
    FORMATS.iter().map(|f| f.name).chain([ALL]).collect()
}

/// `--format`'s help: every format and what it is.
pub fn help() -> String {
    let mut s = String::from("Output formats, comma-separated, or `all` [default: ");
    let defaults: Vec<&str> = FORMATS
        .iter()
        .filter(|f| f.default && !f.always)
        .map(|f| f.name)
        .collect();
    s.push_str(&defaults.join(","));
    s.push_str("]. Every build also writes ");
    let always: Vec<String> = FORMATS
        .iter()
        .filter(|f| f.always)
        .map(|f| format!("{}.{}", f.name, f.ext.join(", ")))
        .collect();
    s.push_str(&always.join(" and "));
    s.push('.');
    for f in FORMATS.iter().filter(|f| !f.always) {
        s.push_str(&format!("\n  {}: {}", f.name, f.about));
    }
    s
}

/// The formats `--format` selects (names as given, `all`, or none for the
/// default), plus those every build writes, in registry order.
pub fn select(names: &[String]) -> Vec<&'static Format> {
    let all = names.iter().any(|n| n == ALL);
    FORMATS
        .iter()
        .filter(|f| {
            f.always || all || (names.is_empty() && f.default) || names.iter().any(|n| n == f.name)
        })
        .collect()
}

/// The built-in template folders `formats` render with.
pub fn template_folders(formats: &[&'static Format]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = formats.iter().flat_map(|f| f.templates).copied().collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The index entries of `formats` for `model`: those that write files.
pub fn index(formats: &[&'static Format], model: &ReportModel) -> Vec<IndexEntry> {
    formats
        .iter()
        .map(|f| IndexEntry {
            name: f.name,
            about: f.about,
            links: (f.files)(model),
        })
        .filter(|e| !e.links.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_all_is_not_one_of_them() {
        let mut names: Vec<&str> = FORMATS.iter().map(|f| f.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), FORMATS.len());
        assert!(get(ALL).is_none());
    }

    #[test]
    fn selection_keeps_registry_order_and_the_formats_every_build_writes() {
        let pick = |n: &[&str]| -> Vec<&str> {
            let names: Vec<String> = n.iter().map(|s| s.to_string()).collect();
            select(&names).iter().map(|f| f.name).collect()
        };
        assert_eq!(pick(&[]), ["md", "html", "pdf", "matrix", "model"]);
        assert_eq!(pick(&["docx", "md"]), ["md", "docx", "matrix", "model"]);
        assert_eq!(pick(&["all"]).len(), FORMATS.len());
    }

    #[test]
    fn help_names_every_format_and_the_files_every_build_writes() {
        let h = help();
        assert!(h.contains("[default: md,html,pdf]"), "{h}");
        assert!(h.contains("matrix.csv and model.json"), "{h}");
        for f in FORMATS.iter().filter(|f| !f.always) {
            assert!(h.contains(&format!("\n  {}: ", f.name)), "{h}");
        }
    }
}
