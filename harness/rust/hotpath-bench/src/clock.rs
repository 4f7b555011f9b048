//! Waiting on the monotonic clock: how the native loop holds an event until it is due.
//!
//! The clock itself is `hotpath_core::clock` (the stage probe of the builds reads it too);
//! it is re-exported here so the measuring side names one clock.

pub use hotpath_core::clock::monotonic_ns;

/// A gap this long between two clock reads of the spin loop means the thread was not
/// running (the noise-floor probe's default threshold): wall time, but no CPU time.
pub const GAP_NS: u64 = 1_000;

/// What one wait cost: wall time spent busy-polling, and the part of it in which the
/// polling thread was not running (so not CPU the driver spent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spin {
    /// Wall time busy-polling.
    pub spun_ns: u64,
    /// Of `spun_ns`, the gaps longer than [`GAP_NS`] between two reads of the clock.
    pub lost_ns: u64,
}

impl std::ops::AddAssign for Spin {
    fn add_assign(&mut self, other: Spin) {
        self.spun_ns += other.spun_ns;
        self.lost_ns += other.lost_ns;
    }
}

/// Waits until [`monotonic_ns`] reaches `deadline`; returns the time spent *spinning*
/// (the driver's, not the pipeline's) and how much of it the thread was descheduled.
///
/// Gaps up to twice `spin_ns` are busy-polled, as a low-latency loop would, so the core
/// and its caches stay warm; only longer idle stretches sleep (until `spin_ns` before the
/// deadline), so a quiet scenario does not burn a core for nothing. The gap check runs
/// between clock reads, never after the last one, so it does not delay the dispatch.
#[inline]
pub fn wait_until(deadline: u64, spin_ns: u64) -> Spin {
    let now = monotonic_ns();
    if now >= deadline {
        return Spin::default();
    }
    if deadline - now > spin_ns.saturating_mul(2) {
        std::thread::sleep(std::time::Duration::from_nanos(deadline - now - spin_ns));
    }
    let spin_start = monotonic_ns();
    let mut last = spin_start;
    let mut lost_ns = 0;
    while last < deadline {
        std::hint::spin_loop();
        let t = monotonic_ns();
        if t - last > GAP_NS {
            lost_ns += t - last;
        }
        last = t;
    }
    Spin { spun_ns: last.saturating_sub(spin_start), lost_ns }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_lost_while_spinning_is_part_of_the_spin() {
        // 3 ms, all of it busy-polled (no sleep below 2 × 5 ms); what the thread loses to
        // interrupts is counted inside the spin, never beyond it
        let s = wait_until(monotonic_ns() + 3_000_000, 5_000_000);
        assert!(s.spun_ns >= 2_900_000 && s.lost_ns <= s.spun_ns, "{s:?}");
    }

    #[test]
    fn wait_until_does_not_return_early() {
        for gap in [0u64, 10_000, 300_000, 3_000_000] {
            let deadline = monotonic_ns() + gap;
            wait_until(deadline, 200_000);
            assert!(monotonic_ns() >= deadline, "gap {gap}");
        }
        assert_eq!(wait_until(0, 200_000), Spin::default(), "past deadlines do not wait");
    }
}
