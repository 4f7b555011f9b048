//! The engine's own report log, shared with the publisher thread: rust-native's drop-copy
//! without a second write per report (docs/dropcopy.md). The hot path appends each report
//! once, into the log that is also the pass's `Vec<ReportRecord>`; the publisher reads the
//! same memory behind it.
//!
//! One writer ([`LogWriter`], the engine's report sink) and one reader ([`LogReader`], the
//! publisher), made together by [`report_log`], or by [`report_log_in`] over an engine's
//! own empty report vector (rust-ffi's engine object, which allocated it at start-up).
//! Who may touch which slot, and when:
//! - the storage is `capacity` slots, allocated once and made resident up front (every
//!   page written once, as `hotpath_core::resident::resident_reports` does), never
//!   reallocated or moved while both halves live;
//! - the writer alone writes, and only slot `len` (its own count), then publishes
//!   `len + 1` with a Release store of the shared count; it never writes a published
//!   slot again (it may read them: [`LogWriter::reports`]; reads beside the reader's
//!   reads race nothing);
//! - the reader Acquire-loads the count and reads only slots below it: the store and the
//!   load pair up, so every byte of those slots is visible, and none of them is written
//!   again. A slot at or above the count may be being written and is never read;
//! - past `capacity` the writer appends to a spill vector it alone owns; the reader never
//!   sees it (the publisher backfills it from [`LogWriter::spilled`] after the pass, as
//!   the ring path backfills what overflowed: the log stays complete for the digest);
//! - [`LogWriter::try_into_reports`] takes the storage over only once the reader is gone
//!   (the shared part is no longer shared): the published slots become the vector's first
//!   `len` elements without a copy, and the spill is appended after them.
//!
//! Under `--cfg crossbeam_loom` the atomics, the `Arc` and the slots come from loom, so
//! that `tests/loom.rs` checks every interleaving of this protocol, slot accesses included.

use hotpath_core::engine::ReportSink;
use hotpath_core::format::ReportRecord;
use hotpath_core::resident::resident_reports;

#[cfg(crossbeam_loom)]
use loom::sync::atomic::{AtomicUsize, Ordering};
#[cfg(crossbeam_loom)]
use loom::sync::Arc;
#[cfg(not(crossbeam_loom))]
use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(not(crossbeam_loom))]
use std::sync::Arc;

/// A log of `capacity` resident slots: the engine's half and the publisher's.
pub fn report_log(capacity: usize) -> (LogWriter, LogReader) {
    // resident: written once, so the pass never faults a page in
    log_over(Slots::new(resident_reports(capacity), capacity), capacity)
}

/// A log whose slots are `buffer`'s allocation: an engine's own report vector, empty,
/// sized and made resident by its owner (no second buffer, no copy). The log's capacity
/// is the vector's; [`LogWriter::try_into_reports`] hands the same vector back, filled.
///
/// # Panics
/// If `buffer` holds reports: a log starts empty (its first slot is seq 1's).
pub fn report_log_in(buffer: Vec<ReportRecord>) -> (LogWriter, LogReader) {
    assert!(
        buffer.is_empty(),
        "report_log_in: the buffer holds {} reports; a log starts empty",
        buffer.len()
    );
    let capacity = buffer.capacity();
    log_over(Slots::new(buffer, capacity), capacity)
}

/// The two halves over `slots`, `capacity` of them usable.
fn log_over(slots: Slots, capacity: usize) -> (LogWriter, LogReader) {
    // a plain std counter even under loom: it only names logs, it orders nothing
    static LOGS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = LOGS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let shared = Arc::new(Shared { published: Published(AtomicUsize::new(0)), slots });
    let reader = LogReader { shared: Arc::clone(&shared), next: 0 };
    (LogWriter { shared, id, len: 0, capacity, spill: Vec::new() }, reader)
}

/// The count of published slots, on 128 bytes of its own (a pair of cache lines, for the
/// adjacent-line prefetcher): the writer stores it for every report and the reader's loads
/// must not pull lines the writer is filling.
#[repr(align(128))]
struct Published(AtomicUsize);

