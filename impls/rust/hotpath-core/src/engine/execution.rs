//! Stage 3: execution of accepted requests (`docs/pipeline.md`): the sweep across one
//! venue or all of them, the loss check after it, resting with a queue position or
//! cancelling the remainder; CANCEL; REPLACE (cancel, then a new LIMIT at the same venue).

use super::book::SideIx;
use super::live::{priority_key, LiveEntry};
use super::orders::{Order, OrderStatus};
use super::sink::{Emitter, ReportSink};
use super::validation::{NewTicket, ReplaceTicket};
use super::{reports, Engine};
use crate::format::{CancelReason, Liquidity, OrderType, Side, VENUE_ANY};

/// The book side an order on `side` takes liquidity from.
#[inline]
pub(super) fn contra(side: Side) -> Side {
    match side {
        Side::Buy => Side::Sell,
        Side::Sell => Side::Buy,
    }
}

/// Whether a contra level at `level` is marketable for an order on `side` at `limit`.
#[inline]
fn marketable(side: Side, level: i64, limit: i64) -> bool {
    match side {
        Side::Buy => level <= limit,
        Side::Sell => level >= limit,
    }
}

/// Whether `level` is a strictly better contra price than `best` for an order on `side`.
#[inline]
fn improves(side: Side, level: i64, best: i64) -> bool {
    match side {
        Side::Buy => level < best,
        Side::Sell => level > best,
    }
}

impl Engine {
    /// An accepted NEW: `ACK`, then sweep, loss check, rest or cancel the remainder.
    /// Returns the new order's slot.
    pub(super) fn execute_new<S: ReportSink>(
        &mut self,
        id: u64,
        t: &NewTicket,
        em: &mut Emitter<'_, S>,
    ) -> u32 {
        let order = Order {
            id,
            price: t.price,
            qty: t.qty,
            remaining: t.qty,
            queue_ahead: 0,
            account: t.account,
            instrument: t.instrument,
            side: t.side,
            order_type: t.order_type,
            requested_venue: t.venue,
            venue: t.venue,
            status: OrderStatus::Live,
        };
        em.emit(reports::ack(&order));
        self.work(order, em)
    }

    /// An accepted CANCEL of the live order in `slot`.
    pub(super) fn execute_cancel<S: ReportSink>(
        &mut self,
        cancel_id: u64,
        slot: u32,
        em: &mut Emitter<'_, S>,
    ) {
        self.cancel_live(slot, CancelReason::Requested, cancel_id, em);
    }

    /// An accepted REPLACE: `REPLACED`, the original stops being live, and a new LIMIT
    /// with the new id, price and qty works at the original's resting venue (it loses
    /// queue priority). Returns the new order's slot.
    pub(super) fn execute_replace<S: ReportSink>(
        &mut self,
        new_id: u64,
        t: &ReplaceTicket,
        em: &mut Emitter<'_, S>,
    ) -> Option<u32> {
        let orig = *self.orders.get(t.slot)?;
        self.unrest(&orig, t.slot);
        if let Some(o) = self.orders.get_mut(t.slot) {
            o.status = OrderStatus::Replaced;
        }
        em.emit(reports::replaced(new_id, t.price, t.qty, &orig));
        let order = Order {
            id: new_id,
            price: t.price,
            qty: t.qty,
            remaining: t.qty,
            queue_ahead: 0,
            account: orig.account,
            instrument: orig.instrument,
            side: orig.side,
            order_type: OrderType::Limit,
            requested_venue: orig.venue,
            venue: orig.venue,
            status: OrderStatus::Live,
        };
        Some(self.work(order, em))
    }

    /// Sweep, loss check if anything filled, then the remainder; stores the order.
    fn work<S: ReportSink>(&mut self, mut order: Order, em: &mut Emitter<'_, S>) -> u32 {
        let filled = self.sweep(&mut order, em);
        let tripped = filled && self.loss_check(order.account, order.id, order.instrument, em);
        if order.remaining == 0 {
            order.status = OrderStatus::Filled;
        } else if order.is_ioc() {
            em.emit(reports::cancelled(&order, CancelReason::Unfilled, 0, order.requested_venue));
            order.status = OrderStatus::Cancelled;
        } else if tripped {
            em.emit(reports::cancelled(&order, CancelReason::KillSwitch, 0, order.requested_venue));
            order.status = OrderStatus::Cancelled;
        } else {
            return self.rest(order);
        }
        self.orders.push(order)
    }

