//! The book board for Python readers (`docs/readers.md`): a board the engine's driver
//! publishes its top of book to from one thread (`publish_replay`, GIL released) while
//! Python threads poll it, each through its own reader (`reader().top(instrument)`).

use std::sync::Arc;

use hotpath_board::{
    Board, BoardKind, BoardReader, BookPublisher, EpochBoard, EpochReader, MutexBoard, MutexReader,
    SnapshotMemory, TopOfBook,
};
use hotpath_core::digest::report_digest;
use hotpath_core::engine::{Engine, NoProbe};
use hotpath_core::format::{order_capacity, EventRecord, ReportRecord, ScenarioMeta};
use numpy::PyReadonlyArray1;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::buffers::events;
use crate::error::board_to_py;
use crate::session::{scenario_meta, session_engine};

/// Either board, chosen at run time.
enum AnyBoard {
    Epoch(Arc<EpochBoard>),
    Mutex(Arc<MutexBoard>),
}

/// A board of the newest top of book per instrument of a scenario.
#[pyclass(name = "BookBoard", module = "hotpath_rs._native", frozen)]
pub struct PyBookBoard {
    board: AnyBoard,
    meta_json: String,
    meta: ScenarioMeta,
}

/// One thread's reader of a `BookBoard`, usable only on the thread that created it.
#[pyclass(name = "BoardReader", module = "hotpath_rs._native", unsendable)]
pub struct PyBoardReader(AnyReader);

enum AnyReader {
    Epoch(EpochReader),
    Mutex(MutexReader),
}

/// `(bid, ask, seq, ts)`, each side `(price, qty)` or `None`.
type TopTuple = (Option<(i64, i64)>, Option<(i64, i64)>, u64, u64);

fn as_tuple(top: TopOfBook) -> TopTuple {
    (top.bid(), top.ask(), top.seq, top.ts)
}

/// A fresh engine over `events`, publishing through `board`'s writer after each event.
fn publish_replay_into<B: Board>(
    board: &Arc<B>,
    meta: &ScenarioMeta,
    mut engine: Engine,
    events: &[EventRecord],
) -> (Vec<ReportRecord>, u64) {
    engine.reserve_orders(order_capacity(events));
    let mut publisher = BookPublisher::new(Board::writer(board), meta);
    let mut reports = Vec::with_capacity(events.len() / 2 + 16);
    for (i, ev) in events.iter().enumerate() {
        engine.on_event(i as u64, ev, &mut reports, &mut NoProbe);
        publisher.after_event(&engine, i as u64, ev);
    }
    (reports, publisher.published())
}

#[pymethods]
impl PyBookBoard {
    /// `BookBoard(meta_json, kind="epoch")`: a board for the scenario's instruments.
    #[new]
    #[pyo3(signature = (meta_json, kind = "epoch"))]
    fn new(meta_json: &str, kind: &str) -> PyResult<Self> {
        let meta = scenario_meta(meta_json)?;
        let n = meta.instruments.len();
        let board = match kind.parse::<BoardKind>().map_err(board_to_py)? {
            BoardKind::Epoch => AnyBoard::Epoch(Arc::new(EpochBoard::new(n))),
            BoardKind::Mutex => AnyBoard::Mutex(Arc::new(MutexBoard::new(n))),
        };
        Ok(PyBookBoard { board, meta_json: meta_json.to_owned(), meta })
    }

    /// The board's kind: `epoch` or `mutex`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.board {
            AnyBoard::Epoch(_) => BoardKind::Epoch.name(),
            AnyBoard::Mutex(_) => BoardKind::Mutex.name(),
        }
    }

    /// Number of instruments (ids `0..instruments`).
    #[getter]
    fn instruments(&self) -> usize {
        self.meta.instruments.len()
    }

    /// Replays `records` (a uint8 view of an `EVENT_DTYPE` array) through a fresh engine on
    /// the calling thread with the GIL released, publishing the top of book of each event's
    /// instrument when it changed. Returns `(report digest, publications)`. One publisher
    /// at a time per board.
    fn publish_replay(&self, py: Python<'_>, records: PyReadonlyArray1<'_, u8>) -> PyResult<(String, u64)> {
        let evs = events(&records)?;
        let engine = session_engine(&self.meta_json)?;
        let meta = &self.meta;
        let (reports, published) = match &self.board {
            AnyBoard::Epoch(b) => py.detach(|| publish_replay_into(b, meta, engine, evs)),
            AnyBoard::Mutex(b) => py.detach(|| publish_replay_into(b, meta, engine, evs)),
        };
        Ok((report_digest(&reports), published))
    }

    /// A reader for the calling thread (each thread makes its own: the epoch board
    /// registers every reader with its collector).
    fn reader(&self) -> PyBoardReader {
        PyBoardReader(match &self.board {
            AnyBoard::Epoch(b) => AnyReader::Epoch(Board::reader(b)),
            AnyBoard::Mutex(b) => AnyReader::Mutex(Board::reader(b)),
        })
    }

    /// The snapshot memory so far: `snapshot_bytes`, `fixed_bytes`, `allocated`, `live`,
    /// `peak_live`, `peak_bytes`.
    fn memory<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let m: SnapshotMemory = match &self.board {
            AnyBoard::Epoch(b) => b.memory(),
            AnyBoard::Mutex(b) => b.memory(),
        };
        let d = PyDict::new(py);
        d.set_item("snapshot_bytes", m.snapshot_bytes)?;
        d.set_item("fixed_bytes", m.fixed_bytes)?;
        d.set_item("allocated", m.allocated)?;
        d.set_item("live", m.live)?;
        d.set_item("peak_live", m.peak_live)?;
        d.set_item("peak_bytes", m.peak_bytes())?;
        Ok(d)
    }
}

#[pymethods]
impl PyBoardReader {
    /// The newest top of book of `instrument` as `(bid, ask, seq, ts)` (each side
    /// `(price, qty)` or `None`), or `None` before its first publication. `ValueError`
    /// for an instrument the board does not have.
    fn top(&mut self, instrument: usize) -> PyResult<Option<TopTuple>> {
        let top = match &mut self.0 {
            AnyReader::Epoch(r) => r.checked_top(instrument),
            AnyReader::Mutex(r) => r.checked_top(instrument),
        };
        top.map(|t| t.map(as_tuple)).map_err(board_to_py)
    }
}
