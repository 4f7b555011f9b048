//! The market model's own L2 book for one venue × instrument, and the records it emits.
//!
//! Each side is a short ladder of visible levels (best first). The book is moved by
//! [`ModelBook::retarget`] towards the touch the venue's price dictates, and perturbed by
//! level updates and trades. Every mutation is emitted as records in an order that keeps
//! the book uncrossed after every single record: stale levels go before new ones arrive
//! on the other side.

use hotpath_core::format::{EventKind, EventRecord, Side};

use crate::detmath;
use crate::rng::Rng;

/// One visible level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    /// Price, price units.
    pub price: i64,
    /// Aggregate visible quantity, quantity units (> 0).
    pub qty: i64,
}

/// How levels of this book are spaced and sized right now.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// Tick size.
    pub tick: i64,
    /// Lot size.
    pub lot: i64,
    /// Largest gap between adjacent levels, ticks.
    pub gap_max: u64,
    /// Mean level quantity (already scaled by the depth multipliers).
    pub mean_qty: f64,
    /// Least levels per side.
    pub min_levels: usize,
    /// Most levels per side.
    pub max_levels: usize,
}

impl Shape {
    fn sample_qty(&self, depth_index: usize, rng: &mut Rng) -> i64 {
        let lots = self.mean_qty / self.lot as f64
            * (1.0 + 0.06 * depth_index as f64)
            * (0.2 + 0.8 * rng.exponential());
        detmath::round_i64(lots).max(1).saturating_mul(self.lot)
    }

    fn gap(&self, rng: &mut Rng) -> i64 {
        rng.between(1, self.gap_max) as i64 * self.tick
    }
}

/// Appends records for one book to the output stream.
pub struct Emitter<'a> {
    /// The output stream.
    pub out: &'a mut Vec<EventRecord>,
    /// Timestamp of the records.
    pub ts: u64,
    /// Venue of the book.
    pub venue: u8,
    /// Instrument of the book.
    pub instrument: u16,
    /// Trade prints emitted through this emitter.
    pub trades: u32,
}

impl Emitter<'_> {
    fn record(&mut self, kind: EventKind, side: Side, price: i64, qty: i64) {
        self.out.push(EventRecord {
            ts: self.ts,
            price,
            qty,
            instrument: self.instrument,
            kind: kind as u8,
            side: side as u8,
            venue: self.venue,
            ..EventRecord::default()
        });
    }

    fn delta(&mut self, side: Side, price: i64, qty: i64) {
        self.record(EventKind::BookDelta, side, price, qty);
    }

    fn trade(&mut self, aggressor: Side, price: i64, qty: i64) {
        self.trades += 1;
        self.record(EventKind::Trade, aggressor, price, qty);
    }
}

/// Which way prices go as levels get deeper: bids down, asks up.
#[inline]
fn dir(side: Side) -> i64 {
    match side {
        Side::Buy => -1,
        Side::Sell => 1,
    }
}

#[inline]
fn other(side: Side) -> Side {
    match side {
        Side::Buy => Side::Sell,
        Side::Sell => Side::Buy,
    }
}

/// One venue × instrument book of the model.
#[derive(Clone, Debug, Default)]
pub struct ModelBook {
    /// Bids, best (highest) first.
    pub bids: Vec<Level>,
    /// Asks, best (lowest) first.
    pub asks: Vec<Level>,
}

impl ModelBook {
    fn side_mut(&mut self, side: Side) -> &mut Vec<Level> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    /// Best bid price.
    pub fn best_bid(&self) -> Option<i64> {
        self.bids.first().map(|l| l.price)
    }

    /// Best ask price.
    pub fn best_ask(&self) -> Option<i64> {
        self.asks.first().map(|l| l.price)
    }

