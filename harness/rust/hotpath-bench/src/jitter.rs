//! The machine's own noise floor: how often, and for how long, a thread that does nothing
//! but read the clock is kept off its CPU (timer ticks, interrupts, a hypervisor running
//! something else). Every latency percentile whose tail share is smaller than the share of
//! time lost this way is measuring the machine, not the pipeline — so each run records it.
//!
//! The probe spins reading [`monotonic_ns`]; two consecutive reads further apart than a
//! threshold mean the thread was interrupted for that long (minus one read).

use crate::clock::monotonic_ns;
use crate::error::BenchError;
use crate::recorder::new_histogram;

/// What one probe saw.
#[derive(Debug, Clone, PartialEq)]
pub struct Jitter {
    /// How long the probe spun.
    pub duration_ns: u64,
    /// Gaps shorter than this are ordinary clock-read spacing, not interruptions.
    pub threshold_ns: u64,
    /// Interruptions seen.
    pub count: u64,
    /// Their summed length: time the thread did not run.
    pub stolen_ns: u64,
    /// Median interruption.
    pub p50_ns: u64,
    /// 99th percentile interruption.
    pub p99_ns: u64,
    /// Longest interruption.
    pub max_ns: u64,
}

impl Jitter {
    /// Interruptions per second of probing.
    pub fn per_second(&self) -> f64 {
        if self.duration_ns == 0 {
            0.0
        } else {
            self.count as f64 * 1e9 / self.duration_ns as f64
        }
    }

    /// Fraction of wall time lost to interruptions (0..1).
    pub fn stolen_share(&self) -> f64 {
        if self.duration_ns == 0 {
            0.0
        } else {
            self.stolen_ns as f64 / self.duration_ns as f64
        }
    }
}

/// Spins for `duration_ns` on the calling thread and reports every gap above `threshold_ns`.
pub fn measure(duration_ns: u64, threshold_ns: u64) -> Result<Jitter, BenchError> {
    scan(monotonic_ns, duration_ns, threshold_ns)
}

/// The probe over any clock, so its accounting can be checked against a scripted clock.
fn scan(mut now: impl FnMut() -> u64, duration_ns: u64, threshold_ns: u64) -> Result<Jitter, BenchError> {
    let mut gaps = new_histogram()?;
    let start = now();
    let mut last = start;
    let mut stolen_ns = 0u64;
    loop {
        let t = now();
        let gap = t.saturating_sub(last);
        if gap > threshold_ns {
            gaps.saturating_record(gap);
            stolen_ns += gap;
        }
        last = t;
        if t.saturating_sub(start) >= duration_ns {
            break;
        }
    }
    let count = gaps.len();
    let q = |p: f64| if count == 0 { 0 } else { gaps.value_at_quantile(p) };
    Ok(Jitter {
        duration_ns: last - start,
        threshold_ns,
        count,
        stolen_ns,
        p50_ns: q(0.5),
        p99_ns: q(0.99),
        max_ns: gaps.max(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that advances 20 ns per read, with scripted stalls after given reads.
    fn scripted(stalls: &'static [(u64, u64)]) -> impl FnMut() -> u64 {
        let (mut t, mut reads) = (1_000u64, 0u64);
        move || {
            reads += 1;
            t += 20 + stalls.iter().find(|(at, _)| *at == reads).map_or(0, |(_, len)| *len);
            t
        }
    }

    #[test]
    fn counts_exactly_the_scripted_stalls() {
        let j = scan(scripted(&[(100, 5_000), (2_000, 40_000), (3_000, 700)]), 1_000_000, 1_000)
            .expect("histogram");
        assert_eq!(j.count, 2, "the 720 ns gap is below the threshold");
        assert_eq!(j.stolen_ns, 5_020 + 40_020);
        assert!((j.max_ns as i64 - 40_020).abs() <= 40, "max {}", j.max_ns);
        assert!(j.duration_ns >= 1_000_000);
        let expected_share = 45_040.0 / j.duration_ns as f64;
        assert!((j.stolen_share() - expected_share).abs() < 1e-12);
    }

    #[test]
    fn a_quiet_clock_reports_nothing() {
        let j = scan(scripted(&[]), 100_000, 1_000).expect("histogram");
        assert_eq!((j.count, j.stolen_ns, j.p50_ns, j.max_ns), (0, 0, 0, 0));
        assert_eq!(j.per_second(), 0.0);
    }

    /// The real probe, made to share its CPUs with busy threads: the scheduler must take
    /// the CPU away from it, and it must notice.
    #[test]
    fn sees_time_taken_by_competing_threads() {
        use std::sync::atomic::{AtomicBool, Ordering};
        use std::sync::Arc;
        let cpus = std::thread::available_parallelism().map_or(2, |n| n.get());
        let stop = Arc::new(AtomicBool::new(false));
        let burners: Vec<_> = (0..cpus * 2)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        std::hint::spin_loop();
                    }
                })
            })
            .collect();
        let j = measure(300_000_000, 1_000).expect("histogram");
        stop.store(true, Ordering::Relaxed);
        for b in burners {
            b.join().expect("burner thread");
        }
        // Three threads per CPU: fair scheduling leaves the probe about a third of one.
        assert!(j.stolen_share() > 0.2, "{j:?}");
        assert!(j.count > 0 && j.max_ns >= j.p50_ns);
    }
}
