//! Counting snapshots: how many a board allocated, how many are alive now (published or
//! waiting for reclamation) and the most that were alive at once, so that the memory a
//! board holds is measured.

use crate::sync::{Arc, AtomicU64, Ordering};
use crate::top::TopOfBook;

/// The snapshot counters of one board, shared with every snapshot it allocated.
#[derive(Debug, Default)]
pub(crate) struct SnapshotCount {
    allocated: AtomicU64,
    freed: AtomicU64,
    peak: AtomicU64,
}

impl SnapshotCount {
    /// Counts one more snapshot alive. Only the board's writer allocates, so the peak it
    /// computes from its own count and the frees seen so far is never below the truth by
    /// more than the frees that raced with it (which only lower the live count).
    fn allocated(&self) {
        // Relaxed: statistics, read after the run or as an estimate; nothing is ordered by them.
        let allocated = self.allocated.fetch_add(1, Ordering::Relaxed) + 1;
        let live = allocated.saturating_sub(self.freed.load(Ordering::Relaxed));
        self.peak.fetch_max(live, Ordering::Relaxed);
    }

    fn freed(&self) {
        self.freed.fetch_add(1, Ordering::Relaxed);
    }

    /// The figures now, for snapshots of `bytes_each` bytes, and `fixed_bytes` the board
    /// holds whatever it publishes.
    pub(crate) fn memory(&self, bytes_each: usize, fixed_bytes: usize) -> SnapshotMemory {
        let allocated = self.allocated.load(Ordering::Relaxed);
        let freed = self.freed.load(Ordering::Relaxed);
        SnapshotMemory {
            snapshot_bytes: bytes_each as u64,
            fixed_bytes: fixed_bytes as u64,
            allocated,
            live: allocated.saturating_sub(freed),
            peak_live: self.peak.load(Ordering::Relaxed),
        }
    }
}

/// What a board's snapshots cost in memory.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SnapshotMemory {
    /// Bytes of one heap-allocated snapshot (`size_of`, before the allocator's rounding);
    /// 0 for a board that keeps its values in place.
    pub snapshot_bytes: u64,
    /// Bytes the board holds however much is published: its slots.
    pub fixed_bytes: u64,
    /// Snapshots allocated so far (one per publication on a board that allocates).
    pub allocated: u64,
    /// Snapshots alive now: the newest of each instrument plus garbage not yet reclaimed.
    pub live: u64,
    /// The most snapshots alive at once.
    pub peak_live: u64,
}

impl SnapshotMemory {
    /// The most bytes the board held at once: its slots plus its peak of live snapshots.
    pub fn peak_bytes(&self) -> u64 {
        self.fixed_bytes + self.peak_live * self.snapshot_bytes
    }
}

/// A top of book on the heap, counted from its allocation to its drop (its reclamation).
#[derive(Debug)]
pub(crate) struct CountedTop {
    top: TopOfBook,
    count: Arc<SnapshotCount>,
    /// Under loom, every copy a reader makes is a read of this cell and the destruction a
    /// write: loom fails the execution if a destruction does not happen after every copy
    /// (a use after free), which plain memory would not show.
    #[cfg(crossbeam_loom)]
    witness: Witness,
}

/// loom's access-tracking cell, never dereferenced: only its accesses are recorded.
#[cfg(crossbeam_loom)]
#[derive(Debug)]
struct Witness(loom::cell::UnsafeCell<()>);

// SAFETY: the cell holds `()` and no access ever dereferences its pointer; sharing it only
// lets loom record reads and writes from several threads, which is what it is for.
#[cfg(crossbeam_loom)]
#[allow(unsafe_code)]
unsafe impl Sync for Witness {}

impl CountedTop {
    pub(crate) fn new(top: TopOfBook, count: &Arc<SnapshotCount>) -> CountedTop {
        count.allocated();
        CountedTop {
            top,
            count: Arc::clone(count),
            #[cfg(crossbeam_loom)]
            witness: Witness(loom::cell::UnsafeCell::new(())),
        }
    }

    /// The reader's copy.
    #[inline]
    pub(crate) fn read(&self) -> TopOfBook {
        #[cfg(crossbeam_loom)]
        self.witness.0.with(|_| ());
        self.top
    }
}

impl Drop for CountedTop {
    fn drop(&mut self) {
        #[cfg(crossbeam_loom)]
        self.witness.0.with_mut(|_| ());
        self.count.freed();
    }
}
