//! The log path of the drop-copy (rust-native's: the publisher reads the engine's own
//! report log) against a real redis-server, as `redis_streams.rs` tests the ring path:
//! every report exactly once and in order, what went past the log's capacity backfilled,
//! a server restart in the middle of a pass, a server that does not come back; and in
//! every case the log handed back as the pass's complete report vector.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::{assert_complete, assert_streams, reports, RedisServer};
use hotpath_core::engine::ReportSink;
use hotpath_dropcopy::{start_with_log, DropCopyConfig};

#[test]
fn every_report_arrives_once_through_the_log_and_the_log_is_the_pass() {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 25_500;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "l:once");
    config.snapshot_every = 1000;
    config.batch = 100;
    let (mut log, publisher) = start_with_log(config, n as usize + 1024).expect("start");
    for (i, r) in expected.iter().enumerate() {
        log.emit(*r);
        if i % 2000 == 0 {
            // a pace the publisher keeps up with, as the ring test's
            thread::sleep(Duration::from_millis(2));
        }
    }
    let (stats, pass) = publisher.finish(log);
    assert!(pass == expected, "the log is the pass's reports, complete and in order");
    assert_complete(&stats, n);
    assert_eq!(
        (stats.published_live, stats.backfilled, stats.overflowed),
        (n, 0, 0),
        "all read from the log"
    );
    let back = assert_streams(&server, "l:once", &expected, 1000);
    assert_eq!(stats.entries, back.entries.len() as u64);
    assert!(back.entries.iter().all(|e| e.reports.len() <= 100), "entries hold at most `batch` reports");
    assert_eq!(stats.snapshots, 26, "25 multiples of 1000 and the end (25,500)");
    assert_eq!((stats.reconnects, stats.refused_duplicates, stats.lost_on_server), (0, 0, 0));
    assert!(stats.max_lag >= 1);
}

#[test]
fn reports_past_the_log_capacity_are_backfilled_from_its_spill() {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 3000;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "l:spill");
    config.snapshot_every = 700;
    // the publisher wakes only once a second: it reads nothing before the pass ends
    config.poll = Duration::from_secs(1);
    let (mut log, publisher) = start_with_log(config, 16).expect("start");
    for r in &expected {
        log.emit(*r);
    }
    assert_eq!((log.produced(), log.overflowed()), (n, n - 16));
    let started = Instant::now();
    let (stats, pass) = publisher.finish(log);
    assert!(started.elapsed() < Duration::from_millis(900), "finish does not wait for the poll");
    assert!(pass == expected, "the log and its spill are the pass's reports, in order");
    assert_complete(&stats, n);
    assert_eq!((stats.published_live, stats.overflowed, stats.backfilled), (16, n - 16, n - 16), "{stats:?}");
    assert_streams(&server, "l:spill", &expected, 700);
}

#[test]
fn a_server_restart_mid_stream_loses_nothing_and_duplicates_nothing() {
    let Some(mut server) = RedisServer::start(true) else { return };
    let n: u64 = 60_000;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "l:restart");
    config.snapshot_every = 5000;
    // smaller than the stream: the last quarter, fed after the restart, spills
    let (log, publisher) = start_with_log(config, 45_000).expect("start");
    let restarted = Arc::new(AtomicBool::new(false));
    let feeding = {
        let (expected, restarted) = (expected.clone(), Arc::clone(&restarted));
        thread::spawn(move || {
            let mut log = log;
            for (i, chunk) in expected.chunks(500).enumerate() {
                for r in chunk {
                    log.emit(*r);
                }
                thread::sleep(Duration::from_millis(3));
                // half the stream before the restart, half during and after it
                while i == 60 && !restarted.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_millis(1));
                }
            }
            log
        })
    };
    thread::sleep(Duration::from_millis(150));
    server.restart();
    restarted.store(true, Ordering::Relaxed);
    let log = feeding.join().expect("the feeding thread");
    let (stats, pass) = publisher.finish(log);
    assert!(pass == expected, "the log is the pass's reports");
    assert_complete(&stats, n);
    assert_eq!((stats.overflowed, stats.backfilled), (15_000, 15_000), "{stats:?}");
    assert!(stats.reconnects >= 1, "{stats:?}");
    assert!(stats.outage_s > 0.0, "{stats:?}");
    assert_eq!(stats.lost_on_server, 0, "the append-only file kept every acknowledged entry");
    assert_streams(&server, "l:restart", &expected, 5000);
}

#[test]
fn a_server_that_does_not_come_back_leaves_reports_unpublished_and_the_log_whole() {
    let Some(mut server) = RedisServer::start(false) else { return };
    let mut config = DropCopyConfig::new(server.url(), "l:gone");
    config.finish_timeout = Duration::from_millis(700);
    let (mut log, publisher) = start_with_log(config, 300).expect("start");
    server.stop("-KILL");
    let expected = reports(500);
    for r in &expected {
        log.emit(*r);
    }
    let started = Instant::now();
    let (stats, pass) = publisher.finish(log);
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(650) && took < Duration::from_secs(3), "{took:?}");
    assert!(pass == expected, "the pass keeps its reports whatever Redis did");
    assert_eq!((stats.published, stats.unpublished, stats.overflowed), (0, 500, 200), "{stats:?}");
    let error = stats.error.unwrap_or_default();
    assert!(error.contains("500 reports not confirmed") && error.contains(&server.url()), "{error}");
}

#[test]
fn finishing_with_another_pass_log_is_refused() {
    let Some(server) = RedisServer::start(false) else { return };
    let (_mine, publisher) = start_with_log(DropCopyConfig::new(server.url(), "l:mine"), 8).expect("start");
    let (theirs, _other) = start_with_log(DropCopyConfig::new(server.url(), "l:theirs"), 8).expect("start");
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| publisher.finish(theirs)));
    let message = refused.err().and_then(|e| e.downcast_ref::<String>().cloned()).unwrap_or_default();
    assert!(message.contains("another pass's log writer"), "{message:?}");
}
