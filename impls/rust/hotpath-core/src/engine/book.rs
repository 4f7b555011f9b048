//! Public L2 book copies per venue × instrument × side, and the consolidated reference
//! price (`docs/pipeline.md`, "Reference price" and "Market data").
//!
//! Each side is a `Vec` of levels sorted so that the best level is last: most deltas and
//! every sweep touch the top of the book, so inserts, removals and takes there shift few
//! or no elements, and the `Vec` stops allocating once it has seen its deepest book. The
//! best price of every side is mirrored in one flat array so that the reference price (read
//! by every order request) costs a scan of a few adjacent words, not a pointer per venue.

use crate::format::Side;

/// One price level: aggregate visible quantity at a price.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Level {
    /// `price` for bids, `-price` for asks: ascending keys put the best level last on both
    /// sides. Prices are > 0, so the negation cannot overflow.
    key: i64,
    qty: i64,
}

#[inline]
fn key(side: Side, price: i64) -> i64 {
    match side {
        Side::Buy => price,
        Side::Sell => -price,
    }
}

/// Levels scanned from the top before falling back to a binary search.
const SCAN: usize = 6;

/// Position of key `k` in ascending `levels` (`Err`: where it would go). Deltas cluster at
/// the top of the book, the end of the vector, so the first few levels from the top are
/// scanned linearly.
#[inline]
fn find(levels: &[Level], k: i64) -> Result<usize, usize> {
    let near = levels.len().saturating_sub(SCAN);
    let (deep, top) = levels.split_at(near);
    match top.iter().rposition(|l| l.key <= k) {
        Some(j) if top[j].key == k => Ok(near + j),
        Some(j) => Err(near + j + 1),
        None => deep.binary_search_by(|l| l.key.cmp(&k)),
    }
}

/// Index of one side of one venue's book for one instrument: the book copies and the
/// index of our live orders share this layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SideIx {
    pub(super) ix: usize,
    /// Kept alongside so that nothing needs to divide to recover it.
    instrument: usize,
}

impl SideIx {
    /// The index of `side` of `venue`'s book for `instrument`, with `n_venues` venues.
    #[inline]
    pub fn new(instrument: usize, venue: usize, side: Side, n_venues: usize) -> SideIx {
        SideIx { ix: ((instrument * n_venues + venue) << 1) | usize::from(side == Side::Sell), instrument }
    }

    /// Number of sides for `n_instruments` × `n_venues`.
    pub fn count(n_instruments: usize, n_venues: usize) -> usize {
        n_instruments * n_venues * 2
    }
}

/// Every venue's book for every instrument, plus the last trade price per instrument.
#[derive(Clone, Debug)]
pub struct Books {
    n_venues: usize,
    /// Levels per side, best last; indexed by [`SideIx`].
    levels: Vec<Vec<Level>>,
    /// Best price per side, 0 when the side is empty; indexed by [`SideIx`].
    tops: Vec<i64>,
    /// Last trade price per instrument, 0 when there has been none.
    last_trade: Vec<i64>,
    /// Consolidated best bid and ask per instrument (0 when absent), kept up to date as
    /// tops change so that most top changes cost a comparison, not a scan of venues.
    best_bid: Vec<i64>,
    best_ask: Vec<i64>,
    /// Reference price per instrument, 0 when there is none. Every order request reads
    /// it, often more than once, while it changes only with a best price or a trade: it
    /// is recomputed then.
    references: Vec<i64>,
}

impl Books {
    /// Empty books for `n_instruments` × `n_venues`.
    pub fn new(n_instruments: usize, n_venues: usize) -> Books {
        let n_sides = SideIx::count(n_instruments, n_venues);
        Books {
            n_venues,
            levels: (0..n_sides).map(|_| Vec::new()).collect(),
            tops: vec![0; n_sides],
            last_trade: vec![0; n_instruments],
            best_bid: vec![0; n_instruments],
            best_ask: vec![0; n_instruments],
            references: vec![0; n_instruments],
        }
    }

    /// The index of `side` of `venue`'s book for `instrument` (both must be known).
    #[inline]
    pub fn side_ix(&self, instrument: usize, venue: usize, side: Side) -> SideIx {
        SideIx::new(instrument, venue, side, self.n_venues)
    }

    #[inline]
    fn side_of(ix: SideIx) -> Side {
        if ix.ix & 1 == 0 {
            Side::Buy
        } else {
            Side::Sell
        }
    }

