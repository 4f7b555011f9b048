//! Every rule a generator config must keep: the one authority for them.
//!
//! The manifest loader (`hotpath_lab.scenarios.manifest`) only translates TOML into the
//! config (display units into integer units, names into ids, defaults, values carried from
//! one phase to the next) and asks [`crate::validate_json`] whether the result is usable.
//! Each error names the offending field by its path in the config JSON
//! (`market.phases[2].ramp_ns`), which the loader maps back to the manifest key it came
//! from. Messages therefore avoid quoting values in config units where the manifest writes
//! them differently.

use hotpath_core::format::ScenarioMeta;

use super::{MarketSpec, OverlayConfig, ScenarioConfig, StrategySpec, MAX_MODEL_UNITS};
use crate::error::ScenarioError;

type Check = Result<(), ScenarioError>;

fn fail(field: impl Into<String>, message: impl Into<String>) -> Check {
    Err(ScenarioError::config(field, message))
}

fn positive(field: &str, v: f64) -> Check {
    if v.is_finite() && v > 0.0 {
        Ok(())
    } else {
        fail(field, format!("must be a positive number, got {v}"))
    }
}

fn non_negative(field: &str, v: f64) -> Check {
    if v.is_finite() && v >= 0.0 {
        Ok(())
    } else {
        fail(field, format!("must be a number >= 0, got {v}"))
    }
}

fn share(field: &str, v: f64) -> Check {
    if v.is_finite() && (0.0..=1.0).contains(&v) {
        Ok(())
    } else {
        fail(field, format!("must be between 0 and 1, got {v}"))
    }
}

/// Seconds, for messages about durations (the config holds ns, manifests write seconds).
fn seconds(ns: u64) -> f64 {
    ns as f64 * 1e-9
}

/// The metadata rules of the format (`ScenarioMeta::check`) and what the strategy needs.
fn check_meta(meta: &ScenarioMeta) -> Check {
    if let Err(f) = meta.check() {
        return fail(format!("meta.{}", f.field), f.message);
    }
    if meta.instruments.is_empty() {
        return fail("meta.instruments", "at least one instrument is needed");
    }
    if meta.accounts.is_empty() {
        return fail("meta.accounts", "at least one account is needed");
    }
    Ok(())
}

/// What a scenario declares beyond the format's rules: grids and bounds that fit together,
/// a collar, and a throttle that lets something through.
fn check_declared(meta: &ScenarioMeta) -> Check {
    for (i, ins) in meta.instruments.iter().enumerate() {
        let f = |k: &str| format!("meta.instruments[{i}].{k}");
        if ins.max_order_qty % ins.lot_size != 0 {
            return fail(f("max_order_qty"), "must be a whole number of lots");
        }
        if ins.max_price % ins.tick_size != 0 {
            return fail(f("max_price"), "must be a whole number of ticks");
        }
        if !(1..=10_000).contains(&ins.band_bps) {
            return fail(f("band_bps"), format!("must be between 1 and 10000, got {}", ins.band_bps));
        }
    }
    for (a, acc) in meta.accounts.iter().enumerate() {
        let f = |k: &str| format!("meta.accounts[{a}].limits.{k}");
        if acc.limits.rate_limit_count == 0 {
            return fail(f("rate_limit_count"), "must be at least 1");
        }
        if acc.limits.rate_limit_window_ns == 0 {
            return fail(f("rate_limit_window_ns"), "must be longer than 0");
        }
    }
    Ok(())
}

impl ScenarioConfig {
    /// Checks every field; see [`ScenarioConfig::from_json`].
    ///
    /// # Errors
    /// [`ScenarioError::Config`] naming the first bad field.
    pub fn validate(&self) -> Check {
        check_meta(&self.meta)?;
        check_declared(&self.meta)?;
        self.market.validate(&self.meta)?;
        let total: u64 = self.market.phases.iter().map(|p| p.duration_ns).sum();
        if total != self.duration_ns {
            return fail(
                "duration_ns",
                format!("is {} s but the phases add up to {} s", seconds(self.duration_ns), seconds(total)),
            );
        }
        self.strategy.validate(&self.meta)
    }
}

impl OverlayConfig {
    /// Checks the metadata and the strategy; see [`OverlayConfig::from_json`].
    ///
    /// # Errors
    /// [`ScenarioError::Config`] naming the first bad field.
    pub fn validate(&self) -> Check {
        check_meta(&self.meta)?;
        self.strategy.validate(&self.meta)
    }
}