    /// Takes marketable contra levels from the requested venue (or, for ANY, from every
    /// venue: best price first, ties to the lowest venue id), one taker `FILL` per level.
    /// Returns whether anything filled.
    fn sweep<S: ReportSink>(&mut self, order: &mut Order, em: &mut Emitter<'_, S>) -> bool {
        let instrument = usize::from(order.instrument);
        let side = order.side;
        let take_side = contra(side);
        let account = &mut self.accounts[usize::from(order.account)];
        let books = &mut self.books;
        let mut filled = false;
        loop {
            let venue = if order.requested_venue == VENUE_ANY {
                // Best marketable top across venues; strict comparison keeps the lowest id.
                let mut best: Option<(usize, i64)> = None;
                for v in 0..self.n_venues {
                    let top = books.top(books.side_ix(instrument, v, take_side));
                    if top != 0
                        && marketable(side, top, order.price)
                        && best.map_or(true, |(_, b)| improves(side, top, b))
                    {
                        best = Some((v, top));
                    }
                }
                match best {
                    Some((v, _)) => v,
                    None => break,
                }
            } else {
                usize::from(order.requested_venue)
            };
            let ix = books.side_ix(instrument, venue, take_side);
            let Some((price, qty)) = books.best_level(ix) else { break };
            if !marketable(side, price, order.price) {
                break;
            }
            let take = qty.min(order.remaining);
            // `venue < n_venues ≤ 255`.
            em.emit(reports::fill(order, price, take, venue as u8, Liquidity::Taker));
            account.apply_fill(instrument, side, price, take);
            books.take_best(ix, take);
            order.remaining -= take;
            filled = true;
            if order.remaining == 0 {
                break;
            }
        }
        filled
    }

    /// Rests a LIMIT remainder: at the requested venue or, for ANY, where the best
    /// same-side price is; `queue_ahead` is the visible qty at its price there.
    fn rest(&mut self, mut order: Order) -> u32 {
        let instrument = usize::from(order.instrument);
        if order.requested_venue == VENUE_ANY {
            order.venue = self.books.best_venue(instrument, order.side);
        }
        let ix = self.books.side_ix(instrument, usize::from(order.venue), order.side);
        order.queue_ahead = self.books.qty_at(ix, order.price);
        order.status = OrderStatus::Live;
        let slot = self.orders.push(order);
        self.live.insert(
            ix,
            LiveEntry {
                key: priority_key(order.side, order.price),
                id: order.id,
                account: order.account,
                slot,
            },
        );
        self.accounts[usize::from(order.account)].open(instrument, order.side, order.price, order.remaining);
        slot
    }

    /// Takes the live order `o` (in `slot`) out of the live index and the account's open
    /// quantities.
    fn unrest(&mut self, o: &Order, slot: u32) {
        let ix = self.live_ix(o);
        self.live
            .remove(ix, LiveEntry { key: priority_key(o.side, o.price), id: o.id, account: o.account, slot });
        self.accounts[usize::from(o.account)].release(
            usize::from(o.instrument),
            o.side,
            o.price,
            o.remaining,
            true,
        );
    }

    #[inline]
    fn live_ix(&self, o: &Order) -> SideIx {
        self.books.side_ix(usize::from(o.instrument), usize::from(o.venue), o.side)
    }

    /// Cancels the live order in `slot`: `CANCELLED` with its remaining qty at its
    /// resting venue.
    pub(super) fn cancel_live<S: ReportSink>(
        &mut self,
        slot: u32,
        reason: CancelReason,
        ref_id: u64,
        em: &mut Emitter<'_, S>,
    ) {
        let Some(o) = self.orders.get(slot).copied() else { return };
        self.unrest(&o, slot);
        if let Some(m) = self.orders.get_mut(slot) {
            m.status = OrderStatus::Cancelled;
        }
        em.emit(reports::cancelled(&o, reason, ref_id, o.venue));
    }
}
