//! Market data: book deltas (with the queue-position cap on our resting orders) and
//! trades (last trade price, passive fills through the queue model, loss checks).

use super::book::SideIx;
use super::execution::contra;
use super::live::priority_key;
use super::orders::OrderStatus;
use super::sink::{Emitter, ReportSink};
use super::{reports, Engine};
use crate::format::{EventKind, EventRecord, Liquidity, Side};

/// The instrument, venue and side a market-data event updates, if all are known, the price
/// is positive and the size is at least `min_qty` (one combined test: this runs for every
/// market-data event). Shared with the risk desk's copy of the books (`desk.rs`).
#[inline]
pub(super) fn market_target(
    ev: &EventRecord,
    n_instruments: usize,
    n_venues: usize,
    min_qty: i64,
) -> Option<(usize, usize, Side)> {
    let instrument = usize::from(ev.instrument);
    let venue = usize::from(ev.venue);
    let known = (instrument < n_instruments) & (venue < n_venues) & (ev.price > 0) & (ev.qty >= min_qty);
    match Side::from_u8(ev.side) {
        Some(side) if known => Some((instrument, venue, side)),
        _ => None,
    }
}

impl Engine {
    #[inline]
    fn target(&self, ev: &EventRecord, min_qty: i64) -> Option<(usize, usize, Side)> {
        market_target(ev, self.instruments.len(), self.n_venues, min_qty)
    }

    /// The instrument, venue and side a market-data event updates, if the engine uses it:
    /// a `BOOK_DELTA` (size ≥ 0) or `TRADE` (size > 0) on a known instrument, venue and
    /// side with a price > 0 (`docs/pipeline.md`, "Market data"). Anything else is ignored.
    #[inline]
    pub fn market_data_target(&self, ev: &EventRecord) -> Option<(usize, usize, Side)> {
        match EventKind::from_u8(ev.kind) {
            Some(EventKind::BookDelta) => self.target(ev, 0),
            Some(EventKind::Trade) => self.target(ev, 1),
            _ => None,
        }
    }

    /// `BOOK_DELTA`: sets one level, then caps the `queue_ahead` of our orders resting at
    /// that venue, instrument, side and price at the new qty. The cap applies even when the
    /// delta removes a level the local copy no longer has (one of our sweeps took it): the
    /// venue says nothing is visible there, so nothing can be ahead of us.
    pub(super) fn on_book_delta(&mut self, ev: &EventRecord) {
        let Some((instrument, venue, side)) = self.target(ev, 0) else { return };
        let ix = SideIx::new(instrument, venue, side, self.n_venues);
        self.books.set_level(ix, ev.price, ev.qty);
        self.live.cap_queue(ix, side, ev.price, ev.qty, &mut self.orders);
    }

    /// `TRADE`: last trade price, maker fills of our orders on the other side in priority
    /// order, then one loss check per account that filled, in ascending account id.
    pub(super) fn on_trade<S: ReportSink>(&mut self, ev: &EventRecord, em: &mut Emitter<'_, S>) {
        let Some((instrument, venue, aggressor)) = self.target(ev, 1) else { return };
        let print = ev.price;
        self.books.record_trade(instrument, print);
        let resting = contra(aggressor);
        let ix = SideIx::new(instrument, venue, resting, self.n_venues);
        let list = self.live.list(ix);
        let eligible = priority_key(resting, print);
        if list.first().map_or(true, |e| e.key > eligible) {
            return;
        }
        let mut filled_accounts = std::mem::take(&mut self.scratch_accounts);
        filled_accounts.clear();
        let mut left = ev.qty;
        let mut done = 0;
        for e in list.iter().take_while(|e| e.key <= eligible) {
            if left == 0 {
                break;
            }
            let Some(o) = self.orders.get_mut(e.slot) else { continue };
            if o.price == print {
                let c = o.queue_ahead.min(left);
                o.queue_ahead -= c;
                left -= c;
            }
            let f = o.remaining.min(left);
            if f > 0 {
                em.emit(reports::fill(o, o.price, f, venue as u8, Liquidity::Maker));
                left -= f;
                o.remaining -= f;
                let closed = o.remaining == 0;
                if closed {
                    o.status = OrderStatus::Filled;
                    done += 1;
                }
                let account = &mut self.accounts[usize::from(o.account)];
                account.apply_fill(instrument, o.side, o.price, f);
                account.release(instrument, o.side, o.price, f, closed);
                if filled_accounts.last() != Some(&o.account) {
                    filled_accounts.push(o.account);
                }
            }
        }
        // Every order visited but the last was filled completely (the walk stops when the
        // print is used up), so the completed ones are a prefix of the list.
        self.live.drop_front(ix, done);
        if filled_accounts.len() > 1 {
            filled_accounts.sort_unstable();
            filled_accounts.dedup();
        }
        for &account in &filled_accounts {
            // `instrument` is below the instrument count, which fits a u16.
            self.loss_check(account, 0, instrument as u16, em);
        }
        self.scratch_accounts = filled_accounts;
    }
}
