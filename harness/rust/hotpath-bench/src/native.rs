//! The native driver: pacing, timing and the engine in one Rust loop over mapped records.
//!
//! This is the `rust-native` build's harness. Per event it does no more than the Python
//! driver does — wait until the event is due, stamp, call the pipeline, stamp, store — so
//! the two drivers' overheads are comparable (and each is measured with an empty pipeline).

use std::sync::atomic::{AtomicU64, Ordering};

use hdrhistogram::Histogram;
use hotpath_core::engine::{Engine, NoProbe, ReportSink, StageProbe};
use hotpath_core::format::{order_capacity, EventRecord, ReportRecord};
use hotpath_core::resident::resident_reports;
use hotpath_core::stamps::StampProbe;

use crate::clock::{monotonic_ns, wait_until, Spin};
use crate::error::BenchError;
use crate::pacing::Pace;
use crate::recorder::new_histogram;
use crate::timing::EventTimes;

/// Gaps up to twice this are busy-polled; longer ones sleep until this long before the event.
pub const SPIN_NS: u64 = 2_000_000;
/// The first event is due this long after the pass starts.
pub const LEAD_IN_NS: u64 = 5_000_000;
/// How often (in events) the progress counter is updated.
const PROGRESS_EVERY: usize = 1 << 14;

/// Something the native driver can feed events to.
pub trait Pipeline {
    /// Handles one event completely (all of its reports emitted before returning).
    fn on_event<S: ReportSink, P: StageProbe>(
        &mut self,
        index: u64,
        ev: &EventRecord,
        sink: &mut S,
        probe: &mut P,
    );
}

impl Pipeline for Engine {
    #[inline]
    fn on_event<S: ReportSink, P: StageProbe>(
        &mut self,
        index: u64,
        ev: &EventRecord,
        sink: &mut S,
        probe: &mut P,
    ) {
        Engine::on_event(self, index, ev, sink, probe);
    }
}

/// A pipeline that does nothing: what remains is the driver's own cost.
#[derive(Clone, Copy, Debug, Default)]
pub struct EmptyPipeline;

impl Pipeline for EmptyPipeline {
    #[inline]
    fn on_event<S: ReportSink, P: StageProbe>(&mut self, _: u64, ev: &EventRecord, _: &mut S, _: &mut P) {
        std::hint::black_box(ev);
    }
}

/// Progress of a native pass, readable from another thread while the pass runs.
#[derive(Debug, Default)]
pub struct Progress {
    /// Events handled so far.
    pub done: AtomicU64,
    /// Events in the pass.
    pub total: AtomicU64,
}

/// What a native pass leaves behind; `R` is the report log it wrote (a `Vec` unless the
/// caller gave [`run_into`] another one).
pub struct NativeRun<R = Vec<ReportRecord>> {
    /// Per-event stamps.
    pub times: EventTimes,
    /// Every report, in order.
    pub reports: R,
    /// When the pass started (first event due at `t0`).
    pub t0: u64,
    /// Time spent busy-polling for events to become due (the driver's, not the pipeline's),
    /// and how much of it the polling thread was descheduled.
    pub spin: Spin,
    /// End-to-end latency of order requests, recorded live inside the loop.
    pub live_e2e: Histogram<u64>,
}

impl<R> NativeRun<R> {
    /// The same pass with its report log turned into something else by `f` (the log a
    /// drop-copy publisher read, into the pass's vector once the publisher is done).
    pub fn map_reports<T>(self, f: impl FnOnce(R) -> T) -> NativeRun<T> {
        let NativeRun { times, reports, t0, spin, live_e2e } = self;
        NativeRun { times, reports: f(reports), t0, spin, live_e2e }
    }
}

/// Reports a pass over `events` events is given room for up front: generously, so that the
/// log neither grows nor page-faults during the pass.
pub fn report_capacity(events: usize) -> usize {
    events / 2 + 1024
}

/// Runs `events` through `pipeline` under `pace`, its reports into a vector of
/// [`report_capacity`] made resident before the pass.
///
/// # Errors
/// [`BenchError::Histogram`] only if the live histogram cannot be created.
pub fn run<P: Pipeline>(
    pipeline: &mut P,
    events: &[EventRecord],
    pace: Pace,
    stage_timing: bool,
    progress: Option<&Progress>,
) -> Result<NativeRun, BenchError> {
    // Reports are preallocated generously, and touched, so the vector neither grows nor
    // page-faults during the pass.
    let reports = resident_reports(report_capacity(events.len()));
    run_into(pipeline, events, pace, stage_timing, progress, reports)
}

