//! The lock-free board: one atomic pointer per instrument to an immutable snapshot, and
//! epoch-based reclamation of the snapshots the writer replaces (`docs/readers.md`).
//!
//! Publication: the writer allocates the new snapshot, swaps it into the slot (`Release`)
//! and defers the old one's destruction to the board's collector. A reader pins its handle,
//! loads the slot (`Acquire`) and copies the snapshot before unpinning. Neither side waits
//! for the other: the writer's cost is one allocation, one swap and a pin; a reader's is a
//! pin and a load. The collector frees a replaced snapshot only once every thread pinned
//! when it was replaced has unpinned, so a reader never copies freed memory.
//!
//! The collector is the board's own (not crossbeam's global one), so dropping the board
//! frees every snapshot it ever allocated, which its counters confirm, and so that loom can
//! model it from scratch in each execution.
// Loading through a guard and deferring a destruction are `unsafe` in crossbeam-epoch:
// this module states why each use is sound.
#![allow(unsafe_code)]

use crossbeam_epoch::{self as epoch, Atomic, Collector, LocalHandle, Owned, Shared};

use crate::board::{Board, BoardReader, BoardWriter};
use crate::count::{CountedTop, SnapshotCount, SnapshotMemory};
use crate::error::{check_instrument, BoardError};
use crate::sync::{Arc, Ordering};
use crate::top::TopOfBook;

/// The lock-free board (see the module documentation).
pub struct EpochBoard {
    slots: Box<[Atomic<CountedTop>]>,
    collector: Collector,
    count: Arc<SnapshotCount>,
}

impl std::fmt::Debug for EpochBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EpochBoard").field("instruments", &self.slots.len()).finish_non_exhaustive()
    }
}

impl Board for EpochBoard {
    type Writer = EpochWriter;
    type Reader = EpochReader;

    fn new(instruments: usize) -> Self {
        EpochBoard {
            slots: (0..instruments).map(|_| Atomic::null()).collect(),
            collector: Collector::new(),
            count: Arc::new(SnapshotCount::default()),
        }
    }

    fn writer(board: &Arc<Self>) -> EpochWriter {
        EpochWriter { handle: board.collector.register(), board: Arc::clone(board) }
    }

    fn reader(board: &Arc<Self>) -> EpochReader {
        EpochReader { handle: board.collector.register(), board: Arc::clone(board) }
    }

    fn instruments(&self) -> usize {
        self.slots.len()
    }

    fn memory(&self) -> SnapshotMemory {
        self.count.memory(
            std::mem::size_of::<CountedTop>(),
            self.slots.len() * std::mem::size_of::<Atomic<CountedTop>>(),
        )
    }
}

impl Drop for EpochBoard {
    fn drop(&mut self) {
        // SAFETY: `&mut self` and every handle holds an `Arc` of the board, so no thread is
        // left that could load a slot: the unprotected guard protects nothing and needs not.
        let guard = unsafe { epoch::unprotected() };
        for slot in self.slots.iter() {
            let newest = slot.swap(Shared::null(), Ordering::Relaxed, guard);
            if !newest.is_null() {
                // SAFETY: the pointer came from `Owned::new` in `publish`, was unlinked just
                // now and no reader is left to hold it (above): this is its only owner.
                drop(unsafe { newest.into_owned() });
            }
        }
        // The replaced snapshots still waiting in the collector are freed when
        // `self.collector` drops, right after this.
    }
}

/// The epoch board's publishing handle, registered with the board's collector.
pub struct EpochWriter {
    handle: LocalHandle,
    board: Arc<EpochBoard>,
}

impl BoardWriter for EpochWriter {
    #[inline]
    fn publish(&mut self, instrument: usize, top: TopOfBook) -> Result<(), BoardError> {
        let board = &*self.board;
        check_instrument(instrument, board.slots.len())?;
        let slot = &board.slots[instrument];
        let snapshot = Owned::new(CountedTop::new(top, &board.count));
        let guard = self.handle.pin();
        // Release: a reader that loads the new pointer (Acquire) sees the snapshot whole.
        let old = slot.swap(snapshot, Ordering::Release, &guard);
        if !old.is_null() {
            // SAFETY: the swap unlinked `old` from the only place it was reachable, so no
            // reader that pins from now on can load it; readers pinned before may still be
            // copying it, and the collector destroys it only after they have all unpinned.
            unsafe { guard.defer_destroy(old) };
        }
        Ok(())
    }
}

