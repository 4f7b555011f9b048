//! The trading desk: everything the strategy's parts share (the estimate of the pipeline
//! with its books, the outbox, id counters, the random stream and the counters).

use hotpath_core::format::{EventKind, EventRecord, OrderType, ScenarioMeta, Side};

use super::estimate::PipelineEstimate;
use super::outbox::{Action, Outbox, Purpose, Request, Task};
use crate::config::StrategySpec;
use crate::rng::Rng;
use crate::stats::Stats;

/// `floor(reference × bps / per)` for positive operands, exact (i128) and saturating: an
/// offset from the reference price in basis points of it (`per` = 10 000), or in finer
/// fractions of the collar (`per` = 100 000) where the strategy keeps inside it.
pub fn collar_offset(reference: i64, bps: i64, per: i64) -> i64 {
    let off = i128::from(reference) * i128::from(bps) / i128::from(per.max(1));
    off.clamp(0, i128::from(i64::MAX)) as i64
}

/// Shared state of one strategy run.
pub struct Desk<'a> {
    /// Strategy parameters.
    pub spec: &'a StrategySpec,
    /// Instruments, venues, accounts.
    pub meta: &'a ScenarioMeta,
    /// The strategy's random stream.
    pub rng: Rng,
    /// The estimate of the pipeline: its books and the state of every account.
    pub estimate: PipelineEstimate,
    /// Decided, not yet happened.
    pub outbox: Outbox,
    /// Counters.
    pub stats: Stats,
    /// Time of the event or task being handled.
    pub now: u64,
    /// A burst is under way (the makers stop respecting their own throttle).
    pub panic: bool,
    /// Normal requests decided since the bad-request dice were last rolled.
    pub normal_sent: u32,
    next_ids: Vec<u64>,
    stray_id: u64,
    /// Per account: NEW/REPLACE requests sent but not yet handled.
    in_flight: Vec<u32>,
    /// Per account: NEW LIMIT requests sent but not yet handled.
    in_flight_limits: Vec<u32>,
}

impl<'a> Desk<'a> {
    /// A desk with empty books and flat accounts.
    pub fn new(meta: &'a ScenarioMeta, spec: &'a StrategySpec, rng: Rng) -> Self {
        Desk {
            spec,
            meta,
            rng,
            estimate: PipelineEstimate::new(meta),
            outbox: Outbox::default(),
            stats: Stats::default(),
            now: 0,
            panic: false,
            normal_sent: 0,
            next_ids: vec![0; meta.accounts.len()],
            stray_id: 0,
            in_flight: vec![0; meta.accounts.len()],
            in_flight_limits: vec![0; meta.accounts.len()],
        }
    }

    /// Which in-flight counters a request moves: (counts against the throttle, is a NEW
    /// LIMIT), for known accounts only.
    fn flight_class(&self, rec: &EventRecord) -> Option<(usize, bool)> {
        let a = usize::from(rec.account);
        if a >= self.in_flight.len() {
            return None;
        }
        let throttled = rec.kind == EventKind::NewOrder as u8 || rec.kind == EventKind::Replace as u8;
        throttled
            .then_some((a, rec.kind == EventKind::NewOrder as u8 && rec.order_type == OrderType::Limit as u8))
    }

    /// A request is being handled: it is no longer in flight.
    pub fn landed(&mut self, rec: &EventRecord) {
        if let Some((a, limit)) = self.flight_class(rec) {
            self.in_flight[a] = self.in_flight[a].saturating_sub(1);
            if limit {
                self.in_flight_limits[a] = self.in_flight_limits[a].saturating_sub(1);
            }
        }
    }

    /// NEW/REPLACE requests of `account` sent and not yet handled.
    pub fn in_flight(&self, account: u16) -> u32 {
        self.in_flight.get(usize::from(account)).copied().unwrap_or(0)
    }

    /// NEW LIMIT requests of `account` sent and not yet handled.
    pub fn in_flight_limits(&self, account: u16) -> u32 {
        self.in_flight_limits.get(usize::from(account)).copied().unwrap_or(0)
    }

    /// The next request id for `account` (ids count up from 1 per account; accounts that
    /// do not exist share a separate counter).
    pub fn new_id(&mut self, account: u16) -> u64 {
        match self.next_ids.get_mut(usize::from(account)) {
            Some(n) => {
                *n += 1;
                *n
            }
            None => {
                self.stray_id += 1;
                self.stray_id
            }
        }
    }

    /// The last id handed out for `account`.
    pub fn last_id(&self, account: u16) -> u64 {
        self.next_ids.get(usize::from(account)).copied().unwrap_or(0)
    }

    /// When a decision taken now reaches the pipeline.
    pub fn reaction_ts(&mut self) -> u64 {
        let [lo, hi] = self.spec.reaction_ns;
        self.now.saturating_add(self.rng.between(lo, hi))
    }

