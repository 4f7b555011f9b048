//! `--drop-copy` against a real redis-server: each session's reports reach its own
//! streams exactly once, its figures come back in FINISHED and at shutdown; a Redis that
//! is not there stops the gateway at start-up with the URL named.

use std::process::Command;

use hotpath_core::format::{
    records_as_bytes, text_frame, EventRecord, ReportRecord, ScenarioMeta, WireHeader, WireKind,
    WIRE_HEADER_SIZE,
};
use hotpath_core::Engine;
use hotpath_dropcopy::layout::{ReportsEntry, StreamKeys};
use hotpath_dropcopy::test_server::RedisServer;
use hotpath_gateway::options::DropCopyTarget;
use hotpath_gateway::session::{Backend, Session};

fn meta_json() -> String {
    serde_json::json!({
        "schema": 1, "name": "t",
        "instruments": [{"id": 0, "symbol": "X", "tick_size": 1, "lot_size": 1, "band_bps": 500,
                         "max_order_qty": 1000, "max_price": 1_000_000}],
        "venues": [{"id": 0, "name": "V"}],
        "accounts": [{"id": 0, "name": "A", "limits": {"max_order_notional": 1_000_000_000,
            "max_gross_notional": 1_000_000_000, "max_position": [1_000_000], "rate_limit_count": 1000,
            "rate_limit_window_ns": 1_000_000_000, "max_open_orders": 100, "max_loss": 1_000_000_000}}]
    })
    .to_string()
}

/// Quotes on both sides, then orders that cross them (fills) and rest (acks).
fn events() -> Vec<EventRecord> {
    let md = |ts, side, price| EventRecord { ts, kind: 1, side, price, qty: 10, ..Default::default() };
    let new = |ts, id, side, price| EventRecord {
        ts,
        id,
        kind: 3,
        side,
        order_type: 1,
        price,
        qty: 2,
        venue: 255,
        ..Default::default()
    };
    let mut evs = vec![md(1, 1, 99), md(2, 2, 101)];
    for i in 0..40u64 {
        let side = 1 + (i % 2) as u8;
        evs.push(new(3 + i, 1 + i, side, if side == 1 { 101 } else { 99 }));
        evs.push(md(3 + i, 1, 99));
        evs.push(md(3 + i, 2, 101));
    }
    evs
}

fn events_frame(seq: u64, events: &[EventRecord]) -> Vec<u8> {
    let mut f = WireHeader { kind: WireKind::Events, count: events.len() as u32, seq }.to_bytes().to_vec();
    f.extend_from_slice(records_as_bytes(events));
    f
}

fn stream(server: &RedisServer, prefix: &str) -> Vec<u8> {
    let mut conn = server.connect();
    let entries = conn.read_stream(&StreamKeys::new(prefix).reports).expect("XRANGE");
    let mut next = 1;
    let mut bytes = Vec::new();
    for e in &entries {
        let e = ReportsEntry::try_from(e).expect("an entry of the contract");
        assert_eq!(e.first, next, "entries contiguous from seq 1");
        next += e.reports.len() as u64;
        bytes.extend_from_slice(records_as_bytes(&e.reports));
    }
    bytes
}

#[test]
fn each_session_publishes_its_reports_under_its_own_prefix() {
    let Some(server) = RedisServer::start(true) else { return };
    let meta = ScenarioMeta::from_json("t", meta_json().as_bytes()).expect("meta");
    let evs = events();
    let mut expected: Vec<ReportRecord> = Vec::new();
    Engine::new(&meta).expect("engine").replay(&evs, &mut expected);
    assert!(expected.iter().any(|r| r.kind == 3), "the scenario fills");

    let target = DropCopyTarget {
        url: server.url(),
        prefix: "gw".into(),
        snapshot_every: hotpath_dropcopy::DEFAULT_SNAPSHOT_EVERY,
    };
    let mut s = Session::new(Backend::Engine, "wire-rust", "inline").with_drop_copy(target);
    let mut out = Vec::new();
    for session in 1..=2u64 {
        s.handle(&text_frame(WireKind::Start, meta_json().as_bytes()), &mut out);
        for (seq, chunk) in (1u64..).zip(evs.chunks(7)) {
            s.handle(&events_frame(seq, chunk), &mut out);
        }
        s.handle(&WireHeader { kind: WireKind::Finish, count: 0, seq: 0 }.to_bytes(), &mut out);
        let summary: serde_json::Value = serde_json::from_slice(&out[WIRE_HEADER_SIZE..]).expect("json");
        let dc = &summary["drop_copy"];
        let prefix = format!("gw:session-{session}");
        assert_eq!(dc["prefix"], prefix.as_str(), "{summary}");
        assert_eq!(dc["session"], session);
        let n = expected.len() as u64;
        assert_eq!((dc["produced"].as_u64(), dc["published"].as_u64()), (Some(n), Some(n)), "{summary}");
        assert_eq!((dc["unpublished"].as_u64(), dc["error"].is_null()), (Some(0), true), "{summary}");
        assert!(
            stream(&server, &prefix) == records_as_bytes(&expected),
            "session {session}: every report once"
        );
    }
    let life = s.finish_drop_copy().expect("--drop-copy was given");
    assert_eq!(life["prefix"], "gw");
    assert_eq!(life["sessions"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_redis_that_is_not_there_stops_the_gateway_at_start_up() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
    let url = format!("redis://127.0.0.1:{port}");
    let out = Command::new(env!("CARGO_BIN_EXE_hotpath-gateway"))
        .args(["--bind", "tcp://127.0.0.1:0", "--drop-copy", &url, "--drop-copy-prefix", "p"])
        .output()
        .expect("the gateway runs");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--drop-copy") && stderr.contains(&url), "{stderr}");
    assert!(out.stdout.is_empty(), "it never listened");
}
