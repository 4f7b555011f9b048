//! The strategy model: a market-making desk laid over a market-data stream.
//!
//! [`overlay_stream`] walks the market events in order. Records that share a timestamp are
//! one message: they are applied one by one to the desk's estimate of the pipeline
//! ([`estimate`]: the core engine, so books, queue positions, passive fills and the kill
//! switch follow the pipeline's own rules), and when the message is complete the desk reacts — the makers requote and hedge, a burst triggers a
//! cancel storm, now and then a deliberately bad request goes out. Each decision becomes
//! requests stamped `message time + reaction delay`; before the next message, every request
//! whose time has come is handed to the estimate and written to the output. The output is
//! the market stream with the requests merged in, in timestamp order. The generator and the
//! overlay on imported data run this same code.

pub mod burst_watch;
pub mod desk;
pub mod estimate;
pub mod maker;
pub mod outbox;
pub mod probes;

use hotpath_core::format::{EventKind, EventRecord, OrderType, Reason, ScenarioMeta, Side, VENUE_ANY};

use crate::config::StrategySpec;
use crate::error::ScenarioError;
use crate::rng::{Rng, Stream};
use crate::stats::Stats;
use burst_watch::BurstWatch;
use desk::collar_offset;
use desk::Desk;
use estimate::{Applied, Effects};
use maker::{Maker, NO_SLOT};
use outbox::{Action, Purpose, Request, Task};
use probes::Probes;

/// Requests still pending this long after the last market event are dropped (the session
/// is over).
const TAIL_NS: u64 = 100_000_000;
/// Latest market timestamp accepted (about 146 years of ns): leaves room for every delay
/// the strategy adds without overflow.
const MAX_TS: u64 = 1 << 62;
/// Pause between the retries of a halted account, ns.
const RETRY_GAP_NS: u64 = 50_000_000;

struct Strategy<'a> {
    desk: Desk<'a>,
    maker: Maker,
    probes: Probes,
    watch: BurstWatch,
    fx: Effects,
    out: Vec<EventRecord>,
    drill_at: Option<u64>,
    /// Books (instrument × venue) whose touch changed in the current batch of market
    /// records (records sharing a timestamp arrive as one message).
    touched: Vec<bool>,
    touched_list: Vec<usize>,
    /// Timestamp of the batch being received.
    batch_ts: Option<u64>,
}

/// Checks that `market` holds only market data in time order.
fn check_market(market: &[EventRecord]) -> Result<(), ScenarioError> {
    let mut prev = 0;
    for (index, e) in market.iter().enumerate() {
        let kind = EventKind::from_u8(e.kind);
        if !matches!(kind, Some(EventKind::BookDelta | EventKind::Trade)) {
            let name = kind.map_or_else(|| format!("unknown kind {}", e.kind), |k| k.name().to_owned());
            return Err(ScenarioError::MarketStream {
                index: index as u64,
                message: format!("{name} is not market data (only BOOK_DELTA and TRADE can be overlaid)"),
            });
        }
        if e.ts > MAX_TS {
            return Err(ScenarioError::MarketStream {
                index: index as u64,
                message: format!("timestamp {} is beyond the supported range (at most {MAX_TS})", e.ts),
            });
        }
        if e.ts < prev {
            return Err(ScenarioError::MarketStream {
                index: index as u64,
                message: format!("timestamp {} is before the previous record's {prev}", e.ts),
            });
        }
        prev = e.ts;
    }
    Ok(())
}

/// Lays the strategy's order flow over `market` (BOOK_DELTA/TRADE records in time order)
/// and returns the merged stream with the run's counters.
///
/// # Errors
/// [`ScenarioError::MarketStream`] naming the first record that is not market data or
/// goes back in time.
pub fn overlay_stream(
    market: &[EventRecord],
    meta: &ScenarioMeta,
    spec: &StrategySpec,
    seed: u64,
) -> Result<(Vec<EventRecord>, Stats), ScenarioError> {
    check_market(market)?;
    let (Some(first), Some(last)) = (market.first(), market.last()) else {
        return Ok((Vec::new(), Stats::default()));
    };
    let (first_ts, last_ts) = (first.ts, last.ts);
    let mut desk = Desk::new(meta, spec, Rng::new(seed, Stream::Strategy));
    let maker = Maker::new(&desk);
    let probes = Probes::new(&mut desk);
    let drill_at = spec.drill.as_ref().map(|d| first_ts + ((last_ts - first_ts) as f64 * d.at) as u64);
    let mut s = Strategy {
        desk,
        maker,
        probes,
        watch: BurstWatch::new(spec.storm_ratio, first_ts),
        fx: Effects::default(),
        out: Vec::with_capacity(market.len() + market.len() / 8 + 1024),
        drill_at,
        touched: vec![false; meta.instruments.len() * meta.venues.len()],
        touched_list: Vec::new(),
        batch_ts: None,
    };
    s.preopen(first_ts);
    for e in market {
        if s.batch_ts != Some(e.ts) {
            // The previous batch is complete: decide on all of it at once.
            s.decide();
            s.deliver_before(e.ts);
            s.batch_ts = Some(e.ts);
        }
        s.desk.stats.count_record(e);
        s.out.push(*e);
        s.on_market(e);
    }
    s.decide();
    s.deliver_before(last_ts.saturating_add(TAIL_NS));
    Ok((s.out, s.desk.stats))
}

