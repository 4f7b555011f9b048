//! `hotpath-scenario`: deterministic scenario generation for the hotpath lab.
//!
//! A scenario is one time-ordered stream of [`EventRecord`]s: market data from a
//! multi-venue L2 market model ([`market`]) with the order flow of a market-making desk
//! laid over it ([`strategy`]). [`generate`] runs both; [`overlay`] runs only the strategy
//! over an external market-data stream (for example imported exchange captures).
//!
//! Same config, seed and scale → the same records on every machine: the random stream is
//! implemented here ([`rng`]) and every transcendental function is built from IEEE-754
//! basic operations ([`detmath`]). `docs/scenarios.md` describes the models and the
//! manifest format that `hotpath_lab.scenarios` turns into a [`ScenarioConfig`].
#![deny(unsafe_code)]

pub mod config;
pub mod detmath;
pub mod error;
pub mod market;
pub mod rng;
pub mod stats;
pub mod strategy;
pub mod words;

use hotpath_core::format::EventRecord;

pub use config::{OverlayConfig, ScenarioConfig};
pub use error::ScenarioError;
pub use stats::{MarketStats, Stats};

/// Name of the generator, as recorded in scenario metadata.
pub const GENERATOR_NAME: &str = "hotpath-scenario";

/// Revision of the models' output. Bumped whenever the same config and seed produce
/// different records (the pinned digests in the tests say when), so caches keyed by the
/// generator version are invalidated.
pub const MODEL_REVISION: u32 = 2;

/// Largest accepted `scale`.
pub const MAX_SCALE: f64 = 100.0;

/// `"hotpath-scenario <crate version>+model.<revision>"`.
pub fn generator_version() -> String {
    format!("{GENERATOR_NAME} {}+model.{MODEL_REVISION}", env!("CARGO_PKG_VERSION"))
}

/// A generated (or overlaid) stream and its counters.
#[derive(Debug)]
pub struct Generated {
    /// The records, in time order.
    pub events: Vec<EventRecord>,
    /// What was produced.
    pub stats: Stats,
}

fn check_scale(scale: f64) -> Result<(), ScenarioError> {
    if scale.is_finite() && scale > 0.0 && scale <= MAX_SCALE {
        Ok(())
    } else {
        Err(ScenarioError::config("scale", format!("must be a number in (0, {MAX_SCALE}], got {scale}")))
    }
}

/// Generates a scenario: the market model over the whole timeline stretched by `scale`,
/// then the strategy over it.
///
/// # Errors
/// [`ScenarioError::Config`] for an out-of-range `scale` or an invalid config.
pub fn generate(cfg: &ScenarioConfig, seed: u64, scale: f64) -> Result<Generated, ScenarioError> {
    check_scale(scale)?;
    cfg.validate()?;
    let base: f64 = cfg.market.phases.iter().map(|p| p.rate * p.duration_ns as f64 * 1e-9 * scale).sum();
    if base > config::MAX_BASE_MESSAGES {
        return Err(ScenarioError::config(
            "market.phases",
            format!(
                "rate × duration × scale asks for {base:.3e} market messages before bursts; at most {:.0e} are supported",
                config::MAX_BASE_MESSAGES
            ),
        ));
    }
    let run = market::simulate(cfg, seed, scale);
    let (events, mut stats) = strategy::overlay_stream(&run.events, &cfg.meta, &cfg.strategy, seed)?;
    stats.market = Some(MarketStats {
        messages: run.messages,
        bursts: run.bursts,
        peak_burst_multiplier: run.peak_multiplier,
        jumps: run.jumps,
    });
    Ok(Generated { events, stats })
}

/// Checks a generator config without generating: every rule of [`config`] (the one place
/// they are stated), so that a manifest is refused when it is loaded, naming the field.
///
/// # Errors
/// As [`ScenarioConfig::from_json`].
pub fn validate_json(config_json: &str) -> Result<(), ScenarioError> {
    ScenarioConfig::from_json(config_json).map(|_| ())
}

/// [`generate`] from the config JSON.
///
/// # Errors
/// As [`ScenarioConfig::from_json`] and [`generate`].
pub fn generate_json(config_json: &str, seed: u64, scale: f64) -> Result<Generated, ScenarioError> {
    check_scale(scale)?;
    generate(&ScenarioConfig::from_json(config_json)?, seed, scale)
}

/// Lays the strategy over an external market-data stream (BOOK_DELTA and TRADE records in
/// time order) and returns the merged stream. Every market record is kept, in order.
///
/// # Errors
/// [`ScenarioError::MarketStream`] for a record that is not market data or goes back in
/// time.
pub fn overlay(market: &[EventRecord], cfg: &OverlayConfig, seed: u64) -> Result<Generated, ScenarioError> {
    let (events, stats) = strategy::overlay_stream(market, &cfg.meta, &cfg.strategy, seed)?;
    Ok(Generated { events, stats })
}

/// [`overlay`] from the overlay config JSON.
///
/// # Errors
/// As [`OverlayConfig::from_json`] and [`overlay`].
pub fn overlay_json(
    market: &[EventRecord],
    config_json: &str,
    seed: u64,
) -> Result<Generated, ScenarioError> {
    overlay(market, &OverlayConfig::from_json(config_json)?, seed)
}
