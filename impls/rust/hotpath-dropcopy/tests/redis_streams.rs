//! The ring's own cases against a real redis-server (both_sides.rs has those the shared log
//! shares): a ring that overflows with no log to backfill from, a publisher started twice
//! on one prefix, a database in the URL, acknowledged entries a server lost, and the errors
//! a bad URL or an absent server give.

mod common;

use std::thread;
use std::time::{Duration, Instant};

use common::{assert_complete, assert_streams, reports, ReadBack, RedisServer};
use hotpath_core::engine::ReportSink;
use hotpath_dropcopy::{publish, start, DropCopyConfig, DropCopyError};

#[test]
fn what_overflows_the_ring_without_a_log_to_backfill_from_is_unpublished_and_said_so() {
    let Some(server) = RedisServer::start(true) else { return };
    let n = 3000;
    let expected = reports(n);
    let mut config = DropCopyConfig::new(server.url(), "t:overflow-nolog");
    config.ring_capacity = 16;
    // the publisher wakes only once a second: the feed outruns a 16-report ring
    config.poll = Duration::from_secs(1);
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
