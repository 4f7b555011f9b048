//! `record_timings`: per-event stamps (from any driver) → HdrHistograms, `.hgrm`, `.hlog`.

use std::time::{Duration, SystemTime};

use hotpath_bench::recorder::{percentile_distribution, record, Metric, Summary};
use hotpath_bench::timing::TimesView;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::error::{bench_to_py, FormatError};

/// A summary as a Python dict (ns).
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

fn slice<'a>(name: &str, a: &'a PyReadonlyArray1<'_, u64>) -> PyResult<&'a [u64]> {
    a.as_slice().map_err(|e| FormatError::new_err(format!("{name}: {e}")))
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
) -> PyResult<Bound<'py, PyDict>> {
    let kinds = kinds.as_slice().map_err(|e| FormatError::new_err(format!("kinds: {e}")))?;
    let view = TimesView {
        intended: slice("intended", &intended)?,
        start: slice("start", &start)?,
        end: slice("end", &end)?,
        validated: slice("validated", &validated)?,
        risked: slice("risked", &risked)?,
        executed: slice("executed", &executed)?,
    };
    let start_time = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(start_epoch_s.max(0.0));
    let rec = py.detach(|| record(kinds, view, t0, interval_ns, start_time)).map_err(bench_to_py)?;
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
