//! The contention experiment's pass (`hotpath_bench::readers`, `docs/readers.md`) for
//! Python: one (board, readers) pass with the GIL released, its figures as a dict.

use hotpath_bench::pacing::Pace;
use hotpath_bench::readers::{run_pass, Pass, PassRun, ReaderFigures};
use hotpath_board::{BoardKind, SnapshotMemory};
use hotpath_core::engine::{Canary, Engine};
use hotpath_core::format::ScenarioMeta;
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::buffers::events;
use crate::error::ToolkitError;
use crate::recording::summary_dict;

/// `readers_pass(meta_json, records, board, readers, pace, speed, *, limit=None) -> dict`.
///
/// `board` is `None` (the engine alone, publishing nothing) or a name of `BOARD_KINDS`;
/// `readers` threads poll every instrument's top of book while the engine replays
/// `records` (a uint8 view of an `EVENT_DTYPE` array, the first `limit` events) under
/// `pace` (`recorded`, `rate:N`, `max`; `speed` divides recorded time).
#[pyfunction]
#[pyo3(signature = (meta_json, records, board, readers, pace, speed, *, limit = None))]
#[allow(clippy::too_many_arguments)]
pub fn readers_pass<'py>(
    py: Python<'py>,
    meta_json: &str,
    records: PyReadonlyArray1<'py, u8>,
    board: Option<&str>,
    readers: usize,
    pace: &str,
    speed: f64,
    limit: Option<usize>,
) -> Result<Bound<'py, PyDict>, ToolkitError> {
    let pace = Pace::parse(pace, speed)?;
    let board = board.map(str::parse::<BoardKind>).transpose()?;
    let meta = ScenarioMeta::from_json("<metadata>", meta_json.as_bytes())?;
    let mut engine = Engine::new(&meta)?;
    engine.set_canary(Canary::from_env()?);
    let evs = events(&records)?;
    let evs = &evs[..limit.unwrap_or(evs.len()).min(evs.len())];
    let pass = Pass { board, readers };
    let run = py.detach(|| run_pass(&meta, &engine, evs, pace, pass))?;
    pass_dict(py, &run)
}

fn pass_dict<'py>(py: Python<'py>, r: &PassRun) -> Result<Bound<'py, PyDict>, ToolkitError> {
    let d = PyDict::new(py);
    d.set_item("board", r.pass.board.map(BoardKind::name))?;
    d.set_item("readers", r.pass.readers)?;
    d.set_item("engine", summary_dict(py, &r.engine)?)?;
    d.set_item("engine_e2e", summary_dict(py, &r.engine_e2e)?)?;
    d.set_item("events", r.events)?;
    d.set_item("engine_wall_ns", r.engine_wall_ns)?;
    d.set_item("publications", r.publications)?;
    d.set_item("memory", memory_dict(py, &r.memory)?)?;
    let readers = r.readers.iter().map(|f| reader_dict(py, f)).collect::<PyResult<Vec<_>>>()?;
    d.set_item("reader_figures", readers)?;
    d.set_item("digest", &r.digest)?;
    Ok(d)
}

fn memory_dict<'py>(py: Python<'py>, m: &SnapshotMemory) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("snapshot_bytes", m.snapshot_bytes)?;
    d.set_item("fixed_bytes", m.fixed_bytes)?;
    d.set_item("allocated", m.allocated)?;
    d.set_item("live", m.live)?;
    d.set_item("peak_live", m.peak_live)?;
    d.set_item("peak_bytes", m.peak_bytes())?;
    Ok(d)
}

fn reader_dict<'py>(py: Python<'py>, f: &ReaderFigures) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("reads", f.reads)?;
    d.set_item("empty_reads", f.empty_reads)?;
    d.set_item("wall_ns", f.wall_ns)?;
    d.set_item("read_latency", summary_dict(py, &f.read_latency)?)?;
    d.set_item("stale_reads", f.stale_reads)?;
    d.set_item("stale_measured", f.stale_measured)?;
    d.set_item("stale_unexamined", f.stale_unexamined)?;
    d.set_item("stale_publications", summary_dict(py, &f.stale_publications)?)?;
    d.set_item("stale_ns", summary_dict(py, &f.stale_ns)?)?;
    d.set_item("seq_regressions", f.seq_regressions)?;
    Ok(d)
}

/// Registers the experiment's function and the board names.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("BOARD_KINDS", pyo3::types::PyTuple::new(m.py(), BoardKind::NAMES)?)?;
    m.add_function(wrap_pyfunction!(readers_pass, m)?)?;
    Ok(())
}
