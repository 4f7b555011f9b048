//! What the integration tests share: a deterministic report stream, the streams read
//! back and checked against the contract, the snapshots expected of them, the two
//! assertions every pass ends with, and a pass through either side of the hot path (the
//! ring or the shared log), so that one scenario tests both.
#![allow(dead_code)]

use std::collections::BTreeMap;

use hotpath_core::engine::ReportSink;
use hotpath_core::format::ReportRecord;
use hotpath_dropcopy::client::Connection;
use hotpath_dropcopy::layout::{Position, PositionsEntry, ReportsEntry, StreamKeys};
pub use hotpath_dropcopy::test_server::RedisServer;
use hotpath_dropcopy::{
    start, start_with_log, DropCopyConfig, DropCopyStats, LogPublisher, LogWriter, Publisher, ReportFeed,
};

/// A deterministic mix of reports, seqs 1 … n: a third of them fills, over three
/// accounts and four instruments, both sides.
pub fn reports(n: u64) -> Vec<ReportRecord> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    (1..=n)
        .map(|seq| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            ReportRecord {
                seq,
                event_index: seq / 2,
                order_id: x >> 40,
                kind: [1, 3, 3, 4, 2, 5][(x % 6) as usize],
                side: 1 + (x >> 8 & 1) as u8,
                qty: (x >> 16 & 0xffff) as i64,
                price: (x >> 32 & 0xfff) as i64,
                account: (x >> 50 & 3) as u16 % 3,
                instrument: (x >> 54 & 3) as u16,
                venue: 255,
                ..Default::default()
            }
        })
        .collect()
}

/// What the two streams under `prefix` hold, checked against the layout.
pub struct ReadBack {
    pub entries: Vec<ReportsEntry>,
    pub snapshots: Vec<PositionsEntry>,
}

impl ReadBack {
    pub fn read(conn: &mut Connection, prefix: &str) -> ReadBack {
        let keys = StreamKeys::new(prefix);
        let entries = conn
            .read_stream(&keys.reports)
            .expect("XRANGE reports")
            .iter()
            .map(|e| ReportsEntry::try_from(e).expect("a reports entry of the contract"))
            .collect();
        let snapshots = conn
            .read_stream(&keys.positions)
            .expect("XRANGE positions")
            .iter()
            .map(|e| PositionsEntry::try_from(e).expect("a positions entry of the contract"))
            .collect();
        ReadBack { entries, snapshots }
    }

    /// Every report, in stream order, asserting entries follow each other without gap or
    /// overlap from seq 1.
    pub fn contiguous_reports(&self) -> Vec<ReportRecord> {
        let mut next = 1;
        let mut all = Vec::new();
        for e in &self.entries {
            assert_eq!(e.first, next, "entries are contiguous from seq 1");
            next += e.reports.len() as u64;
            all.extend_from_slice(&e.reports);
        }
        all
    }
}

/// The snapshots the contract asks for, computed here independently of the crate: a
/// running map of every pair that had a fill, after each multiple of `every` and at the
/// end.
pub fn expected_snapshots(reports: &[ReportRecord], every: u64) -> Vec<PositionsEntry> {
    let mut book: BTreeMap<(u16, u16), i64> = BTreeMap::new();
    let mut out = Vec::new();
    let snapshot = |book: &BTreeMap<(u16, u16), i64>, as_of| PositionsEntry {
        as_of,
        positions: book
            .iter()
            .map(|(&(account, instrument), &position)| Position { account, instrument, position })
            .collect(),
    };
    for r in reports {
        if r.kind == 3 {
            let p = book.entry((r.account, r.instrument)).or_default();
            *p = if r.side == 1 { p.wrapping_add(r.qty) } else { p.wrapping_sub(r.qty) };
        }
        if r.seq % every == 0 {
            out.push(snapshot(&book, r.seq));
        }
    }
    if let Some(last) = reports.last() {
        if last.seq % every != 0 {
            out.push(snapshot(&book, last.seq));
        }
    }
    out
}

/// Asserts the pass published every report once: counts agree, nothing is missing.
pub fn assert_complete(stats: &DropCopyStats, n: u64) {
    assert_eq!(stats.error, None, "{stats:?}");
    assert_eq!((stats.produced, stats.published, stats.unpublished), (n, n, 0), "{stats:?}");
    assert_eq!(stats.published_live + stats.backfilled, stats.published, "{stats:?}");
}

/// Asserts the streams under `prefix` hold exactly `expected` and its snapshots.
pub fn assert_streams(server: &RedisServer, prefix: &str, expected: &[ReportRecord], every: u64) -> ReadBack {
    let back = ReadBack::read(&mut server.connect(), prefix);
    let got = back.contiguous_reports();
    assert_eq!(got.len(), expected.len(), "every report once");
    assert!(got == expected, "the stream holds the reports, in order, byte for byte");
    assert_eq!(back.snapshots, expected_snapshots(expected, every), "positions equal an independent fold");
    back
}

/// Which of the hot path's two sides a pass goes through.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Side {
    /// A feed into the ring beside the caller's own log ([`start`]): the gateway, `publish`.
    Ring,
    /// The shared log the publisher reads behind its writer ([`start_with_log`]): the
    /// in-process Rust builds.
    Log,
}

impl Side {
    /// Prefixes of one side's passes apart from the other's on a shared server.
    pub fn prefix(self, name: &str) -> String {
        format!("{self:?}:{name}").to_lowercase()
    }

    /// Starts a pass with `config`; `room` reports fit before anything overflows (the
    /// ring's capacity, or the log's).
    pub fn start(self, mut config: DropCopyConfig, room: usize) -> Pass {
        match self {
            Side::Ring => {
                config.ring_capacity = room;
                let (feed, publisher) = start(config).expect("start");
                Pass::Ring { feed, publisher, log: Vec::new() }
            }
            Side::Log => {
                let (log, publisher) = start_with_log(config, room).expect("start");
                Pass::Log { log, publisher }
            }
        }
    }
}

/// One pass in progress, through either side.
pub enum Pass {
    /// The ring's feed, and the log the caller keeps beside it (what a finish backfills from).
    Ring { feed: ReportFeed, publisher: Publisher, log: Vec<ReportRecord> },
    /// The shared log.
    Log { log: LogWriter, publisher: LogPublisher },
}

impl Pass {
    /// What the engine does with a report.
    pub fn emit(&mut self, report: ReportRecord) {
        match self {
            Pass::Ring { feed, log, .. } => {
                log.push(report);
                feed.emit(report);
            }
            Pass::Log { log, .. } => log.emit(report),
        }
    }

    /// Reports beyond the room the pass started with.
    pub fn overflowed(&self) -> u64 {
        match self {
            Pass::Ring { feed, .. } => feed.overflowed(),
            Pass::Log { log, .. } => log.overflowed(),
        }
    }

    /// Ends the pass: its figures and its complete report log.
    pub fn finish(self) -> (DropCopyStats, Vec<ReportRecord>) {
        match self {
            Pass::Ring { feed, publisher, log } => (publisher.finish(feed, Some(&log)), log),
            Pass::Log { log, publisher } => publisher.finish(log),
        }
    }
}
