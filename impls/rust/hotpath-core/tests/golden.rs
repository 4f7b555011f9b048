//! The committed golden files (written once by `tests/golden/make_golden.py`) read through
//! the Rust views: both languages must see the same values at the same offsets.

use hotpath_core::digest::{report_digest, sha256_hex};
use hotpath_core::format::{EventFile, EventKind, Reason, ReportFile, ReportKind, VENUE_ANY};

fn golden(name: &str) -> String {
    format!("{}/../../../tests/golden/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn golden_events_read_in_place_with_every_field() {
    let f = EventFile::open(golden("events-v1.hpe")).expect("golden events");
    assert_eq!(sha256_hex(f.bytes()), "61207c305615a7252347d4e61ecf20ccdb8c5962a74f32297341bb25c1c803c5");
    assert_eq!(f.header().data_offset, 704);
    let e = f.events();
    assert_eq!(e.len(), 5);
    let kinds: Vec<_> = e.iter().map(|r| EventKind::from_u8(r.kind)).collect();
    assert_eq!(
        kinds,
        [EventKind::BookDelta, EventKind::Trade, EventKind::NewOrder, EventKind::Cancel, EventKind::Replace]
            .map(Some)
    );
    assert_eq!((e[0].ts, e[0].price, e[0].qty, e[0].venue, e[0].side), (1_000, 600_000_000, 250_000, 2, 1));
    assert_eq!((e[2].id, e[2].venue, e[2].order_type), (0x0102_0304_0506_0708, VENUE_ANY, 1));
    assert_eq!((e[3].id, e[3].orig_id), (0x1112_1314_1516_1718, 0x0102_0304_0506_0708));
    let last = e[4];
    assert_eq!((last.id, last.orig_id, last.price, last.qty), (77, 0x0102_0304_0506_0708, -5, -7));
    assert_eq!(
        (last.instrument, last.account, last.side, last.order_type, last.venue),
        (0xABCD, 0xFEDC, 2, 3, 254)
    );
    let m = f.meta();
    assert_eq!(m.instruments[0].tick_size, 10);
    assert_eq!(m.accounts[0].limits.max_order_notional, 9_000_000_000_000_000_000);
    assert_eq!(m.venues.len(), 3);
    let base = f.bytes().as_ptr() as usize + 704;
    assert_eq!(e.as_ptr() as usize, base, "records are viewed over the mapping, not copied");
}

#[test]
fn golden_reports_read_and_digest_like_python() {
    let f = ReportFile::open(golden("reports-v1.hpr")).expect("golden reports");
    let r = f.reports();
    assert_eq!(r.iter().map(|x| x.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
    assert_eq!(ReportKind::from_u8(r[1].kind), Some(ReportKind::Fill));
    assert_eq!((r[1].liquidity, r[1].venue, r[1].qty), (2, 1, 1_000));
    assert_eq!(Reason::from_u8(r[3].reason), Some(Reason::UnknownInstrument));
    assert_eq!((r[3].instrument, r[3].account, r[3].venue), (0xABCD, 0xFEDC, 254));
    let body = &std::fs::read(golden("reports-v1.hpr")).expect("read")[128..];
    assert_eq!(report_digest(r), sha256_hex(body));
}

#[test]
fn golden_event_file_opened_as_reports_is_refused_with_the_offset() {
    let err = ReportFile::open(golden("events-v1.hpe")).err().expect("wrong kind");
    let msg = err.to_string();
    assert!(msg.contains("events-v1.hpe: at byte offset 0: bad magic"), "{msg}");
}

#[test]
fn missing_file_is_an_io_error_naming_it() {
    let err = EventFile::open("/nonexistent/x.hpe").err().expect("missing");
    assert!(err.to_string().starts_with("/nonexistent/x.hpe:"), "{err}");
}
