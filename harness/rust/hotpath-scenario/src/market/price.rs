//! The latent price process and how each venue sees it.
//!
//! Every instrument has one latent *fair* price (geometric diffusion with a common factor
//! for correlation, a regime drift and Poisson jumps). Each venue tracks it with its own
//! lag (a leader venue sees moves at once, laggards follow over milliseconds), a constant
//! basis, and a mean-reverting *dislocation* that shocks now and then; when a shock or a
//! lag exceeds the spread, one venue's bid rises above another's ask: the consolidated
//! book is crossed until the laggard catches up.

use crate::detmath;
use crate::market::regime::Regime;
use crate::rng::Rng;

const BPS: f64 = 1e-4;
const MAX_FAIR: f64 = (1u64 << 52) as f64;

/// Per-venue view of one instrument.
#[derive(Clone, Debug)]
struct VenueView {
    perceived: f64,
}

/// Latent state of one instrument.
#[derive(Clone, Debug)]
struct Latent {
    fair: f64,
    /// The price liquidity providers quote around: it follows `fair` only once the two
    /// are a tick apart, so quotes do not flicker around a tick boundary. Every venue
    /// follows this same anchor, so without lag or dislocation all venues agree.
    anchor: f64,
    volatility: f64,
    tick: f64,
    venues: Vec<VenueView>,
}

/// All latent prices and venue views.
#[derive(Clone, Debug)]
pub struct PriceModel {
    instruments: Vec<Latent>,
    lag_ns: Vec<f64>,
    basis_bps: Vec<f64>,
    /// Dislocation of each venue in bps (shared by its instruments: venue-wide events).
    dislocation: Vec<f64>,
    dislocation_decay_ns: f64,
    rho: f64,
    rho_c: f64,
    /// Per-venue share of the gap to the fair price closed in the current step (scratch).
    follow: Vec<f64>,
    /// Price jumps so far.
    pub jumps: u64,
}

/// What happened during one [`PriceModel::advance`].
pub struct PriceStep {
    /// A jump happened (it should start a burst).
    pub jumped: bool,
}

impl PriceModel {
    /// Starts every instrument at its initial `(price, volatility multiplier, tick)`.
    pub fn new(
        initial: &[(f64, f64, f64)],
        lag_ns: Vec<f64>,
        basis_bps: Vec<f64>,
        dislocation_decay_ns: f64,
        correlation: f64,
    ) -> Self {
        let nv = lag_ns.len();
        let instruments = initial
            .iter()
            .map(|&(fair, volatility, tick)| Latent {
                fair,
                anchor: fair,
                volatility,
                tick,
                venues: vec![VenueView { perceived: fair }; nv],
            })
            .collect();
        PriceModel {
            instruments,
            lag_ns,
            basis_bps,
            dislocation: vec![0.0; nv],
            dislocation_decay_ns,
            rho: correlation,
            rho_c: (1.0 - correlation * correlation).sqrt(),
            follow: vec![1.0; nv],
            jumps: 0,
        }
    }

    /// Advances every latent price and venue view by `dt_ns` under `regime`.
    pub fn advance(&mut self, dt_ns: f64, regime: &Regime, rng: &mut Rng) -> PriceStep {
        let dt_s = dt_ns * 1e-9;
        let sd = regime.volatility_bps * BPS * dt_s.sqrt();
        let drift = regime.drift_bps_per_s * BPS * dt_s;
        let common = rng.normal();
        let jump = if rng.chance(regime.jump_rate * dt_s) {
            self.jumps += 1;
            let size = regime.jump_bps * BPS * (0.3 + rng.exponential());
            if rng.chance(regime.jump_down_share) {
                -size
            } else {
                size
            }
        } else {
            0.0
        };
        let d_decay = detmath::exp(-dt_ns / self.dislocation_decay_ns);
        for d in &mut self.dislocation {
            *d *= d_decay;
        }
        if rng.chance(regime.dislocation_rate * dt_s) && !self.dislocation.is_empty() {
            let v = rng.below(self.dislocation.len() as u64) as usize;
            let size = regime.dislocation_bps * (0.5 + rng.exponential());
            self.dislocation[v] += if rng.chance(0.5) { size } else { -size };
        }
        for (a, &lag) in self.follow.iter_mut().zip(&self.lag_ns) {
            *a = if lag <= 0.0 { 1.0 } else { 1.0 - detmath::exp(-dt_ns / lag) };
        }
        for ins in &mut self.instruments {
            let z = self.rho * common + self.rho_c * rng.normal();
            let ret = ins.volatility * (sd * z) + drift + ins.volatility * jump;
            // Kept within [one tick, 2^52]: integer prices stay exact and far from i64 overflow.
            ins.fair = detmath::clamp(ins.fair * (1.0 + ret), ins.tick, MAX_FAIR);
            if (ins.fair - ins.anchor).abs() >= ins.tick {
                ins.anchor = ins.fair;
            }
            for (view, &a) in ins.venues.iter_mut().zip(&self.follow) {
                view.perceived += (ins.anchor - view.perceived) * a;
            }
        }
        PriceStep { jumped: jump != 0.0 }
    }

    /// The mid price venue `v` is currently quoting for instrument `i`, in price units.
    #[inline]
    pub fn venue_mid(&self, i: usize, v: usize) -> f64 {
        let ins = &self.instruments[i];
        ins.venues[v].perceived * (1.0 + (self.basis_bps[v] + self.dislocation[v]) * BPS)
    }

    /// The latent fair price of instrument `i`.
    pub fn fair(&self, i: usize) -> f64 {
        self.instruments[i].fair
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::sample;
    use crate::market::regime::Timeline;
    use crate::rng::Stream;

    #[test]
    fn laggards_follow_the_leader_and_drift_moves_the_fair_price() {
        let cfg = sample();
        let mut tl = Timeline::new(&cfg.market.phases, 0.0, 1.0);
        let mut calm = tl.at(0.0).regime;
        calm.volatility_bps = 0.0;
        calm.jump_rate = 0.0;
        calm.dislocation_rate = 0.0;
        calm.drift_bps_per_s = -1000.0; // -10 % a second
        let mut pm = PriceModel::new(&[(100_000.0, 1.0, 1.0)], vec![0.0, 5e6, 5e7], vec![0.0; 3], 1e8, 0.0);
        let mut rng = Rng::new(1, Stream::Market);
        for _ in 0..100 {
            pm.advance(1e6, &calm, &mut rng); // 100 ms in 1 ms steps
        }
        let fair = pm.fair(0);
        // -1000 bps/s over 1 ms steps: a factor (1 - 1e-4) per step.
        assert!((fair / 100_000.0 - (1.0f64 - 1e-4).powi(100)).abs() < 1e-9, "{fair}");
        let (lead, mid, slow) = (pm.venue_mid(0, 0), pm.venue_mid(0, 1), pm.venue_mid(0, 2));
        assert!((lead - fair).abs() < 1.0, "the leader quotes around the anchored fair price");
        assert!(lead < mid && mid < slow, "laggards still quote higher prices: {lead} {mid} {slow}");
    }
}
