//! The market maker: quotes both sides on every venue (and one roaming quote per side
//! routed with venue ANY), moves its quotes when the touch moves, leans them away from
//! its inventory, hedges aggressively when inventory grows, and pulls everything in a
//! cancel storm when a burst starts.

use hotpath_core::format::{EventKind, EventRecord, OrderType, Reason, Side, VENUE_ANY};

use super::desk::{collar_offset, Desk};
use super::estimate::Fill;
use super::outbox::{Purpose, Request};
use crate::config::MakerSpec;
use crate::detmath;

/// Tag of orders that belong to no quote slot.
pub const NO_SLOT: u32 = u32::MAX;

/// Requests per throttle window a maker sends past its own throttle during a burst.
const OVERRUN_PER_WINDOW: u32 = 3;

/// How soon a hedge the limits refused is tried again, ns.
const HEDGE_RETRY_NS: u64 = 25_000_000;

/// One quote the maker keeps: account × instrument × venue (or roaming) × side × level.
#[derive(Clone, Debug)]
pub struct Slot {
    /// Index of the maker.
    pub maker: usize,
    /// Account.
    pub account: u16,
    /// Instrument.
    pub instrument: u16,
    /// Venue the quote follows, or [`VENUE_ANY`] for the roaming quote.
    pub venue: u8,
    /// Side.
    pub side: Side,
    /// Level (0 = nearest the touch).
    pub level: u32,
    /// The live order (index into the estimate), if any.
    pub order: Option<u32>,
    /// Requests for this slot not yet handled.
    pub pending: u32,
    /// Time of the last request for this slot.
    pub last_action: u64,
}

struct MakerState {
    spec: MakerSpec,
    halted: bool,
    pause_until: u64,
    /// After a RATE_LIMIT reject the maker sends nothing new until then.
    backoff_until: u64,
    /// Requests the maker may still send past its own throttle in this burst window.
    overrun_left: u32,
    /// When `overrun_left` is refilled.
    overrun_reset: u64,
    hedge_pending: Vec<bool>,
    hedge_ready: Vec<u64>,
}

/// All market-making accounts.
pub struct Maker {
    /// Every quote slot.
    pub slots: Vec<Slot>,
    makers: Vec<MakerState>,
    /// Slots by instrument × (venue or roaming).
    by_book: Vec<Vec<u32>>,
    by_account: Vec<Option<usize>>,
    venues: usize,
    /// Per maker: gross exposure plus open notional is above 60 % of the cap (worked out
    /// once per requote pass).
    near_cap: Vec<bool>,
}

impl Maker {
    /// Builds the slots of every maker in `desk.spec`.
    pub fn new(desk: &Desk<'_>) -> Self {
        let (ni, nv) = (desk.meta.instruments.len(), desk.meta.venues.len());
        let mut slots = Vec::new();
        let mut by_book = vec![Vec::new(); ni * (nv + 1)];
        let mut by_account = vec![None; desk.meta.accounts.len()];
        let mut makers = Vec::new();
        for (m, spec) in desk.spec.makers.iter().enumerate() {
            by_account[usize::from(spec.account)] = Some(m);
            makers.push(MakerState {
                spec: spec.clone(),
                halted: false,
                pause_until: 0,
                backoff_until: 0,
                overrun_left: 0,
                overrun_reset: 0,
                hedge_pending: vec![false; ni],
                hedge_ready: vec![0; ni],
            });
            for i in 0..ni {
                for vs in 0..=nv {
                    let (venue, levels) = if vs == nv { (VENUE_ANY, 1) } else { (vs as u8, spec.levels) };
                    for side in [Side::Buy, Side::Sell] {
                        for level in 0..levels {
                            by_book[i * (nv + 1) + vs].push(slots.len() as u32);
                            slots.push(Slot {
                                maker: m,
                                account: spec.account,
                                instrument: i as u16,
                                venue,
                                side,
                                level,
                                order: None,
                                pending: 0,
                                last_action: 0,
                            });
                        }
                    }
                }
            }
        }
        let near_cap = vec![false; makers.len()];
        Maker { slots, makers, by_book, by_account, venues: nv, near_cap }
    }

