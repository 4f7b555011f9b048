//! Stage 2: pre-trade risk for NEW and REPLACE (`docs/pipeline.md`): the loss check
//! (rule 0), then rules 1–7; a request that passes them all enters the throttle window.

use super::sink::{Emitter, ReportSink};
use super::validation::BPS;
use super::Engine;
use crate::format::{Reason, Side};

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

impl Engine {
    /// Runs pre-trade risk. The loss check may trip the kill switch, emitting `HALT` and
    /// the mass cancel before the request is rejected `TRADING_HALTED`.
    pub(super) fn check_risk<S: ReportSink>(
        &mut self,
        rq: &RiskRequest,
        em: &mut Emitter<'_, S>,
    ) -> Result<(), Reason> {
        let a = usize::from(rq.account);
        let instrument = usize::from(rq.instrument);
        // Rule 0. Marks are needed again by rule 5 and nothing before rule 5 moves a
        // position or a reference, so one pass serves both.
        let mut gross = 0;
        if !self.accounts[a].halted {
            let (pnl, g) = self.accounts[a].marks(&self.books);
            gross = g;
            if pnl.lt_i128(-self.accounts[a].max_loss) {
                self.trip_kill_switch(rq.account, rq.request_id, rq.instrument, em);
            }
        }
        let account = &mut self.accounts[a];
        // Rule 1.
        if account.halted {
            return Err(Reason::TradingHalted);
        }
        let price = i128::from(rq.price);
        let qty = i128::from(rq.qty);
        // Rule 2.
        if let Some(r) = self.books.reference(instrument) {
            let r = i128::from(r);
            if (price - r).abs() * BPS > i128::from(self.instruments[instrument].band_bps) * r {
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
        // Rule 6. The window is pruned here, when the rule is reached, not for requests
        // rejected earlier (observable only if timestamps go backwards).
        if !account.throttle.admits(rq.ts) {
            return Err(Reason::RateLimit);
        }
        // Rule 7.
        if rq.new_limit && account.open_orders >= account.max_open_orders {
            return Err(Reason::MaxOpenOrders);
        }
        account.throttle.record(rq.ts);
        Ok(())
    }
}
