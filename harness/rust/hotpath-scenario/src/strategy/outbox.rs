//! Requests and timed tasks the strategy has decided on but that have not happened yet.
//!
//! A decision made while handling a market event at `t` produces requests stamped
//! `t + reaction delay`; they enter the stream in timestamp order (ties in decision
//! order), interleaved with the market events that arrive in the meantime.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use hotpath_core::format::{EventRecord, Reason};

/// Why a request was sent: what the strategy does when it is handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// NEW or REPLACE of a quote slot.
    Quote {
        /// Slot index.
        slot: u32,
    },
    /// CANCEL of a quote slot's order.
    Pull {
        /// Slot index.
        slot: u32,
    },
    /// Inventory hedge (IOC or MARKET, venue ANY).
    Hedge,
    /// A deliberately bad request aimed at one reject reason.
    Probe(Reason),
    /// A deep passive order that fills the account up to its open-order cap.
    Filler,
    /// Cancels a leftover filler or probe.
    Cleanup,
    /// An aggressive order of the kill-switch drill.
    Drill,
    /// A request sent after the kill switch tripped.
    Retry,
}

/// A request waiting for its timestamp.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    /// The record as it will appear in the stream (with id 0 until it is sent when
    /// `auto_id` is set).
    pub rec: EventRecord,
    /// What it is for.
    pub purpose: Purpose,
    /// The id is drawn from the account's counter when the request goes out, so ids
    /// increase in stream order whatever the reaction delays.
    pub auto_id: bool,
}

/// Work the strategy does at a later time, deciding then on what it sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// The next aggressive order of the kill-switch drill.
    Drill {
        /// Orders sent so far.
        sent: u32,
    },
    /// A halted account tries again.
    Retry {
        /// Account.
        account: u16,
        /// Retries left after this one.
        left: u32,
    },
    /// Cancel an order if it is still live.
    Cleanup {
        /// Account.
        account: u16,
        /// Order id.
        id: u64,
    },
    /// One more REPLACE of a rate-limit burst on a quote slot.
    RateBurst {
        /// Slot index.
        slot: u32,
        /// Requests sent so far.
        sent: u32,
        /// Rejects (RATE_LIMIT) aimed at so far.
        hits: u32,
    },
    /// One more filler order of an open-order-cap probe.
    FillUp {
        /// Account.
        account: u16,
        /// Orders sent so far.
        sent: u32,
    },
}

/// What is waiting.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    /// Put this request into the stream.
    Send(Request),
    /// Run this task.
    Run(Task),
}

#[derive(Debug)]
struct Item {
    ts: u64,
    seq: u64,
    action: Action,
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        (self.ts, self.seq) == (other.ts, other.seq)
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    /// Reversed, so the max-heap pops the earliest (ts, seq) first.
    fn cmp(&self, other: &Self) -> Ordering {
        (other.ts, other.seq).cmp(&(self.ts, self.seq))
    }
}

/// The time-ordered queue of pending actions.
#[derive(Debug, Default)]
pub struct Outbox {
    heap: BinaryHeap<Item>,
    seq: u64,
}

impl Outbox {
    /// Queues `action` at `ts`.
    pub fn push(&mut self, ts: u64, action: Action) {
        self.seq += 1;
        self.heap.push(Item { ts, seq: self.seq, action });
    }

    /// Removes and returns the earliest action if its time is before `ts`.
    pub fn pop_before(&mut self, ts: u64) -> Option<(u64, Action)> {
        if self.heap.peek().is_some_and(|i| i.ts < ts) {
            self.heap.pop().map(|i| (i.ts, i.action))
        } else {
            None
        }
    }

    /// Number of pending actions.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = Outbox::default();
        let run = |account| Action::Run(Task::Retry { account, left: 0 });
        q.push(20, run(1));
        q.push(10, run(2));
        q.push(20, run(3));
        q.push(5, run(4));
        assert_eq!(q.len(), 4);
        let mut order = Vec::new();
        while let Some((ts, Action::Run(Task::Retry { account, .. }))) = q.pop_before(21) {
            order.push((ts, account));
        }
        assert_eq!(order, vec![(5, 4), (10, 2), (20, 1), (20, 3)]);
        q.push(30, run(5));
        assert!(q.pop_before(30).is_none(), "strictly before");
        assert!(q.pop_before(31).is_some());
        assert!(q.is_empty());
    }
}
