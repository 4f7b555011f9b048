//! How the strategy notices a burst: market records per 10 ms bucket against a baseline
//! that tracks the quiet rate.

/// Bucket length, ns.
const BUCKET_NS: u64 = 10_000_000;
/// A bucket with fewer records than this is never a burst (noise at low rates).
const MIN_BURST_COUNT: f64 = 40.0;
/// Buckets averaged before the watch judges anything.
const WARM_UP: u32 = 20;
/// Weight of a quieter bucket in the baseline: it follows calm quickly.
const ALPHA_DOWN: f64 = 0.05;
/// Weight of a busier bucket: the baseline rises only over seconds of sustained activity.
const ALPHA_UP: f64 = 0.002;

/// The burst detector.
#[derive(Clone, Debug)]
pub struct BurstWatch {
    ratio: f64,
    bucket_start: u64,
    count: u64,
    slow: f64,
    warm: Vec<u64>,
    /// The previous bucket was over the threshold.
    hot: bool,
    /// A burst is under way.
    pub active: bool,
}

impl BurstWatch {
    /// A detector that fires when a bucket carries `ratio` times the slow average.
    pub fn new(ratio: f64, start: u64) -> Self {
        BurstWatch {
            ratio,
            bucket_start: start,
            count: 0,
            slow: 0.0,
            warm: Vec::with_capacity(WARM_UP as usize),
            hot: false,
            active: false,
        }
    }

    /// Counts a market event at `ts`; returns `true` when a burst has just started.
    pub fn on_event(&mut self, ts: u64) -> bool {
        let mut started = false;
        let mut closed = 0;
        while ts >= self.bucket_start + BUCKET_NS {
            started |= self.close_bucket();
            self.bucket_start += BUCKET_NS;
            closed += 1;
            if closed > 400 {
                // A long silence: skip ahead rather than closing empty buckets one by one.
                self.bucket_start = ts - ts % BUCKET_NS;
                break;
            }
        }
        self.count += 1;
        started
    }

    fn close_bucket(&mut self) -> bool {
        let fast = self.count as f64;
        self.count = 0;
        if self.warm.len() < WARM_UP as usize {
            // The lower quartile of the first buckets: an opening snapshot or an early
            // burst must not set the baseline.
            self.warm.push(fast as u64);
            let mut sorted = self.warm.clone();
            sorted.sort_unstable();
            self.slow = sorted[sorted.len() / 4] as f64;
            return false;
        }
        let was = self.active;
        // A burst is two busy buckets in a row, or one very busy one: a single large
        // message (a price move rewriting a book) is not a burst.
        let threshold = self.ratio * self.slow.max(1.0);
        let hot = fast > threshold && fast >= MIN_BURST_COUNT;
        self.active = hot && (self.hot || fast > 2.0 * threshold) || (was && fast > threshold / 2.0);
        self.hot = hot;
        // The baseline tracks the quiet rate: bursts barely move it, calm pulls it down.
        let alpha = if fast < self.slow { ALPHA_DOWN } else { ALPHA_UP };
        self.slow += alpha * (fast - self.slow);
        self.active && !was
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_once_when_the_rate_jumps_and_rearms_after() {
        let mut w = BurstWatch::new(5.0, 0);
        let mut t = 0u64;
        let mut starts = Vec::new();
        // 1 s at 10 events per bucket, 50 ms at 200 per bucket, 1 s calm, another burst.
        for (buckets, per) in [(200u64, 10u64), (10, 200), (200, 10), (10, 200), (2, 10)] {
            for _ in 0..buckets {
                for k in 0..per {
                    if w.on_event(t + k * BUCKET_NS / per) {
                        starts.push(t);
                    }
                }
                t += BUCKET_NS;
            }
        }
        assert_eq!(starts.len(), 2, "{starts:?}");
        assert!(starts[0] >= 200 * BUCKET_NS && starts[0] <= 202 * BUCKET_NS);
    }

    #[test]
    fn one_busy_bucket_is_not_a_burst() {
        let mut w = BurstWatch::new(5.0, 0);
        let mut t = 0u64;
        let mut fired = false;
        for bucket in 0..300u64 {
            let per = if bucket == 150 { 90 } else { 10 };
            for k in 0..per {
                fired |= w.on_event(t + k * BUCKET_NS / per);
            }
            t += BUCKET_NS;
        }
        assert!(!fired, "a lone spike of 9x the baseline (below twice the threshold) is ignored");
    }
}