    /// The maker index running `account`, if any.
    pub fn maker_of(&self, account: u16) -> Option<usize> {
        self.by_account.get(usize::from(account)).copied().flatten()
    }

    /// Accounts that run the maker and are not halted.
    pub fn active_accounts(&self) -> Vec<u16> {
        self.makers.iter().filter(|m| !m.halted).map(|m| m.spec.account).collect()
    }

    /// Where the quote of slot `s` should be now: `(price, qty, tolerance)` where
    /// `tolerance` is how far a live quote may be from `price` before it is moved; `None`
    /// when the maker should not quote there (no book, or inventory near its limit).
    fn desired(&self, desk: &Desk<'_>, s: usize) -> Option<(i64, i64, i64)> {
        let slot = &self.slots[s];
        let spec = &self.makers[slot.maker].spec;
        let i = usize::from(slot.instrument);
        let (bid, ask) = if slot.venue == VENUE_ANY {
            (desk.estimate.best_bid(i)?, desk.estimate.best_ask(i)?)
        } else {
            let v = usize::from(slot.venue);
            (desk.estimate.top(v, i, Side::Buy)?, desk.estimate.top(v, i, Side::Sell)?)
        };
        let tick = desk.tick(slot.instrument);
        if bid.saturating_add(tick) > ask {
            return None; // crossed or locked: wait for it to resolve
        }
        let max_pos = desk.meta.accounts[usize::from(slot.account)].limits.max_position[i];
        if max_pos <= 0 {
            return None;
        }
        let frac = desk.estimate.position(slot.account, slot.instrument) as f64 / max_pos as f64;
        if (slot.side == Side::Buy && frac > 0.8) || (slot.side == Side::Sell && frac < -0.8) {
            return None;
        }
        // Near the gross-exposure cap only the side that reduces inventory is quoted: past
        // the cap every new order is refused, even one that would reduce the position.
        let reduces = (slot.side == Side::Buy && frac < 0.0) || (slot.side == Side::Sell && frac > 0.0);
        if !reduces && self.near_cap[slot.maker] {
            return None;
        }
        let skew = detmath::round_i64(spec.skew_ticks * frac);
        let behind = spec.offset_ticks + i64::from(slot.level) * spec.level_step_ticks;
        // Saturating: imported books may carry any price.
        let price = match slot.side {
            Side::Buy => bid.saturating_sub((behind + skew).saturating_mul(tick)).min(ask - tick),
            Side::Sell => {
                ask.saturating_add((behind - skew).saturating_mul(tick)).max(bid.saturating_add(tick))
            }
        };
        let ins = &desk.meta.instruments[i];
        if price <= 0 || price > ins.max_price {
            return None;
        }
        let size =
            desk.spec.instruments[i].quote_qty as f64 * spec.size * (1.0 + 0.5 * f64::from(slot.level));
        let qty = desk.lots(slot.instrument, size).min(ins.max_order_qty / ins.lot_size * ins.lot_size);
        // How far the quote may drift before it is moved: wider markets and deeper levels
        // tolerate more, and during a burst the maker requotes half as eagerly.
        let spread_ticks = (ask - bid) / tick;
        let mut tolerance = desk
            .spec
            .requote_ticks
            .saturating_mul(1 + i64::from(slot.level))
            .saturating_add(spread_ticks / 2);
        if desk.panic {
            tolerance = tolerance.saturating_mul(2);
        }
        Some((price, qty, tolerance.saturating_mul(tick)))
    }