    /// Queues a request; its id is assigned when it goes out.
    pub fn send(&mut self, rec: EventRecord, purpose: Purpose) {
        self.enqueue(Request { rec, purpose, auto_id: true });
    }

    /// Queues a request with the id it already carries (a deliberately reused id).
    pub fn send_with_id(&mut self, rec: EventRecord, purpose: Purpose) {
        self.enqueue(Request { rec, purpose, auto_id: false });
    }

    fn enqueue(&mut self, req: Request) {
        if let Some((a, limit)) = self.flight_class(&req.rec) {
            self.in_flight[a] += 1;
            if limit {
                self.in_flight_limits[a] += 1;
            }
        }
        self.outbox.push(req.rec.ts, Action::Send(req));
    }

    /// Queues a task.
    pub fn schedule(&mut self, ts: u64, task: Task) {
        self.outbox.push(ts, Action::Run(task));
    }

    /// Tick size of instrument `i`.
    pub fn tick(&self, i: u16) -> i64 {
        self.meta.instruments[usize::from(i)].tick_size
    }

    /// Lot size of instrument `i`.
    pub fn lot(&self, i: u16) -> i64 {
        self.meta.instruments[usize::from(i)].lot_size
    }

    /// `qty` rounded to whole lots (at least one lot).
    pub fn lots(&self, i: u16, qty: f64) -> i64 {
        let lot = self.lot(i);
        crate::detmath::round_i64(qty / lot as f64).max(1).saturating_mul(lot)
    }

    /// A NEW request record (id 0: ids are assigned when requests go out, and 0 is
    /// never a used id, so the estimate can judge the record before that).
    #[allow(clippy::too_many_arguments)]
    pub fn new_order(
        &mut self,
        ts: u64,
        account: u16,
        instrument: u16,
        side: Side,
        order_type: OrderType,
        price: i64,
        qty: i64,
        venue: u8,
    ) -> EventRecord {
        EventRecord {
            ts,
            id: 0,
            orig_id: 0,
            price,
            qty,
            instrument,
            account,
            kind: EventKind::NewOrder as u8,
            side: side as u8,
            order_type: order_type as u8,
            venue,
        }
    }

    /// A CANCEL request record.
    pub fn cancel(&mut self, ts: u64, account: u16, instrument: u16, orig_id: u64) -> EventRecord {
        EventRecord {
            ts,
            id: 0,
            orig_id,
            instrument,
            account,
            kind: EventKind::Cancel as u8,
            ..EventRecord::default()
        }
    }

    /// A REPLACE request record.
    pub fn replace(
        &mut self,
        ts: u64,
        account: u16,
        instrument: u16,
        orig_id: u64,
        price: i64,
        qty: i64,
    ) -> EventRecord {
        EventRecord {
            ts,
            id: 0,
            orig_id,
            price,
            qty,
            instrument,
            account,
            kind: EventKind::Replace as u8,
            ..EventRecord::default()
        }
    }

    /// A price `ticks_behind` ticks behind the consolidated touch on `side` (a bid below
    /// the best bid, an ask above the best ask), kept uncrossed; `None` without a book.
    pub fn passive_price(&self, i: u16, side: Side, ticks_behind: i64) -> Option<i64> {
        let ii = usize::from(i);
        let (bid, ask) = (self.estimate.best_bid(ii)?, self.estimate.best_ask(ii)?);
        let tick = self.tick(i);
        let price = match side {
            Side::Buy => (bid.min(ask - tick) - ticks_behind * tick).div_euclid(tick) * tick,
            Side::Sell => {
                let price = ask.max(bid.saturating_add(tick)).saturating_add(ticks_behind * tick);
                -((-price).div_euclid(tick)) * tick
            }
        };
        (price > 0 && price <= self.meta.instruments[ii].max_price).then_some(price)
    }

    /// A valid passive LIMIT for `account` (used as the base of bad requests and retries);
    /// `None` while the instrument has no two-sided book.
    pub fn plain_quote(&mut self, ts: u64, account: u16, i: u16) -> Option<EventRecord> {
        let side = if self.rng.chance(0.5) { Side::Buy } else { Side::Sell };
        let behind = 2 + self.rng.below(6) as i64;
        let price = self.passive_price(i, side, behind)?;
        let qty = self.lot(i) * (1 + self.rng.below(4) as i64);
        let venue = self.rng.below(self.meta.venues.len() as u64) as u8;
        Some(self.new_order(ts, account, i, side, OrderType::Limit, price, qty, venue))
    }

    /// A random instrument id.
    pub fn any_instrument(&mut self) -> u16 {
        self.rng.below(self.meta.instruments.len() as u64) as u16
    }
}
