//! Self-exciting bursts of activity.
//!
//! The market message rate is `base rate × multiplier`, with `multiplier = 1 + E` and `E`
//! an excitation that decays exponentially. A burst (exogenous, caused by a price jump,
//! or a follow-on of an earlier burst) lifts the multiplier to a level drawn from the
//! configured range (×10 to ×50 by default); every public trade adds a little more (on
//! average `trade_excitation` follow-on messages), capped at the top of the range. Each burst schedules a follow-on burst with probability
//! `branching`: a discrete Hawkes cluster process, so bursts come in clumps.

use crate::detmath;
use crate::rng::Rng;

/// State of the burst process.
#[derive(Clone, Debug)]
pub struct BurstProcess {
    excitation: f64,
    low: f64,
    high: f64,
    branching: f64,
    child_delay_ns: f64,
    trade_excitation: f64,
    /// Scheduled follow-on bursts (scenario times, ns).
    children: Vec<f64>,
    /// Number of bursts so far.
    pub bursts: u64,
    /// Highest multiplier reached.
    pub peak: f64,
}

impl BurstProcess {
    /// A quiet process (multiplier 1).
    pub fn new(range: [f64; 2], branching: f64, child_delay_ns: f64, trade_excitation: f64) -> Self {
        BurstProcess {
            excitation: 0.0,
            low: range[0],
            high: range[1],
            branching,
            child_delay_ns,
            trade_excitation,
            children: Vec::new(),
            bursts: 0,
            peak: 1.0,
        }
    }

    /// The current rate multiplier.
    #[inline]
    pub fn multiplier(&self) -> f64 {
        1.0 + self.excitation
    }

    /// Lets `decay` (= e^(−dt/τ)) of the excitation survive, then fires follow-on bursts
    /// that are due at `now`.
    pub fn advance(&mut self, decay: f64, now: f64, rng: &mut Rng) {
        self.excitation *= decay;
        if self.excitation < 1e-9 {
            self.excitation = 0.0;
        }
        while let Some(i) = self.children.iter().position(|&t| t <= now) {
            self.children.swap_remove(i);
            self.kick(now, rng);
        }
    }

    /// Starts a burst: the multiplier jumps to at least a level drawn from the range.
    pub fn kick(&mut self, now: f64, rng: &mut Rng) {
        let level = self.low + (self.high - self.low) * rng.uniform();
        self.excitation = self.excitation.max(level - 1.0);
        self.bursts += 1;
        self.peak = self.peak.max(self.multiplier());
        if rng.chance(self.branching) {
            self.children.push(now + self.child_delay_ns * (0.2 + rng.exponential()));
        }
    }

    /// A public trade adds excitation (never beyond the top of the range): enough for
    /// `trade_excitation` extra messages on average at the current base rate
    /// (`base_rate_per_ns`) over the decay time `tau_ns`.
    #[inline]
    pub fn on_trade(&mut self, base_rate_per_ns: f64, tau_ns: f64) {
        let kick = self.trade_excitation / (base_rate_per_ns * tau_ns);
        self.excitation = (self.excitation + kick).min(self.high - 1.0);
        self.peak = self.peak.max(self.multiplier());
    }

    /// `e^(−dt/τ)` helper, so callers share one definition.
    #[inline]
    pub fn decay_factor(dt_ns: f64, tau_ns: f64) -> f64 {
        detmath::exp(-dt_ns / tau_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn a_burst_lifts_the_rate_into_the_configured_range_and_decays() {
        let mut rng = Rng::new(3, Stream::Market);
        let mut b = BurstProcess::new([10.0, 50.0], 0.5, 1e8, 0.05);
        assert_eq!(b.multiplier(), 1.0);
        for i in 0..200 {
            let mut fresh = BurstProcess::new([10.0, 50.0], 0.5, 1e8, 0.05);
            fresh.kick(i as f64, &mut rng);
            assert!((10.0..=50.0).contains(&fresh.multiplier()), "{}", fresh.multiplier());
        }
        b.kick(0.0, &mut rng);
        let m0 = b.multiplier();
        b.advance(BurstProcess::decay_factor(1e8, 1e8), 1.0, &mut rng);
        assert!((b.multiplier() - 1.0 - (m0 - 1.0) * (-1.0f64).exp()).abs() < 1e-9);
        for _ in 0..10_000 {
            b.on_trade(1e-6, 1e8);
        }
        assert!(b.multiplier() <= 50.0 + 1e-12, "trades never push beyond the top: {}", b.multiplier());
        assert!(b.peak <= 50.0 + 1e-12);
    }

    #[test]
    fn follow_on_bursts_fire_later() {
        let mut rng = Rng::new(5, Stream::Market);
        let mut b = BurstProcess::new([10.0, 50.0], 0.94, 1e6, 0.0);
        b.kick(0.0, &mut rng);
        let mut t = 0.0;
        while t < 1e9 {
            t += 1e5;
            b.advance(BurstProcess::decay_factor(1e5, 1e6), t, &mut rng);
        }
        assert!(b.bursts > 1, "with branching 0.94 some follow-on bursts fire ({})", b.bursts);
    }
}
