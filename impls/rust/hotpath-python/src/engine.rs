//! `Engine`: the Rust engine as a Python object, per event (rust-ffi) or in batches.

use hotpath_core::digest::ReportDigest;
use hotpath_core::engine::{Engine, NoProbe, ReportSink, StageProbe};
use hotpath_core::format::{EventRecord, Reason, ReportRecord};
use hotpath_core::resident::resident_reports;
use hotpath_core::stamps::StageStamps;
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::buffers::{events, known_kind, reports_to_numpy, u64s_to_numpy};
use crate::dropcopy::{attach, stats_dict, Attached};
use crate::session::session_engine;

/// The order hot path engine (validation → risk → execution), one instance per session.
#[pyclass(name = "Engine", module = "hotpath_rs._native", unsendable)]
pub struct PyEngine {
    engine: Engine,
    /// The report log; while a drop-copy is attached, lent to it (this is then empty, and
    /// the log is the pass's writer).
    reports: Vec<ReportRecord>,
    /// Per-event stage stamps (validated, risk checked, executed), when asked for.
    stamps: Option<StageStamps>,
    /// The drop-copy pass whose publisher reads the report log, while one is attached.
    drop_copy: Option<Attached>,
}

#[pymethods]
impl PyEngine {
    /// `Engine(meta_json, stage_events=0, expected_orders=0)`: `stage_events > 0`
    /// preallocates stage stamps for that many events; `expected_orders` sizes the order
    /// store and the report buffer up front, as a production engine does at start-up.
    #[new]
    #[pyo3(signature = (meta_json, stage_events = 0, expected_orders = 0))]
    fn new(meta_json: &str, stage_events: usize, expected_orders: usize) -> PyResult<Self> {
        let mut engine = session_engine(meta_json)?;
        engine.reserve_orders(expected_orders);
        let stamps = (stage_events > 0).then(|| StageStamps::with_len(stage_events));
        let reports = resident_reports((2 * expected_orders).max(1 << 16));
        Ok(PyEngine { engine, reports, stamps, drop_copy: None })
    }

    /// Handles one event given as its record fields (`EVENT_STRUCT` order).
    #[allow(clippy::too_many_arguments)]
    fn on_event(
        &mut self,
        index: u64,
        ts: u64,
        id: u64,
        orig_id: u64,
        price: i64,
        qty: i64,
        instrument: u16,
        account: u16,
        kind: u8,
        side: u8,
        order_type: u8,
        venue: u8,
    ) -> PyResult<()> {
        known_kind(index, kind)?;
        let ev =
            EventRecord { ts, id, orig_id, price, qty, instrument, account, kind, side, order_type, venue };
        self.dispatch(index, &ev, None);
        Ok(())
    }

    /// Rejects one order request (fields in `EVENT_STRUCT` order) for `reason` without
    /// handling it: the `hybrid-risk-exec` build validates in Python and hands the engine
    /// what passed. The REJECT joins this engine's report stream; the id is used.
    #[allow(clippy::too_many_arguments)]
    fn reject(
        &mut self,
        index: u64,
        ts: u64,
        id: u64,
        orig_id: u64,
        price: i64,
        qty: i64,
        instrument: u16,
        account: u16,
        kind: u8,
        side: u8,
        order_type: u8,
        venue: u8,
        reason: u8,
    ) -> PyResult<()> {
        known_kind(index, kind)?;
        let reason = Reason::from_u8(reason)
            .ok_or_else(|| PyValueError::new_err(format!("reason {reason} is not a reject reason code")))?;
        let ev =
            EventRecord { ts, id, orig_id, price, qty, instrument, account, kind, side, order_type, venue };
        self.dispatch(index, &ev, Some(reason));
        Ok(())
    }

    /// Replays a buffer of event records (a uint8 view of an `EVENT_DTYPE` array) in
    /// place with the GIL released; event indexes start at `first_index`.
    #[pyo3(signature = (records, first_index = 0))]
    fn replay(
        &mut self,
        py: Python<'_>,
        records: PyReadonlyArray1<'_, u8>,
        first_index: u64,
    ) -> PyResult<()> {
        let evs = events(&records)?;
        let (engine, reports) = (&mut self.engine, &mut self.reports);
        match &mut self.drop_copy {
            None => py.detach(|| replay_into(engine, evs, first_index, reports)),
            Some(dc) => py.detach(|| replay_into(engine, evs, first_index, &mut dc.log)),
        }
        Ok(())
    }

    /// Attaches a drop-copy (docs/dropcopy.md): from now on the Rust publisher reads the
    /// engine's report log behind it (the log this object allocated at start-up, lent to
    /// the pass) and writes `prefix:reports` and `prefix:positions` at `url`
    /// (`redis://host:port[/db]`) from a thread of its own. The stream starts at seq 1, so
    /// the engine must not have produced a report yet.
    ///
    /// # Errors
    /// `ValueError` if one is attached already, the engine has reports, or the URL or
    /// cadence is refused; `ConnectionError` if Redis cannot be reached.
    #[pyo3(signature = (url, prefix, snapshot_every = 10_000))]
    fn start_drop_copy(
        &mut self,
        py: Python<'_>,
        url: &str,
        prefix: &str,
        snapshot_every: u64,
    ) -> PyResult<()> {
        if self.drop_copy.is_some() {
            return Err(PyValueError::new_err("a drop-copy is attached already: finish_drop_copy() first"));
        }
        if !self.reports.is_empty() {
            return Err(PyValueError::new_err(format!(
                "start_drop_copy: the engine has produced {} reports already; the drop-copy stream starts at \
                 seq 1, so attach it before the first event",
                self.reports.len()
            )));
        }
        self.drop_copy = Some(attach(py, &mut self.reports, url, prefix, snapshot_every)?);
        Ok(())
    }

