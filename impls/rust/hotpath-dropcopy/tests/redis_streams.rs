//! The drop-copy against a real redis-server: every report exactly once and in order,
//! positions equal to an independent fold, a server restart in the middle of a pass, a
//! ring that overflows, a publisher started twice on one prefix, and the errors a bad URL
//! or an absent server give.

mod common;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use common::{assert_complete, assert_streams, reports, ReadBack, RedisServer};
use hotpath_core::engine::ReportSink;
use hotpath_core::format::ReportRecord;
use hotpath_dropcopy::{publish, start, DropCopyConfig, DropCopyError};

#[test]
fn every_report_arrives_once_in_order_with_the_positions_of_its_fills() {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 25_500;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "t:once");
    config.snapshot_every = 1000;
    config.batch = 100;
    let (mut feed, publisher) = start(config).expect("start");
    let mut log: Vec<ReportRecord> = Vec::new();
    for (i, r) in expected.iter().enumerate() {
        log.push(*r);
        feed.emit(*r);
        if i % 2000 == 0 {
            // a pace the publisher keeps up with: everything goes live
            thread::sleep(Duration::from_millis(2));
        }
    }
    let stats = publisher.finish(feed, Some(&log));
    assert_complete(&stats, n);
    let back = assert_streams(&server, "t:once", &expected, 1000);
    assert_eq!(stats.entries, back.entries.len() as u64);
    assert!(back.entries.iter().all(|e| e.reports.len() <= 100), "entries hold at most `batch` reports");
    assert_eq!(stats.snapshots, 26, "25 multiples of 1000 and the end (25,500)");
    assert_eq!((stats.reconnects, stats.refused_duplicates, stats.lost_on_server), (0, 0, 0));
    assert!(stats.max_lag >= 1);
}

#[test]
fn a_server_restart_mid_stream_loses_nothing_and_duplicates_nothing() {
    let Some(mut server) = RedisServer::start(true) else { return };
    let n: u64 = 60_000;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "t:restart");
    config.snapshot_every = 5000;
    let (feed, publisher) = start(config).expect("start");
    let restarted = Arc::new(AtomicBool::new(false));
    let feeding = {
        let (expected, restarted) = (expected.clone(), Arc::clone(&restarted));
        thread::spawn(move || {
            let mut feed = feed;
            let mut log = Vec::with_capacity(expected.len());
            for (i, chunk) in expected.chunks(500).enumerate() {
                for r in chunk {
                    log.push(*r);
                    feed.emit(*r);
                }
                thread::sleep(Duration::from_millis(3));
                // half the stream before the restart, half during and after it
                while i == 60 && !restarted.load(Ordering::Relaxed) {
                    thread::sleep(Duration::from_millis(1));
                }
            }
            (feed, log)
        })
    };
    thread::sleep(Duration::from_millis(150));
    server.restart();
    restarted.store(true, Ordering::Relaxed);
    let (feed, log) = feeding.join().expect("the feeding thread");
    let stats = publisher.finish(feed, Some(&log));
    assert_complete(&stats, n);
    assert!(stats.reconnects >= 1, "{stats:?}");
    assert!(stats.outage_s > 0.0, "{stats:?}");
    assert_eq!(stats.lost_on_server, 0, "the append-only file kept every acknowledged entry");
    assert_streams(&server, "t:restart", &expected, 5000);
}

#[test]
fn reports_that_overflow_the_ring_are_backfilled_from_the_log() {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 3000;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "t:overflow");
    config.ring_capacity = 16;
    config.snapshot_every = 700;
    // the publisher wakes only once a second: the feed outruns a 16-report ring
    config.poll = Duration::from_secs(1);
    let (mut feed, publisher) = start(config.clone()).expect("start");
    let mut log = Vec::new();
    for r in &expected {
        log.push(*r);
        feed.emit(*r);
    }
    assert!(feed.overflowed() > 0);
    let started = Instant::now();
    let stats = publisher.finish(feed, Some(&log));
    assert!(started.elapsed() < Duration::from_millis(900), "finish does not wait for the poll");
    assert_complete(&stats, n);
    assert!(stats.overflowed >= n - 16, "{stats:?}");
    assert_eq!(stats.backfilled, stats.overflowed, "{stats:?}");
    assert_streams(&server, "t:overflow", &expected, 700);

    // without a log to backfill from, what overflowed is unpublished, and said so
    config.prefix = "t:overflow-nolog".into();
    let (mut feed, publisher) = start(config).expect("start");
    for r in &expected {
        feed.emit(*r);
    }
    let stats = publisher.finish(feed, None);
    assert_eq!(stats.unpublished, stats.overflowed, "{stats:?}");
    assert_eq!(stats.published + stats.unpublished, n);
    assert!(stats.error.as_deref().is_some_and(|e| e.contains("overflowed")), "{stats:?}");
}

