//! Deliberately bad requests: one kind per reject reason of `docs/pipeline.md`.
//!
//! Every bad request is built from the current state so that, by the strategy's estimate,
//! the pipeline rejects it for exactly the reason it aims at (every earlier rule passes);
//! a candidate the estimate does not reject that way is not sent. Kinds are tried in a
//! fixed rotation (from a random start) so that even a short scenario covers them all.

use hotpath_core::format::{EventRecord, OrderType, Reason, Side};

use super::desk::{collar_offset, Desk};
use super::maker::Maker;
use super::outbox::{Purpose, Task};

/// Reasons the rotation aims at. The other two need a moment that cannot be chosen:
/// `NoReferencePrice` is sent before the open, `TradingHalted` after a kill switch.
const ROTATION: [Reason; 15] = [
    Reason::UnknownInstrument,
    Reason::UnknownAccount,
    Reason::UnknownVenue,
    Reason::InvalidRequest,
    Reason::InvalidQty,
    Reason::QtyTooLarge,
    Reason::InvalidPrice,
    Reason::DuplicateId,
    Reason::UnknownOrder,
    Reason::PriceBand,
    Reason::MaxNotional,
    Reason::PositionLimit,
    Reason::ExposureLimit,
    Reason::RateLimit,
    Reason::MaxOpenOrders,
];

/// Longest REPLACE burst a rate-limit probe sends.
const MAX_BURST: u32 = 96;
/// How long filler orders and stray accepted probes live before they are cancelled, ns.
const CLEANUP_AFTER_NS: u64 = 40_000_000;
/// Steps an open-order-cap probe takes at most, and the time between them.
const MAX_FILL_STEPS: u32 = 400;
const FILL_STEP_NS: u64 = 250_000;

/// The bad-request generator.
pub struct Probes {
    next: usize,
    variant: u64,
    /// Ids of recently retired orders, per account (for stale CANCEL/REPLACE).
    retired: Vec<Vec<u64>>,
    /// Accounts with an open-order-cap probe under way (one at a time each).
    filling: Vec<u16>,
}

impl Probes {
    /// A rotation starting at a random kind.
    pub fn new(desk: &mut Desk<'_>) -> Self {
        Probes {
            next: desk.rng.below(ROTATION.len() as u64) as usize,
            variant: 0,
            retired: vec![Vec::new(); desk.meta.accounts.len()],
            filling: Vec::new(),
        }
    }

    /// Remembers that `id` of `account` stopped being live (a target for stale cancels).
    pub fn note_retired(&mut self, account: u16, id: u64) {
        if let Some(r) = self.retired.get_mut(usize::from(account)) {
            if r.len() >= 16 {
                r.remove(0);
            }
            r.push(id);
        }
    }

    /// Rolls the dice once per normal request decided since the last roll.
    pub fn maybe_fire(&mut self, desk: &mut Desk<'_>, maker: &mut Maker) {
        let n = std::mem::take(&mut desk.normal_sent);
        for _ in 0..n {
            if desk.rng.chance(desk.spec.bad_share) {
                self.fire(desk, maker);
            }
        }
    }

    /// Sends the next feasible kind of bad request from a random active maker account.
    pub fn fire(&mut self, desk: &mut Desk<'_>, maker: &mut Maker) {
        let accounts = maker.active_accounts();
        if accounts.is_empty() {
            return;
        }
        let account = accounts[desk.rng.below(accounts.len() as u64) as usize];
        for _ in 0..ROTATION.len() {
            let kind = ROTATION[self.next];
            self.next = (self.next + 1) % ROTATION.len();
            self.variant += 1;
            if self.build(desk, maker, kind, account) {
                return;
            }
        }
    }

    /// Sends `rec` if the estimate rejects it for `kind`'s reason.
    fn aim(desk: &mut Desk<'_>, kind: Reason, rec: EventRecord) -> bool {
        if desk.estimate.verdict(&rec) != Err(kind) {
            return false;
        }
        desk.stats.intend(kind);
        if kind == Reason::DuplicateId {
            desk.send_with_id(rec, Purpose::Probe(kind));
        } else {
            desk.send(rec, Purpose::Probe(kind));
        }
        true
    }

