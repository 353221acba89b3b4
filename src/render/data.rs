//! The package's data files: `matrix.csv`, `requirements.csv` and
//! `model.json`, for other tools.

use super::{RenderError, Renderer, Sink};
use crate::model::ReportModel;

/// The responsibility matrix as CSV, one row per (requirement, control),
/// and the requirements, one row each.
pub struct MatrixCsv;

impl Renderer for MatrixCsv {
    fn name(&self) -> &'static str {
        "matrix"
    }

    fn file_count(&self, _: &ReportModel) -> u64 {
        2
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        use crate::package::matrix;
        out.put("matrix.csv", matrix::csv(model).as_bytes())?;
        out.put("requirements.csv", matrix::requirements(model).as_bytes())
    }
}

/// The report model as JSON, streamed to the file.
pub struct ModelJson;

impl Renderer for ModelJson {
    fn name(&self) -> &'static str {
        "model"
    }

    fn file_count(&self, _: &ReportModel) -> u64 {
        1
    }

    fn render(&self, model: &ReportModel, out: &dyn Sink) -> Result<(), RenderError> {
        out.put_with("model.json", &mut |w| {
            serde_json::to_writer_pretty(&mut *w, model).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })
    }
}