impl EpochWriter {
    /// Hands this handle's replaced snapshots to the collector and frees those no reader
    /// can hold any more (crossbeam-epoch does this by itself every 128 pins; a test or the
    /// end of a run asks for it).
    pub fn reclaim(&mut self) {
        self.handle.pin().flush();
    }
}

/// A reading handle of the epoch board, registered with the board's collector.
pub struct EpochReader {
    handle: LocalHandle,
    board: Arc<EpochBoard>,
}

impl BoardReader for EpochReader {
    #[inline]
    fn top(&mut self, instrument: usize) -> Option<TopOfBook> {
        let slot = self.board.slots.get(instrument)?;
        let guard = self.handle.pin();
        let snapshot = slot.load(Ordering::Acquire, &guard);
        // SAFETY: loaded under `guard`, so the collector does not destroy it before the
        // guard drops, after the copy; a non-null pointer came from `Owned::new`.
        unsafe { snapshot.as_ref() }.map(CountedTop::read)
    }

    fn instruments(&self) -> usize {
        self.board.slots.len()
    }
}

#[cfg(all(test, not(crossbeam_loom)))]
mod tests {
    use super::*;

    fn top(seq: u64) -> TopOfBook {
        TopOfBook { bid_price: 100, bid_qty: 1, ask_price: 101, ask_qty: 2, seq, ts: seq * 10 }
    }

    #[test]
    fn readers_see_the_newest_publication_and_unknown_instruments_are_refused() {
        let board = Arc::new(EpochBoard::new(2));
        let (mut w, mut r) = (EpochBoard::writer(&board), EpochBoard::reader(&board));
        assert_eq!(r.top(0), None, "nothing published");
        w.publish(0, top(1)).expect("known");
        w.publish(0, top(2)).expect("known");
        assert_eq!(r.top(0), Some(top(2)));
        assert_eq!(r.top(1), None);
        assert_eq!(r.top(2), None, "not on the board");
        assert_eq!(
            w.publish(2, top(3)),
            Err(BoardError::UnknownInstrument { instrument: 2, instruments: 2 })
        );
    }

    #[test]
    fn every_snapshot_is_counted_and_all_are_freed_with_the_board() {
        let board = Arc::new(EpochBoard::new(3));
        let mut w = EpochBoard::writer(&board);
        for seq in 0..1000 {
            w.publish((seq % 3) as usize, top(seq)).expect("known");
        }
        let m = board.memory();
        assert_eq!(m.allocated, 1000);
        assert!(m.live >= 3 && m.live <= m.peak_live && m.peak_live <= 1000, "{m:?}");
        assert_eq!(m.snapshot_bytes as usize, std::mem::size_of::<CountedTop>());
        assert_eq!(m.fixed_bytes, 3 * 8);
        assert_eq!(m.peak_bytes(), m.fixed_bytes + m.peak_live * m.snapshot_bytes);
        let count = Arc::clone(&board.count);
        drop(w);
        drop(board);
        let after = count.memory(0, 0);
        assert_eq!((after.allocated, after.live), (1000, 0), "dropping the board frees every snapshot");
    }

    #[test]
    fn a_reader_on_another_thread_sees_whole_snapshots_in_publication_order() {
        // The writer publishes seq k with bid k, ask k + 1 and quantities 2k, 3k: a torn
        // read would break one of those relations.
        let board = Arc::new(EpochBoard::new(1));
        let n = 20_000u64;
        std::thread::scope(|s| {
            let reader = s.spawn(|| {
                let mut r = EpochBoard::reader(&board);
                let mut last = 0;
                let mut seen = 0u64;
                while last < n {
                    if let Some(t) = r.top(0) {
                        let k = t.seq;
                        assert_eq!(
                            (t.bid_price, t.ask_price, t.bid_qty, t.ask_qty),
                            (k as i64, k as i64 + 1, 2 * k as i64, 3 * k as i64)
                        );
                        assert!(k >= last, "seq went back from {last} to {k}");
                        last = k;
                        seen += 1;
                    }
                }
                seen
            });
            let mut w = EpochBoard::writer(&board);
            for k in 1..=n {
                let v = k as i64;
                w.publish(
                    0,
                    TopOfBook {
                        bid_price: v,
                        bid_qty: 2 * v,
                        ask_price: v + 1,
                        ask_qty: 3 * v,
                        seq: k,
                        ts: 0,
                    },
                )
                .expect("known");
            }
            assert!(reader.join().expect("reader") > 0);
        });
    }
}