    /// Sends `rec` if the estimate accepts it. During a burst the maker's own throttle is
    /// sloppy: a few requests per throttle window go out although the estimate says the
    /// pipeline will reject them. Returns whether it went.
    fn try_send(&mut self, desk: &mut Desk<'_>, m: usize, rec: EventRecord, purpose: Purpose) -> bool {
        // The estimate knows only what has been handled; the maker also counts what it has
        // in flight.
        let a = rec.account;
        let lim = &desk.meta.accounts[usize::from(a)].limits;
        let mut verdict = desk.estimate.verdict(&rec);
        if verdict.is_ok() {
            let new_limit = rec.kind == EventKind::NewOrder as u8 && rec.order_type == OrderType::Limit as u8;
            let open = desk.estimate.open_count(a) + desk.in_flight_limits(a);
            if new_limit && open >= lim.max_open_orders {
                return false;
            }
            let window = desk.estimate.window_count(a, rec.ts) + desk.in_flight(a) as usize;
            if window >= lim.rate_limit_count as usize {
                verdict = Err(Reason::RateLimit);
            }
        }
        match verdict {
            // Losses past the limit: the desk does not know yet; this request trips the
            // kill switch (and is rejected TRADING_HALTED).
            Ok(_) | Err(Reason::TradingHalted) => {}
            Err(Reason::RateLimit) if desk.panic => {
                let state = &mut self.makers[m];
                if desk.now >= state.overrun_reset {
                    let window =
                        desk.meta.accounts[usize::from(state.spec.account)].limits.rate_limit_window_ns;
                    state.overrun_reset = desk.now + window;
                    state.overrun_left = OVERRUN_PER_WINDOW;
                }
                if state.overrun_left == 0 {
                    return false;
                }
                state.overrun_left -= 1;
            }
            Err(_) => return false,
        }
        desk.send(rec, purpose);
        desk.normal_sent += 1;
        true
    }

    /// Re-examines every quote that follows book `v` × `i` (and the roaming quotes of `i`).
    pub fn requote(&mut self, desk: &mut Desk<'_>, v: usize, i: usize) {
        for (m, state) in self.makers.iter().enumerate() {
            let a = state.spec.account;
            let cap = i128::from(desk.meta.accounts[usize::from(a)].limits.max_gross_notional);
            let used = desk.estimate.gross_exposure(a) + desk.estimate.open_notional(a);
            self.near_cap[m] = used * 10 > cap * 6;
        }
        let nv = self.venues;
        for vs in [v, nv] {
            for k in 0..self.by_book[i * (nv + 1) + vs].len() {
                let s = self.by_book[i * (nv + 1) + vs][k] as usize;
                self.consider(desk, s);
            }
        }
        for m in 0..self.makers.len() {
            self.check_hedge(desk, m, i as u16);
        }
    }

    fn consider(&mut self, desk: &mut Desk<'_>, s: usize) {
        let slot = &self.slots[s];
        let state = &self.makers[slot.maker];
        if state.halted || desk.now < state.pause_until.max(state.backoff_until) || slot.pending > 0 {
            return;
        }
        let Some((price, qty, tolerance)) = self.desired(desk, s) else { return };
        let slot = &self.slots[s];
        let (a, i, min_gap) = (slot.account, slot.instrument, desk.spec.min_requote_ns);
        match slot.order {
            None => {
                if desk.now < slot.last_action + min_gap / 2 {
                    return;
                }
                let (side, venue) = (slot.side, slot.venue);
                let ts = desk.reaction_ts();
                let rec = desk.new_order(ts, a, i, side, OrderType::Limit, price, qty, venue);
                self.dispatch(desk, s, rec);
            }
            Some(idx) => {
                let o = desk.estimate.order(idx);
                let moved = (o.price - price).abs() >= tolerance;
                if !moved || desk.now < slot.last_action + min_gap {
                    return;
                }
                let orig = o.id;
                let ts = desk.reaction_ts();
                if slot.venue == VENUE_ANY && desk.rng.chance(desk.spec.reroute_share) {
                    let side = slot.side;
                    let rec = desk.new_order(ts, a, i, side, OrderType::Limit, price, qty, VENUE_ANY);
                    if desk.estimate.verdict(&rec).is_ok() {
                        let cancel = desk.cancel(ts, a, i, orig);
                        desk.send(cancel, Purpose::Pull { slot: s as u32 });
                        self.slots[s].pending += 1;
                        // The cancel is handled first, so the NEW is judged without it.
                        desk.send(rec, Purpose::Quote { slot: s as u32 });
                        self.slots[s].pending += 1;
                        self.slots[s].last_action = desk.now;
                        desk.normal_sent += 2;
                    }
                    return;
                }
                let rec = desk.replace(ts, a, i, orig, price, qty);
                self.dispatch(desk, s, rec);
            }
        }
    }

