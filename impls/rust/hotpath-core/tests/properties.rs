//! Property tests of the engine: hostile input never panics, and the books of account
//! always agree with the report stream (`docs/pipeline.md`).

use std::collections::HashMap;

use hotpath_core::engine::{Canary, Cash, Engine, OrderStatus};
use hotpath_core::format::{
    AccountLimits, AccountMeta, CancelReason, EventKind, EventRecord, InstrumentMeta, Reason, ReportKind,
    ReportRecord, ScenarioMeta, Side, VenueMeta,
};
use proptest::prelude::*;

/// Two instruments, three venues, three accounts; `tight` makes rejects, throttling and
/// kill-switch trips common.
fn meta(tight: bool) -> ScenarioMeta {
    let limits = |a: u16| AccountLimits {
        max_order_notional: if tight { 40_000 } else { 1_000_000_000 },
        max_gross_notional: if tight { 200_000 } else { 10_000_000_000 },
        max_position: if tight { vec![60, 200] } else { vec![1_000_000, 1_000_000] },
        rate_limit_count: if tight { 4 } else { 10_000 },
        rate_limit_window_ns: 50,
        max_open_orders: if tight { 5 } else { 1000 },
        max_loss: if tight { i64::from(a) * 300 } else { 1_000_000_000 },
    };
    ScenarioMeta {
        schema: 1,
        name: "prop".into(),
        instruments: vec![
            InstrumentMeta {
                id: 0,
                symbol: "A".into(),
                tick_size: 1,
                lot_size: 1,
                max_order_qty: 50,
                max_price: 2000,
                band_bps: 300,
            },
            InstrumentMeta {
                id: 1,
                symbol: "B".into(),
                tick_size: 5,
                lot_size: 10,
                max_order_qty: 100,
                max_price: 2000,
                band_bps: 2000,
            },
        ],
        venues: (0..3).map(|id| VenueMeta { id, name: format!("v{id}") }).collect(),
        accounts: (0..3).map(|id| AccountMeta { id, name: format!("a{id}"), limits: limits(id) }).collect(),
    }
}

/// Any bit pattern in every field.
fn hostile() -> impl Strategy<Value = EventRecord> {
    (any::<[u64; 3]>(), any::<[i64; 2]>(), any::<[u16; 2]>(), any::<[u8; 4]>()).prop_map(
        |([ts, id, orig_id], [price, qty], [instrument, account], [kind, side, order_type, venue])| {
            EventRecord { ts, id, orig_id, price, qty, instrument, account, kind, side, order_type, venue }
        },
    )
}

/// Mostly well-formed market data and requests around a price of 1000, with a share of
/// bad fields, so that deep paths (fills, replaces, halts) run often.
fn plausible() -> impl Strategy<Value = EventRecord> {
    (
        prop_oneof![4 => Just(1u8), 2 => Just(2u8), 3 => Just(3u8), 1 => Just(4u8), 1 => Just(5u8), 1 => 0u8..=255],
        prop_oneof![6 => 0u8..3, 1 => Just(255u8), 1 => 3u8..=254],
        prop_oneof![8 => 1u8..=2, 1 => Just(0u8), 1 => 3u8..=255],
        prop_oneof![8 => 1u8..=3, 1 => Just(0u8), 1 => 4u8..=255],
        -12i64..12,
        0i64..8,
        0u16..4,
        1u64..30,
        1u64..30,
        prop_oneof![8 => Just(0u16), 2 => Just(1u16), 1 => Just(2u16)],
    )
        .prop_map(|(kind, venue, side, order_type, off, q, account, id, orig_id, instrument)| {
            let tick = if instrument == 1 { 5 } else { 1 };
            let lot = if instrument == 1 { 10 } else { 1 };
            EventRecord {
                ts: 0,
                id,
                orig_id,
                price: 1000 + off * tick,
                qty: if kind == 1 { q * lot * 3 } else { q * lot },
                instrument,
                account: account.min(3),
                kind,
                side,
                order_type,
                venue,
            }
        })
}

