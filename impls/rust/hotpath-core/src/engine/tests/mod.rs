//! Scenario tests of the engine, one file per part of `docs/pipeline.md`, on a small
//! default configuration ([`meta`]) that each test adjusts.

mod desk;
mod execution;
mod killswitch;
mod market_data;
mod replace;
mod reports;
mod risk;
mod validation;

use super::{Engine, OrderStatus};
use crate::format::{
    AccountLimits, AccountMeta, CancelReason, EventKind, EventRecord, InstrumentMeta, Liquidity, OrderType,
    Reason, ReportKind, ReportRecord, ScenarioMeta, Side, VenueMeta, VENUE_ANY,
};

pub(super) use Side::{Buy as BUY, Sell as SELL};
pub(super) const ANY: u8 = VENUE_ANY;

/// Two instruments (0: tick 1, lot 1, band 10 %; 1: tick 5, lot 10, band 5 %), three
/// venues, three accounts with limits far from any test's flow.
pub(super) fn meta() -> ScenarioMeta {
    let limits = AccountLimits {
        max_order_notional: 1_000_000_000,
        max_gross_notional: 10_000_000_000,
        max_position: vec![1_000_000, 1_000_000],
        rate_limit_count: 1000,
        rate_limit_window_ns: 1_000_000_000,
        max_open_orders: 1000,
        max_loss: 1_000_000_000,
    };
    ScenarioMeta {
        schema: 1,
        name: "unit".into(),
        instruments: vec![
            InstrumentMeta {
                id: 0,
                symbol: "A".into(),
                tick_size: 1,
                lot_size: 1,
                max_order_qty: 1_000_000,
                max_price: 1_000_000,
                band_bps: 1000,
            },
            InstrumentMeta {
                id: 1,
                symbol: "B".into(),
                tick_size: 5,
                lot_size: 10,
                max_order_qty: 1000,
                max_price: 100_000,
                band_bps: 500,
            },
        ],
        venues: (0..3).map(|id| VenueMeta { id, name: format!("v{id}") }).collect(),
        accounts: (0..3)
            .map(|id| AccountMeta { id, name: format!("a{id}"), limits: limits.clone() })
            .collect(),
    }
}

/// An engine fed one event at a time, with event time advancing by 1 ns per event.
pub(super) struct Lab {
    pub(super) engine: Engine,
    index: u64,
    ts: u64,
    /// Every report so far.
    pub(super) all: Vec<ReportRecord>,
}

impl Lab {
    pub(super) fn new() -> Lab {
        Lab::with(|_| {})
    }

    pub(super) fn with(adjust: impl FnOnce(&mut ScenarioMeta)) -> Lab {
        let mut m = meta();
        adjust(&mut m);
        Lab { engine: Engine::new(&m).expect("valid test metadata"), index: 0, ts: 1, all: Vec::new() }
    }

    /// Sets the time of the next events.
    pub(super) fn at(&mut self, ts: u64) -> &mut Lab {
        self.ts = ts;
        self
    }

    /// Handles `ev` (its `ts` replaced by the lab's clock) and returns its reports with
    /// `seq` and `event_index` zeroed, after checking those two fields.
    pub(super) fn send(&mut self, mut ev: EventRecord) -> Vec<ReportRecord> {
        ev.ts = self.ts;
        let before = self.all.len();
        let first_seq = self.engine.last_seq() + 1;
        self.engine.handle(self.index, &ev, &mut self.all);
        let out: Vec<ReportRecord> = self.all[before..].to_vec();
        for (i, r) in out.iter().enumerate() {
            assert_eq!(r.seq, first_seq + i as u64, "seq is gap-free");
            assert_eq!(r.event_index, self.index, "event_index is the input position");
            assert_eq!(r.pad, [0; 6]);
        }
        self.index += 1;
        out.into_iter().map(|r| ReportRecord { seq: 0, event_index: 0, ..r }).collect()
    }

    /// Sends and asserts there were no reports.
    pub(super) fn quiet(&mut self, ev: EventRecord) {
        let out = self.send(ev);
        assert!(out.is_empty(), "{ev:?} produced {out:?}");
    }

    /// Book level on instrument 0.
    pub(super) fn level(&mut self, venue: u8, side: Side, price: i64, qty: i64) -> &mut Lab {
        self.quiet(delta(0, venue, side, price, qty));
        self
    }

    /// A two-sided book on instrument 0, venue 0: bid `bid`×100, ask `ask`×100.
    pub(super) fn quote(&mut self, bid: i64, ask: i64) -> &mut Lab {
        self.level(0, BUY, bid, 100).level(0, SELL, ask, 100)
    }

    /// Sends a request and asserts it was accepted (its first report is not a REJECT).
    pub(super) fn ok(&mut self, ev: EventRecord) -> Vec<ReportRecord> {
        let out = self.send(ev);
        assert!(out.iter().all(|r| r.kind != ReportKind::Reject as u8), "{ev:?} rejected: {out:?}");
        out
    }

    /// Sends a request and returns its reject reason (panics if it was not rejected).
    pub(super) fn reason(&mut self, ev: EventRecord) -> Reason {
        let out = self.send(ev);
        let last = out.last().unwrap_or_else(|| panic!("{ev:?}: no reports"));
        assert_eq!(last.kind, ReportKind::Reject as u8, "{ev:?}: {out:?}");
        assert_eq!(*last, reject(&ev, Reason::from_u8(last.reason).expect("known reason")));
        Reason::from_u8(last.reason).expect("known reason")
    }

    pub(super) fn status(&self, account: u16, id: u64) -> Option<OrderStatus> {
        self.engine.order(account, id).map(|o| o.status)
    }
}

