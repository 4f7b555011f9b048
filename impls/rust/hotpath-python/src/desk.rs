//! `RiskDesk`: the Rust risk stage on its own, for the `hybrid-risk` build, where the Python
//! service keeps validation, the orders and routing and calls Rust for pre-trade risk
//! (`docs/migration.md`). Every method is one crossing; arguments are plain integers.

use hotpath_core::engine::{RiskCheck, RiskDesk};
use hotpath_core::format::{EventKind, EventRecord, Side};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::error::to_py;
use crate::session::scenario_meta;

/// What `check` answers when its loss check tripped the kill switch: the request is
/// `TRADING_HALTED`, and the caller emits `HALT` and cancels the account's orders.
const TRIPPED: i32 = -1;

/// Pre-trade risk with its own state (accounts' risk ledger, a copy of the books).
#[pyclass(name = "RiskDesk", module = "hotpath_rs._native", unsendable)]
pub struct PyRiskDesk {
    desk: RiskDesk,
}

fn side(v: u8) -> PyResult<Side> {
    Side::from_u8(v).ok_or_else(|| PyValueError::new_err(format!("side {v} is neither BUY (1) nor SELL (2)")))
}

#[pymethods]
impl PyRiskDesk {
    #[new]
    fn new(meta_json: &str) -> PyResult<Self> {
        Ok(PyRiskDesk { desk: RiskDesk::new(&scenario_meta(meta_json)?).map_err(to_py)? })
    }

    /// A `BOOK_DELTA` for the desk's book copy (ignored where the engine ignores it).
    fn book_delta(&mut self, instrument: u16, venue: u8, side: u8, price: i64, qty: i64) {
        self.market(EventKind::BookDelta, instrument, venue, side, price, qty);
    }

    /// A `TRADE` print: the last trade price (ignored where the engine ignores it).
    fn trade(&mut self, instrument: u16, venue: u8, side: u8, price: i64, qty: i64) {
        self.market(EventKind::Trade, instrument, venue, side, price, qty);
    }

    /// Pre-trade risk for one request: 0 if it may trade, the reason code if not, or -1
    /// when its loss check tripped the kill switch (the request is then TRADING_HALTED).
    /// `replacing_qty`/`replacing_price`: a REPLACE's original, 0 for a NEW.
    #[allow(clippy::too_many_arguments)]
    fn check(
        &mut self,
        account: u16,
        instrument: u16,
        side_code: u8,
        price: i64,
        qty: i64,
        ts: u64,
        new_limit: bool,
        replacing_qty: i64,
        replacing_price: i64,
    ) -> PyResult<i32> {
        let rq = RiskCheck {
            account,
            instrument,
            side: side(side_code)?,
            price,
            qty,
            ts,
            new_limit,
            // (0, 0) leaves nothing out: the same as no original.
            replacing: Some((replacing_qty, replacing_price)),
        };
        let v = self.desk.check(&rq).map_err(to_py)?;
        Ok(match v.outcome {
            _ if v.tripped => TRIPPED,
            Ok(()) => 0,
            Err(reason) => i32::from(reason as u8),
        })
    }

    /// The loss check after one event's fills; True when it tripped the kill switch.
    fn loss_check(&mut self, account: u16) -> PyResult<bool> {
        self.desk.loss_check(account).map_err(to_py)
    }

    /// A taker fill of a sweep (also reduces the desk's copy of the level taken).
    fn taker_fill(
        &mut self,
        account: u16,
        instrument: u16,
        venue: u8,
        side_code: u8,
        price: i64,
        qty: i64,
    ) -> PyResult<()> {
        self.desk.taker_fill(account, instrument, venue, side(side_code)?, price, qty).map_err(to_py)
    }

    /// A passive fill of a resting order; `closed` when it completed the order.
    #[allow(clippy::too_many_arguments)]
    fn maker_fill(
        &mut self,
        account: u16,
        instrument: u16,
        side_code: u8,
        price: i64,
        qty: i64,
        closed: bool,
    ) -> PyResult<()> {
        self.desk.maker_fill(account, instrument, side(side_code)?, price, qty, closed).map_err(to_py)
    }

    /// An order starts resting with `qty` remaining.
    fn open(&mut self, account: u16, instrument: u16, side_code: u8, price: i64, qty: i64) -> PyResult<()> {
        self.desk.open(account, instrument, side(side_code)?, price, qty).map_err(to_py)
    }

    /// A resting order stops resting with `qty` unfilled.
    fn release(
        &mut self,
        account: u16,
        instrument: u16,
        side_code: u8,
        price: i64,
        qty: i64,
    ) -> PyResult<()> {
        self.desk.release(account, instrument, side(side_code)?, price, qty).map_err(to_py)
    }

    /// `(position, open_buy, open_sell, open_orders, halted)` of an account in an instrument,
    /// as the desk sees them (tests and audit).
    fn holding(&self, account: u16, instrument: u16) -> Option<(i64, i128, i128, u64, bool)> {
        let a = self.desk.account(account)?;
        let h = a.holding(instrument)?;
        Some((h.position, h.open_buy, h.open_sell, a.open_orders(), a.is_halted()))
    }

    /// The reference price of an instrument as the desk sees it.
    fn reference(&self, instrument: u16) -> Option<i64> {
        self.desk.reference_price(instrument)
    }
}

impl PyRiskDesk {
    fn market(&mut self, kind: EventKind, instrument: u16, venue: u8, side: u8, price: i64, qty: i64) {
        let ev =
            EventRecord { kind: kind as u8, instrument, venue, side, price, qty, ..EventRecord::default() };
        self.desk.on_market_data(&ev);
    }
}
