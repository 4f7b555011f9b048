//! The order hot path engine: one input event at a time through validation → pre-trade
//! risk → execution, producing execution reports (`docs/pipeline.md` is the contract).
//!
//! Single-threaded and deterministic: no clock, no I/O, no locks, no hash-order
//! iteration. Every input bit pattern is handled without panicking: bad requests become
//! `REJECT`s, bad market data and unknown kinds are ignored.
//!
//! ```
//! use hotpath_core::engine::Engine;
//! # use hotpath_core::format::{AccountLimits, AccountMeta, InstrumentMeta, ScenarioMeta, VenueMeta};
//! # let meta = ScenarioMeta { schema: 1, name: "doc".into(),
//! #     instruments: vec![InstrumentMeta { id: 0, symbol: "X".into(), tick_size: 1, lot_size: 1,
//! #         max_order_qty: 100, max_price: 1000, band_bps: 100 }],
//! #     venues: vec![VenueMeta { id: 0, name: "v".into() }],
//! #     accounts: vec![AccountMeta { id: 0, name: "a".into(), limits: AccountLimits {
//! #         max_order_notional: 1_000_000, max_gross_notional: 1_000_000, max_position: vec![100],
//! #         rate_limit_count: 10, rate_limit_window_ns: 1000, max_open_orders: 10, max_loss: 1000 } }] };
//! # let events = [];
//! let mut engine = Engine::new(&meta)?;
//! let mut reports = Vec::new();
//! engine.replay(&events, &mut reports);
//! # Ok::<(), hotpath_core::CoreError>(())
//! ```

mod accounts;
mod book;
pub mod canary;
mod cash;
mod desk;
mod execution;
mod ids;
mod killswitch;
mod live;
mod orders;
mod passive;
mod probe;
mod reports;
mod risk;
mod sink;
mod validation;

#[cfg(test)]
mod tests;

pub use accounts::{Account, Holding, Throttle};
pub use canary::Canary;
pub use cash::Cash;
pub use desk::{RiskCheck, RiskDesk, Verdict};
pub use orders::{Order, OrderStatus};
pub use probe::{NoProbe, StageProbe};
pub use sink::{CountingSink, DigestSink, ReportSink};

use book::Books;
use ids::NO_ORDER;
use live::LiveOrders;
use orders::OrderStore;
use risk::RiskRequest;
use sink::Emitter;
use validation::InstrumentSpec;

use crate::error::CoreError;
use crate::format::{EventKind, EventRecord, Reason, ReportRecord, ScenarioMeta, Side};

/// The engine for one session: books, orders, accounts and the report sequence.
#[derive(Clone, Debug)]
pub struct Engine {
    instruments: Vec<InstrumentSpec>,
    n_venues: usize,
    books: Books,
    live: LiveOrders,
    orders: OrderStore,
    accounts: Vec<Account>,
    /// Sequence number of the last report emitted (0 before the first).
    last_seq: u64,
    /// Reused buffers, so that steady-state handling does not allocate.
    scratch_accounts: Vec<u16>,
    scratch_victims: Vec<(u64, u32)>,
    /// The gate's deliberate slowdown (off unless asked for), and the order requests that
    /// reached execution so far, which the tail canary counts.
    canary: Canary,
    executed_requests: u64,
}

impl Engine {
    /// A fresh session for the scenario `meta`: empty books, flat accounts.
    ///
    /// # Errors
    /// [`CoreError::Metadata`] if `meta` breaks the rules of `docs/formats.md` (ids not
    /// dense, a tick or lot ≤ 0, a limit out of range, …).
    pub fn new(meta: &ScenarioMeta) -> Result<Engine, CoreError> {
        meta.validate("<metadata>")?;
        let n_instruments = meta.instruments.len();
        let n_venues = meta.venues.len();
        Ok(Engine {
            instruments: meta.instruments.iter().map(InstrumentSpec::new).collect(),
            n_venues,
            books: Books::new(n_instruments, n_venues),
            live: LiveOrders::new(n_instruments, n_venues),
            orders: OrderStore::default(),
            accounts: meta.accounts.iter().map(|a| Account::new(&a.limits)).collect(),
            last_seq: 0,
            scratch_accounts: Vec::with_capacity(meta.accounts.len()),
            scratch_victims: Vec::new(),
            canary: Canary::Off,
            executed_requests: 0,
        })
    }

    /// Carries `canary` from now on (`canary` module; the builds read it from
    /// [`Canary::from_env`] when they create an engine).
    pub fn set_canary(&mut self, canary: Canary) {
        self.canary = canary;
    }

    /// Extra work inside the risk stage under the uniform canary.
    #[inline]
    fn canary_in_risk(&self) {
        if self.canary == Canary::Uniform {
            std::hint::black_box(canary::burn(canary::UNIFORM_ROUNDS));
        }
    }

    /// A stall inside the execution stage of one request in `TAIL_EVERY` under the tail
    /// canary.
    #[inline]
    fn canary_in_execution(&mut self) {
        if self.canary == Canary::Tail {
            self.executed_requests += 1;
            if self.executed_requests % canary::TAIL_EVERY == 0 {
                std::hint::black_box(canary::burn(canary::TAIL_ROUNDS));
            }
        }
    }

