//! The monotonic clock every stamp of the lab is taken on.
//!
//! `std::time::Instant` is opaque; stamps must be absolute `CLOCK_MONOTONIC` nanoseconds so
//! that those taken in Rust (the stage probe, the native loop) line up with
//! `time.perf_counter_ns()` taken in Python. This is the one place that reads the clock.

/// Nanoseconds of `CLOCK_MONOTONIC` (what `time.perf_counter_ns()` returns on Linux).
#[inline]
#[allow(unsafe_code)]
pub fn monotonic_ns() -> u64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable `timespec` owned by this frame and
    // `CLOCK_MONOTONIC` is always supported on Linux, so the call only writes into `ts`.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    debug_assert_eq!(rc, 0);
    (ts.tv_sec as u64).wrapping_mul(1_000_000_000).wrapping_add(ts.tv_nsec as u64)
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
}
