//! The generator configuration: the JSON that `hotpath_lab.scenarios.manifest` produces from
//! a TOML manifest. All prices and quantities are integers in the instrument's units; all
//! times are nanoseconds; model parameters are plain numbers. `docs/scenarios.md` maps
//! every manifest key onto these fields.
//!
//! Two entry points read it: [`ScenarioConfig`] (market model and strategy, for
//! [`crate::generate`]) and [`OverlayConfig`] (strategy only, for [`crate::overlay`] over
//! an external market-data stream). Their rules are in `config/rules.rs`.

mod rules;

use hotpath_core::format::ScenarioMeta;
use serde::Deserialize;

use crate::error::ScenarioError;

/// Everything [`crate::generate`] needs.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioConfig {
    /// The scenario metadata (schema 1): instruments, venues, accounts and limits.
    pub meta: ScenarioMeta,
    /// Scenario time covered at scale 1, in ns (the sum of the phase durations).
    pub duration_ns: u64,
    /// The market model.
    pub market: MarketSpec,
    /// The strategy model.
    pub strategy: StrategySpec,
}

/// Everything [`crate::overlay`] needs: the metadata of the market stream and the strategy.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverlayConfig {
    /// The metadata of the market-data stream the strategy is laid over.
    pub meta: ScenarioMeta,
    /// The strategy model.
    pub strategy: StrategySpec,
}

/// Parameters of the market model.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarketSpec {
    /// Scenario time of the opening book snapshot, in ns (the strategy's pre-open requests
    /// come before it).
    #[serde(default = "default_open_ns")]
    pub open_ns: u64,
    /// Least number of visible levels per book side (at least 10).
    #[serde(default = "default_min_levels")]
    pub min_levels: usize,
    /// Most visible levels per book side.
    #[serde(default = "default_max_levels")]
    pub max_levels: usize,
    /// Correlation of the instruments' latent price moves.
    #[serde(default)]
    pub correlation: f64,
    /// e-folding time of the burst excitation, ns.
    pub burst_decay_ns: u64,
    /// Message-rate multiplier range `[low, high]` a burst jumps to.
    pub burst_multiplier: [f64; 2],
    /// Probability that a burst triggers a follow-on burst (the self-exciting part).
    pub burst_branching: f64,
    /// Mean delay of a follow-on burst, ns.
    pub child_burst_delay_ns: u64,
    /// Follow-on messages each public trade causes on average (trades beget activity).
    /// Times the trade share it is the branching ratio of the self-excitation, which must
    /// stay below 1.
    pub trade_excitation: f64,
    /// e-folding time of cross-venue dislocations, ns.
    pub dislocation_decay_ns: u64,
    /// Per instrument (indexed like `meta.instruments`).
    pub instruments: Vec<InstrumentModel>,
    /// Per venue (indexed like `meta.venues`).
    pub venues: Vec<VenueModel>,
    /// The regime timeline, in order.
    pub phases: Vec<PhaseSpec>,
}

fn default_open_ns() -> u64 {
    1_000_000
}
fn default_min_levels() -> usize {
    10
}
fn default_max_levels() -> usize {
    24
}

/// How one instrument's books look and move.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InstrumentModel {
    /// Latent fair price at the open, price units.
    pub initial_price: i64,
    /// Typical touch spread in calm conditions, in ticks (≥ 1).
    pub spread_ticks: f64,
    /// Largest gap between adjacent visible levels, in ticks (≥ 1).
    pub level_gap_ticks: u32,
    /// Mean visible quantity of a level, quantity units.
    pub level_qty: i64,
    /// Mean size of a public trade, quantity units.
    pub trade_qty: i64,
    /// Multiplier on the phase volatility (an altcoin moves more than BTC).
    #[serde(default = "one")]
    pub volatility: f64,
    /// Relative share of market messages.
    #[serde(default = "one")]
    pub weight: f64,
}