#[test]
fn a_second_pass_on_the_same_prefix_writes_nothing_twice() {
    let Some(server) = RedisServer::start(true) else { return };
    let expected = reports(1234);
    let config = DropCopyConfig::new(server.url(), "t:twice");
    let first = publish(config.clone(), &expected).expect("first pass");
    assert_complete(&first, 1234);
    let second = publish(config, &expected).expect("second pass");
    assert_complete(&second, 1234);
    assert_eq!((second.entries, second.snapshots), (0, 0), "resumed after what the server holds");
    assert_streams(&server, "t:twice", &expected, 10_000);
}

#[test]
fn a_database_in_the_url_is_selected() {
    let Some(server) = RedisServer::start(true) else { return };
    let expected = reports(10);
    let stats =
        publish(DropCopyConfig::new(format!("{}/3", server.url()), "t:db"), &expected).expect("publish");
    assert_complete(&stats, 10);
    assert!(ReadBack::read(&mut server.connect(), "t:db").entries.is_empty(), "nothing in database 0");
    let mut db3 =
        hotpath_dropcopy::client::Connection::connect(&format!("{}/3", server.url())).expect("db 3");
    assert_eq!(ReadBack::read(&mut db3, "t:db").contiguous_reports(), expected);
}

#[test]
fn a_server_that_does_not_come_back_leaves_reports_unpublished_by_the_deadline() {
    let Some(mut server) = RedisServer::start(false) else { return };
    let mut config = DropCopyConfig::new(server.url(), "t:gone");
    config.finish_timeout = Duration::from_millis(700);
    let (mut feed, publisher) = start(config).expect("start");
    server.stop("-KILL");
    let expected = reports(500);
    let mut log = Vec::new();
    for r in &expected {
        log.push(*r);
        feed.emit(*r);
    }
    let started = Instant::now();
    let stats = publisher.finish(feed, Some(&log));
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(650) && took < Duration::from_secs(3), "{took:?}");
    assert_eq!((stats.published, stats.unpublished), (0, 500), "{stats:?}");
    let error = stats.error.unwrap_or_default();
    assert!(error.contains("500 reports not confirmed") && error.contains(&server.url()), "{error}");
    assert!(stats.outage_s > 0.5);
}

#[test]
fn acknowledged_reports_a_server_without_persistence_lost_are_counted() {
    let Some(mut server) = RedisServer::start(false) else { return };
    let expected = reports(2000);
    let (mut feed, publisher) = start(DropCopyConfig::new(server.url(), "t:lost")).expect("start");
    let mut log = Vec::new();
    for r in &expected[..1000] {
        log.push(*r);
        feed.emit(*r);
    }
    let deadline = Instant::now() + Duration::from_secs(5);
    while ReadBack::read(&mut server.connect(), "t:lost").contiguous_reports().len() < 1000 {
        assert!(Instant::now() < deadline, "the first half was published");
        thread::sleep(Duration::from_millis(10));
    }
    server.stop("-KILL");
    server.start_again();
    for r in &expected[1000..] {
        log.push(*r);
        feed.emit(*r);
    }
    let stats = publisher.finish(feed, Some(&log));
    assert_eq!(stats.lost_on_server, 1000, "{stats:?}");
    assert_eq!((stats.published, stats.unpublished), (2000, 0), "{stats:?}");
    assert!(stats.reconnects >= 1);
    let back = ReadBack::read(&mut server.connect(), "t:lost");
    assert_eq!(
        back.entries.first().map(|e| e.first),
        Some(1001),
        "the publisher went on after its last report"
    );
}

#[test]
fn a_bad_url_or_an_absent_server_is_a_clear_error_from_start() {
    let err = start(DropCopyConfig::new("http://127.0.0.1:6379", "p")).err().expect("refused");
    assert!(matches!(err, DropCopyError::Url { .. }), "{err}");
    assert!(err.to_string().contains("http://127.0.0.1:6379"), "{err}");

    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let url = format!("redis://127.0.0.1:{port}");
    let err = start(DropCopyConfig::new(url.clone(), "p")).err().expect("nobody listens");
    assert!(matches!(err, DropCopyError::Connection { .. }), "{err}");
    assert!(err.to_string().contains(&url), "{err}");

    let mut config = DropCopyConfig::new(url, "p");
    config.batch = 1000;
    let err = start(config).err().expect("refused before connecting");
    assert!(err.to_string().contains("batch"), "{err}");
}

#[test]
fn a_key_of_another_type_is_refused_by_start() {
    let Some(server) = RedisServer::start(true) else { return };
    let mut conn = server.connect();
    conn.call(&[b"SET", b"t:wrong:reports", b"x"]).expect("SET");
    let err = start(DropCopyConfig::new(server.url(), "t:wrong")).err().expect("not a stream");
    assert!(matches!(err, DropCopyError::Server { .. }), "{err}");
    assert!(err.to_string().contains("WRONGTYPE"), "{err}");
}
