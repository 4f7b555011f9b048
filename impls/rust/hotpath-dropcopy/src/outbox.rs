//! What the publisher holds between taking reports and Redis confirming them, and the
//! exactly-once bookkeeping around it. No I/O here: the publisher plans a pipeline, sends
//! it, and settles the replies; on every (re)connection it resumes from the streams' tops.
//!
//! Invariants: reports are taken in seq order without gap (the fold needs every one);
//! `reports` holds the taken reports not known to be on the server, contiguous, oldest
//! first; a report counts as published once Redis acknowledged its entry, refused it as a
//! duplicate, or already held it when a connection was made.

use std::collections::VecDeque;

use hotpath_core::format::ReportRecord;

use crate::error::DropCopyError;
use crate::layout::{encode_positions_entry, encode_reports_entry, StreamKeys};
use crate::positions::{Cadence, PositionBook};
use crate::resp::Reply;

/// The error Redis answers an `XADD` whose explicit ID is not above the stream's last.
const DUPLICATE: &str = "equal or smaller than the target stream top item";

/// Where a taken report came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The ring, during the pass.
    Live,
    /// The engine's report log, after the pass (what overflowed the ring).
    Backfill,
}

/// One command of a planned pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Item {
    /// A `P:reports` entry of `count` reports from seq `first`.
    Entry { first: u64, count: usize },
    /// A `P:positions` entry as of this seq.
    Snapshot { as_of: u64 },
}

/// A pipeline ready to send: the encoded commands and what each one is.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    pub commands: Vec<u8>,
    pub items: Vec<Item>,
}

/// Counts the stats are made of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub published_live: u64,
    pub backfilled: u64,
    pub entries: u64,
    pub snapshots: u64,
    pub refused_duplicates: u64,
    pub lost_on_server: u64,
}

/// The reports and snapshots not yet on the server, and what became of the rest.
pub(crate) struct Outbox {
    keys: StreamKeys,
    batch: usize,
    cap: usize,
    cadence: Cadence,
    book: PositionBook,
    reports: VecDeque<ReportRecord>,
    snapshots: VecDeque<(u64, Vec<u8>)>,
    /// Seq of the last report taken (folded).
    taken_through: u64,
    /// Reports up to this seq are on the server (or were, before it lost them).
    written_through: u64,
    /// The same for snapshots, by `as_of`.
    snapshots_through: u64,
    /// First seq taken from the backfill (`u64::MAX` while none was).
    backfill_from: u64,
    closed: bool,
    /// Seq ranges `(after, through]` the server acknowledged and then no longer held,
    /// merged, so a second loss of the same reports is not counted twice.
    lost: Vec<(u64, u64)>,
    scratch: Vec<ReportRecord>,
    pub counts: Counts,
    /// The first thing that went wrong other than a connection (a refused command).
    pub fault: Option<String>,
}

impl Outbox {
    pub fn new(keys: StreamKeys, batch: usize, cap: usize, every: u64) -> Outbox {
        Outbox {
            keys,
            batch: batch.max(1),
            cap,
            cadence: Cadence::new(every),
            book: PositionBook::default(),
            reports: VecDeque::new(),
            snapshots: VecDeque::new(),
            taken_through: 0,
            written_through: 0,
            snapshots_through: 0,
            backfill_from: u64::MAX,
            closed: false,
            lost: Vec::new(),
            scratch: Vec::with_capacity(batch),
            counts: Counts::default(),
            fault: None,
        }
    }

    /// The stream keys written.
    pub fn keys(&self) -> &StreamKeys {
        &self.keys
    }

    /// How many more reports may be taken before the cap.
    pub fn room(&self) -> usize {
        self.cap.saturating_sub(self.reports.len())
    }

    /// Reports taken and not yet known to be on the server.
    pub fn unconfirmed(&self) -> usize {
        self.reports.len()
    }

    /// Seq of the last report taken.
    pub fn taken_through(&self) -> u64 {
        self.taken_through
    }

    /// Whether anything waits to be written.
    pub fn pending(&self) -> bool {
        !self.reports.is_empty() || !self.snapshots.is_empty()
    }

    /// Whether the pass was closed (its end snapshot queued).
    pub fn closed(&self) -> bool {
        self.closed
    }