    /// Handles one input event and emits its reports, numbered from the last `seq` + 1,
    /// with `event_index = index`. `probe` hears the end of each stage of an order request.
    #[inline]
    pub fn on_event<S: ReportSink, P: StageProbe>(
        &mut self,
        index: u64,
        ev: &EventRecord,
        sink: &mut S,
        probe: &mut P,
    ) {
        let mut em = Emitter::new(sink, self.last_seq, index);
        match EventKind::from_u8(ev.kind) {
            Some(EventKind::BookDelta) => self.on_book_delta(ev),
            Some(EventKind::Trade) => self.on_trade(ev, &mut em),
            Some(EventKind::NewOrder) => self.on_new(ev, &mut em, probe),
            Some(EventKind::Cancel) => self.on_cancel(ev, &mut em, probe),
            Some(EventKind::Replace) => self.on_replace(ev, &mut em, probe),
            None => {}
        }
        self.last_seq = em.seq;
    }

    /// [`on_event`](Self::on_event) into a `Vec`, without a probe.
    #[inline]
    pub fn handle(&mut self, index: u64, ev: &EventRecord, out: &mut Vec<ReportRecord>) {
        self.on_event(index, ev, out, &mut NoProbe);
    }

    /// Handles `events` in order, the index of each being its position in the slice.
    pub fn replay(&mut self, events: &[EventRecord], out: &mut Vec<ReportRecord>) {
        self.replay_into(events, out);
    }

    /// [`replay`](Self::replay) into any sink.
    pub fn replay_into<S: ReportSink>(&mut self, events: &[EventRecord], sink: &mut S) {
        for (i, ev) in events.iter().enumerate() {
            self.on_event(i as u64, ev, sink, &mut NoProbe);
        }
    }

    fn on_new<S: ReportSink, P: StageProbe>(
        &mut self,
        ev: &EventRecord,
        em: &mut Emitter<'_, S>,
        probe: &mut P,
    ) {
        let ticket = self.validate_new(ev);
        probe.validated();
        let t = match ticket {
            Ok(t) => t,
            Err(reason) => return self.reject(ev, reason, em),
        };
        let rq = RiskRequest::new_order(ev, &t);
        let risk = self.check_risk(&rq, em);
        self.canary_in_risk();
        probe.risk_checked();
        if let Err(reason) = risk {
            return self.reject(ev, reason, em);
        }
        let slot = self.execute_new(ev.id, &t, em);
        self.accounts[usize::from(t.account)].ids.insert_if_absent(ev.id, slot);
        self.canary_in_execution();
        probe.executed();
    }

    fn on_cancel<S: ReportSink, P: StageProbe>(
        &mut self,
        ev: &EventRecord,
        em: &mut Emitter<'_, S>,
        probe: &mut P,
    ) {
        let slot = self.validate_cancel(ev);
        probe.validated();
        let slot = match slot {
            Ok(slot) => slot,
            Err(reason) => return self.reject(ev, reason, em),
        };
        probe.risk_checked();
        self.execute_cancel(ev.id, slot, em);
        self.accounts[usize::from(ev.account)].ids.insert_if_absent(ev.id, NO_ORDER);
        self.canary_in_execution();
        probe.executed();
    }

    fn on_replace<S: ReportSink, P: StageProbe>(
        &mut self,
        ev: &EventRecord,
        em: &mut Emitter<'_, S>,
        probe: &mut P,
    ) {
        let ticket = self.validate_replace(ev);
        probe.validated();
        let t = match ticket {
            Ok(t) => t,
            Err(reason) => return self.reject(ev, reason, em),
        };
        let Some(orig) = self.orders.get(t.slot).copied() else {
            return self.reject(ev, Reason::UnknownOrder, em);
        };
        let rq = RiskRequest::replace(ev, &t, &orig);
        let risk = self.check_risk(&rq, em);
        self.canary_in_risk();
        probe.risk_checked();
        if let Err(reason) = risk {
            return self.reject(ev, reason, em);
        }
        let slot = self.execute_replace(ev.id, &t, em).unwrap_or(NO_ORDER);
        self.accounts[usize::from(ev.account)].ids.insert_if_absent(ev.id, slot);
        self.canary_in_execution();
        probe.executed();
    }

    /// What the engine would answer to the order request `ev` now, without handling it:
    /// `Err` with the reason it would be rejected for, else `Ok`. An account whose loss
    /// check would trip gets `TRADING_HALTED`. Market data and unknown kinds are never
    /// rejected (`Ok`).
    pub fn verdict(&self, ev: &EventRecord) -> Result<(), Reason> {
        match EventKind::from_u8(ev.kind) {
            Some(EventKind::NewOrder) => {
                let t = self.validate_new(ev)?;
                self.risk_verdict(&RiskRequest::new_order(ev, &t))
            }
            Some(EventKind::Cancel) => self.validate_cancel(ev).map(|_| ()),
            Some(EventKind::Replace) => {
                let t = self.validate_replace(ev)?;
                let orig = self.orders.get(t.slot).ok_or(Reason::UnknownOrder)?;
                self.risk_verdict(&RiskRequest::replace(ev, &t, orig))
            }
            _ => Ok(()),
        }
    }