    /// Sets the aggregate qty at `price` (`qty == 0` removes the level; removing an absent
    /// level does nothing). `price` must be > 0 and `qty` ≥ 0.
    #[inline]
    pub fn set_level(&mut self, ix: SideIx, price: i64, qty: i64) {
        let k = key(Self::side_of(ix), price);
        let levels = &mut self.levels[ix.ix];
        match find(levels, k) {
            Ok(i) if qty == 0 => {
                levels.remove(i);
            }
            Ok(i) => {
                levels[i].qty = qty;
                return;
            }
            Err(i) if qty != 0 => levels.insert(i, Level { key: k, qty }),
            Err(_) => return,
        }
        // Only a change at the end of the vector moves the best price.
        if levels.last().map_or(true, |l| l.key <= k) {
            self.refresh_top(ix);
        }
    }

    /// After a change at the end of a side: its best price, the instrument's consolidated
    /// best on that side and its reference price.
    #[inline]
    fn refresh_top(&mut self, ix: SideIx) {
        let old = self.tops[ix.ix];
        let new = self.levels[ix.ix].last().map_or(0, |l| l.key.abs());
        if new == old {
            return;
        }
        self.tops[ix.ix] = new;
        let i = ix.instrument;
        if ix.ix & 1 == 0 {
            let best = self.best_bid[i];
            if new > best {
                self.best_bid[i] = new;
            } else if old == best {
                // This venue held the best bid and it got worse: look at every venue.
                self.best_bid[i] = self.consolidated(i).0;
            } else {
                return;
            }
        } else {
            let best = self.best_ask[i];
            if new != 0 && (best == 0 || new < best) {
                self.best_ask[i] = new;
            } else if old == best {
                self.best_ask[i] = self.consolidated(i).1;
            } else {
                return;
            }
        }
        self.refresh_reference(i);
    }

    fn refresh_reference(&mut self, instrument: usize) {
        let (bid, ask) = (self.best_bid[instrument], self.best_ask[instrument]);
        self.references[instrument] = if bid > 0 && ask > 0 {
            // Both are positive i64, so the sum fits an i128 and the mid fits an i64.
            ((i128::from(bid) + i128::from(ask)) / 2) as i64
        } else {
            self.last_trade[instrument]
        };
    }

    /// Visible qty at `price` (0 when there is no such level).
    pub fn qty_at(&self, ix: SideIx, price: i64) -> i64 {
        let k = key(Self::side_of(ix), price);
        let levels = &self.levels[ix.ix];
        match find(levels, k) {
            Ok(i) => levels[i].qty,
            Err(_) => 0,
        }
    }

    /// Best price of a side, 0 when it is empty.
    #[inline]
    pub fn top(&self, ix: SideIx) -> i64 {
        self.tops[ix.ix]
    }

    /// Best level of a side as `(price, qty)`.
    #[inline]
    pub fn best_level(&self, ix: SideIx) -> Option<(i64, i64)> {
        self.levels[ix.ix].last().map(|l| (l.key.abs(), l.qty))
    }

    /// Reduces the best level of a side by `take` (what one of our sweeps took), removing
    /// it at 0. `take` must not exceed the level's qty.
    pub fn take_best(&mut self, ix: SideIx, take: i64) {
        let levels = &mut self.levels[ix.ix];
        if let Some(top) = levels.last_mut() {
            top.qty -= take;
            if top.qty <= 0 {
                levels.pop();
                self.refresh_top(ix);
            }
        }
    }

