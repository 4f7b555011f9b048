//! `measure_jitter`: the machine's noise floor, probed on the calling thread.

use hotpath_bench::jitter::measure;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::ToolkitError;

/// `measure_jitter(seconds=1.0, threshold_ns=1000)` → `{"duration_ns", "threshold_ns",
/// "count", "per_second", "stolen_ns", "stolen_share", "p50_ns", "p99_ns", "max_ns"}`.
/// Spins with the GIL released.
#[pyfunction]
#[pyo3(signature = (seconds = 1.0, threshold_ns = 1_000))]
pub fn measure_jitter(
    py: Python<'_>,
    seconds: f64,
    threshold_ns: u64,
) -> Result<Bound<'_, PyDict>, ToolkitError> {
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 600.0) {
        return Err(ToolkitError::Argument(format!("seconds must be in (0, 600], got {seconds}")));
    }
    if threshold_ns == 0 {
        return Err(ToolkitError::Argument("threshold_ns must be positive".into()));
    }
    let duration_ns = (seconds * 1e9) as u64;
    let j = py.detach(|| measure(duration_ns, threshold_ns))?;
    let d = PyDict::new(py);
    d.set_item("duration_ns", j.duration_ns)?;
    d.set_item("threshold_ns", j.threshold_ns)?;
    d.set_item("count", j.count)?;
    d.set_item("per_second", j.per_second())?;
    d.set_item("stolen_ns", j.stolen_ns)?;
    d.set_item("stolen_share", j.stolen_share())?;
    d.set_item("p50_ns", j.p50_ns)?;
    d.set_item("p99_ns", j.p99_ns)?;
    d.set_item("max_ns", j.max_ns)?;
    Ok(d)
}
