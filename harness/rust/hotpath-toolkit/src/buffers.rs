//! Moving records and stamps between numpy and Rust: read in place, hand back owned
//! arrays without copying them again.

use hotpath_core::format::{events_from_bytes, records_as_bytes, EventRecord, ReportRecord};
use hotpath_core::CoreError;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::error::ToolkitError;

/// A contiguous numpy array as a slice, or an error naming the argument.
pub fn slice<'a, T: numpy::Element>(
    name: &'static str,
    a: &'a PyReadonlyArray1<'_, T>,
) -> Result<&'a [T], ToolkitError> {
    a.as_slice().map_err(|e| ToolkitError::Buffer { name, message: e.to_string() })
}

/// Views a contiguous `uint8` numpy array (an `EVENT_DTYPE` array viewed as bytes) as
/// event records, without copying.
///
/// # Errors
/// If the buffer is not contiguous, not 8-byte aligned, or not a whole number of records.
pub fn events<'a>(bytes: &'a PyReadonlyArray1<'_, u8>) -> Result<&'a [EventRecord], ToolkitError> {
    let raw = slice("event buffer", bytes)?;
    Ok(events_from_bytes("event buffer", raw).map_err(CoreError::from)?)
}

/// The reports as a new `uint8` numpy array (viewed as `REPORT_DTYPE` on the Python side).
pub fn reports_to_numpy<'py>(py: Python<'py>, reports: &[ReportRecord]) -> Bound<'py, PyArray1<u8>> {
    PyArray1::from_slice(py, records_as_bytes(reports))
}

/// Moves a vector into numpy without copying.
pub fn u64s_to_numpy(py: Python<'_>, v: Vec<u64>) -> Bound<'_, PyArray1<u64>> {
    PyArray1::from_vec(py, v)
}