    /// Posts the opening book: levels outwards from the two target touches.
    pub fn open(&mut self, bid: i64, ask: i64, shape: &Shape, rng: &mut Rng, em: &mut Emitter<'_>) {
        let n = (shape.min_levels + shape.max_levels) / 2;
        for (side, touch) in [(Side::Buy, bid), (Side::Sell, ask)] {
            let mut price = touch;
            for k in 0..n {
                if price <= 0 {
                    break;
                }
                let qty = shape.sample_qty(k, rng);
                self.side_mut(side).push(Level { price, qty });
                em.delta(side, price, qty);
                price += dir(side) * shape.gap(rng);
            }
        }
    }

    /// Moves the book towards touches at `bid` / `ask` (`bid < ask`): levels better than
    /// the target are removed (a share of them by trades), and with probability `refill`
    /// an empty stretch between the target and the current touch is filled with levels.
    #[allow(clippy::too_many_arguments)]
    pub fn retarget(
        &mut self,
        bid: i64,
        ask: i64,
        hit_share: f64,
        refill: f64,
        shape: &Shape,
        rng: &mut Rng,
        em: &mut Emitter<'_>,
    ) {
        debug_assert!(bid < ask);
        // Removals on both sides first, so the book never crosses in between records.
        let moved_bids = self.remove_stale(Side::Buy, bid, hit_share, shape.lot, rng, em);
        let moved_asks = self.remove_stale(Side::Sell, ask, hit_share, shape.lot, rng, em);
        for (side, target, moved) in [(Side::Buy, bid, moved_bids), (Side::Sell, ask, moved_asks)] {
            let d = dir(side);
            let levels = self.side_mut(side);
            let behind = levels.first().map_or(true, |l| (l.price - target) * d > 0);
            // Quotes follow a price move at once; a gap left by trades or cancels refills
            // only sometimes, so the spread breathes.
            let requote = moved || levels.len() < shape.min_levels;
            if behind && target > 0 && (requote || rng.chance(refill)) {
                self.refill(side, target, shape, rng, em);
            }
            self.ensure_depth(side, shape, rng, em);
        }
    }

    /// Removes the levels better than `target`; returns whether there were any. The best
    /// stale level is hit by a trade with probability `hit_share` (for part of its size,
    /// the rest is cancelled); deeper ones, swept by a larger move, half as often in full.
    fn remove_stale(
        &mut self,
        side: Side,
        target: i64,
        hit_share: f64,
        lot: i64,
        rng: &mut Rng,
        em: &mut Emitter<'_>,
    ) -> bool {
        let d = dir(side);
        let levels = self.side_mut(side);
        let stale = levels.iter().take_while(|l| (target - l.price) * d > 0).count();
        if stale == 0 {
            return false;
        }
        let removed: Vec<Level> = levels.drain(..stale).collect();
        for (k, l) in removed.into_iter().enumerate() {
            if k == 0 && rng.chance(hit_share) {
                let part =
                    detmath::round_i64(l.qty as f64 / lot as f64 * (0.3 + 0.7 * rng.uniform())).max(1) * lot;
                em.trade(other(side), l.price, part.min(l.qty));
            } else if k > 0 && rng.chance(hit_share * 0.5) {
                em.trade(other(side), l.price, l.qty);
            }
            em.delta(side, l.price, 0);
        }
        true
    }

    fn refill(&mut self, side: Side, target: i64, shape: &Shape, rng: &mut Rng, em: &mut Emitter<'_>) {
        let d = dir(side);
        let front = self.side_mut(side).first().map(|l| l.price);
        let mut fresh = Vec::new();
        let mut price = target;
        while price > 0 && front.map_or(true, |f| (f - price) * d > 0) && fresh.len() < shape.max_levels {
            fresh.push(Level { price, qty: shape.sample_qty(fresh.len(), rng) });
            price += d * shape.gap(rng);
        }
        for l in &fresh {
            em.delta(side, l.price, l.qty);
        }
        let levels = self.side_mut(side);
        levels.splice(0..0, fresh);
        while levels.len() > shape.max_levels {
            if let Some(l) = levels.pop() {
                em.delta(side, l.price, 0);
            }
        }
    }

