//! The risk desk: pre-trade risk on its own, for a service that keeps the rest of the hot
//! path (validation, order management, routing) elsewhere — the first phase of a migration,
//! where a Python service calls Rust for its risk checks (`docs/migration.md`).
//!
//! The desk owns exactly the state the risk rules read: each account's positions, cash,
//! open quantities and notional, open-order count, throttle window and kill-switch flag,
//! and its own copy of the public books for reference prices. The service that owns the
//! orders tells it what happens to them (an order rests, is released, fills) and forwards
//! the market data; in return the desk answers checks and loss checks. The rules are the
//! engine's own functions (`risk.rs`), so a hybrid build cannot drift from the Rust build.
//!
//! What the desk does not own: orders, ids, the report stream. When a check or a loss check
//! trips the kill switch, the desk halts the account and says so; the service emits `HALT`,
//! cancels the account's orders (telling the desk about each release) and the request is
//! rejected `TRADING_HALTED`.

use super::accounts::Account;
use super::book::{Books, SideIx};
use super::execution::contra;
use super::passive::market_target;
use super::risk::{admit, loss_gate, RiskRequest};
use super::validation::InstrumentSpec;
use crate::error::CoreError;
use crate::format::{EventKind, EventRecord, Reason, ScenarioMeta, Side};

/// What a check answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// The loss check at the start of this check tripped the kill switch (the outcome is
    /// then `TRADING_HALTED`, and the caller owes the `HALT` and the mass cancel).
    pub tripped: bool,
    /// `Ok` if the order may trade (it has entered the throttle window), else the reason.
    pub outcome: Result<(), Reason>,
}

/// One order request as pre-trade risk sees it (after validation and MARKET conversion).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RiskCheck {
    /// The account, below the metadata's account count.
    pub account: u16,
    /// The instrument, below the metadata's instrument count.
    pub instrument: u16,
    /// The order's side (for a REPLACE: the original's).
    pub side: Side,
    /// Limit price (a converted MARKET: the collar price; a REPLACE: the new price).
    pub price: i64,
    /// Quantity (a REPLACE: the new remaining quantity).
    pub qty: i64,
    /// The request's timestamp (the throttle's clock).
    pub ts: u64,
    /// A NEW LIMIT: the only kind checked against the open-order cap.
    pub new_limit: bool,
    /// A REPLACE: the original's remaining quantity and price, left out of the open
    /// quantity and notional.
    pub replacing: Option<(i64, i64)>,
}

/// Pre-trade risk with its state, fed by the service that owns the orders.
#[derive(Clone, Debug)]
pub struct RiskDesk {
    instruments: Vec<InstrumentSpec>,
    n_venues: usize,
    books: Books,
    accounts: Vec<Account>,
}

impl RiskDesk {
    /// Flat accounts and empty books for the scenario `meta`.
    ///
    /// # Errors
    /// [`CoreError::Metadata`] if `meta` breaks the rules of `docs/formats.md`.
    pub fn new(meta: &ScenarioMeta) -> Result<RiskDesk, CoreError> {
        meta.validate("<metadata>")?;
        Ok(RiskDesk {
            instruments: meta.instruments.iter().map(InstrumentSpec::new).collect(),
            n_venues: meta.venues.len(),
            books: Books::new(meta.instruments.len(), meta.venues.len()),
            accounts: meta.accounts.iter().map(|a| Account::new(&a.limits)).collect(),
        })
    }

    /// A market-data event: a `BOOK_DELTA` sets a level of the desk's book copy, a `TRADE`
    /// records the last trade price. Anything the engine would ignore is ignored (the same
    /// rule, `market_target`).
    pub fn on_market_data(&mut self, ev: &EventRecord) {
        let (n_instruments, n_venues) = (self.instruments.len(), self.n_venues);
        match EventKind::from_u8(ev.kind) {
            Some(EventKind::BookDelta) => {
                if let Some((instrument, venue, side)) = market_target(ev, n_instruments, n_venues, 0) {
                    self.books.set_level(SideIx::new(instrument, venue, side, n_venues), ev.price, ev.qty);
                }
            }
            Some(EventKind::Trade) => {
                if let Some((instrument, ..)) = market_target(ev, n_instruments, n_venues, 1) {
                    self.books.record_trade(instrument, ev.price);
                }
            }
            _ => {}
        }
    }

