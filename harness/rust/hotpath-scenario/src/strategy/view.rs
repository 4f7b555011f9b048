//! The strategy's copy of every venue's L2 book, kept exactly as `docs/pipeline.md` says
//! the pipeline keeps it: `BOOK_DELTA` sets a level, our own taker fills reduce the local
//! level until the next delta overwrites it, and invalid market data is ignored.
//!
//! Each side is a sorted vector with the best level at the end, so the frequent updates
//! near the touch move little memory even for deep imported books.

use hotpath_core::format::{EventKind, EventRecord, Side};

/// One side of one book: `(price, qty)` sorted so that the best level is last.
#[derive(Clone, Debug, Default)]
pub struct Ladder {
    levels: Vec<(i64, i64)>,
    /// Bids ascend (best = highest, last); asks descend (best = lowest, last).
    bids: bool,
}

impl Ladder {
    fn new(bids: bool) -> Self {
        Ladder { levels: Vec::new(), bids }
    }

    #[inline]
    fn search(&self, price: i64) -> Result<usize, usize> {
        if self.bids {
            self.levels.binary_search_by(|l| l.0.cmp(&price))
        } else {
            self.levels.binary_search_by(|l| price.cmp(&l.0))
        }
    }

    /// Sets the qty of a level (0 removes it).
    pub fn set(&mut self, price: i64, qty: i64) {
        match (self.search(price), qty) {
            (Ok(i), 0) => {
                self.levels.remove(i);
            }
            (Ok(i), q) => self.levels[i].1 = q,
            (Err(_), 0) => {}
            (Err(i), q) => self.levels.insert(i, (price, q)),
        }
    }

    /// The best level.
    #[inline]
    pub fn best(&self) -> Option<(i64, i64)> {
        self.levels.last().copied()
    }

    /// Visible qty at `price` (0 when there is no such level).
    pub fn qty_at(&self, price: i64) -> i64 {
        self.search(price).map_or(0, |i| self.levels[i].1)
    }

    /// Takes `qty` from the best level (removing it at 0).
    fn take_best(&mut self, qty: i64) {
        if let Some(last) = self.levels.last_mut() {
            last.1 -= qty;
            if last.1 <= 0 {
                self.levels.pop();
            }
        }
    }

    /// Number of levels.
    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// The side has no level.
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// The `n`-th best level (0 = best).
    pub fn nth_best(&self, n: usize) -> Option<(i64, i64)> {
        self.levels.len().checked_sub(n + 1).map(|i| self.levels[i])
    }
}

/// Both sides of one venue × instrument book.
#[derive(Clone, Debug)]
pub struct Book {
    /// Bids.
    pub bids: Ladder,
    /// Asks.
    pub asks: Ladder,
}

impl Book {
    fn new() -> Self {
        Book { bids: Ladder::new(true), asks: Ladder::new(false) }
    }

    /// The side of the book orders of `side` rest on.
    pub fn side(&self, side: Side) -> &Ladder {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }
}

/// A taker fill produced by [`MarketView::sweep`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Take {
    /// Venue of the level taken.
    pub venue: u8,
    /// Level price.
    pub price: i64,
    /// Qty taken.
    pub qty: i64,
}

/// What a market-data event did to the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    /// Ignored (unknown venue/instrument or invalid values, as the pipeline ignores it).
    Ignored,
    /// A level changed; `top` says whether the best bid or ask of that book changed.
    Delta {
        /// The best price or its qty changed.
        top: bool,
    },
    /// A valid trade print.
    Trade,
}

/// Every venue's book for every instrument, plus last trade prices.
#[derive(Clone, Debug)]
pub struct MarketView {
    books: Vec<Book>,
    last_trade: Vec<Option<i64>>,
    venues: usize,
    instruments: usize,
}

impl MarketView {
    /// Empty books.
    pub fn new(instruments: usize, venues: usize) -> Self {
        MarketView {
            books: (0..instruments * venues).map(|_| Book::new()).collect(),
            last_trade: vec![None; instruments],
            venues,
            instruments,
        }
    }