impl MarketSpec {
    fn validate(&self, meta: &ScenarioMeta) -> Check {
        if self.min_levels < 10 {
            return fail("market.min_levels", "must be at least 10");
        }
        if self.max_levels < self.min_levels + 2 || self.max_levels > 1000 {
            return fail(
                "market.max_levels",
                format!("must be between min_levels + 2 ({}) and 1000", self.min_levels + 2),
            );
        }
        share("market.correlation", self.correlation)?;
        positive("market.burst_decay_ns", self.burst_decay_ns as f64)?;
        let [lo, hi] = self.burst_multiplier;
        if !(lo.is_finite() && hi.is_finite() && 1.0 <= lo && lo <= hi && hi <= 1000.0) {
            return fail(
                "market.burst_multiplier",
                format!("must be [low, high] with 1 <= low <= high <= 1000, got [{lo}, {hi}]"),
            );
        }
        if !(self.burst_branching.is_finite() && (0.0..0.95).contains(&self.burst_branching)) {
            return fail(
                "market.burst_branching",
                format!("must be in [0, 0.95) so bursts die out, got {}", self.burst_branching),
            );
        }
        positive("market.child_burst_delay_ns", self.child_burst_delay_ns as f64)?;
        non_negative("market.trade_excitation", self.trade_excitation)?;
        positive("market.dislocation_decay_ns", self.dislocation_decay_ns as f64)?;
        self.validate_instruments(meta)?;
        self.validate_venues(meta)?;
        self.validate_phases()
    }

    fn validate_instruments(&self, meta: &ScenarioMeta) -> Check {
        if self.instruments.len() != meta.instruments.len() {
            return fail(
                "market.instruments",
                format!(
                    "has {} entries, expected one per instrument ({})",
                    self.instruments.len(),
                    meta.instruments.len()
                ),
            );
        }
        for (i, (m, ins)) in self.instruments.iter().zip(&meta.instruments).enumerate() {
            let f = |k: &str| format!("market.instruments[{i}].{k}");
            if m.initial_price >= MAX_MODEL_UNITS {
                return fail(f("initial_price"), "must be below 2^50 price units (the model works in f64)");
            }
            if m.initial_price <= 0 || m.initial_price % ins.tick_size != 0 {
                return fail(f("initial_price"), "must be a positive multiple of the tick");
            }
            if m.initial_price > ins.max_price {
                return fail(f("initial_price"), "is above max_price");
            }
            if !(m.spread_ticks.is_finite() && m.spread_ticks >= 1.0) {
                return fail(f("spread_ticks"), format!("must be at least 1, got {}", m.spread_ticks));
            }
            if m.level_gap_ticks == 0 || m.level_gap_ticks > 1000 {
                return fail(
                    f("level_gap_ticks"),
                    format!("must be between 1 and 1000, got {}", m.level_gap_ticks),
                );
            }
            for (k, v) in [("level_qty", m.level_qty), ("trade_qty", m.trade_qty)] {
                if v >= MAX_MODEL_UNITS {
                    return fail(f(k), "must be below 2^50 quantity units (the model works in f64)");
                }
                if v < ins.lot_size {
                    return fail(f(k), "must be at least one lot");
                }
            }
            positive(&f("volatility"), m.volatility)?;
            positive(&f("weight"), m.weight)?;
        }
        Ok(())
    }

    fn validate_venues(&self, meta: &ScenarioMeta) -> Check {
        if self.venues.len() != meta.venues.len() {
            return fail(
                "market.venues",
                format!("has {} entries, expected one per venue ({})", self.venues.len(), meta.venues.len()),
            );
        }
        for (v, m) in self.venues.iter().enumerate() {
            let f = |k: &str| format!("market.venues[{v}].{k}");
            positive(&f("weight"), m.weight)?;
            positive(&f("depth"), m.depth)?;
            positive(&f("spread"), m.spread)?;
            if !(m.basis_bps.is_finite() && m.basis_bps.abs() < 1000.0) {
                return fail(
                    f("basis_bps"),
                    format!("must be within ±1000 (exclusive), got {}", m.basis_bps),
                );
            }
        }
        Ok(())
    }