/// How one venue differs from the others.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VenueModel {
    /// How far this venue's prices trail the latent fair price (e-folding time), ns.
    #[serde(default)]
    pub lag_ns: u64,
    /// Relative share of market messages.
    #[serde(default = "one")]
    pub weight: f64,
    /// Multiplier on level quantities.
    #[serde(default = "one")]
    pub depth: f64,
    /// Multiplier on the touch spread.
    #[serde(default = "one")]
    pub spread: f64,
    /// Persistent premium (+) or discount (−) to the fair price, bps.
    #[serde(default)]
    pub basis_bps: f64,
}

fn one() -> f64 {
    1.0
}

/// One phase of the regime timeline. Values hold for the whole phase; the first
/// `ramp_ns` interpolate linearly from the previous phase's values.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    /// Display name.
    pub name: String,
    /// Length at scale 1, ns.
    pub duration_ns: u64,
    /// Length of the linear transition from the previous phase, ns.
    #[serde(default)]
    pub ramp_ns: u64,
    /// Base market message rate over all books, messages per second (before bursts).
    pub rate: f64,
    /// Volatility of the latent price, bps per √s.
    pub volatility_bps: f64,
    /// Deterministic drift of the latent price, bps per s (a crash is a large negative drift).
    #[serde(default)]
    pub drift_bps_per_s: f64,
    /// Multiplier on the instruments' touch spreads.
    #[serde(default = "one")]
    pub spread: f64,
    /// Multiplier on visible level quantities (below 1 = liquidity pulled).
    #[serde(default = "one")]
    pub depth: f64,
    /// Share of market messages that are public trades.
    pub trade_share: f64,
    /// Exogenous bursts per second.
    #[serde(default)]
    pub burst_rate: f64,
    /// A burst starts when the phase starts.
    #[serde(default)]
    pub burst_on_entry: bool,
    /// Price jumps per second.
    #[serde(default)]
    pub jump_rate: f64,
    /// Mean absolute jump size, bps.
    #[serde(default)]
    pub jump_bps: f64,
    /// Probability that a jump is downwards.
    #[serde(default = "half")]
    pub jump_down_share: f64,
    /// Cross-venue dislocation shocks per second.
    #[serde(default)]
    pub dislocation_rate: f64,
    /// Mean size of a dislocation shock, bps.
    #[serde(default)]
    pub dislocation_bps: f64,
    /// Share of stale levels (left behind by a price move) that disappear through a trade
    /// rather than a cancel.
    #[serde(default = "half")]
    pub hit_share: f64,
}

fn half() -> f64 {
    0.5
}

/// The market-making strategy that produces the recorded order flow.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategySpec {
    /// The accounts that run the market maker.
    pub makers: Vec<MakerSpec>,
    /// Per instrument (indexed like `meta.instruments`).
    pub instruments: Vec<QuoteSpec>,
    /// Reaction delay range `[min, max]` between a market event and the requests it
    /// causes, ns.
    pub reaction_ns: [u64; 2],
    /// Each maker keeps one *roaming* quote per instrument and side, sent with venue ANY
    /// (the router picks the venue). This is the share of its moves done by re-routing
    /// (CANCEL, then NEW with venue ANY) rather than by REPLACE at its resting venue.
    pub reroute_share: f64,
    /// A quote is moved when it is this many ticks away from where it should be.
    pub requote_ticks: i64,
    /// Least time between two actions on one quote, ns.
    pub min_requote_ns: u64,
    /// Hedge when |position| exceeds this share of the position limit.
    pub hedge_threshold: f64,
    /// A hedge brings |position| back to this share of the position limit.
    pub hedge_target: f64,
    /// Share of hedges sent as MARKET (the rest are IOC limits).
    pub hedge_market_share: f64,
    /// How many ticks through the touch an IOC hedge is priced.
    pub hedge_slip_ticks: i64,
    /// A burst is detected when the short-term market message rate exceeds this multiple
    /// of the long-term rate.
    pub storm_ratio: f64,
    /// Quoting pause after a cancel storm, ns.
    pub storm_pause_ns: u64,
    /// Least time between two cancel storms, ns.
    pub storm_cooldown_ns: u64,
    /// Share of requests that are deliberately bad (each exercising one reject reason).
    pub bad_share: f64,
    /// Requests an account still sends after its kill switch tripped.
    pub halted_retries: u32,
    /// Send pre-open requests (MARKET orders before any book exists).
    #[serde(default = "yes")]
    pub preopen: bool,
    /// Kill-switch drill: one account trades aggressively until its loss limit trips.
    #[serde(default)]
    pub drill: Option<DrillSpec>,
}