// ---- events --------------------------------------------------------------------------

pub(super) fn delta(instrument: u16, venue: u8, side: Side, price: i64, qty: i64) -> EventRecord {
    EventRecord {
        kind: EventKind::BookDelta as u8,
        instrument,
        venue,
        side: side as u8,
        price,
        qty,
        ..EventRecord::default()
    }
}

pub(super) fn trade(venue: u8, aggressor: Side, price: i64, qty: i64) -> EventRecord {
    EventRecord {
        kind: EventKind::Trade as u8,
        venue,
        side: aggressor as u8,
        price,
        qty,
        ..EventRecord::default()
    }
}

/// A NEW_ORDER of account 0 on instrument 0.
pub(super) fn new(
    id: u64,
    side: Side,
    order_type: OrderType,
    price: i64,
    qty: i64,
    venue: u8,
) -> EventRecord {
    EventRecord {
        kind: EventKind::NewOrder as u8,
        id,
        side: side as u8,
        order_type: order_type as u8,
        price,
        qty,
        venue,
        ..EventRecord::default()
    }
}

pub(super) fn limit(id: u64, side: Side, price: i64, qty: i64, venue: u8) -> EventRecord {
    new(id, side, OrderType::Limit, price, qty, venue)
}

pub(super) fn ioc(id: u64, side: Side, price: i64, qty: i64, venue: u8) -> EventRecord {
    new(id, side, OrderType::Ioc, price, qty, venue)
}

pub(super) fn market(id: u64, side: Side, qty: i64, venue: u8) -> EventRecord {
    new(id, side, OrderType::Market, 0, qty, venue)
}

pub(super) fn cancel(id: u64, orig_id: u64) -> EventRecord {
    EventRecord { kind: EventKind::Cancel as u8, id, orig_id, ..EventRecord::default() }
}

pub(super) fn replace(id: u64, orig_id: u64, price: i64, qty: i64) -> EventRecord {
    EventRecord { kind: EventKind::Replace as u8, id, orig_id, price, qty, ..EventRecord::default() }
}

/// `ev` for another account / instrument.
pub(super) trait For {
    fn acct(self, account: u16) -> Self;
    fn instr(self, instrument: u16) -> Self;
}

impl For for EventRecord {
    fn acct(self, account: u16) -> Self {
        EventRecord { account, ..self }
    }
    fn instr(self, instrument: u16) -> Self {
        EventRecord { instrument, ..self }
    }
}

impl For for ReportRecord {
    fn acct(self, account: u16) -> Self {
        ReportRecord { account, ..self }
    }
    fn instr(self, instrument: u16) -> Self {
        ReportRecord { instrument, ..self }
    }
}

// ---- expected reports (account 0, instrument 0; `seq`, `event_index` zero) ------------

pub(super) fn ack(id: u64, side: Side, price: i64, qty: i64, venue: u8) -> ReportRecord {
    ReportRecord {
        kind: ReportKind::Ack as u8,
        order_id: id,
        side: side as u8,
        price,
        qty,
        venue,
        ..ReportRecord::default()
    }
}

pub(super) fn fill(
    id: u64,
    side: Side,
    price: i64,
    qty: i64,
    venue: u8,
    liquidity: Liquidity,
) -> ReportRecord {
    ReportRecord {
        kind: ReportKind::Fill as u8,
        order_id: id,
        side: side as u8,
        price,
        qty,
        venue,
        liquidity: liquidity as u8,
        ..ReportRecord::default()
    }
}

pub(super) fn taker(id: u64, side: Side, price: i64, qty: i64, venue: u8) -> ReportRecord {
    fill(id, side, price, qty, venue, Liquidity::Taker)
}

pub(super) fn maker(id: u64, side: Side, price: i64, qty: i64, venue: u8) -> ReportRecord {
    fill(id, side, price, qty, venue, Liquidity::Maker)
}

pub(super) fn cancelled(
    id: u64,
    side: Side,
    price: i64,
    qty: i64,
    venue: u8,
    reason: CancelReason,
    ref_id: u64,
) -> ReportRecord {
    ReportRecord {
        kind: ReportKind::Cancelled as u8,
        order_id: id,
        ref_id,
        side: side as u8,
        price,
        qty,
        venue,
        reason: reason as u8,
        ..ReportRecord::default()
    }
}

pub(super) fn replaced(
    new_id: u64,
    orig_id: u64,
    side: Side,
    price: i64,
    qty: i64,
    venue: u8,
) -> ReportRecord {
    ReportRecord {
        kind: ReportKind::Replaced as u8,
        order_id: new_id,
        ref_id: orig_id,
        side: side as u8,
        price,
        qty,
        venue,
        ..ReportRecord::default()
    }
}

pub(super) fn halt(order_id: u64, instrument: u16, account: u16) -> ReportRecord {
    ReportRecord {
        kind: ReportKind::Halt as u8,
        order_id,
        instrument,
        account,
        venue: ANY,
        ..ReportRecord::default()
    }
}

/// The REJECT of `ev`: every request field copied as given.
pub(super) fn reject(ev: &EventRecord, reason: Reason) -> ReportRecord {
    ReportRecord {
        kind: ReportKind::Reject as u8,
        order_id: ev.id,
        ref_id: ev.orig_id,
        price: ev.price,
        qty: ev.qty,
        instrument: ev.instrument,
        account: ev.account,
        stage: reason.stage() as u8,
        reason: reason as u8,
        venue: ev.venue,
        side: ev.side,
        ..ReportRecord::default()
    }
}
