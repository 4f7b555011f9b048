//! The drop-copy in the rust-ffi build (docs/dropcopy.md): while one is attached, the
//! engine's own report vector is the log the Rust publisher reads behind it (each report
//! written once), and `publish_drop_copy` publishes a finished report array through the
//! same publisher (the cross-language equality check).

use hotpath_core::format::{ReportRecord, REPORT_RECORD_SIZE};
use hotpath_dropcopy::layout::report_from_bytes;
use hotpath_dropcopy::{
    publish, start_with_log_in, DropCopyConfig, DropCopyStats, LogPublisher, LogWriter, StatValue,
};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{dropcopy_to_py, FormatError};

/// A publishing pass attached to an engine: the engine's report log, lent to the pass
/// (the engine's sink while it runs), and the publisher that reads behind it.
pub struct Attached {
    pub log: LogWriter,
    pub publisher: LogPublisher,
}

impl Attached {
    /// Ends the pass (the GIL released): the publisher publishes what is left and waits
    /// for Redis; returns its figures and the engine's report vector, filled.
    pub fn finish(self, py: Python<'_>) -> (DropCopyStats, Vec<ReportRecord>) {
        let Attached { log, publisher } = self;
        py.detach(|| publisher.finish(log))
    }
}

/// The pass's settings: the documented defaults with the caller's snapshot cadence.
fn config(url: &str, prefix: &str, snapshot_every: u64) -> DropCopyConfig {
    DropCopyConfig { snapshot_every, ..DropCopyConfig::new(url, prefix) }
}

/// Connects and starts a publisher over `reports` (the engine's own, empty, vector: taken
/// once Redis has answered, left in place on an error), the GIL released while it
/// connects.
///
/// # Errors
/// `ValueError` for a bad URL or setting (or reports already), `ConnectionError` if Redis
/// cannot be reached.
pub fn attach(
    py: Python<'_>,
    reports: &mut Vec<ReportRecord>,
    url: &str,
    prefix: &str,
    snapshot_every: u64,
) -> PyResult<Attached> {
    let config = config(url, prefix, snapshot_every);
    let (log, publisher) = py.detach(|| start_with_log_in(config, reports)).map_err(dropcopy_to_py)?;
    Ok(Attached { log, publisher })
}

/// The publisher figures as a dict (`error` is None or a message).
pub fn stats_dict<'py>(py: Python<'py>, stats: &DropCopyStats) -> PyResult<Bound<'py, PyDict>> {
    let out = PyDict::new(py);
    for (name, value) in stats.figures() {
        match value {
            StatValue::Count(n) => out.set_item(name, n)?,
            StatValue::Seconds(s) => out.set_item(name, s)?,
            StatValue::Text(t) => out.set_item(name, t)?,
        }
    }
    Ok(out)
}

/// `publish_drop_copy(url, prefix, reports, snapshot_every=10000) -> dict`: publishes a
/// report stream (a uint8 view of `REPORT_DTYPE` records, seqs 1 … n) under `prefix` as
/// one pass, the GIL released, and returns the publisher figures.
#[pyfunction]
#[pyo3(signature = (url, prefix, reports, snapshot_every = 10_000))]
pub fn publish_drop_copy<'py>(
    py: Python<'py>,
    url: &str,
    prefix: &str,
    reports: PyReadonlyArray1<'py, u8>,
    snapshot_every: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let bytes = reports.as_slice().map_err(|e| FormatError::new_err(format!("report buffer: {e}")))?;
    if bytes.len() % REPORT_RECORD_SIZE != 0 {
        return Err(FormatError::new_err(format!(
            "report buffer: {} bytes is not a whole number of {REPORT_RECORD_SIZE}-byte records",
            bytes.len()
        )));
    }
    // copied, so that any alignment (bytes objects included) will do
    let records: Vec<ReportRecord> = bytes
        .chunks_exact(REPORT_RECORD_SIZE)
        .filter_map(|c| c.try_into().ok().map(report_from_bytes))
        .collect();
    let config = config(url, prefix, snapshot_every);
    let stats = py.detach(|| publish(config, &records)).map_err(dropcopy_to_py)?;
    stats_dict(py, &stats)
}
