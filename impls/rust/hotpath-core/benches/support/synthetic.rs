//! A small, self-contained synthetic stream for benchmarks and allocation tests: one
//! instrument on three venues with 12-level books that drift by a tick now and then,
//! trades at the touch, and three market makers quoting near the touch (limits, cancels,
//! replaces, some IOC and MARKET orders, and a few bad requests), about
//! `md_per_order` market-data events per order request.
//!
//! It is deliberately simple; the scenario generator crate replaces it for real runs.
#![allow(dead_code)]

use hotpath_core::format::{
    AccountLimits, AccountMeta, EventKind, EventRecord, InstrumentMeta, OrderType, ScenarioMeta, Side,
    VenueMeta, VENUE_ANY,
};

/// Venues in the synthetic market.
pub const VENUES: u8 = 3;
/// Levels per side per venue.
pub const DEPTH: i64 = 12;
const TICK: i64 = 5;
const LOT: i64 = 100;
const MAKERS: u16 = 3;
/// Live orders a maker keeps before it starts cancelling.
const MAX_LIVE: usize = 24;

/// The stream's metadata: generous limits, so rejects come from the bad requests the
/// stream contains on purpose (and from orders the makers believe live but were filled).
pub fn meta() -> ScenarioMeta {
    let limits = AccountLimits {
        max_order_notional: 1_000_000_000_000,
        max_gross_notional: i64::MAX,
        max_position: vec![1_000_000_000],
        rate_limit_count: 100_000,
        rate_limit_window_ns: 1_000_000_000,
        max_open_orders: 200,
        max_loss: i64::MAX,
    };
    ScenarioMeta {
        schema: 1,
        name: "bench-synthetic".into(),
        instruments: vec![InstrumentMeta {
            id: 0,
            symbol: "SYN".into(),
            tick_size: TICK,
            lot_size: LOT,
            max_order_qty: 1_000_000,
            max_price: 10_000_000,
            band_bps: 500,
        }],
        venues: (0..VENUES).map(|id| VenueMeta { id, name: format!("v{id}") }).collect(),
        accounts: (0..MAKERS)
            .map(|id| AccountMeta { id, name: format!("mm{id}"), limits: limits.clone() })
            .collect(),
    }
}

/// splitmix64: tiny, deterministic, good enough for a benchmark stream.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
    /// True with probability `pct` %.
    pub fn pct(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
    /// Depth 0 most often, geometrically less further out.
    fn depth(&mut self) -> i64 {
        let mut d = 0;
        while d < DEPTH - 1 && self.pct(45) {
            d += 1;
        }
        d
    }
}

struct Maker {
    next_id: u64,
    /// (id, side) of orders the maker believes are live (some may have filled).
    live: Vec<(u64, Side)>,
}

/// Builds a stream of `orders` order requests with about `md_per_order` market-data
/// events before each one, starting with the books built level by level.
pub fn stream(orders: usize, md_per_order: usize, seed: u64) -> Vec<EventRecord> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(orders * (md_per_order + 1) + 200);
    let mut ts: u64 = 1_000_000;
    let mut mid: i64 = 1_000_000; // on the tick grid, between best bid and best ask
    let level = |ts: u64, venue: u8, side: Side, price: i64, qty: i64| EventRecord {
        ts,
        kind: EventKind::BookDelta as u8,
        venue,
        side: side as u8,
        price,
        qty,
        ..EventRecord::default()
    };
    for venue in 0..VENUES {
        for d in 0..DEPTH {
            out.push(level(ts, venue, Side::Buy, mid - TICK * (d + 1), LOT * (5 + d * 3)));
            out.push(level(ts, venue, Side::Sell, mid + TICK * (d + 1), LOT * (5 + d * 3)));
        }
    }
    let mut makers: Vec<Maker> = (0..MAKERS).map(|_| Maker { next_id: 1, live: Vec::new() }).collect();
    // Cumulative budget: a tick move emits a burst of deltas, and the next requests get
    // fewer events, so the stream averages exactly `md_per_order`.
    let mut due = out.len();
    for _ in 0..orders {
        due += md_per_order;
        while out.len() < due {
            ts += 1 + rng.below(200);
            let venue = rng.below(u64::from(VENUES)) as u8;
            let roll = rng.below(100);
            if roll < 4 {
                // The market moves a tick: the whole ladder shifts on every venue.
                let up = rng.pct(50);
                let old = mid;
                mid += if up { TICK } else { -TICK };
                for v in 0..VENUES {
                    let (gone_near, gone_far, new_near, new_far) = if up {
                        // Old best ask is now the mid; a new best bid appears below it.
                        (
                            (Side::Sell, old + TICK),
                            (Side::Buy, old - TICK * DEPTH),
                            (Side::Buy, old),
                            (Side::Sell, mid + TICK * DEPTH),
                        )
                    } else {
                        (
                            (Side::Buy, old - TICK),
                            (Side::Sell, old + TICK * DEPTH),
                            (Side::Sell, old),
                            (Side::Buy, mid - TICK * DEPTH),
                        )
                    };
                    out.push(level(ts, v, gone_near.0, gone_near.1, 0));
                    out.push(level(ts, v, gone_far.0, gone_far.1, 0));
                    out.push(level(ts, v, new_near.0, new_near.1, LOT * (1 + rng.below(8) as i64)));
                    out.push(level(ts, v, new_far.0, new_far.1, LOT * (30 + rng.below(20) as i64)));
                }
            } else if roll < 14 {
                // A print at the touch, either way.
                let aggressor = if rng.pct(50) { Side::Buy } else { Side::Sell };
                let price = match aggressor {
                    Side::Buy => mid + TICK,
                    Side::Sell => mid - TICK,
                };
                out.push(EventRecord {
                    ts,
                    kind: EventKind::Trade as u8,
                    venue,
                    side: aggressor as u8,
                    price,
                    qty: LOT * (1 + rng.below(6) as i64),
                    ..EventRecord::default()
                });
            } else {
                // A level near the touch changes size.
                let side = if rng.pct(50) { Side::Buy } else { Side::Sell };
                let d = rng.depth();
                let price = match side {
                    Side::Buy => mid - TICK * (d + 1),
                    Side::Sell => mid + TICK * (d + 1),
                };
                out.push(level(ts, venue, side, price, LOT * (1 + rng.below(40) as i64)));
            }
        }
        ts += 1 + rng.below(200);
        let account = rng.below(u64::from(MAKERS)) as u16;
        out.push(order(&mut rng, &mut makers[usize::from(account)], account, ts, mid));
        due += 1;
    }
    out
}