    /// Detaches the drop-copy: publishes what is left (what went past the report log's
    /// capacity, from its spill), waits for Redis to confirm it (at most 10 s, the GIL
    /// released), takes the log back and returns the publisher figures.
    ///
    /// # Errors
    /// `ValueError` if no drop-copy is attached.
    fn finish_drop_copy<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let attached =
            self.drop_copy.take().ok_or_else(|| PyValueError::new_err("no drop-copy is attached"))?;
        let (stats, reports) = attached.finish(py);
        self.reports = reports;
        stats_dict(py, &stats)
    }

    /// Every report so far as raw bytes (`REPORT_DTYPE` records).
    fn report_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyArray1<u8>> {
        match self.reports_so_far() {
            (reports, []) => reports_to_numpy(py, reports),
            // past a lent log's capacity: the two parts joined once (not on the hot path)
            (published, spilled) => reports_to_numpy(py, &[published, spilled].concat()),
        }
    }

    /// Number of reports so far.
    fn report_count(&self) -> usize {
        let (published, spilled) = self.reports_so_far();
        published.len() + spilled.len()
    }

    /// SHA-256 of the report stream so far.
    fn digest(&self) -> String {
        let (published, spilled) = self.reports_so_far();
        let mut digest = ReportDigest::default();
        digest.update(published);
        digest.update(spilled);
        digest.finish_hex()
    }

    /// `(validated, risk_checked, executed)` stamps as uint64 arrays, or None.
    #[allow(clippy::type_complexity)]
    fn stage_times<'py>(
        &mut self,
        py: Python<'py>,
    ) -> Option<(Bound<'py, PyArray1<u64>>, Bound<'py, PyArray1<u64>>, Bound<'py, PyArray1<u64>>)> {
        let s = self.stamps.as_mut()?;
        Some((
            u64s_to_numpy(py, s.validated.clone()),
            u64s_to_numpy(py, s.risked.clone()),
            u64s_to_numpy(py, s.executed.clone()),
        ))
    }
}

impl PyEngine {
    /// The report stream so far, in two parts: the engine's vector (and nothing), or, while
    /// a drop-copy has the vector on loan, its log's published slots and its spill.
    fn reports_so_far(&self) -> (&[ReportRecord], &[ReportRecord]) {
        match &self.drop_copy {
            None => (&self.reports, &[]),
            Some(dc) => dc.log.reports(),
        }
    }

    /// Handles `ev` as event `index` — or, given a reason, rejects it as decided by the
    /// caller — under the stage stamps the engine was created with, if any.
    ///
    /// With a drop-copy attached the reports go to the log it reads (this object's own,
    /// lent to the pass: still one write per report); without, the path is the one it was
    /// before drop-copies existed, behind one branch that always goes the same way within
    /// a pass.
    #[inline]
    fn dispatch(&mut self, index: u64, ev: &EventRecord, reject: Option<Reason>) {
        let (engine, reports, stamps) = (&mut self.engine, &mut self.reports, &mut self.stamps);
        match &mut self.drop_copy {
            None => staged(engine, reports, stamps, index, ev, reject),
            Some(dc) => copied(engine, &mut dc.log, stamps, index, ev, reject),
        }
    }
}

/// `handle` under the engine's stage stamps, if it was created with them.
#[inline]
fn staged<S: ReportSink>(
    engine: &mut Engine,
    sink: &mut S,
    stamps: &mut Option<StageStamps>,
    index: u64,
    ev: &EventRecord,
    reject: Option<Reason>,
) {
    match stamps {
        Some(stamps) => {
            let mut probe = stamps.probe(usize::try_from(index).unwrap_or(usize::MAX));
            handle(engine, sink, index, ev, reject, &mut probe);
        }
        None => handle(engine, sink, index, ev, reject, &mut NoProbe),
    }
}

/// The drop-copy's side of `dispatch`, out of line so that the path without one keeps
/// its shape (and its inlining).
#[inline(never)]
fn copied<S: ReportSink>(
    engine: &mut Engine,
    sink: &mut S,
    stamps: &mut Option<StageStamps>,
    index: u64,
    ev: &EventRecord,
    reject: Option<Reason>,
) {
    staged(engine, sink, stamps, index, ev, reject);
}

fn replay_into<S: ReportSink>(engine: &mut Engine, evs: &[EventRecord], first_index: u64, sink: &mut S) {
    for (i, ev) in evs.iter().enumerate() {
        engine.on_event(first_index + i as u64, ev, sink, &mut NoProbe);
    }
}

#[inline]
fn handle<S: ReportSink, P: StageProbe>(
    engine: &mut Engine,
    reports: &mut S,
    index: u64,
    ev: &EventRecord,
    reject: Option<Reason>,
    probe: &mut P,
) {
    match reject {
        Some(reason) => engine.reject_request(index, ev, reason, reports, probe),
        None => engine.on_event(index, ev, reports, probe),
    }
}
