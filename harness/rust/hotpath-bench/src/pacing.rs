//! When each event is *intended* to be dispatched.
//!
//! Latency is measured from the intended time, not from when the driver got round to the
//! event, so queueing behind a burst or a pause is counted (no coordinated omission).

use crate::error::BenchError;

/// Most events per second `rate:N` takes: intended times are whole ns, so a faster rate would
/// give successive events the same time (`hotpath_lab.pacing.MAX_RATE`).
pub const MAX_RATE: f64 = 1e9;

/// How events are released to the pipeline.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Pace {
    /// Open loop at the scenario's own timestamps, time divided by `speed`.
    Recorded {
        /// 1.0 = real time; 2.0 = twice as fast.
        speed: f64,
    },
    /// Open loop at a constant rate, events per second.
    Rate {
        /// Events per second.
        per_sec: f64,
    },
    /// Closed loop: each event starts when the previous one is done (throughput).
    Max,
}

impl Pace {
    /// Parses `recorded`, `rate:N` or `max`; `speed` applies to `recorded`.
    ///
    /// # Errors
    /// [`BenchError::Pace`] for an unknown form, a non-positive speed, or a rate that is not
    /// in `(0, MAX_RATE]`.
    pub fn parse(spec: &str, speed: f64) -> Result<Pace, BenchError> {
        let bad = |message: &str| BenchError::Pace { spec: spec.to_owned(), message: message.to_owned() };
        if !(speed.is_finite() && speed > 0.0) {
            return Err(bad("speed must be a positive number"));
        }
        match spec {
            "recorded" => Ok(Pace::Recorded { speed }),
            "max" => Ok(Pace::Max),
            _ => {
                let rate =
                    spec.strip_prefix("rate:").ok_or_else(|| bad("expected recorded, rate:N or max"))?;
                let per_sec: f64 =
                    rate.parse().map_err(|_| bad("rate must be a number of events per second"))?;
                if !(per_sec.is_finite() && per_sec > 0.0) {
                    Err(bad("rate must be positive"))
                } else if per_sec > MAX_RATE {
                    Err(bad("at most 1e9 events/s (intended times are whole ns)"))
                } else {
                    Ok(Pace::Rate { per_sec })
                }
            }
        }
    }

    /// Offset in ns from the start of the pass at which event `i` (scenario time `ts`,
    /// first event at `ts0`) should be dispatched; `None` for closed loop.
    ///
    /// The float arithmetic is the same as the Python drivers' (numpy float64), so both
    /// sides compute identical schedules.
    #[inline]
    pub fn offset_ns(&self, i: usize, ts: u64, ts0: u64) -> Option<u64> {
        match *self {
            Pace::Recorded { speed } => Some((ts.saturating_sub(ts0) as f64 / speed) as u64),
            Pace::Rate { per_sec } => Some((i as f64 * 1e9 / per_sec) as u64),
            Pace::Max => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        assert_eq!(Pace::parse("recorded", 2.0).ok(), Some(Pace::Recorded { speed: 2.0 }));
        assert_eq!(Pace::parse("rate:5000", 1.0).ok(), Some(Pace::Rate { per_sec: 5000.0 }));
        assert_eq!(Pace::parse("max", 1.0).ok(), Some(Pace::Max));
        assert_eq!(Pace::parse("rate:1e9", 1.0).ok(), Some(Pace::Rate { per_sec: MAX_RATE }));
        for bad in ["fast", "rate:", "rate:-3", "rate:x", "rate:1.5e9", "rate:1e300", "rate:inf"] {
            assert!(Pace::parse(bad, 1.0).is_err(), "{bad}");
        }
        assert!(Pace::parse("recorded", 0.0).is_err());
    }

    #[test]
    fn offsets_follow_scenario_time_or_rate() {
        let p = Pace::Recorded { speed: 2.0 };
        assert_eq!(p.offset_ns(7, 1_000 + 3_000, 1_000), Some(1_500));
        let r = Pace::Rate { per_sec: 1000.0 };
        assert_eq!(r.offset_ns(3, 0, 0), Some(3_000_000));
        assert_eq!(Pace::Max.offset_ns(3, 9, 0), None);
    }
}