    /// Number of venues.
    pub fn venues(&self) -> usize {
        self.venues
    }

    /// The book of venue `v`, instrument `i`.
    #[inline]
    pub fn book(&self, v: usize, i: usize) -> &Book {
        &self.books[i * self.venues + v]
    }

    /// Applies a market-data record as the pipeline does.
    pub fn apply(&mut self, e: &EventRecord) -> Applied {
        let (v, i) = (usize::from(e.venue), usize::from(e.instrument));
        if v >= self.venues || i >= self.instruments || e.price <= 0 {
            return Applied::Ignored;
        }
        let Some(side) = Side::from_u8(e.side) else { return Applied::Ignored };
        match EventKind::from_u8(e.kind) {
            Some(EventKind::BookDelta) if e.qty >= 0 => {
                let book = &mut self.books[i * self.venues + v];
                let ladder = match side {
                    Side::Buy => &mut book.bids,
                    Side::Sell => &mut book.asks,
                };
                let before = ladder.best();
                ladder.set(e.price, e.qty);
                Applied::Delta { top: ladder.best() != before }
            }
            Some(EventKind::Trade) if e.qty > 0 => {
                self.last_trade[i] = Some(e.price);
                Applied::Trade
            }
            _ => Applied::Ignored,
        }
    }

    /// Best bid over every venue (price only), ties irrelevant.
    pub fn best_bid(&self, i: usize) -> Option<i64> {
        (0..self.venues).filter_map(|v| self.book(v, i).bids.best().map(|l| l.0)).max()
    }

    /// Best ask over every venue.
    pub fn best_ask(&self, i: usize) -> Option<i64> {
        (0..self.venues).filter_map(|v| self.book(v, i).asks.best().map(|l| l.0)).min()
    }

    /// The pipeline's reference price: consolidated mid (floored), else last trade.
    pub fn reference(&self, i: usize) -> Option<i64> {
        match (self.best_bid(i), self.best_ask(i)) {
            // i128: exact for any prices (the sum of two i64 can overflow).
            (Some(b), Some(a)) => Some(((i128::from(b) + i128::from(a)) / 2) as i64),
            _ => self.last_trade[i],
        }
    }

    /// The pipeline's sweep: takes opposite-side levels priced at or better than `limit`
    /// from venue `only` (or every venue), best price first, ties by lowest venue, up to
    /// `qty`, reducing the local levels. Returns the fills in order.
    pub fn sweep(
        &mut self,
        i: usize,
        side: Side,
        limit: i64,
        qty: i64,
        only: Option<usize>,
        out: &mut Vec<Take>,
    ) {
        out.clear();
        let mut left = qty;
        while left > 0 {
            let mut best: Option<(usize, i64, i64)> = None;
            for v in 0..self.venues {
                if only.is_some_and(|o| o != v) {
                    continue;
                }
                let book = &self.books[i * self.venues + v];
                let level = match side {
                    Side::Buy => book.asks.best().filter(|l| l.0 <= limit),
                    Side::Sell => book.bids.best().filter(|l| l.0 >= limit),
                };
                if let Some((p, q)) = level {
                    let better = match (best, side) {
                        (None, _) => true,
                        (Some((_, bp, _)), Side::Buy) => p < bp,
                        (Some((_, bp, _)), Side::Sell) => p > bp,
                    };
                    if better {
                        best = Some((v, p, q));
                    }
                }
            }
            let Some((v, price, level_qty)) = best else { break };
            let take = left.min(level_qty);
            let book = &mut self.books[i * self.venues + v];
            match side {
                Side::Buy => book.asks.take_best(take),
                Side::Sell => book.bids.take_best(take),
            }
            out.push(Take { venue: v as u8, price, qty: take });
            left -= take;
        }
    }