    /// Takes the next report of the stream: folds it, queues it unless the server already
    /// holds it, and queues a snapshot after it when one is due.
    ///
    /// # Errors
    /// [`DropCopyError::Sequence`] if its seq is not the one after the last taken.
    pub fn take(&mut self, r: &ReportRecord, origin: Origin) -> Result<(), DropCopyError> {
        let expected = self.taken_through + 1;
        if r.seq != expected {
            return Err(DropCopyError::Sequence { expected, got: r.seq });
        }
        if origin == Origin::Backfill && self.backfill_from == u64::MAX {
            self.backfill_from = r.seq;
        }
        self.book.fold(r);
        self.taken_through = r.seq;
        if r.seq <= self.written_through {
            self.count_published(r.seq, 1);
        } else {
            self.reports.push_back(*r);
        }
        if self.cadence.after(r.seq) {
            self.queue_snapshot(r.seq);
        }
        Ok(())
    }

    /// Ends the pass: queues the end snapshot if one is due. Idempotent.
    pub fn close(&mut self) {
        if !self.closed {
            self.closed = true;
            if self.cadence.at_end(self.taken_through) {
                self.queue_snapshot(self.taken_through);
            }
        }
    }

    fn queue_snapshot(&mut self, as_of: u64) {
        if as_of > self.snapshots_through {
            self.snapshots.push_back((as_of, self.book.snapshot_bytes()));
        }
    }

    /// On a (re)connection: the newest seq of each stream on the server. What the server
    /// holds is not sent again; what it acknowledged and no longer holds is counted lost.
    pub fn resume(&mut self, reports_top: u64, positions_top: u64) {
        if reports_top < self.written_through {
            self.note_lost(reports_top, self.written_through);
        } else if reports_top > self.written_through {
            while self.reports.front().is_some_and(|r| r.seq <= reports_top) {
                if let Some(r) = self.reports.pop_front() {
                    self.count_published(r.seq, 1);
                }
            }
            self.written_through = reports_top;
        }
        while self.snapshots.front().is_some_and(|(as_of, _)| *as_of <= positions_top) {
            self.snapshots.pop_front();
        }
        self.snapshots_through = self.snapshots_through.max(positions_top);
    }

    fn note_lost(&mut self, after: u64, through: u64) {
        let overlap: u64 = self.lost.iter().map(|&(a, b)| through.min(b).saturating_sub(after.max(a))).sum();
        self.counts.lost_on_server += (through - after) - overlap;
        self.lost.push((after, through));
        self.lost.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::with_capacity(self.lost.len());
        for &(a, b) in &self.lost {
            match merged.last_mut() {
                Some(last) if a <= last.1 => last.1 = last.1.max(b),
                _ => merged.push((a, b)),
            }
        }
        self.lost = merged;
    }

    fn count_published(&mut self, first: u64, n: u64) {
        let live = self.backfill_from.saturating_sub(first).min(n);
        self.counts.published_live += live;
        self.counts.backfilled += n - live;
    }

    /// The next pipeline: up to `max_entries` report entries of at most `batch` reports,
    /// each followed by the snapshots it completes; snapshots whose reports are already
    /// on the server go first.
    pub fn plan(&mut self, max_entries: usize) -> Plan {
        let mut plan = Plan::default();
        let mut snaps = 0;
        self.plan_snapshots(&mut plan, self.written_through, &mut snaps);
        let mut at = 0;
        while at < self.reports.len() && plan.items.len() < max_entries {
            let n = self.batch.min(self.reports.len() - at);
            let mut scratch = std::mem::take(&mut self.scratch);
            scratch.clear();
            scratch.extend(self.reports.range(at..at + n));
            encode_reports_entry(&mut plan.commands, &self.keys.reports, &scratch);
            let (first, last) = (scratch[0].seq, scratch[n - 1].seq);
            self.scratch = scratch;
            plan.items.push(Item::Entry { first, count: n });
            self.plan_snapshots(&mut plan, last, &mut snaps);
            at += n;
        }
        if at == self.reports.len() {
            self.plan_snapshots(&mut plan, u64::MAX, &mut snaps);
        }
        plan
    }

    /// Adds the queued snapshots from index `*next` on whose `as_of` is at most `through`.
    fn plan_snapshots(&self, plan: &mut Plan, through: u64, next: &mut usize) {
        while let Some((as_of, bytes)) = self.snapshots.get(*next).filter(|(a, _)| *a <= through) {
            encode_positions_entry(&mut plan.commands, &self.keys.positions, *as_of, bytes);
            plan.items.push(Item::Snapshot { as_of: *as_of });
            *next += 1;
        }
    }

