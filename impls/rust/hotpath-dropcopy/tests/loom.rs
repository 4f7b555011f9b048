//! Loom models of the shared report log (`make loom`; src/shared_log.rs, docs/dropcopy.md).
//!
//! Under `--cfg crossbeam_loom` the log's count, `Arc` and slots are loom's, so each model
//! runs under every interleaving of the writer and the reader (up to
//! `LOOM_MAX_PREEMPTIONS`) and every value the memory model lets an Acquire load see,
//! and loom fails a model whose slot access is not ordered after the access it could race
//! (a read of a slot before its write is visible, the takeover while a read is running).
//! What each model checks:
//! - a reader following the writer sees a gap-free prefix, whole reports, each once, and
//!   after the join all of them;
//! - past the capacity the reader sees nothing more, and the final log is complete;
//! - the log becomes a `Vec` only once the reader is gone.
//!
//! Mutations checked by hand, each failing every model here with loom's "Causality
//! violation: Concurrent read and write accesses", as it must: the writer's count store
//! `Relaxed` instead of `Release` (src/shared_log.rs, `LogWriter::emit`); the reader's
//! load `Relaxed` instead of `Acquire` (`LogReader::read`). And a takeover that does not
//! wait for the reader to be gone (the log's slots taken while its `Arc` is still shared)
//! fails `the_log_becomes_a_vec_only_once_the_reader_is_gone` the same way.
#![cfg(crossbeam_loom)]

use hotpath_core::engine::ReportSink;
use hotpath_core::format::ReportRecord;
use hotpath_dropcopy::shared_log::{report_log, LogReader};
use loom::thread;

/// Which prefix lengths a model's reader saw before the join, over all its executions (a
/// plain std atomic: it lives outside the model and is only read after it).
struct Seen(std::sync::atomic::AtomicU64);

impl Seen {
    fn note(&self, prefix: usize) {
        self.0.fetch_or(1 << prefix, std::sync::atomic::Ordering::Relaxed);
    }

    fn all(&self) -> u64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Report `seq`: every field derived from it, so that a torn copy breaks a relation.
fn report(seq: u64) -> ReportRecord {
    ReportRecord {
        seq,
        order_id: seq * 11,
        qty: seq as i64 * 3,
        price: 100 + seq as i64,
        ..Default::default()
    }
}

/// Reads what is published `reads` times, checking each report is the next one, whole.
fn follow(reader: &mut LogReader, reads: usize, seen: &mut Vec<u64>) {
    for _ in 0..reads {
        reader.read(usize::MAX, |r| {
            let next = seen.len() as u64 + 1;
            assert_eq!(*r, report(next), "a gap, a repeat or a torn report");
            seen.push(r.seq);
        });
    }
}

#[test]
fn a_reader_sees_a_gap_free_prefix_of_whole_reports() {
    static PREFIXES: Seen = Seen(std::sync::atomic::AtomicU64::new(0));
    loom::model(|| {
        let (mut writer, mut reader) = report_log(3);
        let writing = thread::spawn(move || {
            for seq in 1..=3 {
                writer.emit(report(seq));
            }
            writer
        });
        let mut seen = Vec::new();
        follow(&mut reader, 2, &mut seen);
        PREFIXES.note(seen.len());
        let writer = writing.join().expect("writer");
        follow(&mut reader, 1, &mut seen);
        assert_eq!(seen, [1, 2, 3], "every report, once, after the join");
        drop(reader);
        let reports = writer.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert!(reports.iter().zip(1..).all(|(r, seq)| *r == report(seq)) && reports.len() == 3);
    });
    assert_eq!(PREFIXES.all(), 0b1111, "the model had the reader see 0, 1, 2 and 3 reports");
}

#[test]
fn past_the_capacity_the_reader_sees_nothing_more_and_the_log_is_complete() {
    static PREFIXES: Seen = Seen(std::sync::atomic::AtomicU64::new(0));
    loom::model(|| {
        let (mut writer, mut reader) = report_log(2);
        let writing = thread::spawn(move || {
            for seq in 1..=4 {
                writer.emit(report(seq));
            }
            writer
        });
        let mut seen = Vec::new();
        follow(&mut reader, 2, &mut seen);
        PREFIXES.note(seen.len());
        assert!(seen.len() <= 2, "never past the capacity");
        let writer = writing.join().expect("writer");
        follow(&mut reader, 1, &mut seen);
        assert_eq!(seen, [1, 2], "the published prefix is the capacity");
        assert_eq!((writer.produced(), writer.overflowed()), (4, 2));
        drop(reader);
        let reports = writer.try_into_reports().unwrap_or_else(|_| panic!("the reader is gone"));
        assert_eq!(reports.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3, 4], "complete and in order");
        assert!(reports.iter().all(|r| *r == report(r.seq)));
    });
    assert_eq!(PREFIXES.all(), 0b111, "the model had the reader see 0, 1 and 2 reports");
}

#[test]
fn the_log_becomes_a_vec_only_once_the_reader_is_gone() {
    // 1: the takeover before the join refused (reader alive), 2: granted (reader gone)
    static OUTCOMES: Seen = Seen(std::sync::atomic::AtomicU64::new(0));
    loom::model(|| {
        let (mut writer, mut reader) = report_log(2);
        writer.emit(report(1));
        let reading = thread::spawn(move || {
            let mut seen = Vec::new();
            follow(&mut reader, 1, &mut seen);
            // the reader goes with the thread's end
            seen
        });
        writer.emit(report(2));
        // the reader may or may not be gone yet: the takeover succeeds only if it is, and
        // then loom checks that every read of it happened before
        let writer = match writer.try_into_reports() {
            Ok(reports) => {
                OUTCOMES.note(1);
                assert_eq!(reports, [report(1), report(2)]);
                None
            }
            Err(writer) => {
                OUTCOMES.note(0);
                Some(writer)
            }
        };
        let seen = reading.join().expect("reader");
        assert!(!seen.is_empty() && seen.len() <= 2 && seen[0] == 1, "{seen:?}");
        if let Some(writer) = writer {
            let reports = writer.try_into_reports().unwrap_or_else(|_| panic!("joined: the reader is gone"));
            assert_eq!(reports, [report(1), report(2)]);
        }
    });
    assert_eq!(OUTCOMES.all(), 0b11, "the model tried the takeover with the reader alive and gone");
}