    fn build(&mut self, desk: &mut Desk<'_>, maker: &mut Maker, kind: Reason, account: u16) -> bool {
        let ts = desk.reaction_ts();
        let i = desk.any_instrument();
        let Some(base) = desk.plain_quote(ts, account, i) else { return false };
        let (ni, na, nv) = (desk.meta.instruments.len(), desk.meta.accounts.len(), desk.meta.venues.len());
        let ins = desk.meta.instruments[usize::from(i)].clone();
        let v = self.variant;
        let rec = match kind {
            Reason::UnknownInstrument => {
                EventRecord { instrument: (ni as u64 + desk.rng.below(64)) as u16, ..base }
            }
            Reason::UnknownAccount => {
                EventRecord { account: (na as u64 + desk.rng.below(64)) as u16, ..base }
            }
            Reason::UnknownVenue => EventRecord { venue: desk.rng.between(nv as u64, 254) as u8, ..base },
            Reason::InvalidRequest => match v % 4 {
                0 => EventRecord { side: 0, ..base },
                1 => EventRecord { side: 3 + desk.rng.below(200) as u8, ..base },
                2 => EventRecord { order_type: 0, ..base },
                _ => EventRecord { order_type: 4 + desk.rng.below(200) as u8, ..base },
            },
            Reason::InvalidQty => {
                let qty = match v % 3 {
                    0 => 0,
                    1 => -ins.lot_size * (1 + desk.rng.below(3) as i64),
                    _ if ins.lot_size > 1 => base.qty + 1 + desk.rng.below(ins.lot_size as u64 - 1) as i64,
                    _ => 0,
                };
                match maker.idle_quote(account).and_then(|s| maker.slots[s].order) {
                    // Sometimes as a REPLACE of a live quote (the rule covers both).
                    Some(idx) if v % 2 == 0 => {
                        let o = desk.estimate.order(idx);
                        let (instrument, orig, price) = (o.instrument, o.id, o.price);
                        desk.replace(ts, account, instrument, orig, price, qty)
                    }
                    _ => EventRecord { qty, ..base },
                }
            }
            Reason::QtyTooLarge => {
                let lots = (ins.max_order_qty / ins.lot_size).saturating_add(1 + desk.rng.below(5) as i64);
                EventRecord { qty: lots.saturating_mul(ins.lot_size), ..base }
            }
            Reason::InvalidPrice => match v % 3 {
                0 if ins.tick_size > 1 => EventRecord { price: base.price + ins.tick_size / 2, ..base },
                0 | 1 => EventRecord { price: -base.price * (v % 2) as i64, ..base },
                _ => EventRecord {
                    price: (ins.max_price / ins.tick_size + 1).saturating_mul(ins.tick_size),
                    ..base
                },
            },
            Reason::DuplicateId => {
                let last = desk.last_id(account);
                let mut reused = None;
                for back in 1..64u64 {
                    let id = last.saturating_sub(back + desk.rng.below(8));
                    if id > 0 && desk.estimate.used(account, id) {
                        reused = Some(id);
                        break;
                    }
                }
                let Some(id) = reused else { return false };
                EventRecord { id, ..base }
            }
            Reason::UnknownOrder => {
                let stale = self.retired[usize::from(account)].last().copied();
                let orig = match stale {
                    Some(id) if v % 3 != 0 => id,
                    _ => desk.last_id(account) + 1_000_000 + desk.rng.below(1_000_000),
                };
                if v % 2 == 0 {
                    desk.cancel(ts, account, i, orig)
                } else {
                    desk.replace(ts, account, i, orig, base.price, base.qty)
                }
            }
            Reason::PriceBand => {
                let Some(reference) = desk.estimate.reference(usize::from(i)) else { return false };
                let side = Side::from_u8(base.side).unwrap_or(Side::Buy);
                let off = collar_offset(reference, ins.band_bps * (15 + desk.rng.below(10) as i64), 100_000);
                let tick = ins.tick_size;
                // Passive side of the collar, so a mistaken accept would not trade.
                let price = match side {
                    Side::Buy => (reference - off).div_euclid(tick) * tick,
                    Side::Sell => -((-reference.saturating_add(off)).div_euclid(tick)) * tick,
                };
                EventRecord { price, ..base }
            }
            Reason::MaxNotional => {
                let lim = desk.meta.accounts[usize::from(account)].limits.max_order_notional;
                let lots =
                    (lim / base.price.max(1) / ins.lot_size).saturating_add(1 + desk.rng.below(3) as i64);
                EventRecord { qty: lots.saturating_mul(ins.lot_size), ..base }
            }
            Reason::PositionLimit => {
                let lim = &desk.meta.accounts[usize::from(account)].limits;
                let est = &desk.estimate;
                let max_pos = lim.max_position[usize::from(i)];
                let pos = est.position(account, i);
                let (side, room) = if pos >= 0 {
                    (Side::Buy, max_pos - pos - est.open_qty(account, i, Side::Buy))
                } else {
                    (Side::Sell, max_pos + pos - est.open_qty(account, i, Side::Sell))
                };
                let margin = (max_pos / 10).max(ins.lot_size);
                let qty =
                    (room.max(0).saturating_add(margin) / ins.lot_size + 1).saturating_mul(ins.lot_size);
                let Some(price) = desk.passive_price(i, side, 2) else { return false };
                EventRecord { side: side as u8, price, qty, ..base }
            }
            Reason::ExposureLimit => return self.exposure(desk, account, ts, base),
            Reason::RateLimit => {
                let Some(slot) = maker.idle_quote(account) else { return false };
                let lim = &desk.meta.accounts[usize::from(account)].limits;
                let headroom =
                    (lim.rate_limit_count as usize).saturating_sub(desk.estimate.window_count(account, ts));
                if headroom + 2 > MAX_BURST as usize {
                    return false;
                }
                maker.slots[slot].pending += 1; // held by the burst until it ends
                desk.schedule(ts, Task::RateBurst { slot: slot as u32, sent: 0, hits: 0 });
                return true;
            }
            Reason::MaxOpenOrders => {
                let lim = &desk.meta.accounts[usize::from(account)].limits;
                let to_fill = lim.max_open_orders.saturating_sub(desk.estimate.open_count(account));
                if to_fill > MAX_FILL_STEPS / 4 || self.filling.contains(&account) {
                    return false;
                }
                self.filling.push(account);
                desk.schedule(ts, Task::FillUp { account, sent: 0 });
                return true;
            }
            Reason::NoReferencePrice | Reason::TradingHalted => return false,
        };
        Self::aim(desk, kind, rec)
    }

