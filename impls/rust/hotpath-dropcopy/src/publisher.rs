//! The publisher: a thread that drains the ring every `poll`, writes pipelined `XADD`s,
//! and rides out Redis restarts (buffer, back off, reconnect, resume); then, when the
//! pass finishes, the same work on the caller's thread until everything is confirmed or
//! the deadline passes, with what overflowed the ring published from the report log.

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
    config.check()?;
    let target = RedisUrl::parse(&config.url)?;
    let keys = StreamKeys::new(&config.prefix);
    let mut outbox = Outbox::new(keys, config.batch, config.outbox_cap, config.snapshot_every);
    let link = Link::open(target, &mut outbox)?;
    let (producer, ring) = RingBuffer::new(config.ring_capacity);
    let worker = Worker { ring, outbox, link, poll: config.poll, max_lag: 0, broken: false };
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
    Ok((ReportFeed::new(producer), Publisher { stop, handle: Some(handle), config }))
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
        let joined = self.handle.take().map(|handle| {
            handle.thread().unpark();
            handle.join()
        });
        let mut stats = match joined {
            Some(Ok(worker)) => worker.finish(deadline, backfill, produced, self.config.finish_timeout),
            _ => DropCopyStats::failed(produced, "the publisher thread panicked".into()),
        };
        stats.overflowed = overflowed;
        stats
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

/// The publishing side's state, owned by the thread during the pass and by `finish` after.
struct Worker {
    ring: Consumer<ReportRecord>,
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
            let abandoned = self.ring.is_abandoned();
            self.take_from_ring();
            let lag = self.ring.slots() + self.outbox.unconfirmed();
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

    /// Moves what the ring holds into the outbox, as far as the outbox has room.
    fn take_from_ring(&mut self) {
        let n = self.ring.slots().min(self.outbox.room());
        let Ok(chunk) = self.ring.read_chunk(n) else { return };
        if self.broken {
            chunk.commit_all();
            return;
        }
        let (a, b) = chunk.as_slices();
        let result = a.iter().chain(b).try_for_each(|r| self.outbox.take(r, Origin::Live));
        chunk.commit_all();
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
            self.take_from_ring();
            let behind = self.outbox.taken_through() < produced;
            if !self.broken && self.ring.is_empty() && behind {
                self.take_from_log(backfill, &mut log, produced);
            }
            let behind = self.outbox.taken_through() < produced;
            if self.ring.is_empty() && (self.broken || !behind || log == LogCursor::Exhausted) {
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