/// [`run`] with the report log given: the pass's reports go to `reports` (the engine's
/// report sink, in order), which the result hands back. A log that a drop-copy publisher
/// reads behind the engine (`hotpath_dropcopy::LogWriter`) is one, so each report is
/// written once; it should be resident before the pass as [`run`]'s vector is.
///
/// # Errors
/// As [`run`].
pub fn run_into<P: Pipeline, R: ReportSink>(
    pipeline: &mut P,
    events: &[EventRecord],
    pace: Pace,
    stage_timing: bool,
    progress: Option<&Progress>,
    mut reports: R,
) -> Result<NativeRun<R>, BenchError> {
    let n = events.len();
    let mut times = EventTimes::with_len(n);
    let mut live_e2e = new_histogram()?;
    if let Some(p) = progress {
        p.total.store(n as u64, Ordering::Relaxed);
        p.done.store(0, Ordering::Relaxed);
    }
    let ts0 = events.first().map_or(0, |e| e.ts);
    let mut spin = Spin::default();
    let t0 = monotonic_ns() + LEAD_IN_NS;
    let EventTimes { intended, start, end, validated, risked, executed } = &mut times;
    for (i, ev) in events.iter().enumerate() {
        let due = match pace.offset_ns(i, ev.ts, ts0) {
            Some(offset) => {
                let due = t0 + offset;
                spin += wait_until(due, SPIN_NS);
                Some(due)
            }
            None => None,
        };
        let s = monotonic_ns();
        if stage_timing {
            let mut probe = StampProbe::new(validated, risked, executed, i);
            pipeline.on_event(i as u64, ev, &mut reports, &mut probe);
        } else {
            pipeline.on_event(i as u64, ev, &mut reports, &mut NoProbe);
        }
        let e = monotonic_ns();
        let due = due.unwrap_or(s);
        intended[i] = due;
        start[i] = s;
        end[i] = e;
        if ev.is_request() {
            live_e2e.saturating_record(e.saturating_sub(due));
        }
        if i % PROGRESS_EVERY == 0 {
            if let Some(p) = progress {
                p.done.store(i as u64, Ordering::Relaxed);
            }
        }
    }
    if let Some(p) = progress {
        p.done.store(n as u64, Ordering::Relaxed);
    }
    Ok(NativeRun { times, reports, t0, spin, live_e2e })
}

/// The whole stream through `engine` as fast as it goes: no pacing, no stamps. What
/// `hotpath run` and `shadow` need of the rust-native build (its reports, not its timing).
pub fn replay(engine: &mut Engine, events: &[EventRecord]) -> Vec<ReportRecord> {
    engine.reserve_orders(order_capacity(events));
    let mut reports = Vec::with_capacity(events.len() / 2 + 16);
    engine.replay(events, &mut reports);
    reports
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::recorder::{record, Metric};
    use hotpath_core::format::EventKind;
    use std::time::SystemTime;

    fn orders(n: usize, gap_ns: u64) -> Vec<EventRecord> {
        (0..n)
            .map(|i| EventRecord {
                ts: i as u64 * gap_ns,
                kind: EventKind::Cancel as u8,
                id: i as u64,
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn open_loop_dispatch_is_never_early_and_stamps_are_ordered() {
        let events = orders(200, 20_000);
        let run = run(&mut EmptyPipeline, &events, Pace::Recorded { speed: 1.0 }, false, None).expect("run");
        for i in 0..events.len() {
            let t = &run.times;
            assert_eq!(t.intended[i], run.t0 + i as u64 * 20_000);
            assert!(t.start[i] >= t.intended[i], "event {i} dispatched early");
            assert!(t.end[i] >= t.start[i]);
        }
        assert!(run.reports.is_empty());
    }

    #[test]
    fn live_histogram_equals_the_one_recorded_from_the_arrays() {
        let events = orders(500, 0);
        let progress = Progress::default();
        let r = run(&mut EmptyPipeline, &events, Pace::Rate { per_sec: 200_000.0 }, false, Some(&progress))
            .expect("run");
        assert_eq!(progress.done.load(Ordering::Relaxed), 500);
        let kinds: Vec<u8> = events.iter().map(|e| e.kind).collect();
        let rec = record(&kinds, r.times.view(), r.t0, 1_000_000_000, SystemTime::now()).expect("record");
        assert_eq!(rec.histogram(Metric::EndToEnd), &r.live_e2e);
    }

    /// One report per event, seq = index + 1.
    struct Echo;

    impl Pipeline for Echo {
        fn on_event<S: ReportSink, P: StageProbe>(
            &mut self,
            index: u64,
            _: &EventRecord,
            sink: &mut S,
            _: &mut P,
        ) {
            sink.emit(ReportRecord { seq: index + 1, ..Default::default() });
        }
    }

    #[test]
    fn the_reports_go_to_the_log_given_which_comes_back_with_the_pass() {
        let events = orders(300, 0);
        let r = run(&mut Echo, &events, Pace::Max, false, None).expect("run");
        assert!(r.reports.capacity() >= report_capacity(300), "the default log is presized");
        let given = run_into(&mut Echo, &events, Pace::Max, false, None, Vec::new()).expect("run_into");
        assert_eq!(given.reports, r.reports);
        assert_eq!(given.reports.iter().map(|x| x.seq).collect::<Vec<_>>(), (1..=300).collect::<Vec<_>>());
        let counted = given.map_reports(|reports| reports.len());
        assert_eq!((counted.reports, counted.times.start.len()), (300, 300));
    }

    #[test]
    fn closed_loop_intended_time_is_the_start() {
        let events = orders(50, 1_000_000_000);
        let r = run(&mut EmptyPipeline, &events, Pace::Max, false, None).expect("run");
        assert_eq!(r.times.intended, r.times.start);
        assert_eq!(r.spin, Spin::default());
    }
}
