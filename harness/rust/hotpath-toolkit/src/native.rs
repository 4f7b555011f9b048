//! The rust-native build: the engine (`hotpath-core`, called as a library) inside the
//! lab's Rust loop, with the GIL released. `native_run` is the paced, timed pass;
//! `replay` is the same engine over the whole stream as fast as it goes (`run`, `shadow`).

use std::sync::atomic::Ordering;
use std::sync::Arc;

use hotpath_bench::native::{self, report_capacity, run, run_into, EmptyPipeline, NativeRun, Progress};
use hotpath_bench::pacing::Pace;
use hotpath_bench::recorder::summarize;
use hotpath_core::engine::{Canary, Engine};
use hotpath_core::format::{order_capacity, ScenarioMeta};
use hotpath_dropcopy::{start_with_log, DropCopyConfig, DropCopyStats};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::buffers::{events, reports_to_numpy, u64s_to_numpy};
use crate::dropcopy::stats_dict;
use crate::error::ToolkitError;
use crate::recording::summary_dict;

/// A counter the native loop updates while Python polls it from another thread.
#[pyclass(name = "ReplayProgress", module = "hotpath_toolkit._native", frozen)]
#[derive(Default)]
pub struct PyReplayProgress(Arc<Progress>);

#[pymethods]
impl PyReplayProgress {
    #[new]
    fn new() -> Self {
        Self::default()
    }

    /// `(done, total)` events.
    fn snapshot(&self) -> (u64, u64) {
        (self.0.done.load(Ordering::Relaxed), self.0.total.load(Ordering::Relaxed))
    }
}

fn engine_for(meta_json: &str) -> Result<Engine, ToolkitError> {
    let meta = ScenarioMeta::from_json("<metadata>", meta_json.as_bytes())?;
    let mut engine = Engine::new(&meta)?;
    engine.set_canary(Canary::from_env()?);
    Ok(engine)
}

/// `native_run(meta_json, records, pace, speed, *, stage_timing, limit, empty, progress,
/// drop_copy)`.
///
/// `records` is a uint8 view of an `EVENT_DTYPE` array; `pace` is `recorded`, `rate:N` or
/// `max` and `speed` divides recorded time. Returns a dict of numpy arrays and figures.
/// `drop_copy=(url, prefix, snapshot_every)` also publishes the pass's reports through
/// the Rust drop-copy (docs/dropcopy.md), whose publisher reads the pass's own report log
/// behind the engine (each report written once); its figures are then under `drop_copy`.
#[pyfunction]
#[pyo3(signature = (meta_json, records, pace, speed, *, stage_timing = true, limit = None, empty = false, progress = None, drop_copy = None))]
#[allow(clippy::too_many_arguments)]
pub fn native_run<'py>(
    py: Python<'py>,
    meta_json: &str,
    records: PyReadonlyArray1<'py, u8>,
    pace: &str,
    speed: f64,
    stage_timing: bool,
    limit: Option<usize>,
    empty: bool,
    progress: Option<&Bound<'py, PyReplayProgress>>,
    drop_copy: Option<(String, String, u64)>,
) -> Result<Bound<'py, PyDict>, ToolkitError> {
    let pace = Pace::parse(pace, speed)?;
    let evs = events(&records)?;
    let evs = &evs[..limit.unwrap_or(evs.len()).min(evs.len())];
    let tracker = progress.map(|p| Arc::clone(&p.get().0));
    let mut copy_stats: Option<DropCopyStats> = None;
    let result: Result<NativeRun, _> = if empty {
        if drop_copy.is_some() {
            return Err(ToolkitError::Argument(
                "drop_copy publishes the engine's reports: not with empty=True".into(),
            ));
        }
        py.detach(|| run(&mut EmptyPipeline, evs, pace, false, tracker.as_deref()))
    } else {
        let mut engine = engine_for(meta_json)?;
        // A production engine sizes its order store at start-up; without this the store's
        // doubling copies would show up as multi-millisecond outliers in the timed pass.
        engine.reserve_orders(order_capacity(evs));
        match drop_copy {
            None => py.detach(|| run(&mut engine, evs, pace, stage_timing, tracker.as_deref())),
            Some((url, prefix, snapshot_every)) => {
                let config = DropCopyConfig { snapshot_every, ..DropCopyConfig::new(url, prefix) };
                // the pass's log, as large and as resident as `run`'s own vector
                let capacity = report_capacity(evs.len());
                let (log, publisher) = py.detach(|| start_with_log(config, capacity))?;
                let result =
                    py.detach(|| run_into(&mut engine, evs, pace, stage_timing, tracker.as_deref(), log));
                // on an error (before the first event) the publisher is dropped: its thread stops
                result.map(|r| {
                    r.map_reports(|log| {
                        // every report out (what went past the log's capacity from its
                        // spill) before the figures are read; then the log is the pass's
                        let (stats, reports) = py.detach(|| publisher.finish(log));
                        copy_stats = Some(stats);
                        reports
                    })
                })
            }
        }
    };
    let r = result?;
    let out = PyDict::new(py);
    if let Some(stats) = &copy_stats {
        out.set_item("drop_copy", stats_dict(py, stats)?)?;
    }
    out.set_item("reports", reports_to_numpy(py, &r.reports))?;
    out.set_item("t0", r.t0)?;
    out.set_item("spin_ns", r.spin.spun_ns)?;
    out.set_item("spin_lost_ns", r.spin.lost_ns)?;
    out.set_item("live_e2e", summary_dict(py, &summarize(&r.live_e2e))?)?;
    let t = r.times;
    out.set_item("intended", u64s_to_numpy(py, t.intended))?;
    out.set_item("start", u64s_to_numpy(py, t.start))?;
    out.set_item("end", u64s_to_numpy(py, t.end))?;
    out.set_item("validated", u64s_to_numpy(py, t.validated))?;
    out.set_item("risked", u64s_to_numpy(py, t.risked))?;
    out.set_item("executed", u64s_to_numpy(py, t.executed))?;
    Ok(out)
}

/// `replay(meta_json, records) -> report bytes`: the rust-native build over the whole
/// stream through a fresh engine, no pacing or stamps, GIL released, records read in place.
#[pyfunction]
pub fn replay<'py>(
    py: Python<'py>,
    meta_json: &str,
    records: PyReadonlyArray1<'py, u8>,
) -> Result<Bound<'py, PyArray1<u8>>, ToolkitError> {
    let evs = events(&records)?;
    let mut engine = engine_for(meta_json)?;
    let reports = py.detach(|| native::replay(&mut engine, evs));
    Ok(reports_to_numpy(py, &reports))
}

/// Registers the native loop's class and functions.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyReplayProgress>()?;
    m.add_function(wrap_pyfunction!(native_run, m)?)?;
    m.add_function(wrap_pyfunction!(replay, m)?)?;
    Ok(())
}