    /// Applies the replies to a sent plan, in order. An entry refused for another reason
    /// than a duplicate stays queued (and `Ok(true)` asks the caller to back off before
    /// retrying); if a later entry of the same stream was written, the refused one can no
    /// longer be (IDs only grow) and is dropped, its reports left unpublished.
    ///
    /// # Errors
    /// A message for a reply that is not an answer to `XADD`; the caller drops the
    /// connection and resumes from the server's tops.
    pub fn settle(&mut self, items: &[Item], replies: Vec<Reply>) -> Result<bool, String> {
        let mut failed_entries: Vec<usize> = Vec::new();
        let mut failed_snapshots = 0usize;
        let mut refused = false;
        for (item, reply) in items.iter().zip(replies) {
            let outcome = match reply {
                Reply::Bulk(Some(_)) => Ok(true),
                Reply::Error(e) if e.contains(DUPLICATE) => Ok(false),
                Reply::Error(e) => Err(e),
                other => return Err(format!("XADD answered {other:?}")),
            };
            match (item, outcome) {
                (Item::Entry { first, count }, Ok(written)) => {
                    for n in failed_entries.drain(..) {
                        self.reports.drain(..n);
                    }
                    self.reports.drain(..*count);
                    let last = first + *count as u64 - 1;
                    self.written_through = self.written_through.max(last);
                    self.count_published(*first, *count as u64);
                    self.count_write(written, true);
                }
                (Item::Snapshot { as_of }, Ok(written)) => {
                    self.snapshots.drain(..failed_snapshots + 1);
                    failed_snapshots = 0;
                    self.snapshots_through = self.snapshots_through.max(*as_of);
                    self.count_write(written, false);
                }
                (item, Err(message)) => {
                    refused = true;
                    let key = match item {
                        Item::Entry { count, .. } => {
                            failed_entries.push(*count);
                            &self.keys.reports
                        }
                        Item::Snapshot { .. } => {
                            failed_snapshots += 1;
                            &self.keys.positions
                        }
                    };
                    self.fault.get_or_insert_with(|| format!("XADD {key} refused: {message}"));
                }
            }
        }
        Ok(refused)
    }