    fn dispatch(&mut self, desk: &mut Desk<'_>, s: usize, rec: EventRecord) {
        // Whether sent or not, wait before looking again: a blocked quote (limits) is not
        // re-evaluated on every market event.
        self.slots[s].last_action = desk.now;
        let m = self.slots[s].maker;
        if self.try_send(desk, m, rec, Purpose::Quote { slot: s as u32 }) {
            self.slots[s].pending += 1;
        }
    }

    /// Bookkeeping once a request of `purpose` has been handled with `result`.
    pub fn on_handled(&mut self, desk: &mut Desk<'_>, req: &Request, result: Result<Option<u32>, Reason>) {
        if result == Err(Reason::RateLimit) {
            if let Some(m) = self.maker_of(req.rec.account) {
                let window = desk.meta.accounts[usize::from(req.rec.account)].limits.rate_limit_window_ns;
                self.makers[m].backoff_until = desk.now + window / 2;
            }
        }
        match req.purpose {
            Purpose::Quote { slot } => {
                let s = &mut self.slots[slot as usize];
                s.pending = s.pending.saturating_sub(1);
                match (req.rec.kind, result) {
                    (k, Ok(rested)) if k == EventKind::NewOrder as u8 || k == EventKind::Replace as u8 => {
                        s.order = rested;
                    }
                    _ => {}
                }
            }
            Purpose::Pull { slot } => {
                let s = &mut self.slots[slot as usize];
                s.pending = s.pending.saturating_sub(1);
            }
            Purpose::Hedge => {
                if let Some(m) = self.maker_of(req.rec.account) {
                    let i = usize::from(req.rec.instrument);
                    self.makers[m].hedge_pending[i] = false;
                    self.makers[m].hedge_ready[i] = desk.now + 2 * desk.spec.min_requote_ns;
                }
            }
            _ => {}
        }
    }

    /// An order stopped being live: its slot is free again.
    pub fn on_finished(&mut self, desk: &Desk<'_>, idx: u32) {
        let tag = desk.estimate.tag(idx);
        if let Some(s) = self.slots.get_mut(tag as usize) {
            if s.order == Some(idx) {
                s.order = None;
            }
        }
    }

    /// The kill switch tripped for `account`: its maker stops.
    pub fn on_halt(&mut self, account: u16) {
        if let Some(m) = self.maker_of(account) {
            self.makers[m].halted = true;
        }
    }

    /// A fill of one of our orders: maybe hedge.
    pub fn on_fill(&mut self, desk: &mut Desk<'_>, fill: &Fill) {
        if let Some(m) = self.maker_of(fill.account) {
            self.check_hedge(desk, m, fill.instrument);
        }
    }

