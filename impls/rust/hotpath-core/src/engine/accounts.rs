//! Per-account state: limits, positions, cash, open quantities and notional, the throttle
//! window, the kill switch and every id the account has used.

use std::collections::VecDeque;

use super::book::Books;
use super::cash::Cash;
use super::ids::IdIndex;
use crate::format::{AccountLimits, Side};

/// An account's holding in one instrument.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Holding {
    /// Signed position. Stays within ±`max_position` because every order that can fill
    /// passed the position check against its open quantity.
    pub position: i64,
    /// Σ remaining of live BUY orders. `i128`: with a short position it may exceed `i64`.
    pub open_buy: i128,
    /// Σ remaining of live SELL orders.
    pub open_sell: i128,
    /// Absolute position cap.
    pub max_position: i64,
}

/// The trailing window of accepted NEW/REPLACE timestamps (rule 6 of pre-trade risk).
#[derive(Clone, Debug)]
pub struct Throttle {
    accepted: VecDeque<u64>,
    limit: u32,
    window_ns: u64,
}

impl Throttle {
    fn new(limit: u32, window_ns: u64) -> Throttle {
        // Only accepted requests enter, so the window never holds more than `limit`; start
        // small in case the limit is huge and grow (amortised) to what the flow needs.
        Throttle { accepted: VecDeque::with_capacity((limit as usize).min(1024)), limit, window_ns }
    }

    /// Entries at the front that no longer count at `ts`: those `≤ ts − window` (none
    /// when `ts < window`).
    #[inline]
    fn expired(&self, ts: u64) -> usize {
        match ts.checked_sub(self.window_ns) {
            Some(cutoff) => self.accepted.iter().take_while(|&&t| t <= cutoff).count(),
            None => 0,
        }
    }

    /// Accepted requests that count against the limit at `ts`.
    #[inline]
    pub fn in_window(&self, ts: u64) -> usize {
        self.accepted.len() - self.expired(ts)
    }

    /// Rule 6 of pre-trade risk: whether one more request fits at `ts`. Changes nothing;
    /// the engine prunes the window first, so that it stays short.
    #[inline]
    pub fn admits(&self, ts: u64) -> bool {
        self.in_window(ts) < self.limit as usize
    }

    /// Drops the entries that no longer count at `ts` from the front (`docs/pipeline.md`:
    /// done when a request reaches rule 6).
    #[inline]
    pub(super) fn prune(&mut self, ts: u64) {
        if let Some(cutoff) = ts.checked_sub(self.window_ns) {
            while self.accepted.front().is_some_and(|&t| t <= cutoff) {
                self.accepted.pop_front();
            }
        }
    }

    /// Enters an accepted request.
    #[inline]
    pub(super) fn record(&mut self, ts: u64) {
        self.accepted.push_back(ts);
    }

    /// Timestamps currently in the window, oldest first.
    pub fn entries(&self) -> impl Iterator<Item = u64> + '_ {
        self.accepted.iter().copied()
    }
}

/// One account's limits and state.
#[derive(Clone, Debug)]
pub struct Account {
    pub(super) max_order_notional: i128,
    pub(super) max_gross_notional: i128,
    pub(super) max_open_orders: u64,
    pub(super) max_loss: i128,
    pub(super) holdings: Vec<Holding>,
    pub(super) cash: Cash,
    pub(super) open_notional: i128,
    pub(super) open_orders: u64,
    pub(super) throttle: Throttle,
    pub(super) halted: bool,
    pub(super) ids: IdIndex,
}

impl Account {
    /// A flat account with `limits` (`max_position` has one entry per instrument).
    pub fn new(limits: &AccountLimits) -> Account {
        Account {
            max_order_notional: limits.max_order_notional.into(),
            max_gross_notional: limits.max_gross_notional.into(),
            max_open_orders: limits.max_open_orders.into(),
            max_loss: limits.max_loss.into(),
            holdings: limits
                .max_position
                .iter()
                .map(|&max_position| Holding { max_position, ..Holding::default() })
                .collect(),
            cash: Cash::ZERO,
            open_notional: 0,
            open_orders: 0,
            throttle: Throttle::new(limits.rate_limit_count, limits.rate_limit_window_ns),
            halted: false,
            ids: IdIndex::default(),
        }
    }

    /// A fill of `qty` at `price` on `side`: position and cash.
    #[inline]
    pub(super) fn apply_fill(&mut self, instrument: usize, side: Side, price: i64, qty: i64) {
        let value = i128::from(price) * i128::from(qty);
        let h = &mut self.holdings[instrument];
        match side {
            Side::Buy => {
                h.position += qty;
                self.cash.sub(value);
            }
            Side::Sell => {
                h.position -= qty;
                self.cash.add(value);
            }
        }
    }

    /// An order starts resting with `qty` remaining.
    #[inline]
    pub(super) fn open(&mut self, instrument: usize, side: Side, price: i64, qty: i64) {
        let h = &mut self.holdings[instrument];
        match side {
            Side::Buy => h.open_buy += i128::from(qty),
            Side::Sell => h.open_sell += i128::from(qty),
        }
        self.open_notional += i128::from(price) * i128::from(qty);
        self.open_orders += 1;
    }

    /// `qty` of a resting order is no longer open (filled or cancelled); `closed` when
    /// the order stops being live.
    #[inline]
    pub(super) fn release(&mut self, instrument: usize, side: Side, price: i64, qty: i64, closed: bool) {
        let h = &mut self.holdings[instrument];
        match side {
            Side::Buy => h.open_buy -= i128::from(qty),
            Side::Sell => h.open_sell -= i128::from(qty),
        }
        self.open_notional -= i128::from(price) * i128::from(qty);
        self.open_orders -= u64::from(closed);
    }

