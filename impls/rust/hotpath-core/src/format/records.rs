//! The two fixed-size records every part of the lab shares (see `docs/formats.md`).
//!
//! Both are `#[repr(C)]` with no implicit padding and only integer fields, so every bit
//! pattern is a valid value: that is what lets [`super::view`] reinterpret a byte buffer
//! as a slice of records without copying.

/// Value of [`EventRecord::venue`] that lets the router choose among all venues.
pub const VENUE_ANY: u8 = 255;

/// One input event: market data or an order request (48 bytes, little-endian).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct EventRecord {
    /// Event time in ns; non-decreasing within a file.
    pub ts: u64,
    /// Request id (NEW, CANCEL, REPLACE); 0 for market data.
    pub id: u64,
    /// CANCEL/REPLACE: id of the order acted on.
    pub orig_id: u64,
    /// Price in price units.
    pub price: i64,
    /// Quantity in quantity units.
    pub qty: i64,
    /// Instrument id.
    pub instrument: u16,
    /// Account id (requests only).
    pub account: u16,
    /// One of [`EventKind`] as a byte.
    pub kind: u8,
    /// [`Side`] as a byte; for a trade, the aggressor's side.
    pub side: u8,
    /// [`OrderType`] as a byte (NEW only).
    pub order_type: u8,
    /// Venue id, or [`VENUE_ANY`].
    pub venue: u8,
}

impl EventRecord {
    /// Whether handling this record can create an order (a NEW or a REPLACE).
    #[inline]
    pub fn creates_order(&self) -> bool {
        self.kind == EventKind::NewOrder as u8 || self.kind == EventKind::Replace as u8
    }

    /// True for an order request (NEW, CANCEL, REPLACE): what end-to-end latency is measured
    /// on; market data is measured as tick-to-book.
    pub fn is_request(&self) -> bool {
        matches!(
            EventKind::from_u8(self.kind),
            Some(EventKind::NewOrder | EventKind::Cancel | EventKind::Replace)
        )
    }
}

/// How many orders `events` can create: the size an engine's order store needs.
pub fn order_capacity(events: &[EventRecord]) -> usize {
    events.iter().filter(|e| e.creates_order()).count()
}

/// One execution report (64 bytes, little-endian).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReportRecord {
    /// 1-based sequence number, gap-free within a run.
    pub seq: u64,
    /// 0-based index of the input event that caused this report.
    pub event_index: u64,
    /// The order the report is about.
    pub order_id: u64,
    /// The other id involved (orig id, cancel request id), else 0.
    pub ref_id: u64,
    /// Price in price units (meaning depends on the kind).
    pub price: i64,
    /// Quantity in quantity units (meaning depends on the kind).
    pub qty: i64,
    /// Instrument id.
    pub instrument: u16,
    /// Account id.
    pub account: u16,
    /// [`ReportKind`] as a byte.
    pub kind: u8,
    /// [`Stage`] as a byte (REJECT only).
    pub stage: u8,
    /// [`Reason`] (REJECT) or [`CancelReason`] (CANCELLED) as a byte.
    pub reason: u8,
    /// Venue id, or [`VENUE_ANY`].
    pub venue: u8,
    /// [`Liquidity`] as a byte (FILL only).
    pub liquidity: u8,
    /// [`Side`] of the order as a byte, or 0.
    pub side: u8,
    /// Always zero; keeps the record free of implicit padding.
    pub pad: [u8; 6],
}

/// Size in bytes of an [`EventRecord`].
pub const EVENT_RECORD_SIZE: usize = 48;
/// Size in bytes of a [`ReportRecord`].
pub const REPORT_RECORD_SIZE: usize = 64;

const _: () = assert!(std::mem::size_of::<EventRecord>() == EVENT_RECORD_SIZE);
const _: () = assert!(std::mem::size_of::<ReportRecord>() == REPORT_RECORD_SIZE);
const _: () = assert!(std::mem::align_of::<EventRecord>() == 8);
const _: () = assert!(std::mem::align_of::<ReportRecord>() == 8);

#[cfg(target_endian = "big")]
compile_error!("hotpath records are little-endian and viewed in place; big-endian hosts are not supported");

/// Declares a `u8`-backed enum with a fallible conversion from the raw byte.
macro_rules! byte_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $value:literal => $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[repr(u8)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* #[doc = concat!("`", $label, "` (", $value, ")")] $variant = $value),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The variant with this byte value, if any.
            #[inline]
            pub const fn from_u8(v: u8) -> Option<Self> {
                match v { $($value => Some($name::$variant),)+ _ => None }
            }

            /// The upper-case name used in docs, reports and tables.
            pub const fn name(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The type name and every `(NAME, value)` pair, for the other languages.
            pub fn code_table() -> super::layout::CodeTable {
                super::layout::CodeTable {
                    name: stringify!($name),
                    codes: Self::ALL.iter().map(|v| (v.name(), *v as u8)).collect(),
                }
            }
        }
    };
}

byte_enum! {
    /// What an [`EventRecord`] is.
    EventKind {
        /// Sets the aggregate qty of one L2 level (qty 0 removes it).
        BookDelta = 1 => "BOOK_DELTA",
        /// A public trade print.
        Trade = 2 => "TRADE",
        /// A new order request.
        NewOrder = 3 => "NEW_ORDER",
        /// A cancel request.
        Cancel = 4 => "CANCEL",
        /// A cancel/replace request.
        Replace = 5 => "REPLACE",
    }
}

impl EventKind {
    /// Kinds reserved for control events (none defined in version 1).
    pub const CONTROL_RANGE: std::ops::RangeInclusive<u8> = 32..=63;
}

byte_enum! {
    /// Order or book side.
    Side { Buy = 1 => "BUY", Sell = 2 => "SELL" }
}

