//! The publisher: a thread that drains the ring every `poll`, writes pipelined `XADD`s,
//! and rides out Redis restarts (buffer, back off, reconnect, resume); then, when the
//! pass finishes, the same work on the caller's thread until everything is confirmed or
//! the deadline passes, with what overflowed the ring published from the report log.
//!
//! Two sources of reports, the same publishing: a ring that a [`ReportFeed`] fills
//! ([`start`], [`Publisher::finish`]: the gateway, [`publish`]), or the engine's own
//! report log that the publisher reads behind it ([`start_with_log`],
//! [`start_with_log_in`], [`LogPublisher::finish`]: rust-native, and rust-ffi's engine
//! object; one write per report instead of two).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use hotpath_core::format::ReportRecord;
use rtrb::{Consumer, RingBuffer};

use crate::config::DropCopyConfig;
use crate::error::DropCopyError;
use crate::feed::ReportFeed;
use crate::layout::StreamKeys;
use crate::link::Link;
use crate::outbox::{Origin, Outbox};
use crate::shared_log::{report_log, report_log_in, LogReader, LogWriter};
use crate::stats::DropCopyStats;
use crate::url::RedisUrl;

/// Entries (and snapshots) per pipeline: 64 entries of 256 reports is 1 MiB per write.
const PIPELINE_ITEMS: usize = 64;

/// Starts a pass: connects (the first connection and its `PING` must succeed), reads
/// where the streams stand, and starts the publisher thread.
///
/// # Errors
/// [`DropCopyError::Url`] or [`DropCopyError::Config`] for settings it cannot use;
/// [`DropCopyError::Connection`] (naming the URL) if Redis cannot be reached;
/// [`DropCopyError::Server`] if a stream key holds something else.
pub fn start(config: DropCopyConfig) -> Result<(ReportFeed, Publisher), DropCopyError> {
    launch(config, |config| {
        let (producer, ring) = RingBuffer::new(config.ring_capacity);
        (ReportFeed::new(producer), Source::Ring(ring))
    })
}

/// Starts a pass whose publisher reads the engine's own report log: the [`LogWriter`]
/// is the engine's report sink *and* the pass's log (`capacity` slots allocated and made
/// resident here, before the pass; what goes past them is kept by the writer and
/// published at the end, like what overflows a ring). `config.ring_capacity` is not used.
/// [`LogPublisher::finish`] ends the pass and hands the log back as the pass's reports.
///
/// # Errors
/// As [`start`].
pub fn start_with_log(
    config: DropCopyConfig,
    capacity: usize,
) -> Result<(LogWriter, LogPublisher), DropCopyError> {
    launch_with_log(config, || report_log(capacity))
}

/// As [`start_with_log`], over the caller's own report vector instead of a new one: an
/// engine object that sized (and made resident) its log at start-up lends it to the pass
/// ([`report_log_in`]: its capacity is the log's). The vector is taken, leaving an empty
/// one in its place, only once Redis has answered: on an error before that (a bad
/// setting, no server) it is left where it was; should the thread then fail to start, it
/// goes with the error. [`LogPublisher::finish`] hands it back, filled, without a copy
/// unless something spilled past its capacity.
///
/// # Errors
/// As [`start`]; [`DropCopyError::Config`] (before connecting) if `reports` is not empty:
/// the pass's stream starts at seq 1.
pub fn start_with_log_in(
    config: DropCopyConfig,
    reports: &mut Vec<ReportRecord>,
) -> Result<(LogWriter, LogPublisher), DropCopyError> {
    if !reports.is_empty() {
        return Err(DropCopyError::Config {
            field: "reports",
            message: format!(
                "holds {} reports already: a pass's log starts empty (its stream starts at seq 1)",
                reports.len()
            ),
        });
    }
    launch_with_log(config, || report_log_in(std::mem::take(reports)))
}

/// [`launch`] with the log `make` returns (called once Redis has answered).
fn launch_with_log(
    config: DropCopyConfig,
    make: impl FnOnce() -> (LogWriter, LogReader),
) -> Result<(LogWriter, LogPublisher), DropCopyError> {
    let (writer, publisher) = launch(config, |_| {
        let (writer, reader) = make();
        (writer, Source::Log(reader))
    })?;
    let log = writer.id();
    Ok((writer, LogPublisher { inner: publisher, log }))
}

