//! `crm-xlsx`: the FedRAMP Control Implementation Summary (CIS) and
//! Customer Responsibility Matrix (CRM) workbook, `fedramp-cis-crm.xlsx`,
//! for the highest FedRAMP baseline in scope.
//!
//! The CIS marks each requirement's implementation status and control
//! origination with an X in FedRAMP's columns, from the same values the SSP
//! states ([`super::oscal_ssp`]). The CRM says what the organisation's own
//! customers inherit: "Partial" with the controls' `customer_responsibility`
//! text when a control states one, else "No" and nothing — never a guessed
//! "Yes". The workbook's one timestamp is the as-of date, so builds of the
//! same inputs are byte-identical.

use super::oscal_ssp::{implementation_state, origination};
use super::requirements_source::{rows, RequirementRow};
use super::{RenderError, Renderer, Sink};
use crate::model::{ReportModel, ResolvedFramework};
use chrono::Datelike;
use rust_xlsxwriter::{
    DataValidation, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
};

/// The workbook's path in the package.
pub const PATH: &str = "fedramp-cis-crm.xlsx";

/// The CIS sheet's implementation-status columns, with the FedRAMP state
/// each marks.
pub const CIS_STATUS: [(&str, &str); 5] = [
    ("Implemented", "implemented"),
    ("Partially Implemented", "partial"),
    ("Planned", "planned"),
    ("Alternative Implementation", "alternative"),
    ("N/A", "not-applicable"),
];

/// The CIS sheet's control-origination columns, with the FedRAMP
/// origination each marks (`""`: a value auditpack never derives).
pub const CIS_ORIGIN: [(&str, &str); 7] = [
    ("Service Provider Corporate", "sp-corporate"),
    ("Service Provider System Specific", "sp-system"),
    (
        "Service Provider Hybrid (Corporate and System Specific)",
        "",
    ),
    ("Configured by Customer (Customer System Specific)", ""),
    ("Provided by Customer (Customer System Specific)", ""),
    ("Shared (Service Provider and Customer Responsibility)", ""),
    (
        "Inherited from pre-existing FedRAMP Authorization",
        "inherited",
    ),
];

/// The CRM sheet's columns.
pub const CRM_HEADER: [&str; 3] = [
    "Control ID",
    "Can Be Inherited from CSP",
    "Specific Inheritance and Customer Agency/CSP Responsibilities",
];

/// Writes the workbook when a FedRAMP baseline is in scope.
pub struct CrmXlsx;

impl Renderer for CrmXlsx {
    fn name(&self) -> &'static str {
        "crm-xlsx"
    }

    fn file_count(&self, model: &ReportModel) -> u64 {
        path(model).map_or(0, |_| 1)
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        let Some(fw) = baseline(model) else {
            return Ok(());
        };
        let bytes = workbook(model, fw).map_err(|e| RenderError::encode(PATH, e))?;
        out.put(PATH, &bytes)
    }
}

/// The workbook's path, when `model` has a FedRAMP baseline.
pub fn path(model: &ReportModel) -> Option<&'static str> {
    baseline(model).map(|_| PATH)
}

/// The highest FedRAMP baseline in scope.
fn baseline(model: &ReportModel) -> Option<&ResolvedFramework> {
    ["fedramp-high", "fedramp-moderate", "fedramp-low"]
        .iter()
        .find_map(|id| model.frameworks.iter().find(|f| f.id == *id))
}

/// The CIS sheet's header: Control ID, then the status and origination
/// columns.
pub fn cis_header() -> Vec<&'static str> {
    std::iter::once("Control ID")
        .chain(CIS_STATUS.iter().map(|c| c.0))
        .chain(CIS_ORIGIN.iter().map(|c| c.0))
        .collect()
}

/// What the CRM says of a requirement: (Can Be Inherited, responsibility).
pub fn crm(r: &RequirementRow) -> (&'static str, String) {
    let stated: Vec<String> = r
        .controls
        .iter()
        .filter(|c| !c.customer_responsibility.trim().is_empty())
        .map(|c| format!("{}: {}", c.id, c.customer_responsibility.trim()))
        .collect();
    if stated.is_empty() {
        ("No", String::new())
    } else {
        ("Partial", stated.join("\n\n"))
    }
}

