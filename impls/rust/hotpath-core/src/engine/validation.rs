//! Stage 1: validation of order requests (`docs/pipeline.md`, rules 1–10) and the
//! conversion of a MARKET order to an IOC at the collar price.

use super::ids::NO_ORDER;
use super::orders::OrderStatus;
use super::Engine;
use crate::format::{EventRecord, InstrumentMeta, OrderType, Reason, Side, VENUE_ANY};

/// Denominator of basis points.
pub(super) const BPS: i128 = 10_000;

/// The validation and collar parameters of one instrument.
#[derive(Clone, Copy, Debug)]
pub(super) struct InstrumentSpec {
    tick_size: i64,
    lot_size: i64,
    max_order_qty: i64,
    max_price: i64,
    pub(super) band_bps: i64,
}

impl InstrumentSpec {
    /// The spec of a validated instrument (tick, lot, max qty and max price > 0, band ≥ 0).
    pub(super) fn new(m: &InstrumentMeta) -> InstrumentSpec {
        InstrumentSpec {
            tick_size: m.tick_size,
            lot_size: m.lot_size,
            max_order_qty: m.max_order_qty,
            max_price: m.max_price,
            band_bps: m.band_bps,
        }
    }

    /// Rules 5 and 6.
    #[inline]
    fn check_qty(&self, qty: i64) -> Result<(), Reason> {
        if qty <= 0 || qty % self.lot_size != 0 {
            Err(Reason::InvalidQty)
        } else if qty > self.max_order_qty {
            Err(Reason::QtyTooLarge)
        } else {
            Ok(())
        }
    }

    /// Rule 7.
    #[inline]
    fn check_price(&self, price: i64) -> Result<(), Reason> {
        if price <= 0 || price % self.tick_size != 0 || price > self.max_price {
            Err(Reason::InvalidPrice)
        } else {
            Ok(())
        }
    }

    /// The collar price of a MARKET order given the reference `r` (> 0): BUY `r + off`
    /// rounded down to the tick, SELL `r − off` rounded up, with `off = ⌊r × band / 10⁴⌋`.
    /// `None` (INVALID_PRICE) when the SELL's `r − off ≤ 0` or the result is ≤ 0 or above
    /// the maximum price.
    pub(super) fn collar(&self, r: i64, side: Side) -> Option<i64> {
        let r = i128::from(r);
        let tick = i128::from(self.tick_size);
        // r > 0 and band ≥ 0: the product fits and the division rounds down.
        let off = r * i128::from(self.band_bps) / BPS;
        let price = match side {
            Side::Buy => (r + off) / tick * tick,
            Side::Sell => {
                let p = r - off;
                if p <= 0 {
                    return None;
                }
                (p + tick - 1) / tick * tick
            }
        };
        if price <= 0 || price > i128::from(self.max_price) {
            None
        } else {
            // ≤ max_price, an i64.
            Some(price as i64)
        }
    }
}

/// A NEW request that passed validation (MARKET already converted).
#[derive(Clone, Copy, Debug)]
pub(super) struct NewTicket {
    pub(super) account: u16,
    pub(super) instrument: u16,
    pub(super) side: Side,
    pub(super) order_type: OrderType,
    /// The limit (MARKET: the collar price).
    pub(super) price: i64,
    pub(super) qty: i64,
    pub(super) venue: u8,
}

/// A REPLACE request that passed validation.
#[derive(Clone, Copy, Debug)]
pub(super) struct ReplaceTicket {
    /// Slot of the live order being replaced.
    pub(super) slot: u32,
    pub(super) price: i64,
    pub(super) qty: i64,
}

impl Engine {
    /// Rule 1; the instrument's spec.
    #[inline]
    fn known(&self, ev: &EventRecord) -> Result<&InstrumentSpec, Reason> {
        self.instruments.get(usize::from(ev.instrument)).ok_or(Reason::UnknownInstrument)
    }

    /// Rule 2.
    #[inline]
    fn check_account(&self, ev: &EventRecord) -> Result<(), Reason> {
        if usize::from(ev.account) < self.accounts.len() {
            Ok(())
        } else {
            Err(Reason::UnknownAccount)
        }
    }

    /// Rule 8.
    #[inline]
    fn check_unused(&self, ev: &EventRecord) -> Result<(), Reason> {
        match self.accounts.get(usize::from(ev.account)) {
            Some(a) if !a.ids.contains(ev.id) => Ok(()),
            _ => Err(Reason::DuplicateId),
        }
    }

    /// Rule 9: the slot of `orig_id` if it is a live order of the account on the instrument.
    #[inline]
    fn live_order(&self, ev: &EventRecord) -> Result<u32, Reason> {
        let slot = self.accounts.get(usize::from(ev.account)).and_then(|a| a.ids.get(ev.orig_id));
        match slot {
            Some(slot) if slot != NO_ORDER => match self.orders.get(slot) {
                Some(o) if o.status == OrderStatus::Live && o.instrument == ev.instrument => Ok(slot),
                _ => Err(Reason::UnknownOrder),
            },
            _ => Err(Reason::UnknownOrder),
        }
    }

