//! The hot path's side of the drop-copy where no report log is kept (a gateway session, and
//! [`crate::publish`]): a report sink that copies each report into a
//! bounded single-producer ring and returns. No lock, no allocation, no system call: one
//! 64-byte copy and the ring's atomic store.
//!
//! When the ring is full the feed stops handing reports over for the rest of the pass
//! (sticky overflow) and only counts them: what the publisher receives stays a gap-free
//! prefix of the stream, and the rest is published from the engine's own report log when
//! the pass finishes ([`crate::Publisher::finish`]).

use std::time::{Duration, Instant};

use hotpath_core::engine::ReportSink;
use hotpath_core::format::ReportRecord;
use rtrb::Producer;

/// The engine's report sink for a drop-copy pass; made by [`crate::start`].
pub struct ReportFeed {
    ring: Producer<ReportRecord>,
    produced: u64,
    overflowed: u64,
}

impl ReportFeed {
    pub(crate) fn new(ring: Producer<ReportRecord>) -> ReportFeed {
        ReportFeed { ring, produced: 0, overflowed: 0 }
    }

    /// Reports emitted into the feed so far, overflowed ones included.
    pub fn produced(&self) -> u64 {
        self.produced
    }

    /// Reports the ring had no room for (and every one after the first of them).
    pub fn overflowed(&self) -> u64 {
        self.overflowed
    }

    /// Hands a run of reports over at once (one atomic store for the lot), as a gateway
    /// does with the reports of one frame. Returns how many were handed over: the rest,
    /// `reports[handed..]`, overflowed.
    #[inline]
    pub fn emit_slice(&mut self, reports: &[ReportRecord]) -> usize {
        self.produced += reports.len() as u64;
        let handed = if self.overflowed == 0 { self.ring.push_partial_slice(reports).0.len() } else { 0 };
        self.overflowed += (reports.len() - handed) as u64;
        handed
    }

    /// Hands every report over, waiting for room instead of overflowing: for publishing
    /// a finished stream ([`crate::publish`]), never for a hot path. If the publisher makes
    /// no room for `stall` (Redis away, its outbox full), the rest overflows, to be
    /// published from the stream itself when the pass finishes.
    pub(crate) fn emit_waiting(&mut self, mut reports: &[ReportRecord], poll: Duration, stall: Duration) {
        let mut progress = Instant::now();
        while !reports.is_empty() {
            let (pushed, rest) = self.ring.push_partial_slice(reports);
            self.produced += pushed.len() as u64;
            reports = rest;
            if !pushed.is_empty() {
                progress = Instant::now();
            } else if progress.elapsed() >= stall || self.ring.is_abandoned() {
                self.emit_slice(rest);
                return;
            }
            if !rest.is_empty() {
                std::thread::sleep(poll);
            }
        }
    }

    #[cold]
    #[inline(never)]
    fn overflow(&mut self) {
        self.overflowed += 1;
    }
}

impl ReportSink for ReportFeed {
    #[inline]
    fn emit(&mut self, report: ReportRecord) {
        self.produced += 1;
        if self.overflowed != 0 || self.ring.push(report).is_err() {
            self.overflow();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rtrb::RingBuffer;

    fn report(seq: u64) -> ReportRecord {
        ReportRecord { seq, ..Default::default() }
    }

    #[test]
    fn a_full_ring_overflows_for_the_rest_of_the_pass() {
        let (producer, mut consumer) = RingBuffer::new(2);
        let mut feed = ReportFeed::new(producer);
        for seq in 1..=3 {
            feed.emit(report(seq));
        }
        assert_eq!((feed.produced(), feed.overflowed()), (3, 1));
        // room again, but the stream handed over must stay a prefix
        assert_eq!(consumer.pop().map(|r| r.seq), Ok(1));
        feed.emit(report(4));
        assert_eq!(feed.emit_slice(&[report(5)]), 0);
        assert_eq!((feed.produced(), feed.overflowed()), (5, 3));
        assert_eq!(consumer.pop().map(|r| r.seq), Ok(2));
        assert!(consumer.pop().is_err());
    }

    #[test]
    fn a_slice_is_handed_over_as_far_as_there_is_room() {
        let (producer, mut consumer) = RingBuffer::new(4);
        let mut feed = ReportFeed::new(producer);
        let reports: Vec<ReportRecord> = (1..=6).map(report).collect();
        assert_eq!(feed.emit_slice(&reports[..3]), 3);
        assert_eq!(feed.emit_slice(&reports[3..]), 1);
        assert_eq!((feed.produced(), feed.overflowed()), (6, 2));
        let got: Vec<u64> = std::iter::from_fn(|| consumer.pop().ok()).map(|r| r.seq).collect();
        assert_eq!(got, [1, 2, 3, 4]);
    }

    #[test]
    fn waiting_for_room_gives_up_after_a_stall_and_overflows_the_rest() {
        let (producer, mut consumer) = RingBuffer::new(2);
        let mut feed = ReportFeed::new(producer);
        let reports: Vec<ReportRecord> = (1..=5).map(report).collect();
        let waiting = std::time::Instant::now();
        feed.emit_waiting(&reports, Duration::from_millis(1), Duration::from_millis(30));
        assert!(waiting.elapsed() >= Duration::from_millis(30));
        assert_eq!((feed.produced(), feed.overflowed()), (5, 3));
        assert_eq!(consumer.pop().map(|r| r.seq), Ok(1));
    }
}