fn workbook(model: &ReportModel, fw: &ResolvedFramework) -> Result<Vec<u8>, XlsxError> {
    let reqs = rows(model, fw);
    let mut wb = Workbook::new();
    let d = model.as_of;
    let created = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "{} — FedRAMP CIS/CRM ({})",
                model.system.name, fw.short
            ))
            .set_author(model.system.organization.as_str())
            .set_creation_datetime(&created),
    );
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color("DDE4EE");
    let wrap = Format::new().set_text_wrap();
    instructions(wb.add_worksheet(), model, fw, &head, &wrap)?;
    cis(wb.add_worksheet(), &reqs, &head)?;
    crm_sheet(wb.add_worksheet(), &reqs, &head, &wrap)?;
    wb.save_to_buffer()
}

fn instructions(
    ws: &mut Worksheet,
    model: &ReportModel,
    fw: &ResolvedFramework,
    head: &Format,
    wrap: &Format,
) -> Result<(), XlsxError> {
    ws.set_name("Instructions")?;
    let rows: [(&str, String); 8] = [
        ("CSP", model.system.organization.clone()),
        ("System", model.system.name.clone()),
        ("System identifier", super::oscal_ssp::system_id(model, fw)),
        ("Impact level", fw.title.clone()),
        ("As of", model.as_of.to_string()),
        ("Period", format!("{} ({} to {})", model.period.label, model.period.start, model.period.end)),
        ("CIS sheet", "One row per requirement of the baseline: an X under its implementation status and under each control origination. Origination: the cloud provider's part is inherited from its FedRAMP authorization; the rest is the service provider's, corporate for the -1 policy and procedure controls.".into()),
        ("CRM sheet", "What customers of the system must do themselves: Partial with the responsibility the controls state (customer_responsibility), else No.".into()),
    ];
    ws.write_string_with_format(0, 0, "Field", head)?;
    ws.write_string_with_format(0, 1, "Value", head)?;
    for (i, (k, v)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *k)?;
        ws.write_string_with_format(r, 1, cell(v), wrap)?;
    }
    ws.set_column_width(0, 20)?;
    ws.set_column_width(1, 100)?;
    Ok(())
}

fn cis(ws: &mut Worksheet, reqs: &[RequirementRow], head: &Format) -> Result<(), XlsxError> {
    ws.set_name("CIS")?;
    let header = cis_header();
    let center = Format::new().set_align(rust_xlsxwriter::FormatAlign::Center);
    write_header(ws, &header, head)?;
    for (i, r) in reqs.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, r.id)?;
        let state = implementation_state(r.coverage);
        let origins = origination(r.id, r.responsibility);
        let marks = CIS_STATUS.iter().map(|c| c.1 == state).chain(
            CIS_ORIGIN
                .iter()
                .map(|c| !c.1.is_empty() && origins.contains(&c.1)),
        );
        for (j, mark) in marks.enumerate() {
            if mark {
                ws.write_string_with_format(row, j as u16 + 1, "X", &center)?;
            }
        }
    }
    ws.set_column_width(0, 14)?;
    for j in 1..header.len() as u16 {
        ws.set_column_width(j, 16)?;
    }
    finish_table(ws, reqs.len(), header.len())
}

fn crm_sheet(
    ws: &mut Worksheet,
    reqs: &[RequirementRow],
    head: &Format,
    wrap: &Format,
) -> Result<(), XlsxError> {
    ws.set_name("CRM")?;
    write_header(ws, &CRM_HEADER, head)?;
    for (i, r) in reqs.iter().enumerate() {
        let row = i as u32 + 1;
        let (can, text) = crm(r);
        ws.write_string(row, 0, r.id)?;
        ws.write_string(row, 1, can)?;
        if !text.is_empty() {
            ws.write_string_with_format(row, 2, cell(&text), wrap)?;
        }
    }
    if !reqs.is_empty() {
        let choice = DataValidation::new()
            .allow_list_strings(&["Yes", "Partial", "No"])?
            .set_error_title("Can Be Inherited from CSP")?
            .set_error_message("Yes, Partial or No")?;
        ws.add_data_validation(1, 1, reqs.len() as u32, 1, &choice)?;
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 16)?;
    ws.set_column_width(2, 90)?;
    finish_table(ws, reqs.len(), CRM_HEADER.len())
}

fn write_header(ws: &mut Worksheet, header: &[&str], head: &Format) -> Result<(), XlsxError> {
    for (j, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, j as u16, *h, head)?;
    }
    Ok(())
}

/// Frozen header row and an autofilter over the table.
fn finish_table(ws: &mut Worksheet, rows: usize, cols: usize) -> Result<(), XlsxError> {
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, rows as u32, cols as u16 - 1)?;
    Ok(())
}

/// A cell's text within Excel's limit of 32,767 characters.
fn cell(s: &str) -> &str {
    match s.char_indices().nth(32_000) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