fn yes() -> bool {
    true
}

/// One market-making account.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MakerSpec {
    /// Account id.
    pub account: u16,
    /// Quote levels per side per venue.
    pub levels: u32,
    /// Ticks behind the touch of the first level.
    #[serde(default)]
    pub offset_ticks: i64,
    /// Ticks between the maker's own levels.
    pub level_step_ticks: i64,
    /// Multiplier on the instrument's quote size.
    #[serde(default = "one")]
    pub size: f64,
    /// Ticks the quotes lean away from inventory at the position limit.
    #[serde(default)]
    pub skew_ticks: f64,
}

/// Quote sizes for one instrument.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteSpec {
    /// Size of a first-level quote, quantity units.
    pub quote_qty: i64,
}

/// The kill-switch drill.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrillSpec {
    /// Account that runs the drill.
    pub account: u16,
    /// When the drill starts, as a fraction of the market stream's time span.
    pub at: f64,
    /// Instrument traded.
    pub instrument: u16,
    /// Venue traded (one venue: a sweep across venues can profit from a crossed book).
    #[serde(default)]
    pub venue: u8,
    /// Size of each aggressive order, quantity units.
    pub qty: i64,
    /// Time between aggressive orders, ns.
    pub interval_ns: u64,
    /// Most aggressive orders before the drill gives up.
    pub max_orders: u32,
}

/// Prices and sizes of the market model stay below this many units: the model computes in
/// `f64`, which is exact on integers only up to 2^53.
pub const MAX_MODEL_UNITS: i64 = 1 << 50;

/// Most base messages (rate × duration × scale, before bursts) one generation may ask for.
pub const MAX_BASE_MESSAGES: f64 = 2e8;

impl ScenarioConfig {
    /// Parses and validates the generator config.
    ///
    /// # Errors
    /// [`ScenarioError::ConfigJson`] for malformed JSON or a missing/unknown key;
    /// [`ScenarioError::Config`] naming the first out-of-range field.
    pub fn from_json(json: &str) -> Result<Self, ScenarioError> {
        let cfg: ScenarioConfig = serde_json::from_str(json)?;
        cfg.validate()?;
        Ok(cfg)
    }
}