    fn validate_phases(&self) -> Check {
        if self.phases.is_empty() {
            return fail("market.phases", "at least one phase is needed");
        }
        for (i, p) in self.phases.iter().enumerate() {
            let f = |k: &str| format!("market.phases[{i}].{k}");
            positive(&f("duration_ns"), p.duration_ns as f64)?;
            if p.ramp_ns > p.duration_ns {
                return fail(f("ramp_ns"), "is longer than the phase");
            }
            if i == 0 && p.ramp_ns > 0 {
                return fail(f("ramp_ns"), "the first phase has nothing to ramp from");
            }
            if !(p.rate.is_finite() && p.rate > 0.0 && p.rate <= 10_000_000.0) {
                return fail(f("rate"), format!("must be in (0, 1e7] messages/s, got {}", p.rate));
            }
            non_negative(&f("volatility_bps"), p.volatility_bps)?;
            if !(p.drift_bps_per_s.is_finite() && p.drift_bps_per_s.abs() <= 5000.0) {
                return fail(
                    f("drift_bps_per_s"),
                    format!("must be within ±5000, got {}", p.drift_bps_per_s),
                );
            }
            positive(&f("spread"), p.spread)?;
            positive(&f("depth"), p.depth)?;
            share(&f("trade_share"), p.trade_share)?;
            non_negative(&f("burst_rate"), p.burst_rate)?;
            non_negative(&f("jump_rate"), p.jump_rate)?;
            if !(p.jump_bps.is_finite() && (0.0..=2000.0).contains(&p.jump_bps)) {
                return fail(f("jump_bps"), format!("must be between 0 and 2000, got {}", p.jump_bps));
            }
            share(&f("jump_down_share"), p.jump_down_share)?;
            non_negative(&f("dislocation_rate"), p.dislocation_rate)?;
            non_negative(&f("dislocation_bps"), p.dislocation_bps)?;
            share(&f("hit_share"), p.hit_share)?;
            if self.trade_excitation * p.trade_share >= 0.9 {
                return fail(
                    "market.trade_excitation",
                    format!(
                        "times phases[{i}].trade_share is {:.2}: trades would excite each other without end (keep it below 0.9)",
                        self.trade_excitation * p.trade_share
                    ),
                );
            }
        }
        Ok(())
    }
}

