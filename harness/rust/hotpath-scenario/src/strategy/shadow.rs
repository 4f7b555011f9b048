//! The strategy's estimate of what the pipeline does with its requests.
//!
//! A market maker must know its own position, open orders and limits to behave sensibly,
//! and the generator must know which requests will be rejected so that rejects come from
//! the intended bad share and genuine limit hits only. This module follows the rules of
//! `docs/pipeline.md` for the strategy's own accounts (validation, risk, sweeps, queue
//! position, passive fills, the kill switch) without producing reports. It is an
//! *estimate*: the engines are the authority, and nothing here is compared byte for byte.

use std::collections::VecDeque;

use hotpath_core::format::{EventKind, EventRecord, OrderType, Reason, ScenarioMeta, Side, VENUE_ANY};

use super::view::{MarketView, Take};

/// Sentinel for "no order" in the per-account id index.
const NONE: u32 = u32::MAX;

/// One order the strategy has had accepted and resting (or once resting).
#[derive(Clone, Debug)]
pub struct OrderState {
    /// Request id.
    pub id: u64,
    /// Account.
    pub account: u16,
    /// Instrument.
    pub instrument: u16,
    /// Resting venue.
    pub venue: u8,
    /// Side.
    pub side: Side,
    /// Limit price.
    pub price: i64,
    /// Remaining qty.
    pub remaining: i64,
    /// Visible qty ahead of the order at its price.
    pub queue_ahead: i64,
    /// Still resting.
    pub live: bool,
    /// Owner tag chosen by the strategy (which quote slot it belongs to).
    pub tag: u32,
}

/// A growable set of request ids.
#[derive(Clone, Debug, Default)]
struct IdSet(Vec<u64>);

impl IdSet {
    fn contains(&self, id: u64) -> bool {
        let w = (id / 64) as usize;
        self.0.get(w).is_some_and(|bits| bits & (1 << (id % 64)) != 0)
    }

    fn insert(&mut self, id: u64) {
        let w = (id / 64) as usize;
        if w >= self.0.len() {
            // Wild ids (far beyond the counter) are never inserted by the strategy; cap the
            // growth anyway so a hostile id cannot allocate gigabytes.
            if w > 1 << 24 {
                return;
            }
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (id % 64);
    }
}

/// The state of one account.
#[derive(Clone, Debug)]
pub struct AccountState {
    /// Position per instrument.
    pub position: Vec<i64>,
    /// Cash (buy fills subtract, sell fills add).
    pub cash: i128,
    /// Σ remaining of live buys per instrument.
    pub open_buy: Vec<i64>,
    /// Σ remaining of live sells per instrument.
    pub open_sell: Vec<i64>,
    /// Σ price × remaining of live orders.
    pub open_notional: i128,
    /// Number of live orders.
    pub open_count: u32,
    /// Timestamps of accepted NEW/REPLACE in the throttle window.
    window: VecDeque<u64>,
    /// The kill switch has tripped.
    pub halted: bool,
    used: IdSet,
    /// Order index by id (ids are small and dense: they come from a counter).
    index: Vec<u32>,
}

/// A fill of one of the strategy's orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fill {
    /// Account.
    pub account: u16,
    /// Instrument.
    pub instrument: u16,
    /// Order side.
    pub side: Side,
    /// Fill price.
    pub price: i64,
    /// Fill qty.
    pub qty: i64,
    /// Resting order filled passively (else a taker fill of a new request).
    pub maker: bool,
}

/// What handling one event did, for the strategy to react to.
#[derive(Debug, Default)]
pub struct Effects {
    /// Fills, in the order they happened.
    pub fills: Vec<Fill>,
    /// Orders (indices) that stopped being live.
    pub finished: Vec<u32>,
    /// Accounts whose kill switch tripped.
    pub halted: Vec<u16>,
}

impl Effects {
    /// Forgets everything.
    pub fn clear(&mut self) {
        self.fills.clear();
        self.finished.clear();
        self.halted.clear();
    }
}