impl OverlayConfig {
    /// Parses and validates the overlay config.
    ///
    /// # Errors
    /// As [`ScenarioConfig::from_json`].
    pub fn from_json(json: &str) -> Result<Self, ScenarioError> {
        let cfg: OverlayConfig = serde_json::from_str(json)?;
        cfg.validate()?;
        Ok(cfg)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small but complete config (two instruments, three venues, four accounts, a calm
    /// phase, a burst and a crash) used by the crate's tests. Times are short so tests run
    /// fast in debug builds.
    pub(crate) fn sample_json() -> String {
        let usd: i64 = 10_000_000_000; // price units (1e-2) × qty units (1e-8)
        let account = |id: u16, name: &str, loss_usd: i64, open: u32| {
            format!(
                r#"{{"id":{id},"name":"{name}","limits":{{"max_order_notional":{},"max_gross_notional":{},
                "max_position":[400000000,6000000000],"rate_limit_count":60,"rate_limit_window_ns":50000000,
                "max_open_orders":{open},"max_loss":{}}}}}"#,
                300_000 * usd,
                450_000 * usd,
                loss_usd * usd
            )
        };
        format!(
            r#"{{
            "meta": {{"schema":1,"name":"sample",
              "instruments":[
                {{"id":0,"symbol":"BTC-USD","tick_size":50,"lot_size":100000,"max_order_qty":2500000000,
                  "max_price":20000000,"band_bps":500,"price_decimals":2,"qty_decimals":8}},
                {{"id":1,"symbol":"ETH-USD","tick_size":1,"lot_size":1000000,"max_order_qty":50000000000,
                  "max_price":2000000,"band_bps":500,"price_decimals":2,"qty_decimals":8}}],
              "venues":[{{"id":0,"name":"spot"}},{{"id":1,"name":"usdm"}},{{"id":2,"name":"coinm"}}],
              "accounts":[{a0},{a1},{a2},{a3}]}},
            "duration_ns": 3000000000,
            "market": {{
              "burst_decay_ns": 100000000, "burst_multiplier": [10, 50], "burst_branching": 0.3,
              "child_burst_delay_ns": 200000000, "trade_excitation": 2.0, "dislocation_decay_ns": 80000000,
              "correlation": 0.8,
              "instruments": [
                {{"initial_price": 6000000, "spread_ticks": 2, "level_gap_ticks": 2, "level_qty": 40000000, "trade_qty": 15000000}},
                {{"initial_price": 260000, "spread_ticks": 2, "level_gap_ticks": 2, "level_qty": 800000000, "trade_qty": 300000000, "volatility": 1.3}}],
              "venues": [{{"lag_ns": 0, "weight": 1.2}}, {{"lag_ns": 3000000}}, {{"lag_ns": 15000000, "depth": 0.7, "spread": 1.5}}],
              "phases": [
                {{"name":"calm","duration_ns":1000000000,"rate":3000,"volatility_bps":2,"trade_share":0.08,
                  "jump_rate":0.5,"jump_bps":4,"dislocation_rate":0.5,"dislocation_bps":1}},
                {{"name":"burst","duration_ns":1000000000,"rate":5000,"volatility_bps":8,"trade_share":0.12,
                  "burst_on_entry":true,"burst_rate":1,"spread":2,"dislocation_rate":1,"dislocation_bps":2}},
                {{"name":"crash","duration_ns":1000000000,"ramp_ns":100000000,"rate":6000,"volatility_bps":10,
                  "drift_bps_per_s":-300,"spread":5,"depth":0.3,"trade_share":0.15,"hit_share":0.8}}]
            }},
            "strategy": {{
              "makers": [{{"account":0,"levels":2,"level_step_ticks":2,"skew_ticks":3}},
                         {{"account":1,"levels":1,"offset_ticks":1,"level_step_ticks":1,"size":1.5}},
                         {{"account":2,"levels":2,"level_step_ticks":3,"size":0.5}}],
              "instruments": [{{"quote_qty": 5000000}}, {{"quote_qty": 100000000}}],
              "reaction_ns": [5000, 40000], "reroute_share": 0.3, "requote_ticks": 2,
              "min_requote_ns": 2000000, "hedge_threshold": 0.5, "hedge_target": 0.2,
              "hedge_market_share": 0.35, "hedge_slip_ticks": 5, "storm_ratio": 6,
              "storm_pause_ns": 15000000, "storm_cooldown_ns": 400000000, "bad_share": 0.03,
              "halted_retries": 3,
              "drill": {{"account": 3, "at": 0.3, "instrument": 0, "qty": 200000000, "interval_ns": 2000000, "max_orders": 200}}
            }}
        }}"#,
            a0 = account(0, "mm-1", 20_000, 40),
            a1 = account(1, "mm-2", 20_000, 40),
            a2 = account(2, "mm-3", 20_000, 40),
            a3 = account(3, "drill", 20, 10),
        )
    }

    pub(crate) fn sample() -> ScenarioConfig {
        ScenarioConfig::from_json(&sample_json()).expect("the sample config is valid")
    }

    #[test]
    fn the_sample_config_is_valid() {
        let c = sample();
        assert_eq!(c.market.phases.len(), 3);
        assert_eq!(c.market.min_levels, 10);
        assert!(c.strategy.preopen);
    }
}