impl StrategySpec {
    fn validate(&self, meta: &ScenarioMeta) -> Check {
        let n_acc = meta.accounts.len();
        let n_ins = meta.instruments.len();
        let mut seen = vec![false; n_acc];
        for (k, m) in self.makers.iter().enumerate() {
            let f = |x: &str| format!("strategy.makers[{k}].{x}");
            let a = usize::from(m.account);
            if a >= n_acc {
                return fail(f("account"), format!("{a} is not an account id (0..{n_acc})"));
            }
            if std::mem::replace(&mut seen[a], true) {
                return fail(f("account"), "already runs a maker");
            }
            if m.levels == 0 || m.levels > 10 {
                return fail(f("levels"), format!("must be between 1 and 10, got {}", m.levels));
            }
            if m.offset_ticks < 0 {
                return fail(f("offset_ticks"), "must be >= 0");
            }
            if m.level_step_ticks < 1 {
                return fail(f("level_step_ticks"), "must be at least 1");
            }
            positive(&f("size"), m.size)?;
            non_negative(&f("skew_ticks"), m.skew_ticks)?;
        }
        if self.instruments.len() != n_ins {
            return fail(
                "strategy.instruments",
                format!("has {} entries, expected one per instrument ({n_ins})", self.instruments.len()),
            );
        }
        for (i, (q, ins)) in self.instruments.iter().zip(&meta.instruments).enumerate() {
            let f = format!("strategy.instruments[{i}].quote_qty");
            if q.quote_qty < ins.lot_size || q.quote_qty % ins.lot_size != 0 {
                return fail(f, "must be a positive whole number of lots");
            }
            if q.quote_qty > ins.max_order_qty {
                return fail(f, "is above the instrument's max_order_qty");
            }
        }
        let [rmin, rmax] = self.reaction_ns;
        if rmin == 0 {
            return fail("strategy.reaction_ns", "the shortest reaction must be longer than 0");
        }
        if rmax < rmin {
            return fail("strategy.reaction_ns", "the shortest reaction is longer than the longest");
        }
        share("strategy.reroute_share", self.reroute_share)?;
        if self.requote_ticks < 1 {
            return fail("strategy.requote_ticks", "must be at least 1");
        }
        share("strategy.hedge_threshold", self.hedge_threshold)?;
        share("strategy.hedge_target", self.hedge_target)?;
        if self.hedge_target >= self.hedge_threshold {
            return fail("strategy.hedge_target", "must be below hedge_threshold");
        }
        share("strategy.hedge_market_share", self.hedge_market_share)?;
        if self.hedge_slip_ticks < 0 {
            return fail("strategy.hedge_slip_ticks", "must be >= 0");
        }
        if !(self.storm_ratio.is_finite() && self.storm_ratio > 1.0) {
            return fail(
                "strategy.storm_ratio",
                format!("must be a number above 1, got {}", self.storm_ratio),
            );
        }
        if !(self.bad_share.is_finite() && (0.0..=0.5).contains(&self.bad_share)) {
            return fail("strategy.bad_share", format!("must be between 0 and 0.5, got {}", self.bad_share));
        }
        if let Some(d) = &self.drill {
            if usize::from(d.account) >= n_acc {
                return fail("strategy.drill.account", "is not an account id");
            }
            if usize::from(d.instrument) >= n_ins {
                return fail("strategy.drill.instrument", "is not an instrument id");
            }
            share("strategy.drill.at", d.at)?;
            if usize::from(d.venue) >= meta.venues.len() {
                return fail("strategy.drill.venue", "is not a venue id");
            }
            let ins = &meta.instruments[usize::from(d.instrument)];
            if d.qty < ins.lot_size || d.qty % ins.lot_size != 0 {
                return fail("strategy.drill.qty", "must be a positive whole number of lots");
            }
            if d.qty > ins.max_order_qty {
                return fail("strategy.drill.qty", "is above the instrument's max_order_qty");
            }
            positive("strategy.drill.interval_ns", d.interval_ns as f64)?;
            if d.max_orders == 0 {
                return fail("strategy.drill.max_orders", "must be at least 1");
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::sample_json;

    /// `(from, to, field)`: replacing `from` by `to` in the sample config breaks one rule,
    /// and the error must name `field`.
    const CASES: &[(&str, &str, &str)] = &[
        (r#""tick_size":50"#, r#""tick_size":0"#, "meta.instruments[0].tick_size"),
        (r#""max_loss":"#, r#""max_loss":-"#, "meta.accounts[0].limits.max_loss"),
        (
            r#""max_order_qty":2500000000"#,
            r#""max_order_qty":2500000001"#,
            "meta.instruments[0].max_order_qty",
        ),
        (r#""max_price":20000000"#, r#""max_price":20000001"#, "meta.instruments[0].max_price"),
        (
            r#""band_bps":500,"price_decimals":2,"qty_decimals":8},"#,
            r#""band_bps":0,"price_decimals":2,"qty_decimals":8},"#,
            "meta.instruments[0].band_bps",
        ),
        (r#""rate_limit_count":60"#, r#""rate_limit_count":0"#, "meta.accounts[0].limits.rate_limit_count"),
        (
            r#""rate_limit_window_ns":50000000"#,
            r#""rate_limit_window_ns":0"#,
            "meta.accounts[0].limits.rate_limit_window_ns",
        ),
        (r#""duration_ns": 3000000000"#, r#""duration_ns": 5"#, "duration_ns"),
        (r#""burst_multiplier": [10, 50]"#, r#""burst_multiplier": [60, 50]"#, "market.burst_multiplier"),
        (r#""correlation": 0.8"#, r#""correlation": 1.8"#, "market.correlation"),
        (r#""burst_branching": 0.3"#, r#""burst_branching": 0.95"#, "market.burst_branching"),
        (r#""trade_excitation": 2.0"#, r#""trade_excitation": 7.0"#, "market.trade_excitation"),
        (r#""initial_price": 6000000"#, r#""initial_price": 6000025"#, "market.instruments[0].initial_price"),
        (
            r#""initial_price": 6000000"#,
            r#""initial_price": 30000000"#,
            "market.instruments[0].initial_price",
        ),
        (r#""level_qty": 40000000"#, r#""level_qty": 99999"#, "market.instruments[0].level_qty"),
        (r#""level_qty": 40000000"#, r#""level_qty": 2000000000000000"#, "market.instruments[0].level_qty"),
        (
            r#""spread_ticks": 2, "level_gap_ticks": 2, "level_qty": 40000000"#,
            r#""spread_ticks": 0.5, "level_gap_ticks": 2, "level_qty": 40000000"#,
            "market.instruments[0].spread_ticks",
        ),
        (r#""lag_ns": 3000000"#, r#""lag_ns": 3000000, "spread": 0"#, "market.venues[1].spread"),
        (r#""lag_ns": 3000000"#, r#""lag_ns": 3000000, "basis_bps": 1000"#, "market.venues[1].basis_bps"),
        (r#""rate":5000"#, r#""rate":-1"#, "market.phases[1].rate"),
        (r#""ramp_ns":100000000"#, r#""ramp_ns":1000000001"#, "market.phases[2].ramp_ns"),
        (
            r#""duration_ns":1000000000,"rate":3000"#,
            r#""duration_ns":1000000000,"ramp_ns":1,"rate":3000"#,
            "market.phases[0].ramp_ns",
        ),
        (r#""trade_share":0.08"#, r#""trade_share":1.5"#, "market.phases[0].trade_share"),
        (r#""drift_bps_per_s":-300"#, r#""drift_bps_per_s":-6000"#, "market.phases[2].drift_bps_per_s"),
        (r#"{"account":0,"levels":2"#, r#"{"account":0,"levels":0"#, "strategy.makers[0].levels"),
        (r#"{"account":1,"levels":1"#, r#"{"account":0,"levels":1"#, "strategy.makers[1].account"),
        (r#""offset_ticks":1"#, r#""offset_ticks":-1"#, "strategy.makers[1].offset_ticks"),
        (r#""quote_qty": 5000000"#, r#""quote_qty": 1"#, "strategy.instruments[0].quote_qty"),
        (r#""quote_qty": 5000000"#, r#""quote_qty": 5050000"#, "strategy.instruments[0].quote_qty"),
        (r#""reaction_ns": [5000, 40000]"#, r#""reaction_ns": [0, 40000]"#, "strategy.reaction_ns"),
        (r#""reaction_ns": [5000, 40000]"#, r#""reaction_ns": [50000, 40000]"#, "strategy.reaction_ns"),
        (r#""hedge_target": 0.2"#, r#""hedge_target": 0.9"#, "strategy.hedge_target"),
        (r#""storm_ratio": 6"#, r#""storm_ratio": 1"#, "strategy.storm_ratio"),
        (r#""bad_share": 0.03"#, r#""bad_share": 0.6"#, "strategy.bad_share"),
        (r#""drill": {"account": 3"#, r#""drill": {"account": 9"#, "strategy.drill.account"),
        (
            r#""instrument": 0, "qty": 200000000"#,
            r#""instrument": 0, "venue": 7, "qty": 200000000"#,
            "strategy.drill.venue",
        ),
        (r#""qty": 200000000"#, r#""qty": 200050000"#, "strategy.drill.qty"),
        (r#""max_orders": 200"#, r#""max_orders": 0"#, "strategy.drill.max_orders"),
    ];

    #[test]
    fn every_rule_names_its_field() {
        for &(from, to, field) in CASES {
            let json = sample_json().replacen(from, to, 1);
            assert_ne!(json, sample_json(), "case {field} did not apply");
            match ScenarioConfig::from_json(&json) {
                Err(ScenarioError::Config { field: got, message }) => {
                    assert_eq!(got, field, "{message}");
                }
                other => panic!("{field}: expected a config error, got {other:?}"),
            }
        }
    }

    #[test]
    fn shape_errors_are_json_errors() {
        let e = ScenarioConfig::from_json(
            &sample_json().replace(r#""trade_share":0.08,"#, r#""trade_shares":0.08,"#),
        )
        .expect_err("unknown key");
        assert!(e.to_string().contains("trade_shares"), "{e}");
        assert!(matches!(ScenarioConfig::from_json("{"), Err(ScenarioError::ConfigJson(_))));
    }

    #[test]
    fn the_overlay_checks_the_metadata_and_the_strategy_only() {
        let cfg = ScenarioConfig::from_json(&sample_json()).expect("valid");
        let mut o = OverlayConfig { meta: cfg.meta.clone(), strategy: cfg.strategy.clone() };
        assert_eq!(o.validate(), Ok(()));
        o.meta.instruments[0].band_bps = 0; // a declared-scenario rule, not a format rule
        assert_eq!(o.validate(), Ok(()));
        o.strategy.hedge_target = 0.9;
        assert!(
            matches!(o.validate(), Err(ScenarioError::Config { field, .. }) if field == "strategy.hedge_target")
        );
    }
}
