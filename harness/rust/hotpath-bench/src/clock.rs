//! Waiting on the monotonic clock: how the native loop holds an event until it is due.
//!
//! The clock itself is `hotpath_core::clock` (the stage probe of the builds reads it too);
//! it is re-exported here so the measuring side names one clock.

pub use hotpath_core::clock::monotonic_ns;

/// Waits until [`monotonic_ns`] reaches `deadline`; returns the time spent *spinning*
/// (busy CPU that is the driver's, not the pipeline's).
///
/// Gaps up to twice `spin_ns` are busy-polled, as a low-latency loop would, so the core
/// and its caches stay warm; only longer idle stretches sleep (until `spin_ns` before the
/// deadline), so a quiet scenario does not burn a core for nothing.
#[inline]
pub fn wait_until(deadline: u64, spin_ns: u64) -> u64 {
    let now = monotonic_ns();
    if now >= deadline {
        return 0;
    }
    if deadline - now > spin_ns.saturating_mul(2) {
        std::thread::sleep(std::time::Duration::from_nanos(deadline - now - spin_ns));
    }
    let spin_start = monotonic_ns();
    let mut t = spin_start;
    while t < deadline {
        std::hint::spin_loop();
        t = monotonic_ns();
    }
    t.saturating_sub(spin_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_until_does_not_return_early() {
        for gap in [0u64, 10_000, 300_000, 3_000_000] {
            let deadline = monotonic_ns() + gap;
            wait_until(deadline, 200_000);
            assert!(monotonic_ns() >= deadline, "gap {gap}");
        }
        assert_eq!(wait_until(0, 200_000), 0, "past deadlines do not wait");
    }
}