fn order(rng: &mut Rng, m: &mut Maker, account: u16, ts: u64, mid: i64) -> EventRecord {
    let id = m.next_id;
    m.next_id += 1;
    let base = EventRecord { ts, id, account, ..EventRecord::default() };
    let quote = |rng: &mut Rng, side: Side| -> i64 {
        let behind = TICK * rng.below(4) as i64;
        match side {
            Side::Buy => mid - TICK - behind,
            Side::Sell => mid + TICK + behind,
        }
    };
    let roll = rng.below(100);
    let busy = m.live.len() >= MAX_LIVE;
    if (roll < 20 || busy) && !m.live.is_empty() {
        let (orig, _) = m.live.swap_remove(rng.below(m.live.len() as u64) as usize);
        return EventRecord { kind: EventKind::Cancel as u8, orig_id: orig, ..base };
    }
    if roll < 40 && !m.live.is_empty() {
        let at = rng.below(m.live.len() as u64) as usize;
        let (orig, side) = m.live[at];
        m.live[at] = (id, side);
        return EventRecord {
            kind: EventKind::Replace as u8,
            orig_id: orig,
            price: quote(rng, side),
            qty: LOT * (1 + rng.below(5) as i64),
            ..base
        };
    }
    let side = if rng.pct(50) { Side::Buy } else { Side::Sell };
    let venue = if rng.pct(20) { VENUE_ANY } else { rng.below(u64::from(VENUES)) as u8 };
    let new = |order_type: OrderType, price: i64, qty: i64| EventRecord {
        kind: EventKind::NewOrder as u8,
        side: side as u8,
        order_type: order_type as u8,
        price,
        qty,
        venue,
        ..base
    };
    if roll < 48 {
        // Take the touch.
        let price = match side {
            Side::Buy => mid + TICK,
            Side::Sell => mid - TICK,
        };
        return new(OrderType::Ioc, price, LOT * (1 + rng.below(3) as i64));
    }
    if roll < 51 {
        return new(OrderType::Market, 0, LOT * (1 + rng.below(3) as i64));
    }
    if roll < 55 {
        // A bad request: odd lot, duplicate id, or far outside the collar.
        return match rng.below(3) {
            0 => new(OrderType::Limit, quote(rng, side), LOT + 1),
            1 => EventRecord {
                id: id.saturating_sub(1).max(1),
                ..new(OrderType::Limit, quote(rng, side), LOT)
            },
            _ => new(OrderType::Limit, mid * 2, LOT),
        };
    }
    m.live.push((id, side));
    new(OrderType::Limit, quote(rng, side), LOT * (1 + rng.below(5) as i64))
}

/// Number of order requests in `events`.
pub fn count_orders(events: &[EventRecord]) -> usize {
    events.iter().filter(|e| matches!(EventKind::from_u8(e.kind), Some(k) if k as u8 >= 3)).count()
}
