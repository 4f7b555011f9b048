//! The board with a lock: one mutex per instrument around its newest top of book, kept to
//! measure what the lock-free board saves. The writer and every reader take the same lock,
//! so a reader holding it (or merely writing its cache line to take it) delays the engine.

use crate::board::{Board, BoardReader, BoardWriter};
use crate::count::SnapshotMemory;
use crate::error::{check_instrument, BoardError};
use crate::sync::{Arc, Mutex, MutexGuard};
use crate::top::TopOfBook;

/// The mutex board (see the module documentation). Values live in place: nothing is
/// allocated per publication.
#[derive(Debug)]
pub struct MutexBoard {
    slots: Box<[Mutex<Option<TopOfBook>>]>,
}

impl MutexBoard {
    fn lock(&self, instrument: usize) -> Option<MutexGuard<'_, Option<TopOfBook>>> {
        // No code panics while holding a slot's lock, so a poisoned lock still holds a whole
        // value: take it rather than fail.
        self.slots.get(instrument).map(|m| m.lock().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }
}

impl Board for MutexBoard {
    type Writer = MutexWriter;
    type Reader = MutexReader;

    fn new(instruments: usize) -> Self {
        MutexBoard { slots: (0..instruments).map(|_| Mutex::new(None)).collect() }
    }

    fn writer(board: &Arc<Self>) -> MutexWriter {
        MutexWriter(Arc::clone(board))
    }

    fn reader(board: &Arc<Self>) -> MutexReader {
        MutexReader(Arc::clone(board))
    }

    fn instruments(&self) -> usize {
        self.slots.len()
    }

    fn memory(&self) -> SnapshotMemory {
        SnapshotMemory {
            snapshot_bytes: 0,
            fixed_bytes: (self.slots.len() * std::mem::size_of::<Mutex<Option<TopOfBook>>>()) as u64,
            allocated: 0,
            live: 0,
            peak_live: 0,
        }
    }
}

/// The mutex board's publishing handle.
#[derive(Debug)]
pub struct MutexWriter(Arc<MutexBoard>);

impl BoardWriter for MutexWriter {
    #[inline]
    fn publish(&mut self, instrument: usize, top: TopOfBook) -> Result<(), BoardError> {
        check_instrument(instrument, self.0.slots.len())?;
        if let Some(mut slot) = self.0.lock(instrument) {
            *slot = Some(top);
        }
        Ok(())
    }
}

/// A reading handle of the mutex board.
#[derive(Debug)]
pub struct MutexReader(Arc<MutexBoard>);

impl BoardReader for MutexReader {
    #[inline]
    fn top(&mut self, instrument: usize) -> Option<TopOfBook> {
        *self.0.lock(instrument)?
    }

    fn instruments(&self) -> usize {
        self.0.slots.len()
    }
}

#[cfg(all(test, not(crossbeam_loom)))]
mod tests {
    use super::*;

    #[test]
    fn readers_see_the_newest_publication_and_nothing_is_allocated() {
        let board = Arc::new(MutexBoard::new(2));
        let (mut w, mut r) = (MutexBoard::writer(&board), MutexBoard::reader(&board));
        assert_eq!(r.top(1), None);
        let top = TopOfBook { bid_price: 5, bid_qty: 1, ask_price: 6, ask_qty: 1, seq: 9, ts: 1 };
        w.publish(1, top).expect("known");
        assert_eq!(r.top(1), Some(top));
        assert_eq!(r.top(7), None);
        assert!(w.publish(7, top).is_err());
        let m = board.memory();
        assert_eq!((m.allocated, m.peak_live, m.snapshot_bytes), (0, 0, 0));
        assert_eq!(m.peak_bytes(), m.fixed_bytes);
        assert!(m.fixed_bytes >= 2 * std::mem::size_of::<TopOfBook>() as u64);
    }
}
