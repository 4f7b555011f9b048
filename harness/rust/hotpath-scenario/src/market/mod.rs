//! The market model: latent prices, regimes and bursts driving one L2 book per
//! venue × instrument, emitted as `BOOK_DELTA` and `TRADE` records.
//!
//! Time advances message by message: the gap to the next message is exponential with
//! rate `phase rate × burst multiplier`; each message advances the latent prices, picks a
//! book (by instrument and venue weights), moves that book towards the touch its venue's
//! price dictates, and then either prints a trade or changes a level.

pub mod book;
pub mod burst;
pub mod price;
pub mod regime;

use hotpath_core::format::{EventRecord, Side};

use crate::config::ScenarioConfig;
use crate::detmath;
use crate::rng::{Rng, Stream};
use book::{Emitter, ModelBook, Shape};
use burst::BurstProcess;
use price::PriceModel;
use regime::{Regime, Timeline};

/// The market-data stream and what the model did to produce it.
#[derive(Debug)]
pub struct MarketRun {
    /// `BOOK_DELTA` and `TRADE` records in time order.
    pub events: Vec<EventRecord>,
    /// Model messages (one message emits one or more records).
    pub messages: u64,
    /// Bursts started.
    pub bursts: u64,
    /// Highest burst multiplier reached.
    pub peak_multiplier: f64,
    /// Price jumps.
    pub jumps: u64,
    /// Scenario time at which the model stopped, ns.
    pub end_ns: u64,
}

struct Targets<'a> {
    cfg: &'a ScenarioConfig,
}

impl Targets<'_> {
    /// The touch (best bid, best ask) venue `v` wants for instrument `i` right now.
    fn touch(&self, prices: &PriceModel, i: usize, v: usize, regime: &Regime) -> (i64, i64) {
        let tick = self.cfg.meta.instruments[i].tick_size;
        let spread =
            self.cfg.market.instruments[i].spread_ticks * regime.spread * self.cfg.market.venues[v].spread;
        let half = spread * tick as f64 / 2.0;
        let mid = prices.venue_mid(i, v);
        let bid = (detmath::floor_i64((mid - half) / tick as f64) * tick).max(tick);
        let ask = (-detmath::floor_i64(-(mid + half) / tick as f64) * tick).max(bid + tick);
        (bid, ask)
    }

    fn shape(&self, i: usize, v: usize, regime: &Regime) -> Shape {
        let ins = &self.cfg.meta.instruments[i];
        let m = &self.cfg.market;
        Shape {
            tick: ins.tick_size,
            lot: ins.lot_size,
            gap_max: u64::from(m.instruments[i].level_gap_ticks),
            mean_qty: m.instruments[i].level_qty as f64 * regime.depth * m.venues[v].depth,
            min_levels: m.min_levels,
            max_levels: m.max_levels,
        }
    }
}

