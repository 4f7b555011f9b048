//! The scenarios both sides of the hot path must pass against a real redis-server, each run
//! through the ring (a feed beside the caller's log: the gateway, `publish`) and through the
//! shared log (the publisher reads the engine's own log: rust-native, rust-ffi): every report
//! exactly once and in order, what went past the room backfilled, a server restart in the
//! middle of a pass, a server that does not come back; and the pass's log complete after.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{assert_complete, assert_streams, reports, RedisServer, Side};
use hotpath_dropcopy::DropCopyConfig;

fn every_report_arrives_once_in_order_with_the_positions_of_its_fills(side: Side) {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 25_500;
    let expected = reports(n);
    let prefix = side.prefix("once");
    let mut config = DropCopyConfig::new(server.url(), &prefix);
    config.snapshot_every = 1000;
    config.batch = 100;
    let room = if side == Side::Ring { config.ring_capacity } else { n as usize + 1024 };
    let mut pass = side.start(config, room);
    for (i, r) in expected.iter().enumerate() {
        pass.emit(*r);
        if i % 2000 == 0 {
            // a pace the publisher keeps up with
            thread::sleep(Duration::from_millis(2));
        }
    }
    let (stats, log) = pass.finish();
    assert!(log == expected, "the pass's log is complete and in order");
    assert_complete(&stats, n);
    if side == Side::Log {
        assert_eq!((stats.published_live, stats.backfilled, stats.overflowed), (n, 0, 0), "all read live");
    }
    let back = assert_streams(&server, &prefix, &expected, 1000);
    assert_eq!(stats.entries, back.entries.len() as u64);
    assert!(back.entries.iter().all(|e| e.reports.len() <= 100), "entries hold at most `batch` reports");
    assert_eq!(stats.snapshots, 26, "25 multiples of 1000 and the end (25,500)");
    assert_eq!((stats.reconnects, stats.refused_duplicates, stats.lost_on_server), (0, 0, 0));
    assert!(stats.max_lag >= 1);
}

fn reports_past_the_room_are_backfilled_at_the_end(side: Side) {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 3000;
    let expected = reports(n);
    let prefix = side.prefix("overflow");
    let mut config = DropCopyConfig::new(server.url(), &prefix);
    config.snapshot_every = 700;
    // the publisher wakes only once a second: the feed outruns 16 reports of room
    config.poll = Duration::from_secs(1);
    let mut pass = side.start(config, 16);
    for r in &expected {
        pass.emit(*r);
    }
    assert!(pass.overflowed() >= n - 16);
    let started = Instant::now();
    let (stats, log) = pass.finish();
    assert!(started.elapsed() < Duration::from_millis(900), "finish does not wait for the poll");
    assert!(log == expected, "the pass's log is complete and in order");
    assert_complete(&stats, n);
    assert!(stats.overflowed >= n - 16, "{stats:?}");
    assert_eq!(stats.backfilled, stats.overflowed, "{stats:?}");
    if side == Side::Log {
        assert_eq!((stats.published_live, stats.overflowed), (16, n - 16), "{stats:?}");
    }
    assert_streams(&server, &prefix, &expected, 700);
}

fn a_server_restart_mid_stream_loses_nothing_and_duplicates_nothing(side: Side) {
    let Some(mut server) = RedisServer::start(true) else { return };
    let n: u64 = 60_000;
    let expected = reports(n);
    let prefix = side.prefix("restart");
    let mut config = DropCopyConfig::new(server.url(), &prefix);
    config.snapshot_every = 5000;
    // the log smaller than the stream: the last quarter, fed after the restart, spills
    let room = if side == Side::Ring { config.ring_capacity } else { 45_000 };
    let pass = side.start(config, room);
    let (restarted_tx, restarted_rx) = std::sync::mpsc::channel::<()>();
    let feeding = {
        let expected = expected.clone();
        thread::spawn(move || {
            let mut pass = pass;
            for (i, chunk) in expected.chunks(500).enumerate() {
                for r in chunk {
                    pass.emit(*r);
                }
                thread::sleep(Duration::from_millis(3));
                // half the stream before the restart, half during and after it
                if i == 60 {
                    restarted_rx.recv().expect("the restart");
                }
            }
            pass
        })
    };
    thread::sleep(Duration::from_millis(150));
    server.restart();
    restarted_tx.send(()).expect("the feeding thread waits");
    let (stats, log) = feeding.join().expect("the feeding thread").finish();
    assert!(log == expected, "the pass's log is complete and in order");
    assert_complete(&stats, n);
    if side == Side::Log {
        assert_eq!((stats.overflowed, stats.backfilled), (15_000, 15_000), "{stats:?}");
    }
    assert!(stats.reconnects >= 1, "{stats:?}");
    assert!(stats.outage_s > 0.0, "{stats:?}");
    assert_eq!(stats.lost_on_server, 0, "the append-only file kept every acknowledged entry");
    assert_streams(&server, &prefix, &expected, 5000);
}

fn a_server_that_does_not_come_back_leaves_reports_unpublished_by_the_deadline(side: Side) {
    let Some(mut server) = RedisServer::start(false) else { return };
    let mut config = DropCopyConfig::new(server.url(), side.prefix("gone"));
    config.finish_timeout = Duration::from_millis(700);
    let room = if side == Side::Ring { config.ring_capacity } else { 300 };
    let mut pass = side.start(config, room);
    server.stop("-KILL");
    let expected = reports(500);
    for r in &expected {
        pass.emit(*r);
    }
    let started = Instant::now();
    let (stats, log) = pass.finish();
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(650) && took < Duration::from_secs(3), "{took:?}");
    assert!(log == expected, "the pass keeps its reports whatever Redis did");
    assert_eq!((stats.published, stats.unpublished), (0, 500), "{stats:?}");
    if side == Side::Log {
        assert_eq!(stats.overflowed, 200, "{stats:?}");
    }
    let error = stats.error.unwrap_or_default();
    assert!(error.contains("500 reports not confirmed") && error.contains(&server.url()), "{error}");
    assert!(stats.outage_s > 0.5);
}

#[test]
fn ring_every_report_arrives_once() {
    every_report_arrives_once_in_order_with_the_positions_of_its_fills(Side::Ring);
}

#[test]
fn log_every_report_arrives_once() {
    every_report_arrives_once_in_order_with_the_positions_of_its_fills(Side::Log);
}

#[test]
fn ring_overflow_is_backfilled() {
    reports_past_the_room_are_backfilled_at_the_end(Side::Ring);
}

#[test]
fn log_spill_is_backfilled() {
    reports_past_the_room_are_backfilled_at_the_end(Side::Log);
}

#[test]
fn ring_survives_a_server_restart() {
    a_server_restart_mid_stream_loses_nothing_and_duplicates_nothing(Side::Ring);
}

#[test]
fn log_survives_a_server_restart() {
    a_server_restart_mid_stream_loses_nothing_and_duplicates_nothing(Side::Log);
}

#[test]
fn ring_counts_what_a_vanished_server_never_confirmed() {
    a_server_that_does_not_come_back_leaves_reports_unpublished_by_the_deadline(Side::Ring);
}

#[test]
fn log_counts_what_a_vanished_server_never_confirmed() {
    a_server_that_does_not_come_back_leaves_reports_unpublished_by_the_deadline(Side::Log);
}
