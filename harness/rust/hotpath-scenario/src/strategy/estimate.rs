//! The desk's estimate of what the pipeline does with its requests: the core engine itself.
//!
//! A market maker must know its own position, open orders and limits to behave sensibly,
//! and the generator must know which requests will be rejected so that rejects come from
//! the intended bad share and genuine limit hits only. Rather than re-state the rules of
//! `docs/pipeline.md`, the desk runs [`hotpath_core::engine::Engine`] over the stream it
//! writes, record by record, and reads what a real desk learns from execution reports:
//! fills, orders that stopped resting, kill switches. [`PipelineEstimate::verdict`] asks
//! the engine what it would answer to a request without handling it.
//!
//! It is still an *estimate* in one sense: the desk decides before its requests reach the
//! pipeline, on the state of the stream so far.

use hotpath_core::engine::{Engine, Order, OrderStatus};
use hotpath_core::format::{
    EventKind, EventRecord, Liquidity, Reason, ReportKind, ReportRecord, ScenarioMeta, Side,
};

/// Tag of an order that belongs to no quote slot of the strategy.
const NO_TAG: u32 = u32::MAX;

/// A fill of one of the strategy's orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    /// Account.
    pub account: u16,
    /// Instrument.
    pub instrument: u16,
    /// Order side.
    pub side: Side,
    /// Fill price.
    pub price: i64,
    /// Fill qty.
    pub qty: i64,
    /// Resting order filled passively (else a taker fill of a new request).
    pub maker: bool,
}

/// What handling one event did, for the strategy to react to.
#[derive(Debug, Default)]
pub struct Effects {
    /// Fills, in the order they happened.
    pub fills: Vec<Fill>,
    /// Orders (slots) that stopped resting.
    pub finished: Vec<u32>,
    /// Accounts whose kill switch tripped.
    pub halted: Vec<u16>,
}

impl Effects {
    /// Forgets everything.
    pub fn clear(&mut self) {
        self.fills.clear();
        self.finished.clear();
        self.halted.clear();
    }
}

/// What a market-data record did to the books.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Ignored (as the pipeline ignores it).
    Ignored,
    /// A level changed; `top` says whether the best level of that book side changed.
    Delta {
        /// The best price or its qty changed.
        top: bool,
    },
    /// A valid trade print.
    Trade,
}

/// The engine the desk runs alongside its stream, and the strategy's tags of its orders.
pub struct PipelineEstimate {
    engine: Engine,
    reports: Vec<ReportRecord>,
    /// The strategy's tag (quote slot) of each order, by slot.
    tags: Vec<u32>,
    /// Index of the next event handed to the engine.
    next_index: u64,
}

impl PipelineEstimate {
    /// A fresh session for `meta` (already validated): empty books, flat accounts.
    pub fn new(meta: &ScenarioMeta) -> Self {
        let engine = match Engine::new(meta) {
            Ok(engine) => engine,
            // The generator and the overlay validate the metadata before any strategy runs.
            Err(e) => unreachable!("the strategy runs on validated metadata: {e}"),
        };
        PipelineEstimate { engine, reports: Vec::new(), tags: Vec::new(), next_index: 0 }
    }

    /// The engine, for reading books, accounts and orders.
    #[inline]
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// What the pipeline would answer to `r` now, without handling it.
    #[inline]
    pub fn verdict(&self, r: &EventRecord) -> Result<(), Reason> {
        self.engine.verdict(r)
    }

    fn run(&mut self, e: &EventRecord) {
        self.reports.clear();
        self.engine.handle(self.next_index, e, &mut self.reports);
        self.next_index += 1;
    }

    /// Applies a market-data record as the pipeline does; a trade's passive fills and kill
    /// switches go to `fx`.
    pub fn on_market(&mut self, e: &EventRecord, fx: &mut Effects) -> Applied {
        let Some((i, v, side)) = self.engine.market_data_target(e) else { return Applied::Ignored };
        if e.kind == EventKind::Trade as u8 {
            self.run(e);
            self.collect(None, fx);
            return Applied::Trade;
        }
        // Both are known and below 2^16 and 255: the target checked them.
        let (i, v) = (i as u16, v as u8);
        let before = self.engine.best_level(i, v, side);
        self.run(e);
        Applied::Delta { top: self.engine.best_level(i, v, side) != before }
    }

    /// Handles one request as the pipeline does. Returns the slot of the order left
    /// resting (which gets `tag`), if any, or the reject reason.
    pub fn handle(&mut self, r: &EventRecord, tag: u32, fx: &mut Effects) -> Result<Option<u32>, Reason> {
        self.run(r);
        if let Some(reason) = self.collect(Some(r), fx) {
            return Err(reason);
        }
        let sized = r.kind == EventKind::NewOrder as u8 || r.kind == EventKind::Replace as u8;
        let Some(slot) = self.engine.order_slot(r.account, r.id).filter(|_| sized) else { return Ok(None) };
        if self.order(slot).status != OrderStatus::Live {
            return Ok(None);
        }
        let at = slot as usize;
        if self.tags.len() <= at {
            self.tags.resize(at + 1, NO_TAG);
        }
        self.tags[at] = tag;
        Ok(Some(slot))
    }

