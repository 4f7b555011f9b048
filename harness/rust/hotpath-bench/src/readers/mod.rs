//! The contention experiment (`docs/readers.md`): the engine replays a scenario on one
//! thread, timed per event by the native loop, and publishes its top of book to a board
//! after each event that changed it, while R reader threads poll every instrument's top
//! of book in a loop. One pass per (board, readers): the engine's per-event latency with
//! and without readers, each reader's read latency, how stale its reads were, and the
//! memory the board's snapshots took.

mod reader;
mod stale;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};

use hotpath_board::{Board, BoardKind, BookPublisher, EpochBoard, MutexBoard, SnapshotMemory};
use hotpath_core::digest::report_digest;
use hotpath_core::engine::{Engine, ReportSink, StageProbe};
use hotpath_core::format::{order_capacity, EventRecord, ScenarioMeta};
use hotpath_core::resident::resident_zeroed;

use crate::error::BenchError;
use crate::native::{run, NativeRun, Pipeline};
use crate::pacing::Pace;
use crate::recorder::{summarize_gaps, Summary};

pub use reader::ReaderFigures;

/// One pass of the experiment: which board (none: the engine alone, publishing nothing)
/// and how many readers poll it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pass {
    /// The board the engine publishes to; `None` is the baseline that publishes nothing.
    pub board: Option<BoardKind>,
    /// Reader threads (0 without a board).
    pub readers: usize,
}

/// What one pass measured.
#[derive(Debug)]
pub struct PassRun {
    /// The pass.
    pub pass: Pass,
    /// Per-event service time of the engine thread (end − start stamp of each event:
    /// the engine plus, with a board, reading and publishing its top of book).
    pub engine: Summary,
    /// Order requests: completion − intended dispatch (queueing included under a pace).
    pub engine_e2e: Summary,
    /// Events handled and the engine thread's wall time for them (first start to last end).
    pub events: u64,
    /// See [`events`](Self::events).
    pub engine_wall_ns: u64,
    /// Publications made (0 without a board).
    pub publications: u64,
    /// The board's snapshot memory at the end of the pass (before the board is dropped).
    pub memory: SnapshotMemory,
    /// One entry per reader thread.
    pub readers: Vec<ReaderFigures>,
    /// SHA-256 of the engine's report stream: the same in every pass, since publishing
    /// never changes what the engine does.
    pub digest: String,
}

/// Newest publication per instrument as `index + 1` (0: none yet), which readers compare
/// with the seq of what they read to tell a stale read.
pub(crate) struct Heads(Box<[AtomicU64]>);

impl Heads {
    fn new(instruments: usize) -> Self {
        Heads((0..instruments).map(|_| AtomicU64::new(0)).collect())
    }

    /// The newest publication's event index of `instrument`, if any.
    #[inline]
    pub(crate) fn newest(&self, instrument: usize) -> Option<u64> {
        // Acquire pairs with the writer's Release: a head seen here was published before.
        self.0[instrument].load(Ordering::Acquire).checked_sub(1)
    }
}

/// The engine with its driver's publisher: what the native loop times per event.
struct Publishing<'a, B: Board> {
    engine: Engine,
    publisher: BookPublisher<B::Writer>,
    heads: &'a Heads,
    /// 1 at the index of every event that published.
    published: &'a mut [u64],
}

impl<B: Board> Pipeline for Publishing<'_, B> {
    #[inline]
    fn on_event<S: ReportSink, P: StageProbe>(
        &mut self,
        index: u64,
        ev: &EventRecord,
        sink: &mut S,
        probe: &mut P,
    ) {
        self.engine.on_event(index, ev, sink, probe);
        if self.publisher.after_event(&self.engine, index, ev).is_some() {
            self.heads.0[usize::from(ev.instrument)].store(index + 1, Ordering::Release);
            self.published[index as usize] = 1;
        }
    }
}

/// Runs one pass of `events` through a fresh engine for `meta` under `pace`.
///
/// # Errors
/// [`BenchError::Experiment`] for readers without a board; [`BenchError::Histogram`]
/// if a histogram cannot be made.
pub fn run_pass(
    meta: &ScenarioMeta,
    engine: &Engine,
    events: &[EventRecord],
    pace: Pace,
    pass: Pass,
) -> Result<PassRun, BenchError> {
    let mut engine = engine.clone();
    engine.reserve_orders(order_capacity(events));
    match pass.board {
        None if pass.readers > 0 => {
            Err(BenchError::Experiment(format!("{} readers need a board to read", pass.readers)))
        }
        None => {
            let r = run(&mut engine, events, pace, false, None)?;
            finish(pass, events, &r, 0, SnapshotMemory::default(), Vec::new())
        }
        Some(BoardKind::Epoch) => run_with_board::<EpochBoard>(meta, engine, events, pace, pass),
        Some(BoardKind::Mutex) => run_with_board::<MutexBoard>(meta, engine, events, pace, pass),
    }
}

fn run_with_board<B: Board>(
    meta: &ScenarioMeta,
    engine: Engine,
    events: &[EventRecord],
    pace: Pace,
    pass: Pass,
) -> Result<PassRun, BenchError> {
    let instruments = meta.instruments.len();
    let board = Arc::new(B::new(instruments));
    let heads = Heads::new(instruments);
    // touched before the pass, so marking a publication never page-faults inside it
    let mut published: Vec<u64> = resident_zeroed(events.len());
    let done = AtomicBool::new(false);
    let start = Barrier::new(pass.readers + 1);
    let (engine_run, publications, reader_runs) = std::thread::scope(|scope| {
        let handles: Vec<_> =
            (0..pass.readers).map(|_| scope.spawn(|| reader::poll(&board, &heads, &done, &start))).collect();
        let mut pipeline = Publishing::<B> {
            publisher: BookPublisher::new(B::writer(&board), meta),
            engine,
            heads: &heads,
            published: &mut published,
        };
        start.wait();
        let engine_run = run(&mut pipeline, events, pace, false, None);
        done.store(true, Ordering::Release);
        let reader_runs: Vec<_> = handles
            .into_iter()
            // a reader panics only on a bug; carry its panic to the caller
            .map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect();
        (engine_run, pipeline.publisher.published(), reader_runs)
    });
    let engine_run = engine_run?;
    let memory = board.memory();
    let publications_by_instrument = stale::publications_by_instrument(events, &published, instruments);
    let readers = reader_runs
        .into_iter()
        .map(|r| r?.figures(&publications_by_instrument, &engine_run.times.end))
        .collect::<Result<Vec<_>, _>>()?;
    finish(pass, events, &engine_run, publications, memory, readers)
}

fn finish(
    pass: Pass,
    events: &[EventRecord],
    r: &NativeRun,
    publications: u64,
    memory: SnapshotMemory,
    readers: Vec<ReaderFigures>,
) -> Result<PassRun, BenchError> {
    let t = &r.times;
    let first = t.start.first().copied().unwrap_or(0);
    let last = t.end.last().copied().unwrap_or(0);
    Ok(PassRun {
        pass,
        engine: summarize_gaps(&t.end, &t.start)?,
        engine_e2e: crate::recorder::summarize(&r.live_e2e),
        events: events.len() as u64,
        engine_wall_ns: last.saturating_sub(first),
        publications,
        memory,
        readers,
        digest: report_digest(&r.reports),
    })
}

#[cfg(test)]
mod tests;