    /// An order within every earlier limit whose notional takes gross exposure past the cap.
    fn exposure(&mut self, desk: &mut Desk<'_>, account: u16, ts: u64, base: EventRecord) -> bool {
        let lim = desk.meta.accounts[usize::from(account)].limits.clone();
        for k in 0..desk.meta.instruments.len() {
            let i = k as u16;
            let ins = &desk.meta.instruments[k];
            let (lot, max_qty) = (ins.lot_size, ins.max_order_qty);
            let est = &desk.estimate;
            let pos = est.position(account, i);
            for side in [Side::Sell, Side::Buy] {
                let room = match side {
                    Side::Buy => lim.max_position[k] - pos - est.open_qty(account, i, Side::Buy),
                    Side::Sell => lim.max_position[k] + pos - est.open_qty(account, i, Side::Sell),
                };
                let Some(price) = desk.passive_price(i, side, 3) else { continue };
                let by_notional = lim.max_order_notional / price;
                let qty = (room.min(by_notional).min(max_qty) / lot) * lot;
                if qty < lot {
                    continue;
                }
                let rec = EventRecord {
                    ts,
                    instrument: i,
                    side: side as u8,
                    price,
                    qty,
                    order_type: OrderType::Limit as u8,
                    ..base
                };
                if desk.estimate.verdict(&rec) == Err(Reason::ExposureLimit) {
                    return Self::aim(desk, Reason::ExposureLimit, rec);
                }
            }
        }
        false
    }

