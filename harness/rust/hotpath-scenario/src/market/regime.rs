//! The regime timeline: which phase is in force at a given scenario time, with linear
//! ramps between phases.

use crate::config::PhaseSpec;

/// The market parameters in force at one instant (see [`PhaseSpec`] for their meaning).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regime {
    /// Base message rate, messages/s.
    pub rate: f64,
    /// Latent volatility, bps/√s.
    pub volatility_bps: f64,
    /// Latent drift, bps/s.
    pub drift_bps_per_s: f64,
    /// Spread multiplier.
    pub spread: f64,
    /// Depth multiplier.
    pub depth: f64,
    /// Share of messages that are trades.
    pub trade_share: f64,
    /// Exogenous bursts per second.
    pub burst_rate: f64,
    /// Jumps per second.
    pub jump_rate: f64,
    /// Mean absolute jump, bps.
    pub jump_bps: f64,
    /// Probability a jump is downwards.
    pub jump_down_share: f64,
    /// Dislocation shocks per second.
    pub dislocation_rate: f64,
    /// Mean dislocation shock, bps.
    pub dislocation_bps: f64,
    /// Share of stale levels removed by trades.
    pub hit_share: f64,
}

impl Regime {
    fn of(p: &PhaseSpec) -> Self {
        Regime {
            rate: p.rate,
            volatility_bps: p.volatility_bps,
            drift_bps_per_s: p.drift_bps_per_s,
            spread: p.spread,
            depth: p.depth,
            trade_share: p.trade_share,
            burst_rate: p.burst_rate,
            jump_rate: p.jump_rate,
            jump_bps: p.jump_bps,
            jump_down_share: p.jump_down_share,
            dislocation_rate: p.dislocation_rate,
            dislocation_bps: p.dislocation_bps,
            hit_share: p.hit_share,
        }
    }

    fn lerp(a: &Regime, b: &Regime, w: f64) -> Regime {
        let l = |x: f64, y: f64| x + (y - x) * w;
        Regime {
            rate: l(a.rate, b.rate),
            volatility_bps: l(a.volatility_bps, b.volatility_bps),
            drift_bps_per_s: l(a.drift_bps_per_s, b.drift_bps_per_s),
            spread: l(a.spread, b.spread),
            depth: l(a.depth, b.depth),
            trade_share: l(a.trade_share, b.trade_share),
            burst_rate: l(a.burst_rate, b.burst_rate),
            jump_rate: l(a.jump_rate, b.jump_rate),
            jump_bps: l(a.jump_bps, b.jump_bps),
            jump_down_share: l(a.jump_down_share, b.jump_down_share),
            dislocation_rate: l(a.dislocation_rate, b.dislocation_rate),
            dislocation_bps: l(a.dislocation_bps, b.dislocation_bps),
            hit_share: l(a.hit_share, b.hit_share),
        }
    }
}

struct Phase {
    start: f64,
    end: f64,
    ramp: f64,
    params: Regime,
    from: Regime,
    burst_on_entry: bool,
}

/// The phases laid end to end from the open, stretched by the scale.
pub struct Timeline {
    phases: Vec<Phase>,
    current: usize,
}

/// What [`Timeline::at`] reports besides the parameters.
pub struct PhaseStep {
    /// The parameters in force.
    pub regime: Regime,
    /// A phase with `burst_on_entry` has just begun.
    pub entered_with_burst: bool,
}

impl Timeline {
    /// Lays out `phases` from `open_ns`, each lasting `duration × scale` (ramps too).
    ///
    /// The drift is divided by `scale`, so a phase moves prices by the same total amount
    /// at every scale: a flash crash falls as far when it is stretched or shrunk.
    pub fn new(phases: &[PhaseSpec], open_ns: f64, scale: f64) -> Self {
        let mut start = open_ns;
        let mut prev: Option<Regime> = None;
        let phases = phases
            .iter()
            .map(|p| {
                let mut params = Regime::of(p);
                params.drift_bps_per_s /= scale;
                let end = start + p.duration_ns as f64 * scale;
                let phase = Phase {
                    start,
                    end,
                    ramp: p.ramp_ns as f64 * scale,
                    params,
                    from: prev.unwrap_or(params),
                    burst_on_entry: p.burst_on_entry,
                };
                prev = Some(params);
                start = end;
                phase
            })
            .collect();
        Timeline { phases, current: 0 }
    }

    /// Scenario time at which the last phase ends.
    pub fn end(&self) -> f64 {
        self.phases.last().map_or(0.0, |p| p.end)
    }

    /// The index and name-independent parameters of the phase in force at `t`; `t` must
    /// not decrease between calls.
    pub fn at(&mut self, t: f64) -> PhaseStep {
        let mut entered = false;
        while self.current + 1 < self.phases.len() && t >= self.phases[self.current].end {
            self.current += 1;
            entered |= self.phases[self.current].burst_on_entry;
        }
        let p = &self.phases[self.current];
        let into = t - p.start;
        let regime = if p.ramp > 0.0 && into < p.ramp {
            Regime::lerp(&p.from, &p.params, (into / p.ramp).max(0.0))
        } else {
            p.params
        };
        PhaseStep { regime, entered_with_burst: entered }
    }

    /// The first phase asks for a burst at the open.
    pub fn opens_with_burst(&self) -> bool {
        self.phases.first().is_some_and(|p| p.burst_on_entry)
    }

    /// Index of the phase in force at the last call of [`Timeline::at`].
    pub fn current(&self) -> usize {
        self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::sample;

    #[test]
    fn phases_follow_each_other_and_ramps_interpolate() {
        let cfg = sample();
        let mut tl = Timeline::new(&cfg.market.phases, 1e6, 1.0);
        assert_eq!(tl.end(), 1e6 + 3e9);
        assert_eq!(tl.at(1e6).regime.rate, 3000.0);
        let step = tl.at(1e6 + 1.5e9);
        assert!(step.entered_with_burst, "the burst phase starts with a burst");
        assert_eq!(step.regime.rate, 5000.0);
        assert!(!tl.at(1e6 + 1.6e9).entered_with_burst);
        // Halfway through the crash's 100 ms ramp: halfway between 5000 and 6000.
        let mid = tl.at(1e6 + 2e9 + 5e7).regime;
        assert!((mid.rate - 5500.0).abs() < 1e-6, "{}", mid.rate);
        assert!((mid.depth - 0.65).abs() < 1e-9);
        assert_eq!(tl.at(1e6 + 2.5e9).regime.depth, 0.3);
        assert_eq!(tl.current(), 2);
    }

    #[test]
    fn scale_stretches_every_phase_and_keeps_each_phase_s_total_drift() {
        let cfg = sample();
        let mut tl = Timeline::new(&cfg.market.phases, 0.0, 2.0);
        assert_eq!(tl.end(), 6e9);
        assert_eq!(tl.at(1.9e9).regime.rate, 3000.0);
        assert_eq!(tl.at(2.1e9).regime.rate, 5000.0);
        // The crash drifts -300 bps/s for 1 s at scale 1: -150 bps/s for 2 s at scale 2.
        assert_eq!(tl.at(5.5e9).regime.drift_bps_per_s, -150.0);
    }
}