    /// Reads the reports of the last event into `fx`; returns the reject reason, if any.
    /// `request` is the request handled (its own IOC or kill-switch remainder never
    /// rested, so it is not an order that stopped resting).
    fn collect(&self, request: Option<&EventRecord>, fx: &mut Effects) -> Option<Reason> {
        let own =
            |rep: &ReportRecord| request.is_some_and(|r| rep.account == r.account && rep.order_id == r.id);
        let mut rejected = None;
        for rep in &self.reports {
            match ReportKind::from_u8(rep.kind) {
                Some(ReportKind::Reject) => rejected = Reason::from_u8(rep.reason),
                Some(ReportKind::Fill) => {
                    let maker = rep.liquidity == Liquidity::Maker as u8;
                    fx.fills.push(Fill {
                        account: rep.account,
                        instrument: rep.instrument,
                        side: if rep.side == Side::Sell as u8 { Side::Sell } else { Side::Buy },
                        price: rep.price,
                        qty: rep.qty,
                        maker,
                    });
                    if maker {
                        self.finish_if(rep.account, rep.order_id, OrderStatus::Filled, fx);
                    }
                }
                Some(ReportKind::Cancelled) if !own(rep) => {
                    self.finish_if(rep.account, rep.order_id, OrderStatus::Cancelled, fx);
                }
                Some(ReportKind::Replaced) => {
                    self.finish_if(rep.account, rep.ref_id, OrderStatus::Replaced, fx);
                }
                Some(ReportKind::Halt) => fx.halted.push(rep.account),
                _ => {}
            }
        }
        rejected
    }

    /// Notes that the order `id` of `account` stopped resting, if it is now `status`.
    fn finish_if(&self, account: u16, id: u64, status: OrderStatus, fx: &mut Effects) {
        if let Some(slot) = self.engine.order_slot(account, id) {
            if self.order(slot).status == status {
                fx.finished.push(slot);
            }
        }
    }

    /// The order in `slot` (a slot this estimate returned).
    #[inline]
    pub fn order(&self, slot: u32) -> &Order {
        &self.engine.orders()[slot as usize]
    }

    /// The strategy's tag of the order in `slot`.
    #[inline]
    pub fn tag(&self, slot: u32) -> u32 {
        self.tags.get(slot as usize).copied().unwrap_or(NO_TAG)
    }

    /// The resting order of account `a` with `id`, if any.
    pub fn live_order(&self, a: u16, id: u64) -> Option<u32> {
        self.engine.order_slot(a, id).filter(|&slot| self.order(slot).status == OrderStatus::Live)
    }

    /// Whether `id` was already used by account `a`.
    pub fn used(&self, a: u16, id: u64) -> bool {
        self.engine.account(a).is_some_and(|acc| acc.has_used(id))
    }

    /// Position of account `a` (known) in instrument `i` (known).
    #[inline]
    pub fn position(&self, a: u16, i: u16) -> i64 {
        self.engine.account(a).and_then(|acc| acc.holding(i)).map_or(0, |h| h.position)
    }

    /// Σ remaining of the live orders of account `a` in instrument `i` on `side`.
    pub fn open_qty(&self, a: u16, i: u16, side: Side) -> i64 {
        let h = self.engine.account(a).and_then(|acc| acc.holding(i));
        let open = h.map_or(0, |h| match side {
            Side::Buy => h.open_buy,
            Side::Sell => h.open_sell,
        });
        // Open quantities of the desk's own orders stay far below i64 (they are within
        // its position limits).
        i64::try_from(open).unwrap_or(i64::MAX)
    }

    /// Number of live orders of account `a`.
    pub fn open_count(&self, a: u16) -> u32 {
        self.engine.account(a).map_or(0, |acc| u32::try_from(acc.open_orders()).unwrap_or(u32::MAX))
    }

    /// Σ price × remaining of the live orders of account `a`.
    pub fn open_notional(&self, a: u16) -> i128 {
        self.engine.account(a).map_or(0, |acc| acc.open_notional())
    }

    /// Σ |position × reference| of account `a`.
    pub fn gross_exposure(&self, a: u16) -> i128 {
        self.engine.gross_exposure(a).unwrap_or(0)
    }

    /// Whether the kill switch of account `a` has tripped.
    pub fn halted(&self, a: u16) -> bool {
        self.engine.account(a).is_some_and(|acc| acc.is_halted())
    }