/// Connects, makes the hot path's half and the publisher's source with `split` (once
/// Redis answered), and starts the thread.
fn launch<H>(
    config: DropCopyConfig,
    split: impl FnOnce(&DropCopyConfig) -> (H, Source),
) -> Result<(H, Publisher), DropCopyError> {
    config.check()?;
    let target = RedisUrl::parse(&config.url)?;
    let keys = StreamKeys::new(&config.prefix);
    let mut outbox = Outbox::new(keys, config.batch, config.outbox_cap, config.snapshot_every);
    let link = Link::open(target, &mut outbox)?;
    let (hot_half, source) = split(&config);
    let worker = Worker { source, outbox, link, poll: config.poll, max_lag: 0, broken: false };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let idle = config.idle_priority;
    let handle = thread::Builder::new()
        .name("hotpath-dropcopy".into())
        .spawn(move || {
            if idle {
                crate::priority::yield_to_the_order_path();
            }
            worker.live(&flag)
        })
        .map_err(|e| {
            DropCopyError::connection(&config.url, format!("cannot start the publisher thread: {e}"))
        })?;
    Ok((hot_half, Publisher { stop, handle: Some(handle), config }))
}

/// Publishes a finished report stream (seqs 1 … n) as one pass and returns its figures:
/// the same publisher the live builds use, fed without ever overflowing.
///
/// # Errors
/// As [`start`]; [`DropCopyError::Sequence`] if `reports` is not gap-free from seq 1.
pub fn publish(config: DropCopyConfig, reports: &[ReportRecord]) -> Result<DropCopyStats, DropCopyError> {
    if let Some((r, expected)) = reports.iter().zip(1u64..).find(|(r, s)| r.seq != *s) {
        return Err(DropCopyError::Sequence { expected, got: r.seq });
    }
    let (poll, stall) = (config.poll, config.finish_timeout);
    let (mut feed, publisher) = start(config)?;
    feed.emit_waiting(reports, poll, stall);
    Ok(publisher.finish(feed, Some(reports)))
}

/// Checks that `url` is a usable Redis: connects, selects, `PING`s, disconnects.
///
/// # Errors
/// As [`start`] for the URL and the connection.
pub fn ping(url: &str) -> Result<(), DropCopyError> {
    crate::client::Connection::connect(url).map(drop)
}

/// The running publisher of one pass; [`Publisher::finish`] ends it.
pub struct Publisher {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<Worker>>,
    config: DropCopyConfig,
}

impl Publisher {
    /// The settings the pass was started with.
    pub fn config(&self) -> &DropCopyConfig {
        &self.config
    }

    /// Ends the pass: closes the feed, lets the publisher drain the ring, publishes what
    /// overflowed from `backfill` (the pass's reports in seq order: the whole report log,
    /// or any part of it that starts at or before the first report that overflowed), the
    /// end snapshot, and waits for Redis to confirm everything, for at most
    /// `finish_timeout`. What is not confirmed by then is counted `unpublished`.
    pub fn finish(mut self, feed: ReportFeed, backfill: Option<&[ReportRecord]>) -> DropCopyStats {
        let deadline = Instant::now() + self.config.finish_timeout;
        let (produced, overflowed) = (feed.produced(), feed.overflowed());
        // dropping the producer is the thread's signal to hand its work over
        drop(feed);
        let mut stats = match self.join() {
            Some(worker) => worker.finish(deadline, backfill, produced, self.config.finish_timeout),
            None => DropCopyStats::failed(produced, "the publisher thread panicked".into()),
        };
        stats.overflowed = overflowed;
        stats
    }

    /// Wakes the thread and takes its worker back (`None` if it panicked: then its
    /// worker, and whatever source it held, went with it).
    fn join(&mut self) -> Option<Worker> {
        let handle = self.handle.take()?;
        handle.thread().unpark();
        handle.join().ok()
    }
}