impl Strategy<'_> {
    /// MARKET orders before any book exists: the pipeline has no reference price yet.
    fn preopen(&mut self, first_ts: u64) {
        if let Some(at) = self.drill_at {
            self.desk.schedule(at, Task::Drill { sent: 0 });
        }
        if !self.desk.spec.preopen {
            return;
        }
        let ts = first_ts.saturating_sub(1_000);
        let accounts = self.maker.active_accounts();
        let Some(&fallback) = accounts.first() else { return };
        for i in 0..self.desk.meta.instruments.len() as u16 {
            let account = accounts.get(usize::from(i) % accounts.len()).copied().unwrap_or(fallback);
            let side = if i % 2 == 0 { Side::Buy } else { Side::Sell };
            let qty = self.desk.lot(i) * 2;
            let rec = self.desk.new_order(ts, account, i, side, OrderType::Market, 0, qty, VENUE_ANY);
            if self.desk.estimate.verdict(&rec) == Err(Reason::NoReferencePrice) {
                self.desk.stats.intend(Reason::NoReferencePrice);
                // Straight into the stream: it must precede the first market event even
                // when both have timestamp 0.
                self.desk.now = ts;
                self.handle(Request {
                    rec,
                    purpose: Purpose::Probe(Reason::NoReferencePrice),
                    auto_id: true,
                });
            }
        }
    }

    fn deliver_before(&mut self, ts: u64) {
        while let Some((at, action)) = self.desk.outbox.pop_before(ts) {
            self.desk.now = at;
            match action {
                Action::Send(req) => self.handle(req),
                Action::Run(task) => self.run(task),
            }
            self.probes.maybe_fire(&mut self.desk, &mut self.maker);
        }
    }

    /// A request reaches the pipeline.
    fn handle(&mut self, mut req: Request) {
        if req.auto_id {
            req.rec.id = self.desk.new_id(req.rec.account);
        }
        self.desk.landed(&req.rec);
        self.desk.stats.count_record(&req.rec);
        self.out.push(req.rec);
        let tag = match req.purpose {
            Purpose::Quote { slot } => slot,
            _ => NO_SLOT,
        };
        let mut fx = std::mem::take(&mut self.fx);
        fx.clear();
        let result = self.desk.estimate.handle(&req.rec, tag, &mut fx);
        if let Err(reason) = result {
            self.desk.stats.estimate_reject(reason);
        }
        self.maker.on_handled(&mut self.desk, &req, result);
        if let (Purpose::Probe(_) | Purpose::Filler, Ok(Some(_))) = (req.purpose, result) {
            probes::Probes::after_accepted(&mut self.desk, req.rec.account, req.rec.id);
        }
        self.react(&fx);
        self.fx = fx;
    }

    /// Consequences of fills, retired orders and kill switches.
    fn react(&mut self, fx: &Effects) {
        self.desk.stats.estimated_fills += fx.fills.len() as u64;
        for &idx in &fx.finished {
            self.maker.on_finished(&self.desk, idx);
            let o = self.desk.estimate.order(idx);
            self.probes.note_retired(o.account, o.id);
        }
        for &a in &fx.halted {
            self.desk.stats.estimated_halts.push(a);
            self.maker.on_halt(a);
            if self.desk.spec.halted_retries > 0 {
                let left = self.desk.spec.halted_retries - 1;
                self.desk.schedule(self.desk.now + 20_000_000, Task::Retry { account: a, left });
            }
        }
        for fill in &fx.fills {
            self.maker.on_fill(&mut self.desk, fill);
        }
    }

    fn on_market(&mut self, e: &EventRecord) {
        self.desk.now = e.ts;
        let mut fx = std::mem::take(&mut self.fx);
        fx.clear();
        let applied = self.desk.estimate.on_market(e, &mut fx);
        match applied {
            Applied::Ignored => {}
            Applied::Delta { top } => {
                let b = usize::from(e.instrument) * self.desk.meta.venues.len() + usize::from(e.venue);
                if top && !self.touched[b] {
                    self.touched[b] = true;
                    self.touched_list.push(b);
                }
            }
            Applied::Trade => self.react(&fx),
        }
        self.fx = fx;
        if applied == Applied::Ignored {
            return;
        }
        if self.watch.on_event(e.ts) {
            self.maker.storm(&mut self.desk);
        }
        self.desk.panic = self.watch.active;
    }

    /// Reacts to the batch of market records just received: requotes on every book whose
    /// touch moved, in book order.
    fn decide(&mut self) {
        if let Some(ts) = self.batch_ts {
            self.desk.now = ts;
        }
        let nv = self.desk.meta.venues.len();
        self.touched_list.sort_unstable();
        for k in 0..self.touched_list.len() {
            let b = self.touched_list[k];
            self.touched[b] = false;
            self.maker.requote(&mut self.desk, b % nv, b / nv);
        }
        self.touched_list.clear();
        self.probes.maybe_fire(&mut self.desk, &mut self.maker);
    }

    fn run(&mut self, task: Task) {
        let desk = &mut self.desk;
        match task {
            Task::Cleanup { account, id } => {
                if let Some(idx) = desk.estimate.live_order(account, id) {
                    let i = desk.estimate.order(idx).instrument;
                    let rec = desk.cancel(desk.now, account, i, id);
                    desk.send(rec, Purpose::Cleanup);
                }
            }
            Task::Retry { account, left } => {
                let i = desk.any_instrument();
                if let Some(rec) = desk.plain_quote(desk.now, account, i) {
                    if desk.estimate.verdict(&rec) == Err(Reason::TradingHalted) {
                        desk.stats.intend(Reason::TradingHalted);
                    }
                    desk.send(rec, Purpose::Retry);
                }
                if left > 0 {
                    desk.schedule(desk.now + RETRY_GAP_NS, Task::Retry { account, left: left - 1 });
                }
            }
            Task::Drill { sent } => self.drill(sent),
            Task::RateBurst { slot, sent, hits } => {
                self.probes.rate_burst(desk, &mut self.maker, slot, sent, hits)
            }
            Task::FillUp { account, sent } => self.probes.fill_up(desk, account, sent),
        }
    }

    /// The kill-switch drill: aggressive IOCs through one venue's touch, alternating
    /// sides (each round trip pays the spread and the slippage), until the estimate says
    /// the account's loss limit tripped.
    fn drill(&mut self, sent: u32) {
        let desk = &mut self.desk;
        let Some(d) = desk.spec.drill.clone() else { return };
        if desk.estimate.halted(d.account) || sent >= d.max_orders {
            return;
        }
        let (i, ii) = (d.instrument, usize::from(d.instrument));
        let ins = &desk.meta.instruments[ii];
        let (tick, band) = (ins.tick_size, ins.band_bps);
        let v = usize::from(d.venue);
        let (bid, ask) = (desk.estimate.top(v, ii, Side::Buy), desk.estimate.top(v, ii, Side::Sell));
        if let (Some(reference), Some(bid), Some(ask)) = (desk.estimate.reference(ii), bid, ask) {
            let side = if desk.estimate.position(d.account, i) <= 0 { Side::Buy } else { Side::Sell };
            let off = collar_offset(reference, band, 20_000);
            let price = match side {
                Side::Buy => {
                    ask.saturating_add(20 * tick).min(reference.saturating_add(off)).div_euclid(tick) * tick
                }
                Side::Sell => {
                    -((-bid.saturating_sub(20 * tick).max(reference - off)).div_euclid(tick)) * tick
                }
            };
            // One venue only: across venues a sweep could profit from a crossed book.
            let rec = desk.new_order(desk.now, d.account, i, side, OrderType::Ioc, price, d.qty, d.venue);
            if desk.estimate.verdict(&rec).is_ok() {
                desk.send(rec, Purpose::Drill);
            }
        }
        desk.schedule(desk.now + d.interval_ns, Task::Drill { sent: sent + 1 });
    }
}

#[cfg(test)]
mod tests;