    /// Adds deeper levels until the side has `min_levels`.
    fn ensure_depth(&mut self, side: Side, shape: &Shape, rng: &mut Rng, em: &mut Emitter<'_>) {
        let d = dir(side);
        loop {
            let levels = self.side_mut(side);
            if levels.len() >= shape.min_levels {
                return;
            }
            let Some(last) = levels.last().map(|l| l.price) else {
                return; // an empty side is refilled by retarget, not here
            };
            let price = last + d * shape.gap(rng);
            if price <= 0 {
                return;
            }
            let qty = shape.sample_qty(levels.len(), rng);
            levels.push(Level { price, qty });
            em.delta(side, price, qty);
        }
    }

    /// A quote change somewhere in the book: most often a size change near the touch,
    /// sometimes a level cancelled or a new level inserted into a gap.
    pub fn update_level(&mut self, shape: &Shape, rng: &mut Rng, em: &mut Emitter<'_>) {
        let side = if rng.chance(0.5) { Side::Buy } else { Side::Sell };
        let d = dir(side);
        let len = self.side_mut(side).len();
        if len == 0 {
            return;
        }
        let k = rng.geometric(0.3, len - 1);
        let r = rng.uniform();
        if r < 0.10 && len > shape.min_levels {
            let l = self.side_mut(side).remove(k);
            em.delta(side, l.price, 0);
        } else if r < 0.22 {
            let levels = self.side_mut(side);
            let here = levels[k].price;
            let next = levels.get(k + 1).map(|l| l.price);
            let room = next.map_or(shape.gap_max as i64 * shape.tick, |n| (n - here) * d - shape.tick);
            if room >= shape.tick {
                let price = here + d * shape.tick * rng.between(1, (room / shape.tick) as u64) as i64;
                if price > 0 {
                    let qty = shape.sample_qty(k + 1, rng);
                    levels.insert(k + 1, Level { price, qty });
                    em.delta(side, price, qty);
                    if levels.len() > shape.max_levels {
                        if let Some(l) = levels.pop() {
                            em.delta(side, l.price, 0);
                        }
                    }
                }
            }
        } else {
            let fresh = if rng.chance(0.2) { Some(shape.sample_qty(k, rng)) } else { None };
            let levels = self.side_mut(side);
            let old = levels[k].qty;
            let qty = fresh.unwrap_or_else(|| {
                let lots = old / shape.lot;
                let step = (lots / 3).max(1);
                let change = rng.between(1, step as u64) as i64;
                if rng.chance(0.5) {
                    old.saturating_add(change * shape.lot)
                } else {
                    (old - change * shape.lot).max(shape.lot)
                }
            });
            if qty != old {
                levels[k].qty = qty;
                em.delta(side, levels[k].price, qty);
            }
        }
    }