/// What both halves hold.
struct Shared {
    published: Published,
    slots: Slots,
}

/// The hot path's half: appends reports and publishes them; at the end, the pass's log.
pub struct LogWriter {
    shared: Arc<Shared>,
    /// Which log this is, for a publisher to recognise its own.
    id: u64,
    /// Slots written and published (the writer's own copy of the count).
    len: usize,
    capacity: usize,
    spill: Vec<ReportRecord>,
}

impl LogWriter {
    /// Reports emitted so far, spilled ones included.
    pub fn produced(&self) -> u64 {
        (self.len + self.spill.len()) as u64
    }

    /// Reports emitted so far, spilled ones included: [`LogWriter::produced`] as a length.
    pub fn len(&self) -> usize {
        self.len + self.spill.len()
    }

    /// Whether no report was emitted yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The log so far, in order, without the reader's cooperation: the published slots,
    /// then the spill (empty unless the slots are full). For an engine object that shows
    /// its reports (count, bytes, digest) while a pass is still publishing them.
    ///
    /// Not under loom, whose slots are cells, not a slice: the reads it makes are the
    /// reader's kind (of published slots, which nothing writes again), nothing to model.
    #[cfg(not(crossbeam_loom))]
    pub fn reports(&self) -> (&[ReportRecord], &[ReportRecord]) {
        // SAFETY: `len` is at most the slots' count; every slot below it was written by
        // this writer, earlier on its own thread (the writer moves between threads only
        // with a happens-before), and none is written again: `emit` writes only slot
        // `len`, and cannot run while this borrow of the writer lives. The reader only
        // reads these slots, so a shared view beside its reads races nothing.
        let published = unsafe { self.shared.slots.written(self.len) };
        (published, &self.spill)
    }

    /// Reports past the capacity, kept in the spill (never seen by the reader).
    pub fn overflowed(&self) -> u64 {
        self.spill.len() as u64
    }

    /// Reports the reader can see, at most: the slots allocated up front.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The reports past the capacity, in order (seqs after the last published one).
    pub fn spilled(&self) -> &[ReportRecord] {
        &self.spill
    }

    /// This log's number, unique in the process.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// The complete log, in order, if the reader is gone; the writer back otherwise.
    /// The slots' own buffer, not a copy, unless something spilled: then the slots are
    /// full, and appending the spill moves the lot once (the end of a pass, not its hot path).
    ///
    /// # Errors
    /// The writer itself, unchanged, while a [`LogReader`] of it still exists.
    pub fn try_into_reports(self) -> Result<Vec<ReportRecord>, LogWriter> {
        let LogWriter { shared, id, len, capacity, mut spill } = self;
        match Arc::try_unwrap(shared) {
            Ok(shared) => {
                let mut reports = shared.slots.into_vec(len);
                reports.append(&mut spill);
                Ok(reports)
            }
            Err(shared) => Err(LogWriter { shared, id, len, capacity, spill }),
        }
    }

    /// The complete log, in order: as [`LogWriter::try_into_reports`] once the reader is
    /// gone, a copy while it still exists (it only ever reads, so copying beside it is safe).
    pub fn into_reports(self) -> Vec<ReportRecord> {
        self.try_into_reports().unwrap_or_else(|writer| {
            let mut reports = Vec::with_capacity(writer.len + writer.spill.len());
            // SAFETY: every slot below `len` was written by this writer, earlier on its own
            // thread (the writer moves between threads only with a happens-before), and
            // none is written again: reading them races nothing.
            reports.extend((0..writer.len).map(|i| unsafe { writer.shared.slots.read(i) }));
            reports.extend_from_slice(&writer.spill);
            reports
        })
    }

    #[cold]
    #[inline(never)]
    fn spill(&mut self, report: ReportRecord) {
        self.spill.push(report);
    }
}

impl ReportSink for LogWriter {
    #[inline]
    fn emit(&mut self, report: ReportRecord) {
        let len = self.len;
        if len < self.capacity {
            // SAFETY: `len < capacity`, the slots' count; slot `len` is not published yet,
            // so the reader does not touch it, and this is the only writer.
            unsafe { self.shared.slots.write(len, report) };
            self.len = len + 1;
            // Release: the reader that loads this count sees the slot's bytes. (With
            // Relaxed here every model of tests/loom.rs fails: loom reports the reader's
            // read of the slot racing its write.)
            self.shared.published.0.store(len + 1, Ordering::Release);
        } else {
            self.spill(report);
        }
    }
}

