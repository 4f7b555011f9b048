//! The GIL experiment's Rust side (`docs/gil.md`): the engine driven by several Python
//! threads with the GIL released around each event or each batch (`DetachedEngine`), and by
//! several Rust threads started from one call (`replay_threads`). The engine logic stays in the core;
//! this file converts arguments, releases the GIL, spawns threads and stamps order
//! requests on the lab's monotonic clock (the engine never reads it).

use std::sync::Barrier;
use std::thread;

use hotpath_core::clock::monotonic_ns;
use hotpath_core::digest::report_digest;
use hotpath_core::engine::Engine;
use hotpath_core::format::{EventRecord, ReportRecord};
use numpy::{PyArray1, PyReadonlyArray1};
use pyo3::prelude::*;

use crate::buffers::{events, known_kind, u64s_to_numpy};
use crate::session::session_engine;

/// The Rust engine fed from a Python thread, one event or one batch per call, the GIL
/// released for the engine's work so that other Python threads run meanwhile.
#[pyclass(name = "DetachedEngine", module = "hotpath_rs._native")]
pub struct PyDetachedEngine {
    engine: Engine,
    reports: Vec<ReportRecord>,
    /// Stamps around each order request handled by `replay_batch`, in the order handled.
    stamps: OrderStamps,
}

/// Start and end stamps around each order request's handling.
#[derive(Debug, Default)]
struct OrderStamps {
    start: Vec<u64>,
    end: Vec<u64>,
}

impl OrderStamps {
    fn with_capacity(n: usize) -> Self {
        OrderStamps { start: Vec::with_capacity(n), end: Vec::with_capacity(n) }
    }

    /// Handles `events` (indexes from `first_index`), stamping around each order request.
    fn replay(
        &mut self,
        engine: &mut Engine,
        first_index: u64,
        events: &[EventRecord],
        reports: &mut Vec<ReportRecord>,
    ) {
        for (i, ev) in events.iter().enumerate() {
            let index = first_index + i as u64;
            if ev.is_request() {
                self.start.push(monotonic_ns());
                engine.handle(index, ev, reports);
                self.end.push(monotonic_ns());
            } else {
                engine.handle(index, ev, reports);
            }
        }
    }
}

#[pymethods]
impl PyDetachedEngine {
    /// `DetachedEngine(meta_json, expected_orders=0)`: `expected_orders` sizes the order
    /// store up front, as `Engine` does.
    #[new]
    #[pyo3(signature = (meta_json, expected_orders = 0))]
    fn new(meta_json: &str, expected_orders: usize) -> PyResult<Self> {
        let mut engine = session_engine(meta_json)?;
        engine.reserve_orders(expected_orders);
        Ok(PyDetachedEngine {
            engine,
            reports: Vec::with_capacity(2 * expected_orders),
            stamps: OrderStamps::with_capacity(expected_orders),
        })
    }

    /// Handles one event given as its record fields (`EVENT_STRUCT` order) with the GIL
    /// released: the call pays one release and one re-acquisition of the GIL.
    #[allow(clippy::too_many_arguments)]
    fn on_event(
        &mut self,
        py: Python<'_>,
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
        let (engine, reports) = (&mut self.engine, &mut self.reports);
        py.detach(|| engine.handle(index, &ev, reports));
        Ok(())
    }

    /// Handles a batch of event records (a uint8 view of an `EVENT_DTYPE` array) with the
    /// GIL released once for the whole batch, event indexes from `first_index`; stamps each
    /// order request's handling (`order_stamps`).
    #[pyo3(signature = (records, first_index = 0))]
    fn replay_batch(
        &mut self,
        py: Python<'_>,
        records: PyReadonlyArray1<'_, u8>,
        first_index: u64,
    ) -> PyResult<()> {
        let evs = events(&records)?;
        let (engine, reports, stamps) = (&mut self.engine, &mut self.reports, &mut self.stamps);
        py.detach(|| stamps.replay(engine, first_index, evs, reports));
        Ok(())
    }

    /// `(start, end)` stamps (uint64 ns of CLOCK_MONOTONIC) around each order request
    /// `replay_batch` handled so far.
    fn order_stamps<'py>(&self, py: Python<'py>) -> (Bound<'py, PyArray1<u64>>, Bound<'py, PyArray1<u64>>) {
        (u64s_to_numpy(py, self.stamps.start.clone()), u64s_to_numpy(py, self.stamps.end.clone()))
    }

    /// Number of reports so far.
    fn report_count(&self) -> usize {
        self.reports.len()
    }

    /// SHA-256 of the report stream so far.
    fn digest(&self) -> String {
        report_digest(&self.reports)
    }
}

/// What one Rust thread did: when it started and finished (after the common start), the
/// digest of each of its shards, and the start and end stamp of each order request's
/// handling, in the order handled.
#[derive(Debug)]
struct WorkerRun {
    started_ns: u64,
    finished_ns: u64,
    digests: Vec<String>,
    order_start: Vec<u64>,
    order_end: Vec<u64>,
}

