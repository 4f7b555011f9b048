//! Builders for each report kind, field by field as `docs/formats.md` specifies them
//! (every field not listed there stays 0). `seq` and `event_index` are set by the emitter.

use super::orders::Order;
use crate::format::{CancelReason, EventRecord, Liquidity, Reason, ReportKind, ReportRecord, VENUE_ANY};

/// `ACK` of a new order: its limit (MARKET: the collar price), qty and requested venue.
#[inline]
pub(super) fn ack(o: &Order) -> ReportRecord {
    ReportRecord {
        order_id: o.id,
        price: o.price,
        qty: o.qty,
        instrument: o.instrument,
        account: o.account,
        kind: ReportKind::Ack as u8,
        venue: o.requested_venue,
        side: o.side as u8,
        ..ReportRecord::default()
    }
}

/// `REJECT` of a request: its fields copied as given, with the stage and reason.
#[inline]
pub(super) fn reject(ev: &EventRecord, reason: Reason) -> ReportRecord {
    ReportRecord {
        order_id: ev.id,
        ref_id: ev.orig_id,
        price: ev.price,
        qty: ev.qty,
        instrument: ev.instrument,
        account: ev.account,
        kind: ReportKind::Reject as u8,
        stage: reason.stage() as u8,
        reason: reason as u8,
        venue: ev.venue,
        side: ev.side,
        ..ReportRecord::default()
    }
}

/// `FILL` of `qty` at `price` on `venue`.
#[inline]
pub(super) fn fill(o: &Order, price: i64, qty: i64, venue: u8, liquidity: Liquidity) -> ReportRecord {
    ReportRecord {
        order_id: o.id,
        price,
        qty,
        instrument: o.instrument,
        account: o.account,
        kind: ReportKind::Fill as u8,
        venue,
        liquidity: liquidity as u8,
        side: o.side as u8,
        ..ReportRecord::default()
    }
}

/// `CANCELLED` of an order's remaining qty; `ref_id` is the CANCEL request's id, if any.
#[inline]
pub(super) fn cancelled(o: &Order, reason: CancelReason, ref_id: u64, venue: u8) -> ReportRecord {
    ReportRecord {
        order_id: o.id,
        ref_id,
        price: o.price,
        qty: o.remaining,
        instrument: o.instrument,
        account: o.account,
        kind: ReportKind::Cancelled as u8,
        reason: reason as u8,
        venue,
        side: o.side as u8,
        ..ReportRecord::default()
    }
}

/// `REPLACED`: the new order's id, price and qty, the original's id, venue and side.
#[inline]
pub(super) fn replaced(new_id: u64, price: i64, qty: i64, orig: &Order) -> ReportRecord {
    ReportRecord {
        order_id: new_id,
        ref_id: orig.id,
        price,
        qty,
        instrument: orig.instrument,
        account: orig.account,
        kind: ReportKind::Replaced as u8,
        venue: orig.venue,
        side: orig.side as u8,
        ..ReportRecord::default()
    }
}

/// `HALT` of an account; `order_id` is the request being handled, 0 after a trade.
#[inline]
pub(super) fn halt(order_id: u64, instrument: u16, account: u16) -> ReportRecord {
    ReportRecord {
        order_id,
        instrument,
        account,
        kind: ReportKind::Halt as u8,
        venue: VENUE_ANY,
        ..ReportRecord::default()
    }
}