/// The publisher's half: reads published reports in order, each once.
pub struct LogReader {
    shared: Arc<Shared>,
    /// The next slot to read.
    next: usize,
}

impl LogReader {
    /// Reports published and not read yet.
    pub fn unread(&self) -> usize {
        self.shared.published.0.load(Ordering::Acquire) - self.next
    }

    /// Reports read so far.
    pub fn read_through(&self) -> usize {
        self.next
    }

    /// Hands the next published reports, at most `max`, to `take` in order; returns how
    /// many it handed.
    pub fn read(&mut self, max: usize, mut take: impl FnMut(&ReportRecord)) -> usize {
        let published = self.shared.published.0.load(Ordering::Acquire);
        let end = published.min(self.next.saturating_add(max));
        for i in self.next..end {
            // SAFETY: `i` is below a count the writer published with a Release store and
            // this thread loaded with Acquire: the slot was written before, within the
            // slots, and the writer never writes a published slot again.
            take(&unsafe { self.shared.slots.read(i) });
        }
        let handed = end - self.next;
        self.next = end;
        handed
    }
}

use slots::Slots;

/// The slots themselves: the only unsafe code of the crate. Each access is sound only
/// under the protocol above, which [`LogWriter`] and [`LogReader`] (the only holders of a
/// [`Shared`]) follow: `write` and `read` are unsafe and say what their callers promise.
#[cfg(not(crossbeam_loom))]
mod slots {
    use std::mem::ManuallyDrop;

    use hotpath_core::format::ReportRecord;

    /// A `Vec`'s buffer taken apart, so that two threads may reach disjoint slots of it
    /// through a raw pointer without either holding the `Vec`.
    pub(crate) struct Slots {
        pub(super) base: *mut ReportRecord,
        /// Slots usable: the log's capacity.
        usable: usize,
        /// The buffer's capacity as allocated, for handing it back to a `Vec`.
        allocated: usize,
    }

    // SAFETY: the slots are plain `Copy` data reached through `base`; which thread may
    // touch which slot is the log's protocol (module doc), enforced by the two halves.
    unsafe impl Send for Slots {}
    // SAFETY: as for `Send`: shared access is writes by the one writer to unpublished
    // slots and reads by the one reader of published ones, ordered by the count.
    unsafe impl Sync for Slots {}

    impl Slots {
        /// The first `usable` slots of `buffer`'s allocation (what it holds is ignored:
        /// a slot is read only once the writer wrote it).
        pub(crate) fn new(buffer: Vec<ReportRecord>, usable: usize) -> Slots {
            assert!(usable <= buffer.capacity(), "{usable} slots in a buffer of {}", buffer.capacity());
            let mut buffer = ManuallyDrop::new(buffer);
            Slots { base: buffer.as_mut_ptr(), usable, allocated: buffer.capacity() }
        }

        /// Writes slot `i`.
        ///
        /// # Safety
        /// `i` is below the slots' count, and no other thread accesses slot `i` until
        /// this write happens-before its access (the writer's next slot, unpublished).
        #[inline]
        pub(crate) unsafe fn write(&self, i: usize, report: ReportRecord) {
            debug_assert!(i < self.usable, "slot {i} is past the log's {} slots", self.usable);
            // SAFETY: within the allocation, and not accessed meanwhile (the caller's
            // promise); the buffer's slots are plain `Copy` data, nothing to drop.
            unsafe { self.base.add(i).write(report) }
        }

        /// Reads slot `i`.
        ///
        /// # Safety
        /// `i` is below the slots' count, its write happened-before this read (on this
        /// thread, or published by a Release store this thread Acquire-loaded), and no
        /// write of it follows.
        #[inline]
        pub(crate) unsafe fn read(&self, i: usize) -> ReportRecord {
            debug_assert!(i < self.usable, "slot {i} is past the log's {} slots", self.usable);
            // SAFETY: within the allocation, initialised and not written concurrently (the
            // caller's promise: written before, never again).
            unsafe { self.base.add(i).read() }
        }