    /// One step of a REPLACE burst against the throttle (see [`Task::RateBurst`]).
    pub fn rate_burst(&mut self, desk: &mut Desk<'_>, maker: &mut Maker, slot: u32, sent: u32, hits: u32) {
        let s = slot as usize;
        let Some(idx) = maker.slots[s].order.filter(|_| !maker.is_halted(maker.slots[s].account)) else {
            maker.slots[s].pending = maker.slots[s].pending.saturating_sub(1);
            return;
        };
        let o = desk.estimate.order(idx);
        let (a, i, orig, price, rem) = (o.account, o.instrument, o.id, o.price, o.remaining);
        let lot = desk.lot(i);
        let qty = if sent % 2 == 0 { rem + lot } else { (rem - lot).max(lot) };
        let rec = desk.replace(desk.now, a, i, orig, price, qty);
        let verdict = desk.estimate.verdict(&rec);
        let hit = verdict == Err(Reason::RateLimit);
        if verdict.is_err() && !hit {
            maker.slots[s].pending = maker.slots[s].pending.saturating_sub(1);
            return;
        }
        if hit {
            desk.stats.intend(Reason::RateLimit);
        }
        desk.send(rec, Purpose::Quote { slot });
        maker.slots[s].pending += 1;
        let hits = hits + u32::from(hit);
        if hits < 2 && sent + 1 < MAX_BURST {
            desk.schedule(desk.now + 1_000, Task::RateBurst { slot, sent: sent + 1, hits });
        } else {
            maker.slots[s].pending = maker.slots[s].pending.saturating_sub(1);
        }
    }

    /// One step of filling the account up to its open-order cap (see [`Task::FillUp`]):
    /// a deep passive one-lot order whenever the throttle has room, and once the cap is
    /// reached one more NEW LIMIT, which is the probe.
    pub fn fill_up(&mut self, desk: &mut Desk<'_>, account: u16, sent: u32) {
        if sent >= MAX_FILL_STEPS || desk.estimate.halted(account) {
            self.filling.retain(|&a| a != account);
            return;
        }
        let lim = &desk.meta.accounts[usize::from(account)].limits;
        let (max_open, rate) = (lim.max_open_orders, lim.rate_limit_count as usize);
        let open = desk.estimate.open_count(account);
        let i = desk.any_instrument();
        let side = if desk.rng.chance(0.5) { Side::Buy } else { Side::Sell };
        let behind = 8 + desk.rng.below(12) as i64;
        let next = desk.now + FILL_STEP_NS;
        let Some(price) = desk.passive_price(i, side, behind) else {
            desk.schedule(next, Task::FillUp { account, sent: sent + 1 });
            return;
        };
        let venue = desk.rng.below(desk.meta.venues.len() as u64) as u8;
        let lot = desk.lot(i);
        let rec = desk.new_order(desk.now, account, i, side, OrderType::Limit, price, lot, venue);
        if open >= max_open
            && desk.in_flight_limits(account) == 0
            && Self::aim(desk, Reason::MaxOpenOrders, rec)
        {
            self.filling.retain(|&a| a != account);
            return;
        }
        let busy =
            desk.estimate.window_count(account, desk.now) + desk.in_flight(account) as usize + 2 >= rate;
        if !busy && open + desk.in_flight_limits(account) < max_open && desk.estimate.verdict(&rec).is_ok() {
            desk.send(rec, Purpose::Filler);
        }
        desk.schedule(next, Task::FillUp { account, sent: sent + 1 });
    }

    /// After a filler or a probe was accepted and rests: cancel it a little later.
    pub fn after_accepted(desk: &mut Desk<'_>, account: u16, id: u64) {
        desk.schedule(desk.now + CLEANUP_AFTER_NS, Task::Cleanup { account, id });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rotation_covers_every_reason_but_the_two_that_need_a_moment() {
        let mut covered: Vec<Reason> = ROTATION.to_vec();
        covered.extend([Reason::NoReferencePrice, Reason::TradingHalted]);
        covered.sort();
        assert_eq!(covered, Reason::ALL.to_vec(), "each reason exactly once");
        for k in ROTATION {
            assert!(!matches!(k, Reason::NoReferencePrice | Reason::TradingHalted));
        }
    }
}