/// The running publisher of a pass that reads the engine's own log ([`start_with_log`]);
/// [`LogPublisher::finish`] ends it. Dropped without finishing, it stops its thread.
pub struct LogPublisher {
    inner: Publisher,
    /// The id of the log its thread reads.
    log: u64,
}

impl LogPublisher {
    /// The settings the pass was started with.
    pub fn config(&self) -> &DropCopyConfig {
        self.inner.config()
    }

    /// Ends the pass as [`Publisher::finish`] does: the thread stops, the publisher takes
    /// what it has not read of the log yet, publishes what went past the log's capacity
    /// from the writer's spill (`overflowed`), the end snapshot, and waits for Redis for
    /// at most `finish_timeout`. Then, its reader gone, the log becomes the pass's report
    /// vector, every report in seq order, without a copy.
    ///
    /// # Panics
    /// If `writer` is not the one [`start_with_log`] returned with this publisher.
    pub fn finish(mut self, writer: LogWriter) -> (DropCopyStats, Vec<ReportRecord>) {
        assert_eq!(writer.id(), self.log, "LogPublisher::finish was given another pass's log writer");
        let deadline = Instant::now() + self.inner.config.finish_timeout;
        let (produced, overflowed) = (writer.produced(), writer.overflowed());
        // the writer is done (it is ours now): the stop flag is the thread's signal
        self.inner.stop.store(true, Ordering::Relaxed);
        let mut stats = match self.inner.join() {
            Some(worker) => {
                worker.finish(deadline, Some(writer.spilled()), produced, self.inner.config.finish_timeout)
            }
            None => DropCopyStats::failed(produced, "the publisher thread panicked".into()),
        };
        stats.overflowed = overflowed;
        // the worker and its reader are gone (finished above, or unwound with the thread):
        // the log is handed over as it is, no copy
        (stats, writer.into_reports())
    }
}

impl Drop for Publisher {
    /// A publisher dropped without `finish` stops its thread (which then ends on its own).
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(handle) = &self.handle {
            handle.thread().unpark();
        }
    }
}

/// Where the publisher takes the pass's reports from while it runs.
enum Source {
    /// The SPSC ring a [`ReportFeed`] fills.
    Ring(Consumer<ReportRecord>),
    /// The engine's own log, read behind its writer.
    Log(LogReader),
}

impl Source {
    /// Reports handed over and not taken yet.
    fn waiting(&self) -> usize {
        match self {
            Source::Ring(ring) => ring.slots(),
            Source::Log(log) => log.unread(),
        }
    }

    /// Whether the hot path's half is gone: a ring tells; a log's pass ends by the stop
    /// flag, set by [`LogPublisher::finish`] once it holds the writer.
    fn abandoned(&self) -> bool {
        match self {
            Source::Ring(ring) => ring.is_abandoned(),
            Source::Log(_) => false,
        }
    }
}

/// The publishing side's state, owned by the thread during the pass and by `finish` after.
struct Worker {
    source: Source,
    outbox: Outbox,
    link: Link,
    poll: Duration,
    max_lag: u64,
    /// A report arrived out of order: nothing more is taken.
    broken: bool,
}

impl Worker {
    /// The thread: until the feed is dropped (or the publisher without finishing).
    fn live(mut self, stop: &AtomicBool) -> Worker {
        loop {
            // checked before draining, so that everything pushed before the feed was
            // dropped is drained, and finish takes over with a consistent ring
            let abandoned = self.source.abandoned();
            self.take_live();
            let lag = self.source.waiting() + self.outbox.unconfirmed();
            self.max_lag = self.max_lag.max(lag as u64);
            if abandoned || stop.load(Ordering::Relaxed) {
                return self;
            }
            if self.outbox.pending() && self.send() {
                continue;
            }
            let wake = if self.outbox.pending() { self.link.retry_at() } else { Instant::now() };
            // parked rather than asleep, so that `finish` can wake it at once
            thread::park_timeout(
                wake.saturating_duration_since(Instant::now()).clamp(self.poll, self.poll.max(BACKOFF_SLICE)),
            );
        }
    }