        /// The first `len` slots, as a slice.
        ///
        /// # Safety
        /// `len` is at most the slots' count, every slot below it was written and its
        /// write happened-before this call (as for `read`), and none of them is written
        /// while the slice lives.
        #[inline]
        pub(crate) unsafe fn written(&self, len: usize) -> &[ReportRecord] {
            debug_assert!(len <= self.usable, "{len} slots of the log's {}", self.usable);
            // SAFETY: `base` is the allocation's pointer (non-null and aligned even when
            // nothing was allocated), the first `len` slots lie within it and are
            // initialised, and nothing writes them while the borrow of `self` lives (the
            // caller's promise).
            unsafe { std::slice::from_raw_parts(self.base, len) }
        }

        /// The buffer as a `Vec` of its first `len` slots. Only when no one else holds
        /// the slots (the caller unwrapped the last `Arc`).
        pub(crate) fn into_vec(self, len: usize) -> Vec<ReportRecord> {
            assert!(len <= self.usable, "{len} reports in {} slots", self.usable);
            let slots = ManuallyDrop::new(self);
            // SAFETY: `base` and `allocated` are the pointer and capacity of a `Vec` this
            // struct took apart and never freed (`ManuallyDrop` keeps `Drop` from freeing it
            // now); the first `len` slots were written (by the log's writer, the caller's
            // count); `self` was owned, so nothing else refers to the buffer.
            unsafe { Vec::from_raw_parts(slots.base, len, slots.allocated) }
        }
    }

    impl Drop for Slots {
        fn drop(&mut self) {
            // SAFETY: as in `into_vec`, with length 0: the buffer is freed, and
            // `ReportRecord` is `Copy`, so no element needs dropping.
            drop(unsafe { Vec::from_raw_parts(self.base, 0, self.allocated) });
        }
    }
}

/// The slots as loom's cells, so that a model reports any access to a slot that the
/// protocol fails to order (a read racing its write, the takeover racing a read).
#[cfg(crossbeam_loom)]
mod slots {
    use hotpath_core::format::ReportRecord;
    use loom::cell::UnsafeCell;

    pub(crate) struct Slots {
        cells: Box<[UnsafeCell<ReportRecord>]>,
    }

    // SAFETY: loom's cells check every access against the model's happens-before order,
    // which is what these promise: a model fails instead of racing.
    unsafe impl Send for Slots {}
    // SAFETY: as for `Send`.
    unsafe impl Sync for Slots {}

    impl Slots {
        /// Cells of their own (the buffer only says how many).
        pub(crate) fn new(_buffer: Vec<ReportRecord>, usable: usize) -> Slots {
            Slots { cells: (0..usable).map(|_| UnsafeCell::new(ReportRecord::default())).collect() }
        }

        /// # Safety
        /// As the real slots' `write`; loom checks the ordering part of the promise.
        pub(crate) unsafe fn write(&self, i: usize, report: ReportRecord) {
            // SAFETY: a valid cell's pointer; loom panics if the write races an access.
            self.cells[i].with_mut(|slot| unsafe { slot.write(report) });
        }

        /// # Safety
        /// As the real slots' `read`; loom checks the ordering part of the promise.
        pub(crate) unsafe fn read(&self, i: usize) -> ReportRecord {
            // SAFETY: a valid cell's pointer; loom panics if the read races a write.
            self.cells[i].with(|slot| unsafe { slot.read() })
        }

        /// A copy here (a cell is not a `ReportRecord`), taken as a write of every slot:
        /// the new owner may write them, so loom checks no reader still touches them.
        pub(crate) fn into_vec(self, len: usize) -> Vec<ReportRecord> {
            self.cells
                .iter()
                .take(len)
                // SAFETY: loom checks this access is not concurrent with any other.
                .map(|cell| cell.with_mut(|slot| unsafe { slot.read() }))
                .collect()
        }
    }
}