    /// PnL (`cash + Σ position × reference`) and gross exposure (`Σ |position × reference|`),
    /// in one pass; instruments without a reference contribute nothing. The gross sum
    /// saturates: it is only ever compared with an `i64` limit.
    #[inline]
    pub(super) fn marks(&self, books: &Books) -> (Cash, i128) {
        let mut pnl = self.cash;
        let mut gross: i128 = 0;
        for (instrument, h) in self.holdings.iter().enumerate() {
            if h.position != 0 {
                if let Some(r) = books.reference(instrument) {
                    // |position| and r are below 2^63: the product fits an i128.
                    let value = i128::from(h.position) * i128::from(r);
                    pnl.add(value);
                    gross = gross.saturating_add(value.abs());
                }
            }
        }
        (pnl, gross)
    }

    /// Rule 0 of pre-trade risk and the loss check after fills: PnL below `−max_loss`.
    #[inline]
    pub(super) fn over_loss_limit(&self, pnl: Cash) -> bool {
        pnl.lt_i128(-self.max_loss)
    }

    /// Whether the kill switch has tripped.
    pub fn is_halted(&self) -> bool {
        self.halted
    }

    /// Cash: − Σ buy fill values + Σ sell fill values.
    pub fn cash(&self) -> Cash {
        self.cash
    }

    /// Holding in an instrument.
    pub fn holding(&self, instrument: u16) -> Option<&Holding> {
        self.holdings.get(usize::from(instrument))
    }

    /// Σ `price × remaining` of live orders.
    pub fn open_notional(&self) -> i128 {
        self.open_notional
    }

    /// Number of live orders.
    pub fn open_orders(&self) -> u64 {
        self.open_orders
    }

    /// The throttle window.
    pub fn throttle(&self) -> &Throttle {
        &self.throttle
    }

    /// Number of distinct request ids the account has used.
    pub fn used_ids(&self) -> u64 {
        self.ids.len()
    }

    /// Whether `id` is among the account's used ids.
    pub fn has_used(&self, id: u64) -> bool {
        self.ids.contains(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_window_drops_old_entries_from_the_front_only() {
        // (limit, window, accepted timestamps, probe ts, admitted?, entries left)
        type Case = (u32, u64, &'static [u64], u64, bool, &'static [u64]);
        let cases: [Case; 7] = [
            (2, 100, &[10, 20], 110, true, &[20]),      // 10 ≤ 110 − 100 drops
            (2, 100, &[10, 20], 109, false, &[10, 20]), // (9, 109]: both still inside
            (2, 100, &[10, 20], 50, false, &[10, 20]),  // ts < window: nothing dropped
            (0, 100, &[], 1000, false, &[]),            // a zero limit admits nothing
            (3, 0, &[5, 5, 5], 5, true, &[]),           // zero window: ≤ ts all dropped
            (2, 10, &[30, 5], 25, false, &[30, 5]),     // front not old: stops at once
            (1, 100, &[0], 100, true, &[]),             // boundary: 0 ≤ 100 − 100
        ];
        for (limit, window, accepted, ts, admitted, left) in cases {
            let mut t = Throttle::new(limit, window);
            for &a in accepted {
                t.record(a);
            }
            assert_eq!(t.admits(ts), admitted, "{limit} {window} {accepted:?} {ts}");
            assert_eq!(t.in_window(ts), left.len(), "counting agrees with pruning");
            t.prune(ts);
            assert_eq!(t.admits(ts), admitted, "pruning changes no verdict");
            assert_eq!(t.entries().collect::<Vec<_>>(), left);
        }
    }

    fn limits() -> AccountLimits {
        AccountLimits {
            max_order_notional: 1,
            max_gross_notional: 1,
            max_position: vec![100, 100],
            rate_limit_count: 1,
            rate_limit_window_ns: 1,
            max_open_orders: 1,
            max_loss: 1,
        }
    }

    #[test]
    fn fills_move_position_and_cash_and_open_quantities_balance() {
        let mut a = Account::new(&limits());
        a.apply_fill(1, Side::Buy, 10, 3);
        a.apply_fill(1, Side::Sell, 12, 1);
        assert_eq!(a.holdings[1].position, 2);
        assert_eq!(a.cash.to_i128(), Some(-30 + 12));
        a.open(0, Side::Sell, 7, 5);
        a.open(0, Side::Buy, 6, 2);
        assert_eq!((a.holdings[0].open_buy, a.holdings[0].open_sell), (2, 5));
        assert_eq!((a.open_notional, a.open_orders), (47, 2));
        a.release(0, Side::Sell, 7, 2, false);
        a.release(0, Side::Buy, 6, 2, true);
        assert_eq!((a.holdings[0].open_buy, a.holdings[0].open_sell), (0, 3));
        assert_eq!((a.open_notional, a.open_orders), (21, 1));
    }

    #[test]
    fn marks_value_positions_at_the_reference_and_skip_instruments_without_one() {
        let mut books = Books::new(2, 1);
        let mut a = Account::new(&limits());
        a.apply_fill(0, Side::Buy, 10, 3); // long 3, cash -30
        a.apply_fill(1, Side::Sell, 20, 2); // short 2, cash +40
        assert_eq!(a.marks(&books), (Cash::from_i128(10), 0), "no references yet");
        books.record_trade(0, 8);
        assert_eq!(a.marks(&books), (Cash::from_i128(10 + 24), 24));
        books.record_trade(1, 25);
        assert_eq!(a.marks(&books), (Cash::from_i128(10 + 24 - 50), 74));
    }
}