/// A request that passed validation, with what the later stages need.
#[derive(Clone, Copy, Debug)]
struct Checked {
    kind: EventKind,
    side: Side,
    /// Limit price after MARKET conversion.
    price: i64,
    ioc: bool,
    limit_new: bool,
    orig: u32,
}

/// The estimate of the pipeline for every account.
pub struct Shadow {
    meta: ScenarioMeta,
    accounts: Vec<AccountState>,
    orders: Vec<OrderState>,
    live: Vec<Vec<u32>>,
    venues: usize,
    takes: Vec<Take>,
    scratch: Vec<u32>,
}

fn notional(price: i64, qty: i64) -> i128 {
    i128::from(price) * i128::from(qty)
}

/// `floor(reference × bps / per)` for positive operands, exact (i128) and saturating: the
/// collar offset when `per` is 10 000.
pub fn collar_offset(reference: i64, bps: i64, per: i64) -> i64 {
    let off = i128::from(reference) * i128::from(bps) / i128::from(per.max(1));
    off.clamp(0, i128::from(i64::MAX)) as i64
}

impl Shadow {
    /// Fresh accounts (flat, nothing live) for `meta`.
    pub fn new(meta: &ScenarioMeta) -> Self {
        let ni = meta.instruments.len();
        let accounts = meta
            .accounts
            .iter()
            .map(|_| AccountState {
                position: vec![0; ni],
                cash: 0,
                open_buy: vec![0; ni],
                open_sell: vec![0; ni],
                open_notional: 0,
                open_count: 0,
                window: VecDeque::new(),
                halted: false,
                used: IdSet::default(),
                index: Vec::new(),
            })
            .collect();
        Shadow {
            meta: meta.clone(),
            accounts,
            orders: Vec::new(),
            live: vec![Vec::new(); ni * meta.venues.len()],
            venues: meta.venues.len(),
            takes: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// The metadata.
    pub fn meta(&self) -> &ScenarioMeta {
        &self.meta
    }

    /// The state of account `a` (must exist).
    pub fn account(&self, a: u16) -> &AccountState {
        &self.accounts[usize::from(a)]
    }

    /// An order by index.
    pub fn order(&self, idx: u32) -> &OrderState {
        &self.orders[idx as usize]
    }

    /// The live order of account `a` with `id`, if any.
    pub fn live_order(&self, a: u16, id: u64) -> Option<u32> {
        let acc = self.accounts.get(usize::from(a))?;
        let idx = *acc.index.get(usize::try_from(id).ok()?)?;
        (idx != NONE && self.orders[idx as usize].live).then_some(idx)
    }

    /// Whether `id` was already used by account `a`.
    pub fn used(&self, a: u16, id: u64) -> bool {
        self.accounts.get(usize::from(a)).is_some_and(|acc| acc.used.contains(id))
    }

    /// Live orders of account `a` (unordered).
    pub fn live_orders_of(&self, a: u16) -> impl Iterator<Item = u32> + '_ {
        self.live.iter().flatten().copied().filter(move |&o| self.orders[o as usize].account == a)
    }

    /// PnL of account `a`: cash plus positions at reference prices.
    pub fn pnl(&self, view: &MarketView, a: u16) -> i128 {
        let acc = &self.accounts[usize::from(a)];
        let mut pnl = acc.cash;
        for (i, &pos) in acc.position.iter().enumerate() {
            if pos != 0 {
                if let Some(r) = view.reference(i) {
                    pnl += notional(r, pos);
                }
            }
        }
        pnl
    }

    /// Σ |position × reference| of account `a`.
    pub fn gross_exposure(&self, view: &MarketView, a: u16) -> i128 {
        let acc = &self.accounts[usize::from(a)];
        acc.position
            .iter()
            .enumerate()
            .filter_map(|(i, &pos)| view.reference(i).map(|r| notional(r, pos).abs()))
            .sum()
    }

    /// Accepted NEW/REPLACE of account `a` that still count against its throttle at `ts`.
    pub fn window_count(&self, a: u16, ts: u64) -> usize {
        let acc = &self.accounts[usize::from(a)];
        let w = self.meta.accounts[usize::from(a)].limits.rate_limit_window_ns;
        if ts < w {
            acc.window.len()
        } else {
            acc.window.iter().rev().take_while(|&&t| t > ts - w).count()
        }
    }

    fn loss_exceeded(&self, view: &MarketView, a: u16) -> bool {
        let max_loss = i128::from(self.meta.accounts[usize::from(a)].limits.max_loss);
        self.pnl(view, a) < -max_loss
    }

    /// Stage 1 of the pipeline.
    fn validate(&self, view: &MarketView, r: &EventRecord) -> Result<Checked, Reason> {
        let kind = EventKind::from_u8(r.kind).ok_or(Reason::InvalidRequest)?;
        let i = usize::from(r.instrument);
        let ins = self.meta.instruments.get(i).ok_or(Reason::UnknownInstrument)?;
        if usize::from(r.account) >= self.accounts.len() {
            return Err(Reason::UnknownAccount);
        }
        let new = kind == EventKind::NewOrder;
        if new && usize::from(r.venue) >= self.venues && r.venue != VENUE_ANY {
            return Err(Reason::UnknownVenue);
        }
        let (mut side, order_type) = (Side::from_u8(r.side), OrderType::from_u8(r.order_type));
        if new && (side.is_none() || order_type.is_none()) {
            return Err(Reason::InvalidRequest);
        }
        let sized = new || kind == EventKind::Replace;
        if sized && (r.qty <= 0 || r.qty % ins.lot_size != 0) {
            return Err(Reason::InvalidQty);
        }
        if sized && r.qty > ins.max_order_qty {
            return Err(Reason::QtyTooLarge);
        }
        let priced = kind == EventKind::Replace || (new && order_type != Some(OrderType::Market));
        if priced && (r.price <= 0 || r.price % ins.tick_size != 0 || r.price > ins.max_price) {
            return Err(Reason::InvalidPrice);
        }
        if self.used(r.account, r.id) {
            return Err(Reason::DuplicateId);
        }
        let mut orig = NONE;
        if !new {
            orig = self
                .live_order(r.account, r.orig_id)
                .filter(|&o| self.orders[o as usize].instrument == r.instrument)
                .ok_or(Reason::UnknownOrder)?;
            side = Some(self.orders[orig as usize].side);
        }
        let side = side.unwrap_or(Side::Buy);
        let mut price = r.price;
        if new && order_type == Some(OrderType::Market) {
            let reference = view.reference(i).ok_or(Reason::NoReferencePrice)?;
            let off = collar_offset(reference, ins.band_bps, 10_000);
            let tick = ins.tick_size;
            price = match side {
                Side::Buy => reference.saturating_add(off).div_euclid(tick) * tick,
                Side::Sell => {
                    let raw = reference - off;
                    if raw <= 0 {
                        return Err(Reason::InvalidPrice);
                    }
                    -((-raw).div_euclid(tick)) * tick
                }
            };
            if price <= 0 || price > ins.max_price {
                return Err(Reason::InvalidPrice);
            }
        }
        Ok(Checked {
            kind,
            side,
            price,
            ioc: new && order_type != Some(OrderType::Limit),
            limit_new: new && order_type == Some(OrderType::Limit),
            orig,
        })
    }

    /// Stage 2 rules 1–7 (rule 0, the loss check, is the caller's).
    fn risk(&self, view: &MarketView, r: &EventRecord, c: &Checked, halted: bool) -> Result<(), Reason> {
        if halted {
            return Err(Reason::TradingHalted);
        }
        let i = usize::from(r.instrument);
        let a = usize::from(r.account);
        let ins = &self.meta.instruments[i];
        let lim = &self.meta.accounts[a].limits;
        let acc = &self.accounts[a];
        if let Some(reference) = view.reference(i) {
            if i128::from((c.price - reference).abs()) * 10_000
                > i128::from(ins.band_bps) * i128::from(reference)
            {
                return Err(Reason::PriceBand);
            }
        }
        let n = notional(c.price, r.qty);
        if n > i128::from(lim.max_order_notional) {
            return Err(Reason::MaxNotional);
        }
        let (mut orig_rem, mut orig_notional) = (0, 0);
        if c.kind == EventKind::Replace {
            let o = &self.orders[c.orig as usize];
            orig_rem = o.remaining;
            orig_notional = notional(o.price, o.remaining);
        }
        // i128: a declared max_order_qty may be anywhere up to i64::MAX.
        let (pos, max_pos, qty) =
            (i128::from(acc.position[i]), i128::from(lim.max_position[i]), i128::from(r.qty));
        let breach = match c.side {
            Side::Buy => pos + i128::from(acc.open_buy[i] - orig_rem) + qty > max_pos,
            Side::Sell => pos - i128::from(acc.open_sell[i] - orig_rem) - qty < -max_pos,
        };
        if breach {
            return Err(Reason::PositionLimit);
        }
        let gross = self.gross_exposure(view, r.account) + acc.open_notional - orig_notional + n;
        if gross > i128::from(lim.max_gross_notional) {
            return Err(Reason::ExposureLimit);
        }
        if self.window_count(r.account, r.ts) >= lim.rate_limit_count as usize {
            return Err(Reason::RateLimit);
        }
        if c.limit_new && acc.open_count >= lim.max_open_orders {
            return Err(Reason::MaxOpenOrders);
        }
        Ok(())
    }

    /// The outcome the pipeline would give `r` now, without changing anything: the
    /// (converted) limit price, or the reject reason.
    pub fn evaluate(&self, view: &MarketView, r: &EventRecord) -> Result<i64, Reason> {
        let c = self.validate(view, r)?;
        if c.kind == EventKind::Cancel {
            return Ok(0);
        }
        let halted = self.accounts[usize::from(r.account)].halted || self.loss_exceeded(view, r.account);
        self.risk(view, r, &c, halted)?;
        Ok(c.price)
    }

    /// Handles one request as the pipeline would. Returns the index of the order left
    /// resting (if any) or the reject reason. A new resting order gets `tag`.
    pub fn handle(
        &mut self,
        view: &mut MarketView,
        r: &EventRecord,
        tag: u32,
        fx: &mut Effects,
    ) -> Result<Option<u32>, Reason> {
        let checked = self.validate(view, r);
        if usize::from(r.account) < self.accounts.len() {
            // The id is used whatever the outcome (marked after validation has looked).
            self.accounts[usize::from(r.account)].used.insert(r.id);
        }
        let c = checked?;
        let a = r.account;
        if c.kind != EventKind::Cancel {
            if !self.accounts[usize::from(a)].halted && self.loss_exceeded(view, a) {
                self.trip(a, fx);
            }
            self.risk(view, r, &c, self.accounts[usize::from(a)].halted)?;
            let acc = &mut self.accounts[usize::from(a)];
            let w = self.meta.accounts[usize::from(a)].limits.rate_limit_window_ns;
            if r.ts >= w {
                while acc.window.front().is_some_and(|&t| t <= r.ts - w) {
                    acc.window.pop_front();
                }
            }
            acc.window.push_back(r.ts);
        }
        match c.kind {
            EventKind::Cancel => {
                self.retire(c.orig, fx);
                Ok(None)
            }
            EventKind::Replace => {
                let venue = self.orders[c.orig as usize].venue;
                self.retire(c.orig, fx);
                Ok(self.execute(view, r, c.side, c.price, false, Some(usize::from(venue)), tag, fx))
            }
            _ => {
                let only = (r.venue != VENUE_ANY).then_some(usize::from(r.venue));
                Ok(self.execute(view, r, c.side, c.price, c.ioc, only, tag, fx))
            }
        }
    }

    /// Stage 3 for a new or replacement order: sweep, loss check, remainder.
    #[allow(clippy::too_many_arguments)]
    fn execute(
        &mut self,
        view: &mut MarketView,
        r: &EventRecord,
        side: Side,
        price: i64,
        ioc: bool,
        only: Option<usize>,
        tag: u32,
        fx: &mut Effects,
    ) -> Option<u32> {
        let i = usize::from(r.instrument);
        let mut takes = std::mem::take(&mut self.takes);
        view.sweep(i, side, price, r.qty, only, &mut takes);
        let mut left = r.qty;
        for t in &takes {
            self.book_fill(r.account, r.instrument, side, t.price, t.qty);
            fx.fills.push(Fill {
                account: r.account,
                instrument: r.instrument,
                side,
                price: t.price,
                qty: t.qty,
                maker: false,
            });
            left -= t.qty;
        }
        let swept = !takes.is_empty();
        self.takes = takes;
        let mut tripped = false;
        if swept && !self.accounts[usize::from(r.account)].halted && self.loss_exceeded(view, r.account) {
            self.trip(r.account, fx);
            tripped = true;
        }
        if left == 0 || ioc || tripped {
            return None;
        }
        let venue = only.unwrap_or_else(|| view.best_venue(i, side));
        let queue_ahead = view.book(venue, i).side(side).qty_at(price);
        let idx = self.orders.len() as u32;
        self.orders.push(OrderState {
            id: r.id,
            account: r.account,
            instrument: r.instrument,
            venue: venue as u8,
            side,
            price,
            remaining: left,
            queue_ahead,
            live: true,
            tag,
        });
        let acc = &mut self.accounts[usize::from(r.account)];
        match side {
            Side::Buy => acc.open_buy[i] += left,
            Side::Sell => acc.open_sell[i] += left,
        }
        acc.open_notional += notional(price, left);
        acc.open_count += 1;
        let id = usize::try_from(r.id).unwrap_or(usize::MAX);
        if id < 1 << 28 {
            if acc.index.len() <= id {
                acc.index.resize(id + 1, NONE);
            }
            acc.index[id] = idx;
        }
        self.live[i * self.venues + venue].push(idx);
        Some(idx)
    }

    fn book_fill(&mut self, a: u16, instrument: u16, side: Side, price: i64, qty: i64) {
        let acc = &mut self.accounts[usize::from(a)];
        let i = usize::from(instrument);
        match side {
            Side::Buy => {
                acc.position[i] += qty;
                acc.cash -= notional(price, qty);
            }
            Side::Sell => {
                acc.position[i] -= qty;
                acc.cash += notional(price, qty);
            }
        }
    }

    /// Takes a live order off the book (cancel, replace, kill switch, fully filled).
    fn retire(&mut self, idx: u32, fx: &mut Effects) {
        let o = &mut self.orders[idx as usize];
        if !o.live {
            return;
        }
        o.live = false;
        let (i, venue, side, price, rem, a) =
            (usize::from(o.instrument), usize::from(o.venue), o.side, o.price, o.remaining, o.account);
        let acc = &mut self.accounts[usize::from(a)];
        match side {
            Side::Buy => acc.open_buy[i] -= rem,
            Side::Sell => acc.open_sell[i] -= rem,
        }
        acc.open_notional -= notional(price, rem);
        acc.open_count -= 1;
        let bucket = &mut self.live[i * self.venues + venue];
        if let Some(p) = bucket.iter().position(|&x| x == idx) {
            bucket.swap_remove(p);
        }
        fx.finished.push(idx);
    }

    /// The kill switch: halt and cancel every live order of the account.
    fn trip(&mut self, a: u16, fx: &mut Effects) {
        self.accounts[usize::from(a)].halted = true;
        fx.halted.push(a);
        let mut mine: Vec<u32> = self.live_orders_of(a).collect();
        mine.sort_by_key(|&o| self.orders[o as usize].id);
        for o in mine {
            self.retire(o, fx);
        }
    }

    /// A valid `BOOK_DELTA` (already applied to the view): queue positions shrink.
    pub fn on_delta(&mut self, e: &EventRecord) {
        let b = usize::from(e.instrument) * self.venues + usize::from(e.venue);
        for &o in &self.live[b] {
            let o = &mut self.orders[o as usize];
            if o.side as u8 == e.side && o.price == e.price && o.queue_ahead > e.qty {
                o.queue_ahead = e.qty;
            }
        }
    }

    /// A valid `TRADE` (already applied to the view): passive fills, then loss checks.
    pub fn on_trade(&mut self, view: &MarketView, e: &EventRecord, fx: &mut Effects) {
        let b = usize::from(e.instrument) * self.venues + usize::from(e.venue);
        if self.live[b].is_empty() {
            return;
        }
        let resting = if e.side == Side::Buy as u8 { Side::Sell } else { Side::Buy };
        let mut eligible = std::mem::take(&mut self.scratch);
        eligible.clear();
        eligible.extend(self.live[b].iter().copied().filter(|&o| {
            let o = &self.orders[o as usize];
            o.side == resting
                && match resting {
                    Side::Buy => o.price >= e.price,
                    Side::Sell => o.price <= e.price,
                }
        }));
        if eligible.is_empty() {
            self.scratch = eligible;
            return;
        }
        let orders = &self.orders;
        eligible.sort_unstable_by(|&x, &y| {
            let (x, y) = (&orders[x as usize], &orders[y as usize]);
            let by_price = match resting {
                Side::Buy => y.price.cmp(&x.price),
                Side::Sell => x.price.cmp(&y.price),
            };
            by_price.then(x.id.cmp(&y.id)).then(x.account.cmp(&y.account))
        });
        let mut left = e.qty;
        let mut filled_accounts: Vec<u16> = Vec::new();
        for &idx in &eligible {
            if left <= 0 {
                break;
            }
            let o = &mut self.orders[idx as usize];
            if o.price == e.price {
                let c = o.queue_ahead.min(left);
                o.queue_ahead -= c;
                left -= c;
            }
            let f = o.remaining.min(left);
            if f <= 0 {
                continue;
            }
            left -= f;
            o.remaining -= f;
            let (a, i, side, price, done) = (o.account, o.instrument, o.side, o.price, o.remaining == 0);
            self.book_fill(a, i, side, price, f);
            let acc = &mut self.accounts[usize::from(a)];
            match side {
                Side::Buy => acc.open_buy[usize::from(i)] -= f,
                Side::Sell => acc.open_sell[usize::from(i)] -= f,
            }
            acc.open_notional -= notional(price, f);
            fx.fills.push(Fill { account: a, instrument: i, side, price, qty: f, maker: true });
            if done {
                // Fully filled: no longer live (nothing remains to take off the open totals).
                let o = &mut self.orders[idx as usize];
                o.live = false;
                self.accounts[usize::from(a)].open_count -= 1;
                let bucket = &mut self.live[b];
                if let Some(p) = bucket.iter().position(|&x| x == idx) {
                    bucket.swap_remove(p);
                }
                fx.finished.push(idx);
            }
            if !filled_accounts.contains(&a) {
                filled_accounts.push(a);
            }
        }
        self.scratch = eligible;
        filled_accounts.sort_unstable();
        for a in filled_accounts {
            if !self.accounts[usize::from(a)].halted && self.loss_exceeded(view, a) {
                self.trip(a, fx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> ScenarioMeta {
        let json = r#"{"schema":1,"instruments":[{"id":0,"symbol":"X","tick_size":10,"lot_size":5,
            "max_order_qty":1000,"max_price":100000,"band_bps":500}],
            "venues":[{"id":0,"name":"a"},{"id":1,"name":"b"}],
            "accounts":[{"id":0,"name":"mm","limits":{"max_order_notional":50000000,
              "max_gross_notional":60000000,"max_position":[500],"rate_limit_count":3,
              "rate_limit_window_ns":1000,"max_open_orders":2,"max_loss":2000}}]}"#;
        ScenarioMeta::from_json("t", json.as_bytes()).expect("valid")
    }

    fn md(kind: EventKind, v: u8, side: Side, price: i64, qty: i64) -> EventRecord {
        EventRecord { kind: kind as u8, venue: v, side: side as u8, price, qty, ..Default::default() }
    }

    fn new(ts: u64, id: u64, side: Side, ot: OrderType, price: i64, qty: i64, venue: u8) -> EventRecord {
        EventRecord {
            ts,
            id,
            kind: EventKind::NewOrder as u8,
            side: side as u8,
            order_type: ot as u8,
            price,
            qty,
            venue,
            ..Default::default()
        }
    }

    fn setup() -> (Shadow, MarketView, Effects) {
        let mut view = MarketView::new(1, 2);
        for e in [
            md(EventKind::BookDelta, 0, Side::Buy, 1000, 50),
            md(EventKind::BookDelta, 0, Side::Sell, 1010, 50),
            md(EventKind::BookDelta, 1, Side::Buy, 990, 50),
            md(EventKind::BookDelta, 1, Side::Sell, 1020, 50),
        ] {
            view.apply(&e);
        }
        (Shadow::new(&meta()), view, Effects::default())
    }

    #[test]
    fn validation_rules_in_order() {
        let (sh, view, _) = setup();
        let ok = new(0, 1, Side::Buy, OrderType::Limit, 1000, 10, 0);
        assert_eq!(sh.evaluate(&view, &ok), Ok(1000));
        let cases: Vec<(EventRecord, Reason)> = vec![
            (EventRecord { instrument: 3, account: 9, ..ok }, Reason::UnknownInstrument),
            (EventRecord { account: 9, ..ok }, Reason::UnknownAccount),
            (EventRecord { venue: 7, side: 0, ..ok }, Reason::UnknownVenue),
            (EventRecord { side: 3, ..ok }, Reason::InvalidRequest),
            (EventRecord { order_type: 0, ..ok }, Reason::InvalidRequest),
            (EventRecord { qty: 7, ..ok }, Reason::InvalidQty),
            (EventRecord { qty: 1005, ..ok }, Reason::QtyTooLarge),
            (EventRecord { price: 1001, ..ok }, Reason::InvalidPrice),
            (EventRecord { price: 100010, ..ok }, Reason::InvalidPrice),
            (EventRecord { kind: EventKind::Cancel as u8, orig_id: 55, ..ok }, Reason::UnknownOrder),
        ];
        for (r, reason) in cases {
            assert_eq!(sh.evaluate(&view, &r), Err(reason), "{r:?}");
        }
        let empty = MarketView::new(1, 2);
        let mkt = new(0, 2, Side::Sell, OrderType::Market, 0, 10, VENUE_ANY);
        assert_eq!(sh.evaluate(&empty, &mkt), Err(Reason::NoReferencePrice));
        // Reference floor((1000 + 1010) / 2) = 1005, off = 50: SELL collar 955 → 960 (up to tick).
        assert_eq!(sh.evaluate(&view, &mkt), Ok(960));
        let buy = new(0, 2, Side::Buy, OrderType::Market, 0, 10, VENUE_ANY);
        assert_eq!(sh.evaluate(&view, &buy), Ok(1050));
    }

    #[test]
    fn sweeps_rest_and_fill_passively_with_queue_position() {
        let (mut sh, mut view, mut fx) = setup();
        // BUY 60 @1010 on ANY: takes 50 at venue 0, rests 10 at the best bid venue (0 @1010? no: bids).
        let r = new(10, 1, Side::Buy, OrderType::Limit, 1010, 60, VENUE_ANY);
        let rested = sh.handle(&mut view, &r, 7, &mut fx).expect("accepted").expect("rests");
        assert_eq!(fx.fills.len(), 1);
        assert_eq!((fx.fills[0].price, fx.fills[0].qty, fx.fills[0].maker), (1010, 50, false));
        let o = sh.order(rested).clone();
        assert_eq!((o.venue, o.remaining, o.queue_ahead, o.tag), (0, 10, 0, 7), "best bid is venue 0 @1000");
        assert_eq!(sh.account(0).position[0], 50);
        // A resting SELL at venue 1 behind 50 visible.
        let s = new(11, 2, Side::Sell, OrderType::Limit, 1020, 20, 1);
        let sidx = sh.handle(&mut view, &s, 8, &mut fx).expect("ok").expect("rests");
        assert_eq!(sh.order(sidx).queue_ahead, 50);
        sh.on_delta(&md(EventKind::BookDelta, 1, Side::Sell, 1020, 30));
        assert_eq!(sh.order(sidx).queue_ahead, 30);
        fx.clear();
        let print = md(EventKind::Trade, 1, Side::Buy, 1020, 40);
        view.apply(&print);
        sh.on_trade(&view, &print, &mut fx);
        assert_eq!(
            fx.fills,
            vec![Fill { account: 0, instrument: 0, side: Side::Sell, price: 1020, qty: 10, maker: true }]
        );
        assert_eq!(sh.order(sidx).remaining, 10);
        // Max open orders is 2: a third LIMIT is rejected, an IOC is not.
        let third = new(12, 3, Side::Sell, OrderType::Limit, 1050, 5, 1);
        assert_eq!(sh.evaluate(&view, &third), Err(Reason::MaxOpenOrders));
        // The throttle (3 per 1000 ns) is full at ts 12: two accepted so far, one more allowed.
        let ioc = new(12, 3, Side::Sell, OrderType::Ioc, 1050, 5, 1);
        assert_eq!(sh.handle(&mut view, &ioc, 0, &mut fx), Ok(None));
        let dup = new(13, 3, Side::Sell, OrderType::Ioc, 1050, 5, 1);
        assert_eq!(sh.evaluate(&view, &dup), Err(Reason::DuplicateId));
        let more = new(13, 4, Side::Sell, OrderType::Ioc, 1050, 5, 1);
        assert_eq!(sh.evaluate(&view, &more), Err(Reason::RateLimit));
        assert_eq!(sh.evaluate(&view, &EventRecord { ts: 1011, ..more }), Ok(1050), "window slid");
    }

    #[test]
    fn risk_limits_and_the_kill_switch() {
        let (mut sh, mut view, mut fx) = setup();
        let band = new(0, 1, Side::Buy, OrderType::Limit, 900, 10, 0);
        assert_eq!(sh.evaluate(&view, &band), Err(Reason::PriceBand));
        let big = new(0, 1, Side::Buy, OrderType::Limit, 1000, 600, 0);
        assert_eq!(sh.evaluate(&view, &big), Err(Reason::PositionLimit));
        // Exposure: 60,000,000 cap; 1000 × 500 = 500,000 is fine; notional cap is 50,000,000.
        let ok = new(0, 1, Side::Buy, OrderType::Limit, 1000, 500, 0);
        assert_eq!(sh.evaluate(&view, &ok), Ok(1000));
        // Buy 50 at 1010 (mid 1005 → loss 250), then the book falls away: PnL < -2000 trips.
        let r = new(1, 1, Side::Buy, OrderType::Ioc, 1010, 50, 0);
        sh.handle(&mut view, &r, 0, &mut fx).expect("accepted");
        let rest = new(2, 2, Side::Buy, OrderType::Limit, 990, 5, 1);
        sh.handle(&mut view, &rest, 0, &mut fx).expect("accepted");
        assert!(!sh.account(0).halted);
        for e in
            [md(EventKind::BookDelta, 0, Side::Buy, 1000, 0), md(EventKind::BookDelta, 1, Side::Buy, 990, 0)]
        {
            view.apply(&e);
        }
        view.apply(&md(EventKind::BookDelta, 0, Side::Buy, 940, 10));
        view.apply(&md(EventKind::BookDelta, 0, Side::Sell, 950, 10));
        view.apply(&md(EventKind::BookDelta, 1, Side::Sell, 950, 10));
        // mid (940+950)/2 = 945; PnL = -50,500 + 50 × 945 = -3250 < -2000.
        assert_eq!(sh.pnl(&view, 0), -3250);
        fx.clear();
        let next = new(3, 3, Side::Sell, OrderType::Limit, 950, 5, 0);
        assert_eq!(sh.handle(&mut view, &next, 0, &mut fx), Err(Reason::TradingHalted));
        assert_eq!(fx.halted, vec![0]);
        assert_eq!(fx.finished.len(), 1, "the resting order was mass-cancelled");
        assert_eq!(sh.account(0).open_count, 0);
        assert!(sh.account(0).halted);
    }
}