#[cfg(all(test, not(crossbeam_loom)))]
mod tests {
    use super::*;

    fn report(seq: u64) -> ReportRecord {
        ReportRecord { seq, order_id: seq * 7, qty: seq as i64, ..Default::default() }
    }

    fn seqs(reports: &[ReportRecord]) -> Vec<u64> {
        reports.iter().map(|r| r.seq).collect()
    }

    #[test]
    fn the_reader_sees_what_was_published_once_and_in_order() {
        let (mut w, mut r) = report_log(8);
        assert_eq!(r.unread(), 0);
        for seq in 1..=3 {
            w.emit(report(seq));
        }
        assert_eq!(r.unread(), 3);
        let mut got = Vec::new();
        assert_eq!(r.read(2, |x| got.push(*x)), 2);
        assert_eq!(r.read(10, |x| got.push(*x)), 1);
        assert_eq!(r.read(10, |x| got.push(*x)), 0);
        assert_eq!(got, [report(1), report(2), report(3)]);
        assert_eq!((r.read_through(), w.produced(), w.overflowed()), (3, 3, 0));
    }

    #[test]
    fn past_the_capacity_reports_spill_and_the_log_stays_complete() {
        let (mut w, mut r) = report_log(2);
        for seq in 1..=5 {
            w.emit(report(seq));
        }
        assert_eq!((w.produced(), w.overflowed(), w.capacity()), (5, 3, 2));
        assert_eq!(seqs(w.spilled()), [3, 4, 5]);
        let mut got = Vec::new();
        r.read(usize::MAX, |x| got.push(x.seq));
        assert_eq!(got, [1, 2], "the reader never sees the spill");
        drop(r);
        let all = w.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert_eq!(seqs(&all), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn the_log_becomes_the_pass_vector_only_once_the_reader_is_gone_and_without_a_copy() {
        let (mut w, r) = report_log(1000);
        let base = w.shared.slots.base;
        w.emit(report(1));
        let w = w.try_into_reports().expect_err("the reader still holds the log");
        assert_eq!(w.produced(), 1, "the writer comes back unchanged");
        drop(r);
        let all = w.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert_eq!(all, [report(1)]);
        assert!(all.capacity() >= 1000, "the slots' buffer, room and all");
        assert_eq!(all.as_ptr(), base.cast_const(), "the same memory: no copy");
    }

    #[test]
    fn while_the_reader_lives_the_log_is_had_as_a_copy() {
        let (mut w, r) = report_log(2);
        let base = w.shared.slots.base;
        for seq in 1..=3 {
            w.emit(report(seq));
        }
        let all = w.into_reports();
        assert_eq!(seqs(&all), [1, 2, 3]);
        assert_ne!(all.as_ptr(), base.cast_const(), "a copy: the reader still reads the slots");
        assert_eq!(r.unread(), 2);
    }

    #[test]
    fn a_log_of_no_slots_spills_everything() {
        let (mut w, mut r) = report_log(0);
        w.emit(report(1));
        assert_eq!((r.unread(), r.read(5, |_| {})), (0, 0));
        drop(r);
        assert_eq!(w.try_into_reports().map(|v| seqs(&v)).ok(), Some(vec![1]));
    }

    #[test]
    fn a_log_in_an_engines_vector_is_that_vector_and_hands_it_back_filled() {
        let buffer = resident_reports(100);
        let (base, room) = (buffer.as_ptr(), buffer.capacity());
        let (mut w, mut r) = report_log_in(buffer);
        assert_eq!(w.capacity(), room, "the vector's capacity is the log's");
        assert_eq!(w.shared.slots.base.cast_const(), base, "its memory is the slots");
        for seq in 1..=40 {
            w.emit(report(seq));
        }
        let mut got = Vec::new();
        r.read(usize::MAX, |x| got.push(x.seq));
        assert_eq!(got, (1..=40).collect::<Vec<_>>());
        drop(r);
        let all = w.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert_eq!((all.as_ptr(), all.capacity()), (base, room), "the same vector back, no copy");
        assert_eq!(seqs(&all), (1..=40).collect::<Vec<_>>());
    }

    #[test]
    fn a_log_in_a_vector_spills_past_its_capacity_and_in_one_without_any_spills_all() {
        let (mut w, r) = report_log_in(Vec::with_capacity(3));
        let room = w.capacity();
        assert!(room >= 3);
        for seq in 1..=room as u64 + 2 {
            w.emit(report(seq));
        }
        assert_eq!((w.overflowed(), r.unread()), (2, room));
        drop(r);
        let all = w.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert_eq!(seqs(&all), (1..=room as u64 + 2).collect::<Vec<_>>());

        let (mut w, r) = report_log_in(Vec::new());
        w.emit(report(1));
        assert_eq!((w.capacity(), w.overflowed(), r.unread()), (0, 1, 0));
    }

    #[test]
    #[should_panic(expected = "the buffer holds 1 reports")]
    fn a_log_in_a_vector_that_holds_reports_is_refused() {
        drop(report_log_in(vec![report(1)]));
    }

    #[test]
    fn the_writers_length_counts_published_and_spilled_reports() {
        let (mut w, _r) = report_log(2);
        assert_eq!((w.len(), w.is_empty()), (0, true));
        w.emit(report(1));
        assert_eq!((w.len(), w.is_empty()), (1, false));
        for seq in 2..=5 {
            w.emit(report(seq));
        }
        assert_eq!((w.len(), w.overflowed()), (5, 3));
        assert_eq!(w.len() as u64, w.produced());
    }

    #[test]
    fn the_writer_shows_what_it_holds_while_the_reader_still_reads() {
        let (mut w, mut r) = report_log(3);
        let (published, spilled) = w.reports();
        assert!(published.is_empty() && spilled.is_empty());
        w.emit(report(1));
        w.emit(report(2));
        let (published, spilled) = w.reports();
        assert_eq!((published, spilled), (&[report(1), report(2)][..], &[][..]));
        assert_eq!(r.read(1, |_| {}), 1, "a read in between changes nothing the writer shows");
        for seq in 3..=5 {
            w.emit(report(seq));
        }
        let (published, spilled) = w.reports();
        assert_eq!((seqs(published), seqs(spilled)), (vec![1, 2, 3], vec![4, 5]));
        assert_eq!(r.unread(), 2, "the reader is still there, behind");
        let (published, spilled) = w.reports();
        let whole: Vec<_> = published.iter().chain(spilled).copied().collect();
        assert_eq!(whole, w.into_reports(), "the two parts are the log, in order");
    }

    #[test]
    fn the_writer_reads_its_published_slots_beside_a_reader_on_another_thread() {
        let n: u64 = 50_000;
        let (mut w, mut r) = report_log(n as usize);
        let reading = std::thread::spawn(move || {
            let mut next = 1;
            while r.read_through() < n as usize {
                r.read(1024, |x| {
                    assert_eq!(*x, report(next));
                    next += 1;
                });
            }
        });
        for seq in 1..=n {
            w.emit(report(seq));
            if seq % 997 == 0 {
                let (published, spilled) = w.reports();
                assert!(spilled.is_empty() && published.len() as u64 == seq);
                assert!(published.iter().zip(1..).all(|(x, s)| *x == report(s)), "all of them, whole");
            }
        }
        reading.join().expect("the reader thread");
    }

    #[test]
    fn a_reader_on_another_thread_sees_a_gap_free_prefix_then_everything() {
        let n: u64 = 200_000;
        let (mut w, mut r) = report_log(150_000);
        let reading = std::thread::spawn(move || {
            let mut next = 1;
            let mut bad = 0u64;
            while r.read_through() < 150_000 {
                r.read(4096, |x| {
                    bad += u64::from(*x != report(next));
                    next += 1;
                });
                std::hint::spin_loop();
            }
            (next - 1, bad)
        });
        for seq in 1..=n {
            w.emit(report(seq));
        }
        let (read_through, bad) = reading.join().expect("the reader thread");
        assert_eq!((read_through, bad), (150_000, 0), "every published report, in order, whole");
        let all = w.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert!(all.iter().zip(1..).all(|(x, seq)| *x == report(seq)) && all.len() == n as usize);
    }
}