/// Runs the market model for the whole (scaled) timeline.
///
/// `scale` stretches every phase (and so the event count); rates stay as configured.
pub fn simulate(cfg: &ScenarioConfig, seed: u64, scale: f64) -> MarketRun {
    let m = &cfg.market;
    let ni = cfg.meta.instruments.len();
    let nv = cfg.meta.venues.len();
    let mut rng = Rng::new(seed, Stream::Market);
    let open = m.open_ns as f64;
    let mut timeline = Timeline::new(&m.phases, open, scale);
    let end = timeline.end();
    let mut burst = BurstProcess::new(
        m.burst_multiplier,
        m.burst_branching,
        m.child_burst_delay_ns as f64,
        m.trade_excitation,
    );
    let initial: Vec<(f64, f64, f64)> = m
        .instruments
        .iter()
        .zip(&cfg.meta.instruments)
        .map(|(im, ins)| (im.initial_price as f64, im.volatility, ins.tick_size as f64))
        .collect();
    let mut prices = PriceModel::new(
        &initial,
        m.venues.iter().map(|v| v.lag_ns as f64).collect(),
        m.venues.iter().map(|v| v.basis_bps).collect(),
        m.dislocation_decay_ns as f64,
        m.correlation,
    );
    let targets = Targets { cfg };
    // Cumulative weights of the books, instrument-major.
    let mut cumulative = Vec::with_capacity(ni * nv);
    let mut total = 0.0;
    for i in 0..ni {
        for v in 0..nv {
            total += m.instruments[i].weight * m.venues[v].weight;
            cumulative.push(total);
        }
    }
    let expected: f64 = m.phases.iter().map(|p| p.rate * p.duration_ns as f64 * 1e-9 * scale).sum();
    let mut events = Vec::with_capacity((expected * 2.5) as usize + 4096);
    let mut books = vec![ModelBook::default(); ni * nv];

    let mut t = open;
    let regime = timeline.at(t).regime;
    for i in 0..ni {
        for v in 0..nv {
            let (bid, ask) = targets.touch(&prices, i, v, &regime);
            let shape = targets.shape(i, v, &regime);
            let mut em =
                Emitter { out: &mut events, ts: t as u64, venue: v as u8, instrument: i as u16, trades: 0 };
            books[i * nv + v].open(bid, ask, &shape, &mut rng, &mut em);
        }
    }
    if timeline.opens_with_burst() {
        burst.kick(t, &mut rng);
    }
    let burst_tau = m.burst_decay_ns as f64;
    let mut messages = 0u64;
    loop {
        let step = timeline.at(t);
        let regime = step.regime;
        if step.entered_with_burst {
            burst.kick(t, &mut rng);
        }
        let rate_per_ns = regime.rate * burst.multiplier() * 1e-9;
        let dt = rng.exponential() / rate_per_ns;
        t += dt;
        if t >= end {
            break;
        }
        burst.advance(BurstProcess::decay_factor(dt, burst_tau), t, &mut rng);
        if rng.chance(regime.burst_rate * dt * 1e-9) {
            burst.kick(t, &mut rng);
        }
        if prices.advance(dt, &regime, &mut rng).jumped {
            burst.kick(t, &mut rng);
        }
        let pick = rng.uniform() * total;
        let b = cumulative.iter().position(|&c| pick < c).unwrap_or(ni * nv - 1);
        let (i, v) = (b / nv, b % nv);
        let (bid, ask) = targets.touch(&prices, i, v, &regime);
        let shape = targets.shape(i, v, &regime);
        let refill = 0.25 + 0.35 * regime.depth.min(1.0);
        let mut em =
            Emitter { out: &mut events, ts: t as u64, venue: v as u8, instrument: i as u16, trades: 0 };
        let book = &mut books[b];
        book.retarget(bid, ask, regime.hit_share, refill, &shape, &mut rng, &mut em);
        // Only trades of the trade action excite (trades against stale quotes are a
        // consequence of a move, not news).
        em.trades = 0;
        if rng.chance(regime.trade_share) {
            // Buyers dominate where the venue trails a rising fair price, and in a rally.
            let tick = shape.tick as f64;
            let spread = (ask - bid) as f64 / tick;
            let pressure =
                detmath::clamp((prices.fair(i) - prices.venue_mid(i, v)) / (tick * spread), -1.0, 1.0);
            let trend = detmath::clamp(regime.drift_bps_per_s / 100.0, -1.0, 1.0);
            let p_buy = detmath::clamp(0.5 + 0.3 * pressure + 0.3 * trend, 0.05, 0.95);
            let aggressor = if rng.chance(p_buy) { Side::Buy } else { Side::Sell };
            let mean_lots = m.instruments[i].trade_qty as f64 / shape.lot as f64;
            let qty =
                detmath::round_i64(mean_lots * (0.2 + rng.exponential())).max(1).saturating_mul(shape.lot);
            book.trade(aggressor, qty, &shape, &mut rng, &mut em);
        } else {
            book.update_level(&shape, &mut rng, &mut em);
        }
        for _ in 0..em.trades {
            burst.on_trade(regime.rate * 1e-9, burst_tau);
        }
        messages += 1;
    }
    MarketRun {
        events,
        messages,
        bursts: burst.bursts,
        peak_multiplier: burst.peak,
        jumps: prices.jumps,
        end_ns: end as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::sample;
    use hotpath_core::format::EventKind;
    use std::collections::BTreeMap;

    #[test]
    fn every_book_stays_uncrossed_and_at_least_ten_levels_deep() {
        let cfg = sample();
        let run = simulate(&cfg, 9, 1.0);
        assert!(run.events.len() > 10_000, "{}", run.events.len());
        let nv = cfg.meta.venues.len();
        let mut books: Vec<(BTreeMap<i64, i64>, BTreeMap<i64, i64>)> = vec![Default::default(); 2 * nv];
        let mut prev: Option<(u64, usize)> = None;
        for e in &run.events {
            let here = usize::from(e.instrument) * nv + usize::from(e.venue);
            if let Some((ts, book)) = prev {
                assert!(e.ts >= ts, "timestamps go backwards");
                if e.ts != ts && ts > cfg.market.open_ns {
                    // The previous message is complete: its book is at least 10 deep.
                    let (bids, asks) = &books[book];
                    assert!(
                        bids.len() >= 10 && asks.len() >= 10,
                        "{} bids, {} asks at {ts}",
                        bids.len(),
                        asks.len()
                    );
                }
            }
            prev = Some((e.ts, here));
            let ins = &cfg.meta.instruments[usize::from(e.instrument)];
            assert_eq!(e.price % ins.tick_size, 0);
            assert_eq!(e.qty % ins.lot_size, 0);
            assert!(e.price > 0 && e.qty >= 0);
            let (bids, asks) = &mut books[here];
            if e.kind == EventKind::BookDelta as u8 {
                let side = if e.side == Side::Buy as u8 { &mut *bids } else { &mut *asks };
                if e.qty == 0 {
                    side.remove(&e.price);
                } else {
                    side.insert(e.price, e.qty);
                }
                if let (Some((b, _)), Some((a, _))) = (bids.last_key_value(), asks.first_key_value()) {
                    assert!(b < a, "venue {} instrument {} crossed at ts {}", e.venue, e.instrument, e.ts);
                }
            } else {
                assert_eq!(e.kind, EventKind::Trade as u8);
                assert!(e.qty > 0);
                // A print happens at a visible level of the passive side.
                let passive = if e.side == Side::Buy as u8 { &*asks } else { &*bids };
                assert!(passive.contains_key(&e.price), "trade at {} not at a visible level", e.price);
            }
        }
        for (bids, asks) in &books {
            assert!(bids.len() >= 10 && asks.len() >= 10, "{} bids, {} asks", bids.len(), asks.len());
        }
    }

    #[test]
    fn venues_dislocate_until_the_consolidated_book_crosses() {
        // A calm market: lagging venues and dislocation shocks cross the consolidated book
        // now and then, not most of the time.
        let mut cfg = sample();
        cfg.market.phases.truncate(1);
        let calm = &mut cfg.market.phases[0];
        (calm.volatility_bps, calm.jump_rate, calm.dislocation_rate, calm.dislocation_bps) =
            (1.0, 0.0, 1.0, 1.5);
        let run = simulate(&cfg, 6, 3.0);
        // The books as the pipeline keeps them: the engine, fed market data only.
        let mut books = hotpath_core::engine::Engine::new(&cfg.meta).expect("valid metadata");
        let (mut crossed, mut prev_ts, mut checked) = (0, 0, 0);
        for e in &run.events {
            if e.ts != prev_ts && e.ts > cfg.market.open_ns {
                if let (Some(b), Some(a)) = books.best_prices(0) {
                    checked += 1;
                    crossed += usize::from(b >= a);
                }
            }
            prev_ts = e.ts;
            books.handle(0, e, &mut Vec::new());
        }
        assert!(crossed > 0, "no cross-venue dislocation ever crossed the consolidated book");
        assert!(crossed * 5 < checked, "crossed too often: {crossed} of {checked}");
    }

    #[test]
    fn bursts_lift_the_message_rate_ten_to_fifty_fold() {
        let cfg = sample();
        let run = simulate(&cfg, 4, 1.0);
        assert!(run.bursts >= 1);
        assert!((10.0..=50.0).contains(&run.peak_multiplier), "{}", run.peak_multiplier);
        // Messages (distinct timestamps) per 10 ms window: calm phase vs the busiest window.
        let mut windows: BTreeMap<u64, u64> = BTreeMap::new();
        let mut prev = u64::MAX;
        for e in &run.events {
            if e.ts != prev {
                *windows.entry(e.ts / 10_000_000).or_default() += 1;
                prev = e.ts;
            }
        }
        let calm: Vec<u64> = (1..100).map(|w| windows.get(&w).copied().unwrap_or(0)).collect();
        let calm_mean = calm.iter().sum::<u64>() as f64 / calm.len() as f64;
        let peak = windows.values().copied().max().unwrap_or(0) as f64;
        let ratio = peak / calm_mean;
        assert!((8.0..=80.0).contains(&ratio), "burst window carries {ratio:.1}x the calm rate");
    }

    #[test]
    fn the_crash_phase_moves_prices_down_and_thins_the_books() {
        let cfg = sample();
        let run = simulate(&cfg, 2, 1.0);
        let last_trade = |from: u64, to: u64| {
            run.events
                .iter()
                .rfind(|e| {
                    e.instrument == 0 && e.kind == EventKind::Trade as u8 && (from..to).contains(&e.ts)
                })
                .map(|e| e.price)
        };
        let before = last_trade(1_900_000_000, 2_001_000_000).expect("trades before the crash");
        let after = last_trade(2_900_000_000, 3_001_000_000).expect("trades late in the crash");
        assert!((after as f64) < before as f64 * 0.985, "crash: {before} -> {after}");
    }

    #[test]
    fn the_same_seed_gives_the_same_stream_and_scale_stretches_it() {
        let mut cfg = sample();
        let a = simulate(&cfg, 1, 0.5);
        let b = simulate(&cfg, 1, 0.5);
        assert_eq!(a.events, b.events);
        let c = simulate(&cfg, 2, 0.5);
        assert_ne!(a.events, c.events);
        assert_eq!(simulate(&cfg, 1, 1.0).end_ns, 3_001_000_000);
        // One calm phase without bursts or jumps: twice the scale, twice the messages.
        cfg.market.phases.truncate(1);
        cfg.market.phases[0].jump_rate = 0.0;
        let short = simulate(&cfg, 1, 2.0);
        let long = simulate(&cfg, 1, 4.0);
        let ratio = long.messages as f64 / short.messages as f64;
        assert!((1.9..2.1).contains(&ratio), "scale 4 vs 2 message ratio {ratio}");
        assert_eq!(long.end_ns, 4_001_000_000);
    }
}