    /// Validates a NEW_ORDER; converts a MARKET order to an IOC at the collar.
    pub(super) fn validate_new(&self, ev: &EventRecord) -> Result<NewTicket, Reason> {
        let spec = self.known(ev)?;
        self.check_account(ev)?;
        if ev.venue != VENUE_ANY && usize::from(ev.venue) >= self.n_venues {
            return Err(Reason::UnknownVenue);
        }
        let (Some(side), Some(order_type)) = (Side::from_u8(ev.side), OrderType::from_u8(ev.order_type))
        else {
            return Err(Reason::InvalidRequest);
        };
        spec.check_qty(ev.qty)?;
        if order_type != OrderType::Market {
            spec.check_price(ev.price)?;
        }
        self.check_unused(ev)?;
        let price = if order_type == OrderType::Market {
            let r = self.books.reference(usize::from(ev.instrument)).ok_or(Reason::NoReferencePrice)?;
            spec.collar(r, side).ok_or(Reason::InvalidPrice)?
        } else {
            ev.price
        };
        Ok(NewTicket {
            account: ev.account,
            instrument: ev.instrument,
            side,
            order_type,
            price,
            qty: ev.qty,
            venue: ev.venue,
        })
    }

    /// Validates a CANCEL; returns the slot of the order to cancel.
    pub(super) fn validate_cancel(&self, ev: &EventRecord) -> Result<u32, Reason> {
        self.known(ev)?;
        self.check_account(ev)?;
        self.check_unused(ev)?;
        self.live_order(ev)
    }

    /// Validates a REPLACE.
    pub(super) fn validate_replace(&self, ev: &EventRecord) -> Result<ReplaceTicket, Reason> {
        let spec = self.known(ev)?;
        self.check_account(ev)?;
        spec.check_qty(ev.qty)?;
        spec.check_price(ev.price)?;
        self.check_unused(ev)?;
        let slot = self.live_order(ev)?;
        Ok(ReplaceTicket { slot, price: ev.price, qty: ev.qty })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(tick: i64, band_bps: i64, max_price: i64) -> InstrumentSpec {
        InstrumentSpec { tick_size: tick, lot_size: 5, max_order_qty: 100, max_price, band_bps }
    }

    #[test]
    fn collar_rounds_buys_down_and_sells_up_to_the_tick() {
        // (tick, band, max price, reference, side, expected)
        let cases: [(i64, i64, i64, i64, Side, Option<i64>); 12] = [
            (10, 500, 1_000_000, 1000, Side::Buy, Some(1050)), // off = 50
            (10, 500, 1_000_000, 1000, Side::Sell, Some(950)),
            (10, 500, 1_000_000, 1013, Side::Buy, Some(1060)), // 1013 + 50 = 1063 → 1060
            (10, 500, 1_000_000, 1013, Side::Sell, Some(970)), // 1013 − 50 = 963 → 970
            (7, 333, 1_000_000, 999, Side::Buy, Some(1029)),   // off = ⌊33.26⌋ = 33; 1032 → 1029
            (7, 333, 1_000_000, 999, Side::Sell, Some(966)),   // 966 = 138 × 7 exactly
            (10, 0, 1_000_000, 5, Side::Buy, None),            // rounds down to 0
            (10, 0, 1_000_000, 5, Side::Sell, Some(10)),       // rounds up to one tick
            (1, 10_000, 1_000_000, 40, Side::Sell, None),      // r − off = 0
            (1, 20_000, 1_000_000, 40, Side::Sell, None),      // r − off < 0
            (10, 500, 1049, 1000, Side::Buy, None),            // above max price
            (1, i64::MAX, i64::MAX, i64::MAX, Side::Buy, None), // huge: no overflow, too high
        ];
        for (tick, band, max_price, r, side, expected) in cases {
            assert_eq!(spec(tick, band, max_price).collar(r, side), expected, "{tick} {band} {r} {side:?}");
        }
    }

    #[test]
    fn qty_and_price_rules() {
        let s = spec(10, 0, 1000);
        let qty_cases = [
            (0, Err(Reason::InvalidQty)),
            (-5, Err(Reason::InvalidQty)),
            (i64::MIN, Err(Reason::InvalidQty)),
            (7, Err(Reason::InvalidQty)),
            (105, Err(Reason::QtyTooLarge)),
            (100, Ok(())),
        ];
        for (q, want) in qty_cases {
            assert_eq!(s.check_qty(q), want, "qty {q}");
        }
        let price_cases = [
            (0, false),
            (-10, false),
            (i64::MIN, false),
            (15, false),
            (1010, false),
            (1000, true),
            (10, true),
        ];
        for (p, ok) in price_cases {
            assert_eq!(s.check_price(p).is_ok(), ok, "price {p}");
        }
    }
}
