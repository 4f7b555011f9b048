//! Stage 2: pre-trade risk for NEW and REPLACE (`docs/pipeline.md`): the loss check
//! (rule 0), then rules 1–7; a request that passes them all enters the throttle window.
//!
//! The rules themselves are pure functions of one account, the instruments and the books:
//! the engine runs them between the state changes the contract asks for (the kill switch at
//! rule 0, pruning the window at rule 6, entering it on success), the risk desk of the
//! hybrid builds (`desk.rs`) runs the very same code on its own state, and
//! [`Engine::verdict`](super::Engine::verdict) runs them without changing anything.

use super::accounts::Account;
use super::book::Books;
use super::orders::Order;
use super::sink::{Emitter, ReportSink};
use super::validation::{InstrumentSpec, NewTicket, ReplaceTicket, BPS};
use super::Engine;
use crate::format::{EventRecord, OrderType, Reason, Side};

/// What risk needs to know about an order (after MARKET conversion).
#[derive(Clone, Copy, Debug)]
pub(super) struct RiskRequest {
    pub(super) account: u16,
    pub(super) instrument: u16,
    pub(super) side: Side,
    pub(super) price: i64,
    pub(super) qty: i64,
    pub(super) ts: u64,
    /// The request's id (for a HALT it trips).
    pub(super) request_id: u64,
    /// A NEW LIMIT: the only kind checked against MAX_OPEN_ORDERS.
    pub(super) new_limit: bool,
    /// A REPLACE: the original's remaining qty and its price, left out of the open
    /// quantity and open notional.
    pub(super) replacing: Option<(i64, i64)>,
}

impl RiskRequest {
    /// The risk view of a validated NEW.
    #[inline]
    pub(super) fn new_order(ev: &EventRecord, t: &NewTicket) -> RiskRequest {
        RiskRequest {
            account: t.account,
            instrument: t.instrument,
            side: t.side,
            price: t.price,
            qty: t.qty,
            ts: ev.ts,
            request_id: ev.id,
            new_limit: t.order_type == OrderType::Limit,
            replacing: None,
        }
    }

    /// The risk view of a validated REPLACE of `orig`.
    #[inline]
    pub(super) fn replace(ev: &EventRecord, t: &ReplaceTicket, orig: &Order) -> RiskRequest {
        RiskRequest {
            account: orig.account,
            instrument: orig.instrument,
            side: orig.side,
            price: t.price,
            qty: t.qty,
            ts: ev.ts,
            request_id: ev.id,
            new_limit: false,
            replacing: Some((orig.remaining, orig.price)),
        }
    }
}

impl Engine {
    /// Runs pre-trade risk. The loss check may trip the kill switch, emitting `HALT` and
    /// the mass cancel before the request is rejected `TRADING_HALTED`.
    pub(super) fn check_risk<S: ReportSink>(
        &mut self,
        rq: &RiskRequest,
        em: &mut Emitter<'_, S>,
    ) -> Result<(), Reason> {
        let a = usize::from(rq.account);
        let (trips, gross) = loss_gate(&self.accounts[a], &self.books);
        if trips {
            self.trip_kill_switch(rq.account, rq.request_id, rq.instrument, em);
        }
        admit(&mut self.accounts[a], &self.instruments, &self.books, rq, gross)
    }

    /// What pre-trade risk would answer now, changing nothing: an account whose loss
    /// check would trip is `TRADING_HALTED`.
    #[inline]
    pub(super) fn risk_verdict(&self, rq: &RiskRequest) -> Result<(), Reason> {
        let account = &self.accounts[usize::from(rq.account)];
        if account.halted {
            return Err(Reason::TradingHalted);
        }
        let (pnl, gross) = account.marks(&self.books);
        if account.over_loss_limit(pnl) {
            return Err(Reason::TradingHalted);
        }
        check_limits(account, &self.instruments, &self.books, rq, gross)?;
        check_flow(account, rq)
    }
}

// The rules read one account, the instruments and the books, and nothing else, so that the
// engine and the risk desk (`desk.rs`, a hybrid build's Rust risk) run the same code.

/// Rule 0 for an account that is not halted: whether its loss check trips now, and its gross
/// exposure at reference prices (rule 5 needs it again, and nothing before rule 5 moves a
/// position or a reference, so one pass serves both). A halted account: `(false, 0)`.
#[inline]
pub(super) fn loss_gate(account: &Account, books: &Books) -> (bool, i128) {
    if account.halted {
        return (false, 0);
    }
    let (pnl, gross) = account.marks(books);
    (account.over_loss_limit(pnl), gross)
}

/// Rules 1–7 after the loss check, with the throttle's bookkeeping: the window is pruned
/// when rule 6 is reached (not for requests rejected earlier, which is observable only if
/// timestamps go backwards) and a request that passes enters it.
#[inline]
pub(super) fn admit(
    account: &mut Account,
    instruments: &[InstrumentSpec],
    books: &Books,
    rq: &RiskRequest,
    gross: i128,
) -> Result<(), Reason> {
    check_limits(account, instruments, books, rq, gross)?;
    account.throttle.prune(rq.ts);
    check_flow(account, rq)?;
    account.throttle.record(rq.ts);
    Ok(())
}

/// Rules 1–5, given the account's gross exposure at reference prices.
#[inline]
fn check_limits(
    account: &Account,
    instruments: &[InstrumentSpec],
    books: &Books,
    rq: &RiskRequest,
    gross: i128,
) -> Result<(), Reason> {
    let instrument = usize::from(rq.instrument);
    // Rule 1.
    if account.halted {
        return Err(Reason::TradingHalted);
    }
    let price = i128::from(rq.price);
    let qty = i128::from(rq.qty);
    // Rule 2.
    if let Some(r) = books.reference(instrument) {
        let r = i128::from(r);
        if (price - r).abs() * BPS > i128::from(instruments[instrument].band_bps) * r {
            return Err(Reason::PriceBand);
        }
    }
    // Rule 3. Price and qty are positive i64s: the product fits.
    let notional = price * qty;
    if notional > account.max_order_notional {
        return Err(Reason::MaxNotional);
    }
    // Rule 4.
    let (skip_qty, skip_notional) = match rq.replacing {
        Some((remaining, orig_price)) => {
            (i128::from(remaining), i128::from(remaining) * i128::from(orig_price))
        }
        None => (0, 0),
    };
    let h = &account.holdings[instrument];
    let position = i128::from(h.position);
    let max_position = i128::from(h.max_position);
    let breach = match rq.side {
        Side::Buy => position + (h.open_buy - skip_qty) + qty > max_position,
        Side::Sell => position - (h.open_sell - skip_qty) - qty < -max_position,
    };
    if breach {
        return Err(Reason::PositionLimit);
    }
    // Rule 5. Every term is ≥ 0 and compared with an i64 limit: saturation is exact.
    let exposure = gross.saturating_add(account.open_notional - skip_notional).saturating_add(notional);
    if exposure > account.max_gross_notional {
        return Err(Reason::ExposureLimit);
    }
    Ok(())
}

/// Rules 6 and 7: the throttle and the open-order cap.
#[inline]
fn check_flow(account: &Account, rq: &RiskRequest) -> Result<(), Reason> {
    // Rule 6.
    if !account.throttle.admits(rq.ts) {
        return Err(Reason::RateLimit);
    }
    // Rule 7.
    if rq.new_limit && account.open_orders >= account.max_open_orders {
        return Err(Reason::MaxOpenOrders);
    }
    Ok(())
}
