//! `replay`: a whole stream through a fresh engine in one call, the GIL released.

use hotpath_core::format::ReportRecord;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::buffers::{events, reports_to_numpy};
use crate::session::session_engine;

/// `replay(meta_json, records) -> report bytes`: the whole stream through a fresh engine
/// as fast as possible, GIL released, records read in place.
#[pyfunction]
pub fn replay<'py>(
    py: Python<'py>,
    meta_json: &str,
    records: PyReadonlyArray1<'py, u8>,
) -> PyResult<Bound<'py, PyArray1<u8>>> {
    let evs = events(&records)?;
    let mut engine = session_engine(meta_json)?;
    let reports = py.detach(|| {
        let mut out: Vec<ReportRecord> = Vec::with_capacity(evs.len() / 2 + 16);
        engine.replay(evs, &mut out);
        out
    });
    Ok(reports_to_numpy(py, &reports))
}