    /// Moves what the source holds into the outbox, as far as the outbox has room.
    fn take_live(&mut self) {
        let room = self.outbox.room();
        let result = match &mut self.source {
            Source::Ring(ring) => {
                let n = ring.slots().min(room);
                let Ok(chunk) = ring.read_chunk(n) else { return };
                if self.broken {
                    chunk.commit_all();
                    return;
                }
                let (a, b) = chunk.as_slices();
                let result = a.iter().chain(b).try_for_each(|r| self.outbox.take(r, Origin::Live));
                chunk.commit_all();
                result
            }
            Source::Log(log) => {
                // once broken, or after a report out of order, the rest is read and dropped
                let mut result = Ok(());
                let (outbox, broken) = (&mut self.outbox, self.broken);
                log.read(room, |r| {
                    if !broken && result.is_ok() {
                        result = outbox.take(r, Origin::Live);
                    }
                });
                result
            }
        };
        if let Err(e) = result {
            self.fail(&e);
        }
    }

    fn fail(&mut self, e: &DropCopyError) {
        self.broken = true;
        self.outbox.fault.get_or_insert_with(|| e.to_string());
    }

    /// Writes one pipeline if the link is ready; `true` if it was written.
    fn send(&mut self) -> bool {
        let Some(conn) = self.link.ready(&mut self.outbox) else { return false };
        let plan = self.outbox.plan(PIPELINE_ITEMS);
        if plan.items.is_empty() {
            return false;
        }
        match conn.pipeline(&plan.commands, plan.items.len()) {
            Ok(replies) => match self.outbox.settle(&plan.items, replies) {
                Ok(false) => {}
                Ok(true) => self.link.back_off(),
                Err(message) => {
                    let url = self.link.url().to_owned();
                    self.link.broke(&DropCopyError::protocol(&url, message));
                }
            },
            Err(e) => self.link.broke(&e),
        }
        true
    }

    /// After the pass: drain the ring, backfill, close, and write until everything is
    /// confirmed or `deadline` passes.
    fn finish(
        mut self,
        deadline: Instant,
        backfill: Option<&[ReportRecord]>,
        produced: u64,
        timeout: Duration,
    ) -> DropCopyStats {
        let mut log = LogCursor::Unstarted;
        loop {
            self.take_live();
            let drained = self.source.waiting() == 0;
            let behind = self.outbox.taken_through() < produced;
            if !self.broken && drained && behind {
                self.take_from_log(backfill, &mut log, produced);
            }
            let behind = self.outbox.taken_through() < produced;
            if drained && (self.broken || !behind || log == LogCursor::Exhausted) {
                self.outbox.close();
            }
            if (self.outbox.closed() && !self.outbox.pending()) || Instant::now() >= deadline {
                break;
            }
            self.link.limit_io(deadline);
            if !self.send() {
                let wake = self.link.retry_at().min(deadline);
                thread::sleep(wake.saturating_duration_since(Instant::now()).min(BACKOFF_SLICE));
            }
        }
        self.stats(produced, timeout)
    }

    /// Takes the next reports of the pass from the report log, as far as the outbox has
    /// room; the seqs the ring did not deliver must be there, in order.
    fn take_from_log(&mut self, log: Option<&[ReportRecord]>, cursor: &mut LogCursor, produced: u64) {
        let next = self.outbox.taken_through() + 1;
        let Some(log) = log else {
            let missing = produced + 1 - next;
            self.outbox.fault.get_or_insert_with(|| {
                format!(
                    "{missing} reports overflowed the ring and no report log was given to publish them from"
                )
            });
            *cursor = LogCursor::Exhausted;
            return;
        };
        let at = match *cursor {
            LogCursor::Unstarted => log.partition_point(|r| r.seq < next),
            LogCursor::At(at) => at,
            LogCursor::Exhausted => return,
        };
        if log.get(at).map(|r| r.seq) != Some(next) {
            self.outbox
                .fault
                .get_or_insert_with(|| format!("the report log has no report with seq {next} to backfill"));
            *cursor = LogCursor::Exhausted;
            return;
        }
        let n = ((produced + 1 - next) as usize).min(self.outbox.room()).min(log.len() - at);
        for r in &log[at..at + n] {
            if let Err(e) = self.outbox.take(r, Origin::Backfill) {
                self.fail(&e);
                *cursor = LogCursor::Exhausted;
                return;
            }
        }
        *cursor = LogCursor::At(at + n);
    }

