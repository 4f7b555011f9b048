//! The order store: the record of every order accepted in the session, for audit, kept
//! in acceptance order. Orders are addressed by their slot (index); each account's
//! [`super::ids::IdIndex`] maps its ids to slots.

use crate::format::{OrderType, Side};

/// Where an order is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OrderStatus {
    /// Resting: can be filled by trades, cancelled, replaced.
    Live,
    /// Completely filled.
    Filled,
    /// Cancelled (by request, IOC remainder, or kill switch) with `remaining` left.
    Cancelled,
    /// Replaced by a new order; `remaining` is what was left when it was replaced.
    Replaced,
}

/// One accepted order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Order {
    /// Order id (unique within its account).
    pub id: u64,
    /// Limit price (a converted MARKET: the collar price).
    pub price: i64,
    /// Quantity when accepted.
    pub qty: i64,
    /// Quantity not yet filled.
    pub remaining: i64,
    /// Visible qty ahead of the order at its price and venue (resting orders).
    pub queue_ahead: i64,
    /// Account id.
    pub account: u16,
    /// Instrument id.
    pub instrument: u16,
    /// Side.
    pub side: Side,
    /// Type as requested (a REPLACE creates a LIMIT).
    pub order_type: OrderType,
    /// Venue asked for ([`crate::format::VENUE_ANY`] allowed); a REPLACE: the original's venue.
    pub requested_venue: u8,
    /// Resting venue (before resting: the requested venue).
    pub venue: u8,
    /// Life-cycle state.
    pub status: OrderStatus,
}

impl Order {
    /// Whether the order may trade with IOC semantics (IOC or converted MARKET).
    #[inline]
    pub fn is_ioc(&self) -> bool {
        self.order_type != OrderType::Limit
    }
}

/// Every order accepted in the session, addressed by slot.
#[derive(Clone, Debug, Default)]
pub struct OrderStore {
    orders: Vec<Order>,
}

impl OrderStore {
    /// Appends an order and returns its slot.
    ///
    /// Slots are `u32`: 2^32 orders of 48 bytes would need 192 GiB, so the allocation
    /// fails (and aborts) long before a slot could wrap.
    #[inline]
    pub fn push(&mut self, order: Order) -> u32 {
        let slot = self.orders.len() as u32;
        self.orders.push(order);
        slot
    }

    /// The order in `slot`.
    #[inline]
    pub fn get(&self, slot: u32) -> Option<&Order> {
        self.orders.get(slot as usize)
    }

    /// The order in `slot`, mutably.
    #[inline]
    pub fn get_mut(&mut self, slot: u32) -> Option<&mut Order> {
        self.orders.get_mut(slot as usize)
    }

    /// Every order, in acceptance order.
    pub fn as_slice(&self) -> &[Order] {
        &self.orders
    }

    /// Reserves room for `additional` more orders and touches it, so that neither the
    /// store's doubling copies nor first-touch page faults (several µs each on a VM) land
    /// inside the session.
    pub fn reserve(&mut self, additional: usize) {
        let len = self.orders.len();
        let placeholder = Order {
            id: u64::MAX,
            price: 0,
            qty: 0,
            remaining: 0,
            queue_ahead: 0,
            account: 0,
            instrument: 0,
            side: Side::Buy,
            order_type: OrderType::Limit,
            requested_venue: 0,
            venue: 0,
            status: OrderStatus::Cancelled,
        };
        self.orders.resize(len + additional, placeholder);
        self.orders.truncate(len);
    }
}