    /// Pre-trade risk for one request: the loss check (which may trip the kill switch),
    /// then rules 1–7; a request that passes enters the throttle window.
    ///
    /// # Errors
    /// [`CoreError::OutOfRange`] for an unknown account or instrument.
    pub fn check(&mut self, rq: &RiskCheck) -> Result<Verdict, CoreError> {
        let a = in_range("account", rq.account.into(), self.accounts.len())?;
        in_range("instrument", rq.instrument.into(), self.instruments.len())?;
        let request = RiskRequest {
            account: rq.account,
            instrument: rq.instrument,
            side: rq.side,
            price: rq.price,
            qty: rq.qty,
            ts: rq.ts,
            request_id: 0,
            new_limit: rq.new_limit,
            replacing: rq.replacing,
        };
        let (tripped, gross) = loss_gate(&self.accounts[a], &self.books);
        if tripped {
            self.accounts[a].halted = true;
        }
        let outcome = admit(&mut self.accounts[a], &self.instruments, &self.books, &request, gross);
        Ok(Verdict { tripped, outcome })
    }

    /// The loss check after the fills of one input event: halts the account if it is not
    /// halted and its PnL is below `−max_loss`. Returns whether it tripped.
    ///
    /// # Errors
    /// [`CoreError::OutOfRange`] for an unknown account.
    pub fn loss_check(&mut self, account: u16) -> Result<bool, CoreError> {
        let a = in_range("account", account.into(), self.accounts.len())?;
        let tripped = loss_gate(&self.accounts[a], &self.books).0;
        if tripped {
            self.accounts[a].halted = true;
        }
        Ok(tripped)
    }

    /// One of the account's orders took `qty` at `price` from the best level of the
    /// opposite side of `venue`'s book (a taker fill of a sweep): position, cash, and the
    /// desk's book copy, which the sweep reduced in the service's copy too.
    ///
    /// # Errors
    /// [`CoreError::OutOfRange`] for an unknown account, instrument or venue.
    pub fn taker_fill(
        &mut self,
        account: u16,
        instrument: u16,
        venue: u8,
        side: Side,
        price: i64,
        qty: i64,
    ) -> Result<(), CoreError> {
        let n_venues = self.n_venues;
        let (acct, i) = self.holding(account, instrument)?;
        let v = in_range("venue", venue.into(), n_venues)?;
        acct.apply_fill(i, side, price, qty);
        self.books.take_best(SideIx::new(i, v, contra(side), n_venues), qty);
        Ok(())
    }

    /// A resting order of the account filled `qty` passively (at its own price);
    /// `closed` when that completed it.
    ///
    /// # Errors
    /// [`CoreError::OutOfRange`] for an unknown account or instrument.
    pub fn maker_fill(
        &mut self,
        account: u16,
        instrument: u16,
        side: Side,
        price: i64,
        qty: i64,
        closed: bool,
    ) -> Result<(), CoreError> {
        let (acct, i) = self.holding(account, instrument)?;
        acct.apply_fill(i, side, price, qty);
        acct.release(i, side, price, qty, closed);
        Ok(())
    }

    /// An order of the account starts resting with `qty` remaining at `price`.
    ///
    /// # Errors
    /// [`CoreError::OutOfRange`] for an unknown account or instrument.
    pub fn open(
        &mut self,
        account: u16,
        instrument: u16,
        side: Side,
        price: i64,
        qty: i64,
    ) -> Result<(), CoreError> {
        let (acct, i) = self.holding(account, instrument)?;
        acct.open(i, side, price, qty);
        Ok(())
    }

    /// A resting order of the account stops resting with `qty` unfilled (cancelled,
    /// replaced or cancelled by the kill switch).
    ///
    /// # Errors
    /// [`CoreError::OutOfRange`] for an unknown account or instrument.
    pub fn release(
        &mut self,
        account: u16,
        instrument: u16,
        side: Side,
        price: i64,
        qty: i64,
    ) -> Result<(), CoreError> {
        let (acct, i) = self.holding(account, instrument)?;
        acct.release(i, side, price, qty, true);
        Ok(())
    }

    /// An account's risk state.
    pub fn account(&self, account: u16) -> Option<&Account> {
        self.accounts.get(usize::from(account))
    }

    /// The reference price of an instrument as the desk sees it.
    pub fn reference_price(&self, instrument: u16) -> Option<i64> {
        (usize::from(instrument) < self.instruments.len())
            .then(|| self.books.reference(usize::from(instrument)))
            .flatten()
    }

    /// An account and the index of an instrument in its holdings, both known.
    fn holding(&mut self, account: u16, instrument: u16) -> Result<(&mut Account, usize), CoreError> {
        let a = in_range("account", account.into(), self.accounts.len())?;
        let i = in_range("instrument", instrument.into(), self.instruments.len())?;
        Ok((&mut self.accounts[a], i))
    }
}

/// `value` as an index below `count`, else [`CoreError::OutOfRange`] naming `what`.
fn in_range(what: &'static str, value: u64, count: usize) -> Result<usize, CoreError> {
    match usize::try_from(value) {
        Ok(ix) if ix < count => Ok(ix),
        _ => Err(CoreError::OutOfRange { what, value, count }),
    }
}