    fn stats(self, produced: u64, timeout: Duration) -> DropCopyStats {
        let c = &self.outbox.counts;
        let published = c.published_live + c.backfilled;
        let unpublished = produced.saturating_sub(published);
        let error = self.outbox.fault.clone().or_else(|| {
            (unpublished > 0).then(|| {
                let cause = self.link.last_error.as_deref().unwrap_or("no confirmation");
                format!(
                    "{unpublished} reports not confirmed by {} within {:.1} s ({cause})",
                    self.link.url(),
                    timeout.as_secs_f64()
                )
            })
        });
        DropCopyStats {
            produced,
            published,
            published_live: c.published_live,
            backfilled: c.backfilled,
            entries: c.entries,
            snapshots: c.snapshots,
            reconnects: self.link.reconnects,
            refused_duplicates: c.refused_duplicates,
            lost_on_server: c.lost_on_server,
            unpublished,
            overflowed: 0,
            max_lag: self.max_lag,
            outage_s: self.link.outage_s(),
            error,
        }
    }
}

/// Where `finish` is in the report log it backfills from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LogCursor {
    /// Not looked at yet.
    Unstarted,
    /// The index of the next report to take.
    At(usize),
    /// It cannot give more (no log, or a seq missing from it).
    Exhausted,
}

/// Longest single sleep while waiting to retry, so a finishing pass is noticed promptly.
const BACKOFF_SLICE: Duration = Duration::from_millis(10);

#[cfg(test)]
mod tests {
    use hotpath_core::engine::ReportSink;
    use hotpath_core::resident::resident_reports;

    use super::*;
    use crate::test_server::RedisServer;

    fn report(seq: u64) -> ReportRecord {
        ReportRecord { seq, order_id: seq, qty: 1, price: 100, kind: 1, ..Default::default() }
    }

    #[test]
    fn a_pass_over_the_callers_vector_publishes_it_and_hands_the_same_vector_back() {
        let Some(server) = RedisServer::start(false) else { return };
        let mut reports = resident_reports(5000);
        let (base, room) = (reports.as_ptr(), reports.capacity());
        let (mut log, publisher) =
            start_with_log_in(DropCopyConfig::new(server.url(), "in:pass"), &mut reports).expect("start");
        assert_eq!((reports.capacity(), log.capacity()), (0, room), "lent to the pass, whole");
        for seq in 1..=3000 {
            log.emit(report(seq));
        }
        let (stats, pass) = publisher.finish(log);
        assert_eq!(stats.error, None, "{stats:?}");
        assert_eq!((stats.produced, stats.published, stats.overflowed), (3000, 3000, 0), "{stats:?}");
        assert_eq!((pass.as_ptr(), pass.capacity()), (base, room), "the caller's vector, no copy");
        assert!(pass.iter().zip(1..).all(|(r, seq)| *r == report(seq)) && pass.len() == 3000);
    }

    #[test]
    fn a_vector_that_holds_reports_is_refused_before_connecting() {
        // no server at all: the check comes first
        let mut reports = vec![report(1)];
        let Err(e) = start_with_log_in(DropCopyConfig::new("redis://127.0.0.1:1", "in:full"), &mut reports)
        else {
            panic!("a log that holds a report started a pass")
        };
        assert!(e.to_string().contains("reports holds 1 reports already"), "{e}");
        assert_eq!(reports, [report(1)], "left as it was");
    }

    #[test]
    fn with_no_server_the_vector_stays_with_the_caller() {
        let mut reports = resident_reports(100);
        let room = reports.capacity();
        let result = start_with_log_in(DropCopyConfig::new("redis://127.0.0.1:1", "in:none"), &mut reports);
        assert!(matches!(result, Err(DropCopyError::Connection { .. })), "{:?}", result.err());
        assert_eq!((reports.len(), reports.capacity()), (0, room), "not taken: Redis never answered");
    }
}
