//! Moving records between numpy and Rust: read event records in place, hand back owned
//! arrays without copying them again.

use hotpath_core::format::{
    check_kinds, events_from_bytes, records_as_bytes, EventKind, EventRecord, ReportRecord,
};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::error::FormatError;

/// Views a contiguous `uint8` numpy array (an `EVENT_DTYPE` array viewed as bytes, or a
/// memory-mapped file) as event records, without copying.
///
/// # Errors
/// `FormatError` if the buffer is not contiguous, not 8-byte aligned, not a whole number
/// of records, or holds a record of an unknown kind (the file reader's rule).
pub fn events<'a>(bytes: &'a PyReadonlyArray1<'_, u8>) -> PyResult<&'a [EventRecord]> {
    let slice = bytes.as_slice().map_err(|e| FormatError::new_err(format!("event buffer: {e}")))?;
    let evs = events_from_bytes("event buffer", slice).map_err(|e| FormatError::new_err(e.to_string()))?;
    check_kinds("event buffer", evs).map_err(|e| FormatError::new_err(e.to_string()))?;
    Ok(evs)
}

/// The file reader's kind rule for one event handed over as its fields (`on_event`).
///
/// # Errors
/// `FormatError` naming the event's index and kind if it is not an event kind.
#[inline]
pub fn known_kind(index: u64, kind: u8) -> PyResult<()> {
    match EventKind::from_u8(kind) {
        Some(_) => Ok(()),
        None => Err(unknown_kind(index, kind)),
    }
}

/// Kept out of line so that the per-event entry points stay small enough to inline their
/// dispatch: the check costs a comparison, its message only when it fails.
#[cold]
#[inline(never)]
fn unknown_kind(index: u64, kind: u8) -> PyErr {
    FormatError::new_err(format!("event {index}: unknown event kind {kind}"))
}

/// The reports as a new `uint8` numpy array (viewed as `REPORT_DTYPE` on the Python side).
pub fn reports_to_numpy<'py>(py: Python<'py>, reports: &[ReportRecord]) -> Bound<'py, PyArray1<u8>> {
    PyArray1::from_slice(py, records_as_bytes(reports))
}

/// Moves a vector into numpy without copying.
pub fn u64s_to_numpy(py: Python<'_>, v: Vec<u64>) -> Bound<'_, PyArray1<u64>> {
    PyArray1::from_vec(py, v)
}
