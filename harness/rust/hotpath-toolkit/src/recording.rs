//! The HDR recorder for Python: per-event stamps (from any driver) → HdrHistograms,
//! `.hgrm` and `.hlog` (`record_timings`), and the summary of one stamp difference
//! (`summarize_gaps`). Every percentile of a run comes from here.

use std::time::{Duration, SystemTime};

use hotpath_bench::recorder::{self, percentile_distribution, record, Metric, Summary};
use hotpath_bench::timing::TimesView;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::buffers::slice;
use crate::error::ToolkitError;

/// A summary as a Python dict (ns): the shape of every `latency_ns.<metric>` of `run.json`.
pub fn summary_dict<'py>(py: Python<'py>, s: &Summary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("count", s.count)?;
    d.set_item("min", s.min)?;
    d.set_item("p50", s.p50)?;
    d.set_item("p90", s.p90)?;
    d.set_item("p99", s.p99)?;
    d.set_item("p999", s.p999)?;
    d.set_item("p9999", s.p9999)?;
    d.set_item("max", s.max)?;
    d.set_item("mean", s.mean)?;
    Ok(d)
}

/// `record_timings(kinds, intended, start, end, validated, risked, executed, t0,
/// interval_ns, start_epoch_s)` → `{"summaries": {metric: {...}}, "hgrm": {metric: str},
/// "hlog": str}`. Stamps are uint64 ns; a 0 stamp means "did not happen".
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub fn record_timings<'py>(
    py: Python<'py>,
    kinds: PyReadonlyArray1<'py, u8>,
    intended: PyReadonlyArray1<'py, u64>,
    start: PyReadonlyArray1<'py, u64>,
    end: PyReadonlyArray1<'py, u64>,
    validated: PyReadonlyArray1<'py, u64>,
    risked: PyReadonlyArray1<'py, u64>,
    executed: PyReadonlyArray1<'py, u64>,
    t0: u64,
    interval_ns: u64,
    start_epoch_s: f64,
) -> Result<Bound<'py, PyDict>, ToolkitError> {
    let kinds = slice("kinds", &kinds)?;
    let view = TimesView {
        intended: slice("intended", &intended)?,
        start: slice("start", &start)?,
        end: slice("end", &end)?,
        validated: slice("validated", &validated)?,
        risked: slice("risked", &risked)?,
        executed: slice("executed", &executed)?,
    };
    let start_time = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(start_epoch_s.max(0.0));
    let rec = py.detach(|| record(kinds, view, t0, interval_ns, start_time))?;
    let summaries = PyDict::new(py);
    let hgrm = PyDict::new(py);
    for m in Metric::ALL {
        summaries.set_item(m.name(), summary_dict(py, &rec.summary(m))?)?;
        if rec.summary(m).count > 0 {
            hgrm.set_item(m.name(), percentile_distribution(rec.histogram(m), 1000.0))?;
        }
    }
    let out = PyDict::new(py);
    out.set_item("summaries", summaries)?;
    out.set_item("hgrm", hgrm)?;
    out.set_item("hlog", rec.hlog())?;
    Ok(out)
}

/// `summarize_gaps(later, earlier)` → the summary of `later − earlier` per event (uint64
/// ns; events with a 0 stamp left out, a negative difference counted as 0), recorded into
/// an HDR histogram like every `latency_ns` figure.
#[pyfunction]
pub fn summarize_gaps<'py>(
    py: Python<'py>,
    later: PyReadonlyArray1<'py, u64>,
    earlier: PyReadonlyArray1<'py, u64>,
) -> Result<Bound<'py, PyDict>, ToolkitError> {
    let (later, earlier) = (slice("later", &later)?, slice("earlier", &earlier)?);
    let summary = py.detach(|| recorder::summarize_gaps(later, earlier))?;
    Ok(summary_dict(py, &summary)?)
}