    fn check_hedge(&mut self, desk: &mut Desk<'_>, m: usize, i: u16) {
        let ii = usize::from(i);
        let state = &self.makers[m];
        if state.halted
            || state.hedge_pending[ii]
            || desk.now < state.hedge_ready[ii].max(state.backoff_until)
        {
            return;
        }
        let a = state.spec.account;
        let lim = &desk.meta.accounts[usize::from(a)].limits;
        let max_pos = lim.max_position[ii] as f64;
        let pos = desk.estimate.position(a, i);
        if (pos.abs() as f64) <= desk.spec.hedge_threshold * max_pos {
            return;
        }
        let ins = &desk.meta.instruments[ii];
        let (Some(reference), Some(bid), Some(ask)) =
            (desk.estimate.reference(ii), desk.estimate.best_bid(ii), desk.estimate.best_ask(ii))
        else {
            return;
        };
        let excess = pos.abs() as f64 - desk.spec.hedge_target * max_pos;
        // A MARKET hedge is priced at the collar, above the reference for a buy.
        let collar = reference.saturating_add(collar_offset(reference, ins.band_bps, 10_000));
        let by_notional = lim.max_order_notional / collar.max(1);
        let lot = ins.lot_size;
        let qty = (desk.lots(i, excess).min(ins.max_order_qty).min(by_notional) / lot) * lot;
        if qty < lot {
            return;
        }
        let side = if pos > 0 { Side::Sell } else { Side::Buy };
        let ts = desk.reaction_ts();
        let rec = if desk.rng.chance(desk.spec.hedge_market_share) {
            desk.new_order(ts, a, i, side, OrderType::Market, 0, qty, VENUE_ANY)
        } else {
            let tick = ins.tick_size;
            let slip = desk.spec.hedge_slip_ticks * tick;
            // Stay inside the collar so the hedge is not a price-band reject.
            let off = collar_offset(reference, ins.band_bps * 9, 100_000);
            let price = match side {
                Side::Sell => bid.saturating_sub(slip).max(reference - off),
                Side::Buy => ask.saturating_add(slip).min(reference.saturating_add(off)),
            };
            let price = match side {
                Side::Sell => -((-price).div_euclid(tick)) * tick,
                Side::Buy => price.div_euclid(tick) * tick,
            };
            desk.new_order(ts, a, i, side, OrderType::Ioc, price, qty, VENUE_ANY)
        };
        self.makers[m].hedge_ready[ii] = desk.now + desk.spec.min_requote_ns;
        let sent = match desk.estimate.verdict(&rec) {
            // A desk that must hedge keeps trying even when its limits say no (the request
            // is rejected, and its loss check may trip the kill switch); it just retries
            // less often.
            Err(Reason::ExposureLimit | Reason::PositionLimit | Reason::TradingHalted) => {
                self.makers[m].hedge_ready[ii] = desk.now + HEDGE_RETRY_NS;
                desk.send(rec, Purpose::Hedge);
                desk.normal_sent += 1;
                true
            }
            _ => self.try_send(desk, m, rec, Purpose::Hedge),
        };
        if sent {
            self.makers[m].hedge_pending[ii] = true;
            desk.stats.hedges += 1;
        }
    }

    /// A burst started: most makers pull every quote and pause.
    pub fn storm(&mut self, desk: &mut Desk<'_>) {
        let mut any = false;
        for m in 0..self.makers.len() {
            if self.makers[m].halted || !desk.rng.chance(0.8) {
                continue;
            }
            any = true;
            self.makers[m].pause_until = desk.now + desk.spec.storm_pause_ns;
            let mut ts = desk.reaction_ts();
            for s in 0..self.slots.len() {
                let slot = &self.slots[s];
                if slot.maker != m || slot.pending > 0 {
                    continue;
                }
                let Some(idx) = slot.order else { continue };
                let (a, i, id) = (slot.account, slot.instrument, desk.estimate.order(idx).id);
                let rec = desk.cancel(ts, a, i, id);
                desk.send(rec, Purpose::Pull { slot: s as u32 });
                self.slots[s].pending += 1;
                self.slots[s].last_action = desk.now;
                ts += 200;
            }
        }
        if any {
            desk.stats.cancel_storms += 1;
        }
    }

    /// A live quote of `account` that no request is in flight for (for bursts of
    /// REPLACEs), preferring the nearest level.
    pub fn idle_quote(&self, account: u16) -> Option<usize> {
        let m = self.maker_of(account)?;
        self.slots.iter().position(|s| s.maker == m && s.order.is_some() && s.pending == 0)
    }

    /// Whether the maker of `account` is paused or halted.
    pub fn is_halted(&self, account: u16) -> bool {
        self.maker_of(account).is_some_and(|m| self.makers[m].halted)
    }
}