    /// A public trade: an aggressor of `side` takes up to `qty` from the other side's
    /// best levels (one print per level, at most `max_levels_swept`).
    pub fn trade(&mut self, aggressor: Side, qty: i64, shape: &Shape, rng: &mut Rng, em: &mut Emitter<'_>) {
        let passive = other(aggressor);
        let mut left = qty;
        let mut swept = 0;
        while left > 0 && swept < 6 {
            let levels = self.side_mut(passive);
            let Some(top) = levels.first_mut() else { break };
            let take = left.min(top.qty);
            let price = top.price;
            top.qty -= take;
            let rest = top.qty;
            if rest == 0 {
                levels.remove(0);
            }
            em.trade(aggressor, price, take);
            em.delta(passive, price, rest);
            left -= take;
            swept += 1;
        }
        self.ensure_depth(passive, shape, rng, em);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    fn shape() -> Shape {
        Shape { tick: 10, lot: 100, gap_max: 3, mean_qty: 5_000.0, min_levels: 10, max_levels: 20 }
    }

    fn check(book: &ModelBook, s: &Shape) {
        for w in book.bids.windows(2) {
            assert!(w[0].price > w[1].price, "bids strictly descending");
        }
        for w in book.asks.windows(2) {
            assert!(w[0].price < w[1].price, "asks strictly ascending");
        }
        if let (Some(b), Some(a)) = (book.best_bid(), book.best_ask()) {
            assert!(b < a, "crossed: {b} >= {a}");
        }
        for l in book.bids.iter().chain(&book.asks) {
            assert!(l.qty > 0 && l.qty % s.lot == 0 && l.price % s.tick == 0, "{l:?}");
        }
        assert!(book.bids.len() <= s.max_levels && book.asks.len() <= s.max_levels);
    }

    #[test]
    fn random_walks_keep_the_ladder_sorted_uncrossed_and_deep() {
        let s = shape();
        let mut rng = Rng::new(11, Stream::Market);
        let mut out = Vec::new();
        let mut book = ModelBook::default();
        let mut em = Emitter { out: &mut out, ts: 0, venue: 0, instrument: 0, trades: 0 };
        book.open(100_000, 100_020, &s, &mut rng, &mut em);
        let mut mid = 100_010i64;
        for step in 0..20_000 {
            mid += (rng.between(0, 40) as i64 - 20) * 10;
            let half = 10 * rng.between(1, 4) as i64;
            let (b, a) = ((mid - half) / 10 * 10, (mid + half) / 10 * 10 + 10);
            book.retarget(b, a, 0.5, 0.5, &s, &mut rng, &mut em);
            check(&book, &s);
            match step % 3 {
                0 => book.trade(
                    if rng.chance(0.5) { Side::Buy } else { Side::Sell },
                    9_000,
                    &s,
                    &mut rng,
                    &mut em,
                ),
                _ => book.update_level(&s, &mut rng, &mut em),
            }
            check(&book, &s);
            assert!(book.bids.len() >= s.min_levels && book.asks.len() >= s.min_levels);
        }
        assert!(em.trades > 1000);
    }

    #[test]
    fn emitted_records_rebuild_the_same_book_and_never_cross() {
        use std::collections::BTreeMap;
        let s = shape();
        let mut rng = Rng::new(12, Stream::Market);
        let mut out = Vec::new();
        let mut book = ModelBook::default();
        {
            let mut em = Emitter { out: &mut out, ts: 0, venue: 0, instrument: 0, trades: 0 };
            book.open(50_000, 50_010, &s, &mut rng, &mut em);
            let mut mid = 50_000i64;
            for _ in 0..5_000 {
                mid += (rng.between(0, 20) as i64 - 10) * 10;
                book.retarget(mid - 10, mid + 10, 0.3, 0.7, &s, &mut rng, &mut em);
                book.update_level(&s, &mut rng, &mut em);
                book.trade(Side::Sell, 3_000, &s, &mut rng, &mut em);
            }
        }
        let (mut bids, mut asks) = (BTreeMap::new(), BTreeMap::new());
        for r in &out {
            if r.kind != EventKind::BookDelta as u8 {
                assert_eq!(r.kind, EventKind::Trade as u8);
                continue;
            }
            let side = if r.side == Side::Buy as u8 { &mut bids } else { &mut asks };
            if r.qty == 0 {
                side.remove(&r.price);
            } else {
                side.insert(r.price, r.qty);
            }
            if let (Some((b, _)), Some((a, _))) = (bids.last_key_value(), asks.first_key_value()) {
                assert!(b < a, "the emitted book crossed: bid {b} ask {a}");
            }
        }
        let rebuilt_bids: Vec<Level> = bids.iter().rev().map(|(&price, &qty)| Level { price, qty }).collect();
        let rebuilt_asks: Vec<Level> = asks.iter().map(|(&price, &qty)| Level { price, qty }).collect();
        assert_eq!(rebuilt_bids, book.bids);
        assert_eq!(rebuilt_asks, book.asks);
    }
}