    /// Accepted NEW/REPLACE of account `a` that still count against its throttle at `ts`.
    pub fn window_count(&self, a: u16, ts: u64) -> usize {
        self.engine.account(a).map_or(0, |acc| acc.throttle().in_window(ts))
    }

    /// The pipeline's reference price of instrument `i`.
    #[inline]
    pub fn reference(&self, i: usize) -> Option<i64> {
        self.engine.reference_price(i as u16)
    }

    /// Best bid of instrument `i` over every venue.
    #[inline]
    pub fn best_bid(&self, i: usize) -> Option<i64> {
        self.engine.best_prices(i as u16).0
    }

    /// Best ask of instrument `i` over every venue.
    #[inline]
    pub fn best_ask(&self, i: usize) -> Option<i64> {
        self.engine.best_prices(i as u16).1
    }

    /// Best price of one side of venue `v`'s book for instrument `i`.
    #[inline]
    pub fn top(&self, v: usize, i: usize, side: Side) -> Option<i64> {
        self.engine.best_level(i as u16, v as u8, side).map(|l| l.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotpath_core::format::{OrderType, VENUE_ANY};

    fn meta() -> ScenarioMeta {
        let json = r#"{"schema":1,"instruments":[{"id":0,"symbol":"X","tick_size":10,"lot_size":5,
            "max_order_qty":1000,"max_price":100000,"band_bps":500}],
            "venues":[{"id":0,"name":"a"},{"id":1,"name":"b"}],
            "accounts":[{"id":0,"name":"mm","limits":{"max_order_notional":50000000,
              "max_gross_notional":60000000,"max_position":[500],"rate_limit_count":3,
              "rate_limit_window_ns":1000,"max_open_orders":2,"max_loss":2000}}]}"#;
        ScenarioMeta::from_json("t", json.as_bytes()).expect("valid")
    }

    fn md(kind: EventKind, v: u8, side: Side, price: i64, qty: i64) -> EventRecord {
        EventRecord { kind: kind as u8, venue: v, side: side as u8, price, qty, ..Default::default() }
    }

    fn new(ts: u64, id: u64, side: Side, ot: OrderType, price: i64, qty: i64, venue: u8) -> EventRecord {
        EventRecord {
            ts,
            id,
            kind: EventKind::NewOrder as u8,
            side: side as u8,
            order_type: ot as u8,
            price,
            qty,
            venue,
            ..Default::default()
        }
    }

    /// Venue 0: 1000 / 1010, venue 1: 990 / 1020, 50 each.
    fn setup() -> (PipelineEstimate, Effects) {
        let mut est = PipelineEstimate::new(&meta());
        let mut fx = Effects::default();
        for e in [
            md(EventKind::BookDelta, 0, Side::Buy, 1000, 50),
            md(EventKind::BookDelta, 0, Side::Sell, 1010, 50),
            md(EventKind::BookDelta, 1, Side::Buy, 990, 50),
            md(EventKind::BookDelta, 1, Side::Sell, 1020, 50),
        ] {
            assert_eq!(est.on_market(&e, &mut fx), Applied::Delta { top: true });
        }
        (est, fx)
    }

    #[test]
    fn market_data_is_classified_as_the_pipeline_uses_it() {
        let (mut est, mut fx) = setup();
        let deeper = md(EventKind::BookDelta, 0, Side::Buy, 990, 7);
        assert_eq!(est.on_market(&deeper, &mut fx), Applied::Delta { top: false });
        let top_qty = md(EventKind::BookDelta, 0, Side::Buy, 1000, 49);
        assert_eq!(est.on_market(&top_qty, &mut fx), Applied::Delta { top: true });
        for junk in [
            md(EventKind::BookDelta, 5, Side::Buy, 1000, 1),
            md(EventKind::BookDelta, 0, Side::Buy, -1, 1),
            md(EventKind::BookDelta, 0, Side::Buy, 1000, -1),
            md(EventKind::Trade, 0, Side::Buy, 1000, 0),
        ] {
            assert_eq!(est.on_market(&junk, &mut fx), Applied::Ignored, "{junk:?}");
        }
        assert_eq!(est.on_market(&md(EventKind::Trade, 0, Side::Buy, 1005, 1), &mut fx), Applied::Trade);
        assert_eq!(
            (est.best_bid(0), est.best_ask(0), est.reference(0)),
            (Some(1000), Some(1010), Some(1005))
        );
        assert_eq!(est.top(1, 0, Side::Sell), Some(1020));
    }

    #[test]
    fn sweeps_rest_and_fill_passively_with_their_tag() {
        let (mut est, mut fx) = setup();
        // BUY 60 @1010 on ANY: takes 50 at venue 0, rests 10 at the best bid venue (0).
        let r = new(10, 1, Side::Buy, OrderType::Limit, 1010, 60, VENUE_ANY);
        assert_eq!(est.verdict(&r), Ok(()));
        let rested = est.handle(&r, 7, &mut fx).expect("accepted").expect("rests");
        assert_eq!(
            fx.fills,
            vec![Fill { account: 0, instrument: 0, side: Side::Buy, price: 1010, qty: 50, maker: false }]
        );
        assert!(fx.finished.is_empty(), "the request's own order never stopped resting");
        let o = est.order(rested);
        assert_eq!((o.venue, o.remaining, est.tag(rested)), (0, 10, 7));
        assert_eq!((est.position(0, 0), est.open_qty(0, 0, Side::Buy), est.open_count(0)), (50, 10, 1));
        // A SELL resting at venue 1 behind 50 visible; a print of 40 there leaves it 10.
        let s = new(11, 2, Side::Sell, OrderType::Limit, 1020, 20, 1);
        let sidx = est.handle(&s, 8, &mut fx).expect("ok").expect("rests");
        est.on_market(&md(EventKind::BookDelta, 1, Side::Sell, 1020, 30), &mut fx);
        fx.clear();
        est.on_market(&md(EventKind::Trade, 1, Side::Buy, 1020, 40), &mut fx);
        assert_eq!(
            fx.fills,
            vec![Fill { account: 0, instrument: 0, side: Side::Sell, price: 1020, qty: 10, maker: true }]
        );
        assert!(fx.finished.is_empty());
        fx.clear();
        est.on_market(&md(EventKind::Trade, 1, Side::Buy, 1020, 10), &mut fx);
        assert_eq!(fx.finished, vec![sidx], "filled completely: no longer resting");
        assert_eq!(est.live_order(0, 2), None);
        // The throttle (3 per 1000 ns) holds two; the open-order cap (2) holds one.
        assert_eq!(est.window_count(0, 12), 2);
        assert_eq!(est.verdict(&new(12, 3, Side::Sell, OrderType::Limit, 1050, 5, 1)), Ok(()));
        assert_eq!(est.handle(&new(12, 3, Side::Sell, OrderType::Ioc, 1050, 5, 1), 0, &mut fx), Ok(None));
        assert!(est.used(0, 3));
        assert_eq!(
            est.verdict(&new(13, 3, Side::Sell, OrderType::Ioc, 1050, 5, 1)),
            Err(Reason::DuplicateId)
        );
        let more = new(13, 4, Side::Sell, OrderType::Ioc, 1050, 5, 1);
        assert_eq!(est.verdict(&more), Err(Reason::RateLimit));
        assert_eq!(est.verdict(&EventRecord { ts: 1011, ..more }), Ok(()), "the window slid");
    }

    #[test]
    fn cancels_replaces_and_the_kill_switch_finish_orders() {
        let (mut est, mut fx) = setup();
        let a = est
            .handle(&new(1, 1, Side::Buy, OrderType::Limit, 990, 5, 0), 1, &mut fx)
            .expect("ok")
            .expect("rests");
        let replace = EventRecord {
            ts: 2,
            id: 2,
            orig_id: 1,
            kind: EventKind::Replace as u8,
            price: 980,
            qty: 5,
            ..Default::default()
        };
        let b = est.handle(&replace, 2, &mut fx).expect("ok").expect("rests");
        assert_eq!((fx.finished.clone(), est.tag(b)), (vec![a], 2));
        fx.clear();
        // Buy 50 at 1010 (mid 1005: a loss of 250), then the book falls away.
        est.handle(&new(3, 3, Side::Buy, OrderType::Ioc, 1010, 50, 0), 0, &mut fx).expect("accepted");
        for e in [
            md(EventKind::BookDelta, 0, Side::Buy, 1000, 0),
            md(EventKind::BookDelta, 1, Side::Buy, 990, 0),
            md(EventKind::BookDelta, 0, Side::Buy, 940, 10),
            md(EventKind::BookDelta, 0, Side::Sell, 950, 10),
            md(EventKind::BookDelta, 1, Side::Sell, 950, 10),
        ] {
            est.on_market(&e, &mut fx);
        }
        let next = new(4, 4, Side::Sell, OrderType::Limit, 950, 5, 0);
        assert_eq!(est.verdict(&next), Err(Reason::TradingHalted), "the loss check would trip");
        assert!(!est.halted(0), "asking changes nothing");
        fx.clear();
        assert_eq!(est.handle(&next, 0, &mut fx), Err(Reason::TradingHalted));
        assert_eq!(
            (fx.halted.clone(), fx.finished.clone()),
            (vec![0], vec![b]),
            "the resting order was mass-cancelled"
        );
        assert_eq!((est.open_count(0), est.halted(0)), (0, true));
    }
}