/// Replays each shard through its own copy of `template` (a fresh engine), in order,
/// stamping around every order request; the clock starts when `start` opens.
fn replay_worker(template: &Engine, shards: &[&[EventRecord]], start: &Barrier) -> WorkerRun {
    let requests: usize = shards.iter().map(|s| s.iter().filter(|ev| ev.is_request()).count()).sum();
    // allocated before the common start: the timed loop only writes
    let mut stamps = OrderStamps::with_capacity(requests);
    let mut digests = Vec::with_capacity(shards.len());
    start.wait();
    let started_ns = monotonic_ns();
    for shard in shards {
        let mut engine = template.clone();
        let mut reports: Vec<ReportRecord> = Vec::with_capacity(shard.len() / 2 + 16);
        stamps.replay(&mut engine, 0, shard, &mut reports);
        digests.push(report_digest(&reports));
    }
    let finished_ns = monotonic_ns();
    WorkerRun { started_ns, finished_ns, digests, order_start: stamps.start, order_end: stamps.end }
}

/// Runs one `replay_worker` per element of `workers` on its own thread, all started
/// together; returns their runs in the same order.
fn replay_on_threads(template: &Engine, workers: &[Vec<&[EventRecord]>]) -> Vec<WorkerRun> {
    let start = Barrier::new(workers.len());
    thread::scope(|scope| {
        let handles: Vec<_> =
            workers.iter().map(|shards| scope.spawn(|| replay_worker(template, shards, &start))).collect();
        handles
            .into_iter()
            // a worker panics only on a bug in the engine; carry its panic to the caller
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    })
}

/// One worker's result as Python sees it.
type WorkerTuple<'py> = (u64, u64, Vec<String>, Bound<'py, PyArray1<u64>>, Bound<'py, PyArray1<u64>>);

/// `replay_threads(meta_json, workers)`: `workers[k]` is the list of shards (uint8 views
/// of `EVENT_DTYPE` arrays) worker `k` replays, each through a fresh engine, event indexes
/// starting at 0 per shard. One `std::thread` per worker, all started together, the GIL
/// released throughout. Returns per worker `(started_ns, finished_ns, digests,
/// order_start, order_end)`: the shards' report digests in the order given and the stamps
/// around every order request's handling.
///
/// # Errors
/// `FormatError` for a buffer that is not whole event records; `MetadataError` for
/// unusable metadata.
#[pyfunction]
pub fn replay_threads<'py>(
    py: Python<'py>,
    meta_json: &str,
    workers: Vec<Vec<PyReadonlyArray1<'py, u8>>>,
) -> PyResult<Vec<WorkerTuple<'py>>> {
    let template = session_engine(meta_json)?;
    let views = workers
        .iter()
        .map(|shards| shards.iter().map(events).collect::<PyResult<Vec<_>>>())
        .collect::<PyResult<Vec<_>>>()?;
    let runs = py.detach(|| replay_on_threads(&template, &views));
    Ok(runs
        .into_iter()
        .map(|r| {
            (
                r.started_ns,
                r.finished_ns,
                r.digests,
                u64s_to_numpy(py, r.order_start),
                u64s_to_numpy(py, r.order_end),
            )
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotpath_core::format::ScenarioMeta;
    use hotpath_core::format::{AccountLimits, AccountMeta, InstrumentMeta, VenueMeta};

    fn meta() -> ScenarioMeta {
        ScenarioMeta {
            schema: 1,
            name: "gil".into(),
            instruments: vec![InstrumentMeta {
                id: 0,
                symbol: "X".into(),
                tick_size: 1,
                lot_size: 1,
                max_order_qty: 100,
                max_price: 1000,
                band_bps: 5000,
            }],
            venues: vec![VenueMeta { id: 0, name: "v".into() }],
            accounts: (0..2)
                .map(|id| AccountMeta {
                    id,
                    name: format!("a{id}"),
                    limits: AccountLimits {
                        max_order_notional: 1_000_000,
                        max_gross_notional: 1_000_000,
                        max_position: vec![100],
                        rate_limit_count: 100,
                        rate_limit_window_ns: 1000,
                        max_open_orders: 10,
                        max_loss: 1000,
                    },
                })
                .collect(),
        }
    }

    /// Market data both ways, then a few requests of `account`.
    fn shard(account: u16) -> Vec<EventRecord> {
        let md = |ts, side, price| EventRecord { ts, price, qty: 10, kind: 1, side, ..Default::default() };
        let new = |ts, id, price| EventRecord {
            ts,
            id,
            price,
            qty: 2,
            account,
            kind: 3,
            side: 1,
            order_type: 1,
            ..Default::default()
        };
        vec![md(1, 1, 99), md(2, 2, 101), new(3, 1, 100), new(4, 2, 101), new(5, 3, 5000)]
    }

    #[test]
    fn threads_give_each_shard_the_digest_of_a_plain_replay_and_stamp_every_request() {
        let engine = Engine::new(&meta()).expect("valid metadata");
        let (a, b) = (shard(0), shard(1));
        let plain = |evs: &[EventRecord]| {
            let mut out = Vec::new();
            engine.clone().replay(evs, &mut out);
            report_digest(&out)
        };
        let runs = replay_on_threads(&engine, &[vec![&a[..], &b[..]], vec![&b[..]]]);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].digests, vec![plain(&a), plain(&b)]);
        assert_eq!(runs[1].digests, vec![plain(&b)]);
        assert_ne!(plain(&a), plain(&b), "the two shards must differ for the test to mean anything");
        assert_eq!(runs[0].order_start.len(), 6);
        assert_eq!(runs[1].order_end.len(), 3);
        for r in &runs {
            assert!(r.started_ns <= r.finished_ns);
            for (s, e) in r.order_start.iter().zip(&r.order_end) {
                assert!(r.started_ns <= *s && s <= e && *e <= r.finished_ns);
            }
        }
    }
}