    fn count_write(&mut self, written: bool, entry: bool) {
        match (written, entry) {
            (false, _) => self.counts.refused_duplicates += 1,
            (true, true) => self.counts.entries += 1,
            (true, false) => self.counts.snapshots += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotpath_core::format::ReportKind;

    fn fill(seq: u64) -> ReportRecord {
        ReportRecord { seq, kind: ReportKind::Fill as u8, side: 1, qty: 1, ..Default::default() }
    }

    fn outbox(batch: usize, every: u64) -> Outbox {
        Outbox::new(StreamKeys::new("p"), batch, 100, every)
    }

    fn take(o: &mut Outbox, seqs: std::ops::RangeInclusive<u64>, origin: Origin) {
        for s in seqs {
            o.take(&fill(s), origin).expect("in order");
        }
    }

    fn ok() -> Reply {
        Reply::Bulk(Some(b"x-0".to_vec()))
    }

    fn dup() -> Reply {
        Reply::Error(format!("ERR The ID specified in XADD is {DUPLICATE}"))
    }

    #[test]
    fn a_plan_cuts_entries_and_places_each_snapshot_after_its_entry() {
        let mut o = outbox(4, 3);
        take(&mut o, 1..=10, Origin::Live);
        o.close();
        let plan = o.plan(64);
        use Item::*;
        assert_eq!(
            plan.items,
            [
                Entry { first: 1, count: 4 },
                Snapshot { as_of: 3 },
                Entry { first: 5, count: 4 },
                Snapshot { as_of: 6 },
                Entry { first: 9, count: 2 },
                Snapshot { as_of: 9 },
                Snapshot { as_of: 10 },
            ]
        );
        let replies = vec![ok(); plan.items.len()];
        assert_eq!(o.settle(&plan.items, replies), Ok(false));
        assert!(!o.pending());
        assert_eq!((o.counts.published_live, o.counts.entries, o.counts.snapshots), (10, 3, 4));
    }

    #[test]
    fn a_plan_is_limited_and_later_snapshots_wait_for_their_entries() {
        let mut o = outbox(2, 3);
        take(&mut o, 1..=6, Origin::Live);
        let plan = o.plan(2);
        assert_eq!(
            plan.items,
            [
                Item::Entry { first: 1, count: 2 },
                Item::Entry { first: 3, count: 2 },
                Item::Snapshot { as_of: 3 }
            ]
        );
    }

    #[test]
    fn taking_out_of_order_is_refused() {
        let mut o = outbox(2, 3);
        take(&mut o, 1..=2, Origin::Live);
        let err = o.take(&fill(4), Origin::Live).expect_err("gap");
        assert!(matches!(err, DropCopyError::Sequence { expected: 3, got: 4 }));
    }

    #[test]
    fn resume_skips_what_the_server_holds_and_counts_what_it_lost() {
        let mut o = outbox(4, 100);
        take(&mut o, 1..=8, Origin::Live);
        // written, acknowledgement lost with the connection
        o.resume(4, 0);
        assert_eq!((o.unconfirmed(), o.counts.published_live), (4, 4));
        let plan = o.plan(64);
        assert_eq!(plan.items, [Item::Entry { first: 5, count: 4 }]);
        o.settle(&plan.items, vec![ok()]).expect("settled");
        // the server restarted without persistence and kept only seqs 1..=2
        o.resume(2, 0);
        assert_eq!(o.counts.lost_on_server, 6);
        // the next entry follows our last, not the server's
        take(&mut o, 9..=9, Origin::Live);
        assert_eq!(o.plan(64).items, [Item::Entry { first: 9, count: 1 }]);
        o.settle(&[Item::Entry { first: 9, count: 1 }], vec![ok()]).expect("settled");
        // losing the same reports again is not counted twice
        o.resume(1, 0);
        assert_eq!(o.counts.lost_on_server, 6 + 1 + 1);
    }

    #[test]
    fn a_stream_already_ahead_counts_reports_as_published_as_they_come() {
        let mut o = outbox(4, 5);
        o.resume(6, 5);
        take(&mut o, 1..=7, Origin::Live);
        o.close();
        assert_eq!(o.counts.published_live, 6);
        assert_eq!(o.plan(64).items, [Item::Entry { first: 7, count: 1 }, Item::Snapshot { as_of: 7 }]);
    }

    #[test]
    fn duplicates_count_as_published_and_refusals_stay_queued_or_are_dropped() {
        let mut o = outbox(2, 100);
        take(&mut o, 1..=6, Origin::Live);
        let plan = o.plan(64);
        let refusal = Reply::Error("OOM command not allowed".into());
        // 1-2 duplicate, 3-4 refused, 5-6 refused: both stay queued
        assert_eq!(o.settle(&plan.items, vec![dup(), refusal.clone(), refusal.clone()]), Ok(true));
        assert_eq!((o.counts.refused_duplicates, o.counts.published_live, o.unconfirmed()), (1, 2, 4));
        assert!(o.fault.as_deref().is_some_and(|f| f.contains("OOM") && f.contains("p:reports")));
        // 3-4 refused again, 5-6 written: 3-4 can never be written now
        let plan = o.plan(64);
        assert_eq!(o.settle(&plan.items, vec![refusal, ok()]), Ok(true));
        assert_eq!((o.counts.published_live, o.unconfirmed(), o.pending()), (4, 0, false));
        assert!(o.settle(&[Item::Entry { first: 7, count: 1 }], vec![Reply::Integer(1)]).is_err());
    }

    #[test]
    fn backfilled_reports_are_counted_apart() {
        let mut o = outbox(4, 100);
        take(&mut o, 1..=3, Origin::Live);
        take(&mut o, 4..=6, Origin::Backfill);
        let plan = o.plan(64);
        o.settle(&plan.items, vec![ok(), ok()]).expect("settled");
        assert_eq!((o.counts.published_live, o.counts.backfilled), (3, 3));
    }

    #[test]
    fn room_is_the_cap_minus_what_is_unconfirmed() {
        let mut o = Outbox::new(StreamKeys::new("p"), 2, 5, 100);
        take(&mut o, 1..=3, Origin::Live);
        assert_eq!(o.room(), 2);
    }
}