byte_enum! {
    /// Order type of a NEW request.
    OrderType {
        /// Rests after sweeping.
        Limit = 1 => "LIMIT",
        /// Immediate-or-cancel: the remainder is cancelled.
        Ioc = 2 => "IOC",
        /// Converted to an IOC at the collar price.
        Market = 3 => "MARKET",
    }
}

byte_enum! {
    /// What a [`ReportRecord`] is.
    ReportKind {
        Ack = 1 => "ACK",
        Reject = 2 => "REJECT",
        Fill = 3 => "FILL",
        Cancelled = 4 => "CANCELLED",
        Replaced = 5 => "REPLACED",
        Halt = 6 => "HALT",
    }
}

byte_enum! {
    /// Pipeline stage that rejected a request.
    Stage { Validation = 1 => "VALIDATION", Risk = 2 => "RISK" }
}

byte_enum! {
    /// Reject reason codes (validation 1–31, risk 32–63), rules in `docs/pipeline.md`.
    Reason {
        UnknownInstrument = 1 => "UNKNOWN_INSTRUMENT",
        UnknownAccount = 2 => "UNKNOWN_ACCOUNT",
        UnknownVenue = 3 => "UNKNOWN_VENUE",
        InvalidRequest = 4 => "INVALID_REQUEST",
        InvalidQty = 5 => "INVALID_QTY",
        QtyTooLarge = 6 => "QTY_TOO_LARGE",
        InvalidPrice = 7 => "INVALID_PRICE",
        DuplicateId = 8 => "DUPLICATE_ID",
        UnknownOrder = 9 => "UNKNOWN_ORDER",
        NoReferencePrice = 10 => "NO_REFERENCE_PRICE",
        TradingHalted = 32 => "TRADING_HALTED",
        PriceBand = 33 => "PRICE_BAND",
        MaxNotional = 34 => "MAX_NOTIONAL",
        PositionLimit = 35 => "POSITION_LIMIT",
        ExposureLimit = 36 => "EXPOSURE_LIMIT",
        RateLimit = 37 => "RATE_LIMIT",
        MaxOpenOrders = 38 => "MAX_OPEN_ORDERS",
    }
}

impl Reason {
    /// The stage whose rules produce this reason.
    pub const fn stage(self) -> Stage {
        if (self as u8) < 32 {
            Stage::Validation
        } else {
            Stage::Risk
        }
    }
}

byte_enum! {
    /// Why an order was cancelled.
    CancelReason {
        /// By a CANCEL request.
        Requested = 1 => "REQUESTED",
        /// IOC (or converted MARKET) remainder.
        Unfilled = 2 => "UNFILLED",
        /// Mass cancel when the kill switch tripped.
        KillSwitch = 3 => "KILL_SWITCH",
    }
}

byte_enum! {
    /// Whether a fill added or took liquidity.
    Liquidity { Maker = 1 => "MAKER", Taker = 2 => "TAKER" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::mem::offset_of;

    #[test]
    fn event_record_field_offsets_match_the_documented_layout() {
        assert_eq!(offset_of!(EventRecord, ts), 0);
        assert_eq!(offset_of!(EventRecord, id), 8);
        assert_eq!(offset_of!(EventRecord, orig_id), 16);
        assert_eq!(offset_of!(EventRecord, price), 24);
        assert_eq!(offset_of!(EventRecord, qty), 32);
        assert_eq!(offset_of!(EventRecord, instrument), 40);
        assert_eq!(offset_of!(EventRecord, account), 42);
        assert_eq!(offset_of!(EventRecord, kind), 44);
        assert_eq!(offset_of!(EventRecord, side), 45);
        assert_eq!(offset_of!(EventRecord, order_type), 46);
        assert_eq!(offset_of!(EventRecord, venue), 47);
    }

    #[test]
    fn report_record_field_offsets_match_the_documented_layout() {
        assert_eq!(offset_of!(ReportRecord, seq), 0);
        assert_eq!(offset_of!(ReportRecord, event_index), 8);
        assert_eq!(offset_of!(ReportRecord, order_id), 16);
        assert_eq!(offset_of!(ReportRecord, ref_id), 24);
        assert_eq!(offset_of!(ReportRecord, price), 32);
        assert_eq!(offset_of!(ReportRecord, qty), 40);
        assert_eq!(offset_of!(ReportRecord, instrument), 48);
        assert_eq!(offset_of!(ReportRecord, account), 50);
        assert_eq!(offset_of!(ReportRecord, kind), 52);
        assert_eq!(offset_of!(ReportRecord, stage), 53);
        assert_eq!(offset_of!(ReportRecord, reason), 54);
        assert_eq!(offset_of!(ReportRecord, venue), 55);
        assert_eq!(offset_of!(ReportRecord, liquidity), 56);
        assert_eq!(offset_of!(ReportRecord, side), 57);
        assert_eq!(offset_of!(ReportRecord, pad), 58);
    }

    #[test]
    fn byte_enums_round_trip_and_reject_unknown_values() {
        for k in EventKind::ALL {
            assert_eq!(EventKind::from_u8(*k as u8), Some(*k));
        }
        assert_eq!(EventKind::from_u8(0), None);
        assert_eq!(EventKind::from_u8(6), None);
        assert_eq!(EventKind::from_u8(32), None, "control range is reserved, not defined");
        assert_eq!(Reason::from_u8(11), None);
        assert_eq!(Reason::MaxOpenOrders.stage(), Stage::Risk);
        assert_eq!(Reason::NoReferencePrice.stage(), Stage::Validation);
        assert_eq!(Reason::ALL.len(), 17);
        assert_eq!(Reason::RateLimit.name(), "RATE_LIMIT");
    }
}