/// A stream with non-decreasing timestamps, and ids that look like real order flow: each
/// request gets a fresh id (a few reuse the previous one), and a cancel or replace names
/// one of the last few NEW orders of its account, so that it often finds a live order.
fn timed(events: Vec<(EventRecord, u64)>) -> Vec<EventRecord> {
    let mut ts = 0;
    let mut recent: [Vec<u64>; 4] = Default::default();
    events
        .into_iter()
        .enumerate()
        .map(|(i, (ev, dt))| {
            ts += dt;
            let n = i as u64 + 10;
            let id = if ev.id < 3 { n - 1 } else { n };
            let mine = &mut recent[usize::from(ev.account.min(3))];
            let orig_id = match mine.len() {
                0 => n - 1,
                len => mine[(ev.orig_id as usize) % len.min(6) + len.saturating_sub(6)],
            };
            if ev.kind == EventKind::NewOrder as u8 {
                mine.push(id);
            }
            EventRecord { ts, id, orig_id, ..ev }
        })
        .collect()
}

/// Every invariant that ties the engine's state to its reports.
fn check_invariants(
    engine: &Engine,
    events: &[EventRecord],
    reports: &[ReportRecord],
) -> Result<(), TestCaseError> {
    // Numbering.
    for (i, r) in reports.iter().enumerate() {
        prop_assert_eq!(r.seq, i as u64 + 1);
        prop_assert_eq!(r.pad, [0; 6]);
    }
    prop_assert!(reports.windows(2).all(|w| w[0].event_index <= w[1].event_index));
    let mut by_event: HashMap<u64, Vec<&ReportRecord>> = HashMap::new();
    for r in reports {
        by_event.entry(r.event_index).or_default().push(r);
    }
    // One outcome per request; market data only fills and halts.
    for (i, ev) in events.iter().enumerate() {
        let rs = by_event.get(&(i as u64)).cloned().unwrap_or_default();
        if ev.is_request() {
            let outcomes = rs
                .iter()
                .filter(|r| match ReportKind::from_u8(r.kind) {
                    Some(ReportKind::Reject | ReportKind::Ack | ReportKind::Replaced) => r.order_id == ev.id,
                    Some(ReportKind::Cancelled) => {
                        r.reason == CancelReason::Requested as u8
                            && r.ref_id == ev.id
                            && ev.kind == EventKind::Cancel as u8
                    }
                    _ => false,
                })
                .count();
            prop_assert_eq!(outcomes, 1, "event {} {:?}: {:?}", i, ev, rs);
            if let Some(rej) = rs.iter().position(|r| r.kind == ReportKind::Reject as u8) {
                prop_assert_eq!(rej, rs.len() - 1, "a REJECT ends its request's reports");
            }
        } else if ev.kind == EventKind::Trade as u8 {
            prop_assert!(rs.iter().all(|r| r.kind == ReportKind::Fill as u8
                || r.kind == ReportKind::Halt as u8
                || r.reason == CancelReason::KillSwitch as u8));
        } else {
            prop_assert!(rs.is_empty(), "event {} {:?} reported {:?}", i, ev, rs);
        }
    }
    // Positions and cash are the signed sums of fills; no order is overfilled.
    let mut position: HashMap<(u16, u16), i64> = HashMap::new();
    let mut cash: HashMap<u16, Cash> = HashMap::new();
    let mut filled: HashMap<(u16, u64), i64> = HashMap::new();
    for r in reports.iter().filter(|r| r.kind == ReportKind::Fill as u8) {
        let signed = if r.side == Side::Buy as u8 { r.qty } else { -r.qty };
        *position.entry((r.account, r.instrument)).or_default() += signed;
        cash.entry(r.account).or_default().sub(i128::from(r.price) * i128::from(signed));
        *filled.entry((r.account, r.order_id)).or_default() += r.qty;
    }
    let mut live = 0;
    for a in 0..3u16 {
        let acct = engine.account(a).expect("known account");
        prop_assert_eq!(acct.cash(), cash.get(&a).copied().unwrap_or_default());
        let mine: Vec<_> = engine.orders().iter().filter(|o| o.account == a).collect();
        let open: Vec<_> = mine.iter().filter(|o| o.status == OrderStatus::Live).collect();
        live += open.len();
        prop_assert_eq!(acct.open_orders(), open.len() as u64);
        let notional: i128 = open.iter().map(|o| i128::from(o.price) * i128::from(o.remaining)).sum();
        prop_assert_eq!(acct.open_notional(), notional);
        for i in 0..2u16 {
            let h = acct.holding(i).expect("known instrument");
            prop_assert_eq!(h.position, position.get(&(a, i)).copied().unwrap_or(0));
            let open_side = |s: Side| -> i128 {
                open.iter()
                    .filter(|o| o.instrument == i && o.side == s)
                    .map(|o| i128::from(o.remaining))
                    .sum()
            };
            prop_assert_eq!(h.open_buy, open_side(Side::Buy));
            prop_assert_eq!(h.open_sell, open_side(Side::Sell));
        }
        for o in &mine {
            let f = filled.get(&(a, o.id)).copied().unwrap_or(0);
            prop_assert!(o.remaining >= 0 && o.remaining <= o.qty, "{:?}", o);
            prop_assert_eq!(f, o.qty - o.remaining, "fills of {:?}", o);
            if o.status == OrderStatus::Filled {
                prop_assert_eq!(o.remaining, 0);
            }
            if o.status == OrderStatus::Live {
                prop_assert!(o.remaining > 0 && o.queue_ahead >= 0);
            }
        }
        if acct.is_halted() {
            prop_assert!(open.is_empty(), "a halted account has nothing live");
        }
    }
    prop_assert_eq!(engine.live_orders(), live);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn hostile_events_never_panic(
        tight in any::<bool>(),
        events in proptest::collection::vec(prop_oneof![hostile(), plausible()], 0..300),
    ) {
        let mut engine = Engine::new(&meta(tight)).expect("valid metadata");
        let mut reports = Vec::new();
        engine.replay(&events, &mut reports);
        for (i, r) in reports.iter().enumerate() {
            prop_assert_eq!(r.seq, i as u64 + 1);
        }
    }

    #[test]
    fn extreme_limits_and_prices_never_panic(
        events in proptest::collection::vec(hostile(), 0..200),
        big in proptest::collection::vec((1i64..=i64::MAX, 0i64..=i64::MAX), 4),
    ) {
        // Limits and grids at the edges of i64, prices anywhere: all arithmetic must stay
        // exact or saturate where only a comparison depends on it.
        let mut m = meta(false);
        for (ins, &(a, b)) in m.instruments.iter_mut().zip(&big) {
            ins.max_price = a;
            ins.max_order_qty = a;
            ins.band_bps = b;
        }
        for acct in &mut m.accounts {
            acct.limits = AccountLimits {
                max_order_notional: i64::MAX,
                max_gross_notional: i64::MAX,
                max_position: vec![i64::MAX, big[2].1],
                rate_limit_count: u32::MAX,
                rate_limit_window_ns: u64::MAX,
                max_open_orders: u32::MAX,
                max_loss: big[3].1,
            };
        }
        let mut engine = Engine::new(&m).expect("valid metadata");
        let mut reports = Vec::new();
        // Books at extreme prices first, so sweeps and references use them.
        let books: Vec<EventRecord> = [(1, i64::MAX), (2, 1), (1, 1), (2, i64::MAX - 1)]
            .iter()
            .map(|&(side, price)| EventRecord { kind: 1, side, price, qty: i64::MAX, ..EventRecord::default() })
            .collect();
        engine.replay(&books, &mut reports);
        for (i, ev) in events.iter().enumerate() {
            engine.handle(i as u64, ev, &mut reports);
            // Steer some of the hostile requests into valid ranges.
            let tamed = EventRecord { kind: ev.kind % 6, instrument: 0, account: 0, venue: ev.venue % 4, side: ev.side % 3, order_type: ev.order_type % 4, price: ev.price.max(1), qty: ev.qty.max(1), ..*ev };
            engine.handle(i as u64, &tamed, &mut reports);
        }
    }

    #[test]
    fn books_of_account_agree_with_the_reports(
        tight in any::<bool>(),
        events in proptest::collection::vec((plausible(), 0u64..20), 1..400),
    ) {
        let events = timed(events);
        let mut engine = Engine::new(&meta(tight)).expect("valid metadata");
        let mut reports = Vec::new();
        engine.replay(&events, &mut reports);
        check_invariants(&engine, &events, &reports)?;
        // Deterministic: a second run gives the same bytes.
        let mut again = Vec::new();
        Engine::new(&meta(tight)).expect("valid metadata").replay(&events, &mut again);
        prop_assert_eq!(again, reports);
    }

    /// A canary slows the engine down and changes nothing it reports.
    #[test]
    fn canaries_change_no_report(
        tight in any::<bool>(),
        events in proptest::collection::vec((plausible(), 0u64..20), 1..1200),
    ) {
        let events = timed(events);
        let mut plain = Vec::new();
        Engine::new(&meta(tight)).expect("valid metadata").replay(&events, &mut plain);
        for canary in [Canary::Uniform, Canary::Tail] {
            let mut engine = Engine::new(&meta(tight)).expect("valid metadata");
            engine.set_canary(canary);
            let mut reports = Vec::new();
            engine.replay(&events, &mut reports);
            prop_assert_eq!(&reports, &plain);
        }
    }

    /// `verdict` states no rule of its own: before each request it predicts exactly what
    /// handling the request then reports (its REJECT reason, or no REJECT), and it changes
    /// nothing.
    #[test]
    fn the_verdict_is_what_handling_reports(
        tight in any::<bool>(),
        events in proptest::collection::vec((plausible(), 0u64..20), 1..400),
    ) {
        let events = timed(events);
        let mut engine = Engine::new(&meta(tight)).expect("valid metadata");
        let mut reports = Vec::new();
        for (i, ev) in events.iter().enumerate() {
            let predicted = engine.verdict(ev);
            prop_assert_eq!(engine.verdict(ev), predicted, "asking twice gives the same answer");
            reports.clear();
            engine.handle(i as u64, ev, &mut reports);
            let rejected = reports
                .iter()
                .find(|r| r.kind == ReportKind::Reject as u8)
                .map(|r| Reason::from_u8(r.reason).expect("a defined reason"));
            prop_assert_eq!(predicted.err(), rejected, "event {} {:?}", i, ev);
        }
    }

    #[test]
    fn metadata_is_checked_not_trusted(
        tick in -2i64..3, lot in -2i64..3, band in -2i64..3, venues in 0usize..3, loss in -2i64..3,
        positions in 0usize..4, id in 0u16..3,
    ) {
        let mut m = meta(false);
        m.instruments[0].tick_size = tick;
        m.instruments[1].lot_size = lot;
        m.instruments[0].band_bps = band;
        m.venues.truncate(venues);
        m.accounts[1].limits.max_loss = loss;
        m.accounts[2].limits.max_position.truncate(positions);
        m.accounts[0].id = id;
        let valid = tick > 0 && lot > 0 && band >= 0 && venues > 0 && loss >= 0 && positions >= 2 && id == 0;
        match Engine::new(&m) {
            Ok(mut e) => {
                prop_assert!(valid);
                let mut out = Vec::new();
                e.handle(0, &EventRecord { kind: 3, side: 1, order_type: 1, price: 1000, qty: 1, ..EventRecord::default() }, &mut out);
                prop_assert_eq!(out.len(), 1);
            }
            Err(err) => {
                prop_assert!(!valid);
                prop_assert!(err.to_string().contains("<metadata>"), "{}", err);
            }
        }
    }
}