    /// Where a resting order of `side` goes for venue ANY: the venue with the best
    /// same-side price (ties lowest id), else venue 0.
    pub fn best_venue(&self, i: usize, side: Side) -> usize {
        let mut best: Option<(usize, i64)> = None;
        for v in 0..self.venues {
            if let Some((p, _)) = self.book(v, i).side(side).best() {
                let better = match (best, side) {
                    (None, _) => true,
                    (Some((_, bp)), Side::Buy) => p > bp,
                    (Some((_, bp)), Side::Sell) => p < bp,
                };
                if better {
                    best = Some((v, p));
                }
            }
        }
        best.map_or(0, |b| b.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta(v: u8, side: Side, price: i64, qty: i64) -> EventRecord {
        EventRecord {
            kind: EventKind::BookDelta as u8,
            venue: v,
            side: side as u8,
            price,
            qty,
            ..Default::default()
        }
    }

    #[test]
    fn ladders_keep_the_best_level_last_and_remove_at_zero() {
        let mut view = MarketView::new(1, 2);
        for (p, q) in [(100, 5), (102, 7), (101, 1)] {
            view.apply(&delta(0, Side::Buy, p, q));
        }
        for (p, q) in [(105, 3), (103, 2), (104, 9)] {
            view.apply(&delta(0, Side::Sell, p, q));
        }
        assert_eq!(view.book(0, 0).bids.best(), Some((102, 7)));
        assert_eq!(view.book(0, 0).asks.best(), Some((103, 2)));
        assert_eq!(view.book(0, 0).asks.nth_best(1), Some((104, 9)));
        assert_eq!(view.apply(&delta(0, Side::Buy, 102, 0)), Applied::Delta { top: true });
        assert_eq!(view.apply(&delta(0, Side::Buy, 100, 6)), Applied::Delta { top: false });
        assert_eq!(view.apply(&delta(0, Side::Buy, 99, 0)), Applied::Delta { top: false });
        assert_eq!(view.book(0, 0).bids.best(), Some((101, 1)));
        assert_eq!(view.reference(0), Some(102));
        assert_eq!(view.apply(&delta(5, Side::Buy, 100, 1)), Applied::Ignored);
        assert_eq!(view.apply(&delta(0, Side::Buy, -1, 1)), Applied::Ignored);
        assert_eq!(view.apply(&delta(0, Side::Buy, 100, -1)), Applied::Ignored);
    }

    #[test]
    fn sweeps_take_the_best_price_first_then_the_lowest_venue() {
        let mut view = MarketView::new(1, 3);
        view.apply(&delta(2, Side::Sell, 100, 5));
        view.apply(&delta(1, Side::Sell, 100, 5));
        view.apply(&delta(0, Side::Sell, 101, 5));
        view.apply(&delta(1, Side::Sell, 103, 5));
        let mut out = Vec::new();
        view.sweep(0, Side::Buy, 101, 12, None, &mut out);
        let got: Vec<(u8, i64, i64)> = out.iter().map(|t| (t.venue, t.price, t.qty)).collect();
        assert_eq!(got, vec![(1, 100, 5), (2, 100, 5), (0, 101, 2)]);
        assert_eq!(view.book(0, 0).asks.best(), Some((101, 3)));
        view.sweep(0, Side::Buy, 200, 100, Some(1), &mut out);
        assert_eq!(out, vec![Take { venue: 1, price: 103, qty: 5 }]);
        assert_eq!(view.best_venue(0, Side::Sell), 0);
        assert_eq!(view.best_venue(0, Side::Buy), 0, "no bids anywhere: venue 0");
    }

    #[test]
    fn reference_falls_back_to_the_last_trade() {
        let mut view = MarketView::new(1, 1);
        assert_eq!(view.reference(0), None);
        let trade =
            EventRecord { kind: EventKind::Trade as u8, side: 1, price: 50, qty: 1, ..Default::default() };
        assert_eq!(view.apply(&trade), Applied::Trade);
        assert_eq!(view.reference(0), Some(50));
        view.apply(&delta(0, Side::Buy, 40, 1));
        assert_eq!(view.reference(0), Some(50), "one side only: still the last trade");
        view.apply(&delta(0, Side::Sell, 45, 1));
        assert_eq!(view.reference(0), Some(42), "crossed consolidated book still gives a mid");
    }
}