    /// Levels of a side as `(price, qty)`, best first.
    pub fn levels(&self, ix: SideIx) -> impl Iterator<Item = (i64, i64)> + '_ {
        self.levels[ix.ix].iter().rev().map(|l| (l.key.abs(), l.qty))
    }

    /// Records a trade print as the instrument's last trade price.
    #[inline]
    pub fn record_trade(&mut self, instrument: usize, price: i64) {
        self.last_trade[instrument] = price;
        self.refresh_reference(instrument);
    }

    /// Last trade price of an instrument, if any.
    pub fn last_trade(&self, instrument: usize) -> Option<i64> {
        let p = self.last_trade[instrument];
        (p > 0).then_some(p)
    }

    /// Consolidated best bid and ask of an instrument over every venue (0 when absent), as
    /// kept up to date by every change of a best price.
    #[inline]
    pub fn best_prices(&self, instrument: usize) -> (i64, i64) {
        (self.best_bid[instrument], self.best_ask[instrument])
    }

    /// Consolidated best bid and ask of an instrument over every venue (0 when absent).
    #[inline]
    fn consolidated(&self, instrument: usize) -> (i64, i64) {
        let base = instrument * self.n_venues * 2;
        let tops = &self.tops[base..base + self.n_venues * 2];
        let mut bid = 0;
        // Tops are in 1..=i64::MAX or 0 (empty); `top − 1` as u64 sends empty sides to
        // u64::MAX so one unsigned min finds the lowest ask without a branch.
        let mut ask_minus_one = u64::MAX;
        for pair in tops.chunks_exact(2) {
            bid = bid.max(pair[0]);
            ask_minus_one = ask_minus_one.min((pair[1] as u64).wrapping_sub(1));
        }
        (bid, ask_minus_one.wrapping_add(1) as i64)
    }

    /// The reference price: `floor((best bid + best ask) / 2)` over every venue when
    /// both exist (even crossed), else the last trade price, else none.
    #[inline]
    pub fn reference(&self, instrument: usize) -> Option<i64> {
        let r = self.references[instrument];
        (r > 0).then_some(r)
    }

    /// Where a LIMIT order routed to ANY rests after its sweep: the venue with the best
    /// `side` price (BUY: highest bid; SELL: lowest ask), ties to the lowest venue id;
    /// venue 0 when no venue has a level on that side.
    pub fn best_venue(&self, instrument: usize, side: Side) -> u8 {
        let mut best_venue = 0;
        let mut best = 0;
        for venue in 0..self.n_venues {
            let top = self.tops[self.side_ix(instrument, venue, side).ix];
            let better = top != 0
                && (best == 0
                    || match side {
                        Side::Buy => top > best,
                        Side::Sell => top < best,
                    });
            if better {
                best = top;
                best_venue = venue;
            }
        }
        // `venue < n_venues ≤ 255` by metadata validation.
        u8::try_from(best_venue).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    proptest! {
        #[test]
        fn sides_behave_like_sorted_maps_and_the_reference_follows(
            ops in proptest::collection::vec((0usize..6, 0u8..4, 1i64..40, 0i64..4), 1..300),
        ) {
            // Three venues, both sides; op 3 is a trade print.
            let mut b = Books::new(2, 3);
            let mut model: Vec<BTreeMap<i64, i64>> = vec![BTreeMap::new(); 6];
            let mut last = 0;
            for (s, op, price, qty) in ops {
                let (venue, side) = (s / 2, if s % 2 == 0 { Side::Buy } else { Side::Sell });
                let ix = b.side_ix(1, venue, side);
                let m = &mut model[s];
                match op {
                    0 | 1 => {
                        b.set_level(ix, price, qty);
                        if qty == 0 { m.remove(&price); } else { m.insert(price, qty); }
                    }
                    2 => {
                        let best = if side == Side::Sell { m.iter().next() } else { m.iter().next_back() };
                        if let Some((&p, &q)) = best {
                            let take = qty.clamp(1, q);
                            b.take_best(ix, take);
                            if take == q { m.remove(&p); } else { m.insert(p, q - take); }
                        }
                    }
                    _ => {
                        b.record_trade(1, price);
                        last = price;
                    }
                }
                let m = &model[s];
                let want: Vec<(i64, i64)> = if side == Side::Sell {
                    m.iter().map(|(&p, &q)| (p, q)).collect()
                } else {
                    m.iter().rev().map(|(&p, &q)| (p, q)).collect()
                };
                prop_assert_eq!(b.levels(ix).collect::<Vec<_>>(), want.clone());
                prop_assert_eq!(b.top(ix), want.first().map_or(0, |l| l.0));
                prop_assert_eq!(b.qty_at(ix, price), m.get(&price).copied().unwrap_or(0));
                let bid = (0..3).filter_map(|v| model[2 * v].keys().next_back()).max();
                let ask = (0..3).filter_map(|v| model[2 * v + 1].keys().next()).min();
                let reference = match (bid, ask) {
                    (Some(b), Some(a)) => Some((b + a) / 2),
                    _ => (last > 0).then_some(last),
                };
                prop_assert_eq!(b.reference(1), reference);
                prop_assert_eq!(b.reference(0), None);
            }
        }
    }

    fn books() -> Books {
        Books::new(2, 3)
    }

    #[test]
    fn levels_are_set_replaced_and_removed_with_best_first() {
        let mut b = books();
        let bids = b.side_ix(0, 1, Side::Buy);
        let asks = b.side_ix(0, 1, Side::Sell);
        for (p, q) in [(100, 5), (102, 7), (101, 3), (99, 1)] {
            b.set_level(bids, p, q);
        }
        for (p, q) in [(105, 5), (103, 7), (104, 3)] {
            b.set_level(asks, p, q);
        }
        assert_eq!(b.levels(bids).collect::<Vec<_>>(), [(102, 7), (101, 3), (100, 5), (99, 1)]);
        assert_eq!(b.levels(asks).collect::<Vec<_>>(), [(103, 7), (104, 3), (105, 5)]);
        assert_eq!((b.top(bids), b.top(asks)), (102, 103));
        b.set_level(bids, 101, 9);
        b.set_level(bids, 102, 0);
        b.set_level(bids, 50, 0); // absent: no-op
        b.set_level(asks, 104, 0);
        assert_eq!(b.levels(bids).collect::<Vec<_>>(), [(101, 9), (100, 5), (99, 1)]);
        assert_eq!(b.levels(asks).collect::<Vec<_>>(), [(103, 7), (105, 5)]);
        assert_eq!(b.top(bids), 101);
        assert_eq!(b.qty_at(bids, 100), 5);
        assert_eq!(b.qty_at(bids, 102), 0);
        assert_eq!(b.qty_at(asks, 105), 5);
        // Other books untouched.
        assert_eq!(b.top(b.side_ix(0, 0, Side::Buy)), 0);
        assert_eq!(b.top(b.side_ix(1, 1, Side::Buy)), 0);
    }

    #[test]
    fn take_best_reduces_then_removes_the_top() {
        let mut b = books();
        let asks = b.side_ix(1, 2, Side::Sell);
        b.set_level(asks, 10, 4);
        b.set_level(asks, 11, 6);
        b.take_best(asks, 3);
        assert_eq!(b.best_level(asks), Some((10, 1)));
        b.take_best(asks, 1);
        assert_eq!(b.best_level(asks), Some((11, 6)));
        assert_eq!(b.top(asks), 11);
        b.take_best(asks, 6);
        assert_eq!(b.best_level(asks), None);
        assert_eq!(b.top(asks), 0);
    }

    #[test]
    fn reference_price_cases() {
        // (bids per venue, asks per venue, last trade, expected)
        type Case = (&'static [(usize, i64)], &'static [(usize, i64)], Option<i64>, Option<i64>);
        let cases: [Case; 8] = [
            (&[], &[], None, None),
            (&[], &[], Some(77), Some(77)),
            (&[(0, 100)], &[], Some(77), Some(77)),
            (&[], &[(2, 104)], None, None),
            (&[(0, 100)], &[(1, 103)], Some(77), Some(101)), // floor(203 / 2)
            (&[(0, 100), (2, 101)], &[(1, 104), (2, 103)], None, Some(102)), // best over venues
            (&[(0, 110)], &[(1, 100)], None, Some(105)),     // crossed: still the mid
            (&[(0, i64::MAX)], &[(1, i64::MAX - 2)], None, Some(i64::MAX - 1)),
        ];
        for (bids, asks, last, expected) in cases {
            let mut b = books();
            for &(v, p) in bids {
                let ix = b.side_ix(1, v, Side::Buy);
                b.set_level(ix, p, 1);
            }
            for &(v, p) in asks {
                let ix = b.side_ix(1, v, Side::Sell);
                b.set_level(ix, p, 1);
            }
            if let Some(p) = last {
                b.record_trade(1, p);
            }
            assert_eq!(b.reference(1), expected, "{bids:?} {asks:?} {last:?}");
            assert_eq!(b.reference(0), None, "instrument 0 untouched");
        }
    }

    #[test]
    fn best_venue_prefers_best_price_then_lowest_id() {
        let mut b = books();
        assert_eq!(b.best_venue(0, Side::Buy), 0, "no level anywhere: venue 0");
        for (v, p) in [(2, 100), (1, 100)] {
            let ix = b.side_ix(0, v, Side::Buy);
            b.set_level(ix, p, 1);
        }
        assert_eq!(b.best_venue(0, Side::Buy), 1);
        let ix = b.side_ix(0, 2, Side::Buy);
        b.set_level(ix, 101, 1);
        assert_eq!(b.best_venue(0, Side::Buy), 2);
        for (v, p) in [(2, 105), (1, 104), (0, 104)] {
            let ix = b.side_ix(0, v, Side::Sell);
            b.set_level(ix, p, 1);
        }
        assert_eq!(b.best_venue(0, Side::Sell), 0);
    }
}
