//! The monotonic clock shared with Python.
//!
//! `std::time::Instant` is opaque; the lab needs absolute `CLOCK_MONOTONIC` nanoseconds so
//! that stamps taken in Rust line up with `time.perf_counter_ns()` taken in Python.
#![allow(unsafe_code)]

/// Nanoseconds of `CLOCK_MONOTONIC` (what `time.perf_counter_ns()` returns on Linux).
#[inline]
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable `timespec` owned by this frame and
    // `CLOCK_MONOTONIC` is always supported on Linux, so the call only writes into `ts`.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    debug_assert_eq!(rc, 0);
    (ts.tv_sec as u64).wrapping_mul(1_000_000_000).wrapping_add(ts.tv_nsec as u64)
}

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
    fn is_monotonic_and_advances() {
        let a = monotonic_ns();
        let b = monotonic_ns();
        assert!(b >= a);
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(monotonic_ns() - a >= 2_000_000);
    }

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
