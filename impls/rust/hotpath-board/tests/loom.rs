//! Loom models of the boards' publication protocol (`make loom`; `docs/readers.md`).
//!
//! Loom runs each model under every interleaving of its threads' atomic operations (up to
//! a preemption bound, `LOOM_MAX_PREEMPTIONS`) and every outcome the C++11 memory model
//! allows for them, crossbeam-epoch's own atomics included (its `loom` feature). What each
//! model checks:
//! - visibility: a reader sees nothing or a snapshot that was published, and after the
//!   writer is joined, the newest one;
//! - whole snapshots: every field of a copy belongs to the same publication (the writer
//!   ties the fields of publication k together, so a torn copy breaks a relation);
//! - monotonic seq: one reader's successive copies of an instrument never go back;
//! - no use after free: a replaced snapshot is destroyed only after every copy of it (the
//!   board's loom witness, `src/count.rs`), and none leaks (loom's `Arc` leak check).
#![cfg(crossbeam_loom)]

use hotpath_board::{Board, BoardReader, BoardWriter, EpochBoard, MutexBoard, TopOfBook};
use loom::sync::Arc;
use loom::thread;

/// Publication `k`: every field derived from `k`.
fn publication(k: u64) -> TopOfBook {
    let v = k as i64;
    TopOfBook {
        bid_price: 100 + v,
        bid_qty: 10 * v,
        ask_price: 101 + v,
        ask_qty: 20 * v,
        seq: k,
        ts: 1000 * k,
    }
}

/// The publication a copy claims to be, if it is whole.
fn check_whole(top: TopOfBook) -> u64 {
    assert_eq!(top, publication(top.seq), "torn copy: {top:?}");
    top.seq
}

/// Reads instrument 0 `reads` times, checking each copy whole and seqs never going back.
fn read_in_order<R: BoardReader>(reader: &mut R, reads: usize) -> Option<u64> {
    let mut last = None;
    for _ in 0..reads {
        if let Some(top) = reader.top(0) {
            let seq = check_whole(top);
            assert!(last.map_or(true, |l| l <= seq), "seq went back from {last:?} to {seq}");
            last = Some(seq);
        } else {
            assert_eq!(last, None, "a published snapshot disappeared");
        }
    }
    last
}

/// Publishes `1..=publications` on instrument 0.
fn publish_all<W: BoardWriter>(w: &mut W, publications: u64) {
    for k in 1..=publications {
        w.publish(0, publication(k)).expect("instrument 0 is on the board");
    }
}

#[test]
fn epoch_a_reader_sees_nothing_or_whole_publications_in_order() {
    loom::model(|| {
        let board = Arc::new(EpochBoard::new(1));
        let reading = Arc::clone(&board);
        let reader = thread::spawn(move || read_in_order(&mut Board::reader(&reading), 2));
        let mut w = Board::writer(&board);
        publish_all(&mut w, 2);
        reader.join().expect("reader");
        assert_eq!(
            Board::reader(&board).top(0),
            Some(publication(2)),
            "the newest is visible after the join"
        );
    });
}

#[test]
fn epoch_a_replaced_snapshot_is_freed_only_after_every_copy_of_it() {
    loom::model(|| {
        let board = Arc::new(EpochBoard::new(1));
        let reading = Arc::clone(&board);
        let reader = thread::spawn(move || read_in_order(&mut Board::reader(&reading), 1));
        let mut w = Board::writer(&board);
        // Two reclaims after the replacement: enough for the epoch to advance twice, so the
        // replaced snapshot is destroyed while the reader may still be pinned on it, unless
        // the protocol holds it back (the witness fails the execution if not).
        publish_all(&mut w, 2);
        w.reclaim();
        w.reclaim();
        reader.join().expect("reader");
        w.reclaim();
        w.reclaim();
        let m = board.memory();
        assert_eq!((m.allocated, m.live), (2, 1), "once the reader is gone the replaced one is freed");
    });
}

#[test]
fn epoch_two_readers_and_the_writer() {
    // Three threads multiply the interleavings: the first publication is made before the
    // readers start, and the preemption bound is 1 whatever LOOM_MAX_PREEMPTIONS says, so
    // that the model finishes in seconds (docs/readers.md says what that leaves out).
    let mut builder = loom::model::Builder::new();
    builder.preemption_bound = Some(1);
    builder.check(|| {
        let board = Arc::new(EpochBoard::new(1));
        let mut w = Board::writer(&board);
        w.publish(0, publication(1)).expect("instrument 0 is on the board");
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let reading = Arc::clone(&board);
                thread::spawn(move || read_in_order(&mut Board::reader(&reading), 1))
            })
            .collect();
        w.publish(0, publication(2)).expect("instrument 0 is on the board");
        w.reclaim();
        w.reclaim();
        for r in readers {
            assert!(r.join().expect("reader").is_some(), "published before the readers started");
        }
        assert_eq!(Board::reader(&board).top(0), Some(publication(2)));
    });
}

#[test]
fn mutex_a_reader_sees_nothing_or_whole_publications_in_order() {
    loom::model(|| {
        let board = Arc::new(MutexBoard::new(1));
        let reading = Arc::clone(&board);
        let reader = thread::spawn(move || read_in_order(&mut Board::reader(&reading), 2));
        let mut w = Board::writer(&board);
        publish_all(&mut w, 2);
        reader.join().expect("reader");
        assert_eq!(Board::reader(&board).top(0), Some(publication(2)));
    });
}
