//! One instrument's top of book as a reader gets it: a plain `Copy` value, so a reader holds
//! its own copy and never a reference into the board.

use hotpath_core::engine::Engine;
use hotpath_core::format::Side;

/// The consolidated best bid and ask of one instrument over every venue, with the aggregate
/// quantity resting at each best price, as of the event `seq` (its index in the scenario).
///
/// A price of 0 means "no level on that side" (prices are > 0 by `docs/pipeline.md`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TopOfBook {
    /// Best bid price over every venue (0: no bid).
    pub bid_price: i64,
    /// Quantity at `bid_price`, summed over the venues quoting it.
    pub bid_qty: i64,
    /// Best ask price over every venue (0: no ask).
    pub ask_price: i64,
    /// Quantity at `ask_price`, summed over the venues quoting it.
    pub ask_qty: i64,
    /// Index of the event after which the engine's book looked like this; grows with every
    /// publication of the same instrument.
    pub seq: u64,
    /// That event's timestamp (scenario time, ns).
    pub ts: u64,
}

impl TopOfBook {
    /// The engine's top of book for `instrument` now, stamped with event `seq` at `ts`.
    /// `venues` is the scenario's venue count. An unknown instrument reads as empty.
    pub fn of(engine: &Engine, instrument: u16, venues: u8, seq: u64, ts: u64) -> TopOfBook {
        let (bid, ask) = engine.best_prices(instrument);
        let (bid_price, ask_price) = (bid.unwrap_or(0), ask.unwrap_or(0));
        TopOfBook {
            bid_price,
            bid_qty: qty_at_best(engine, instrument, venues, Side::Buy, bid_price),
            ask_price,
            ask_qty: qty_at_best(engine, instrument, venues, Side::Sell, ask_price),
            seq,
            ts,
        }
    }

    /// `(price, qty)` of the best bid, if there is one.
    pub fn bid(&self) -> Option<(i64, i64)> {
        (self.bid_price > 0).then_some((self.bid_price, self.bid_qty))
    }

    /// `(price, qty)` of the best ask, if there is one.
    pub fn ask(&self) -> Option<(i64, i64)> {
        (self.ask_price > 0).then_some((self.ask_price, self.ask_qty))
    }

    /// Whether the two books show the same levels (whatever event produced them).
    pub fn same_levels(&self, other: &TopOfBook) -> bool {
        (self.bid_price, self.bid_qty, self.ask_price, self.ask_qty)
            == (other.bid_price, other.bid_qty, other.ask_price, other.ask_qty)
    }
}

/// The quantity every venue shows at `best` on `side` (0 when `best` is 0).
fn qty_at_best(engine: &Engine, instrument: u16, venues: u8, side: Side, best: i64) -> i64 {
    if best == 0 {
        return 0;
    }
    (0..venues)
        .filter_map(|v| engine.best_level(instrument, v, side))
        .filter(|&(price, _)| price == best)
        .map(|(_, qty)| qty)
        .sum()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use hotpath_core::format::{
        AccountLimits, AccountMeta, EventRecord, InstrumentMeta, ScenarioMeta, VenueMeta,
    };

    pub(crate) fn meta(instruments: u16, venues: u8) -> ScenarioMeta {
        ScenarioMeta {
            schema: 1,
            name: "board".into(),
            instruments: (0..instruments)
                .map(|id| InstrumentMeta {
                    id,
                    symbol: format!("I{id}"),
                    tick_size: 1,
                    lot_size: 1,
                    max_order_qty: 100,
                    max_price: 10_000,
                    band_bps: 5000,
                })
                .collect(),
            venues: (0..venues).map(|id| VenueMeta { id, name: format!("v{id}") }).collect(),
            accounts: vec![AccountMeta {
                id: 0,
                name: "a".into(),
                limits: AccountLimits {
                    max_order_notional: 1_000_000,
                    max_gross_notional: 1_000_000,
                    max_position: vec![100; usize::from(instruments)],
                    rate_limit_count: 100,
                    rate_limit_window_ns: 1000,
                    max_open_orders: 10,
                    max_loss: 1000,
                },
            }],
        }
    }

    /// A book delta: `side` 1 = bid, 2 = ask (`docs/formats.md`).
    pub(crate) fn delta(instrument: u16, venue: u8, side: u8, price: i64, qty: i64) -> EventRecord {
        EventRecord { price, qty, instrument, venue, kind: 1, side, ..Default::default() }
    }

    #[test]
    fn top_of_book_is_the_best_price_over_venues_with_the_quantity_of_every_venue_at_it() {
        let mut engine = Engine::new(&meta(2, 3)).expect("valid metadata");
        let mut out = Vec::new();
        for (i, ev) in [
            delta(1, 0, 1, 99, 5),
            delta(1, 2, 1, 100, 7),
            delta(1, 1, 1, 100, 2),
            delta(1, 0, 2, 103, 4),
            delta(1, 1, 2, 102, 1),
        ]
        .iter()
        .enumerate()
        {
            engine.handle(i as u64, ev, &mut out);
        }
        let top = TopOfBook::of(&engine, 1, 3, 4, 77);
        assert_eq!(top.bid(), Some((100, 9)), "venues 1 and 2 both quote 100");
        assert_eq!(top.ask(), Some((102, 1)));
        assert_eq!((top.seq, top.ts), (4, 77));
        let empty = TopOfBook::of(&engine, 0, 3, 4, 77);
        assert_eq!((empty.bid(), empty.ask()), (None, None));
        assert_eq!(TopOfBook::of(&engine, 9, 3, 0, 0).bid(), None, "unknown instrument reads as empty");
    }
}