    /// Rejects the order request `ev` (event `index`) for `reason` without handling it: for
    /// a service that validates requests itself and hands the engine the rest of the hot
    /// path (a hybrid build, `docs/migration.md`). The `REJECT` joins the report stream and
    /// the id the account's used ids, exactly as the engine's own validation would do it;
    /// `probe` hears the end of validation.
    pub fn reject_request<S: ReportSink, P: StageProbe>(
        &mut self,
        index: u64,
        ev: &EventRecord,
        reason: Reason,
        sink: &mut S,
        probe: &mut P,
    ) {
        let mut em = Emitter::new(sink, self.last_seq, index);
        probe.validated();
        self.reject(ev, reason, &mut em);
        self.last_seq = em.seq;
    }

    /// `REJECT`, and the id joins the account's used ids if the account is known.
    fn reject<S: ReportSink>(&mut self, ev: &EventRecord, reason: Reason, em: &mut Emitter<'_, S>) {
        em.emit(reports::reject(ev, reason));
        if let Some(a) = self.accounts.get_mut(usize::from(ev.account)) {
            a.ids.insert_if_absent(ev.id, NO_ORDER);
        }
    }

    // ---- inspection (tests, bindings, audit) ----------------------------------------

    /// An account's state.
    pub fn account(&self, account: u16) -> Option<&Account> {
        self.accounts.get(usize::from(account))
    }

    /// PnL of an account: cash + Σ position × reference.
    pub fn pnl(&self, account: u16) -> Option<Cash> {
        self.account(account).map(|a| a.marks(&self.books).0)
    }

    /// The order an account created with `id`, if the request was accepted.
    pub fn order(&self, account: u16, id: u64) -> Option<&Order> {
        self.orders.get(self.order_slot(account, id)?)
    }

    /// Where the order an account created with `id` is in [`orders`](Self::orders), if
    /// the request was accepted.
    pub fn order_slot(&self, account: u16, id: u64) -> Option<u32> {
        let slot = self.account(account)?.ids.get(id)?;
        (slot != NO_ORDER).then_some(slot)
    }

    /// Gross exposure of an account: Σ |position × reference| (the term risk rule 5 uses).
    pub fn gross_exposure(&self, account: u16) -> Option<i128> {
        self.account(account).map(|a| a.marks(&self.books).1)
    }

    /// Every order accepted in the session, in acceptance order (indexed by slot).
    pub fn orders(&self) -> &[Order] {
        self.orders.as_slice()
    }

    /// Number of live (resting) orders.
    pub fn live_orders(&self) -> usize {
        self.live.len()
    }

    /// The reference price of an instrument.
    pub fn reference_price(&self, instrument: u16) -> Option<i64> {
        (usize::from(instrument) < self.instruments.len())
            .then(|| self.books.reference(usize::from(instrument)))
            .flatten()
    }

    /// The last trade price of an instrument.
    pub fn last_trade(&self, instrument: u16) -> Option<i64> {
        (usize::from(instrument) < self.instruments.len())
            .then(|| self.books.last_trade(usize::from(instrument)))
            .flatten()
    }

    /// The best level `(price, qty)` of one side of one venue's book copy.
    pub fn best_level(&self, instrument: u16, venue: u8, side: Side) -> Option<(i64, i64)> {
        if usize::from(instrument) >= self.instruments.len() || usize::from(venue) >= self.n_venues {
            return None;
        }
        self.books.best_level(self.books.side_ix(usize::from(instrument), usize::from(venue), side))
    }

    /// The consolidated best bid and ask prices of an instrument over every venue.
    pub fn best_prices(&self, instrument: u16) -> (Option<i64>, Option<i64>) {
        if usize::from(instrument) >= self.instruments.len() {
            return (None, None);
        }
        let (bid, ask) = self.books.best_prices(usize::from(instrument));
        ((bid > 0).then_some(bid), (ask > 0).then_some(ask))
    }

    /// One side of one venue's book copy as `(price, qty)`, best first (empty if unknown).
    pub fn book_levels(&self, instrument: u16, venue: u8, side: Side) -> Vec<(i64, i64)> {
        if usize::from(instrument) >= self.instruments.len() || usize::from(venue) >= self.n_venues {
            return Vec::new();
        }
        self.books.levels(self.books.side_ix(usize::from(instrument), usize::from(venue), side)).collect()
    }

    /// Sequence number of the last report emitted (0 before the first).
    pub fn last_seq(&self) -> u64 {
        self.last_seq
    }

    /// Reserves room in the order store for `additional` more orders, so that a measured
    /// run does not pay for its growth.
    pub fn reserve_orders(&mut self, additional: usize) {
        self.orders.reserve(additional);
    }
}
