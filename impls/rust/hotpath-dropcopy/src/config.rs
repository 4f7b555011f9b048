//! A publishing pass's settings, with the defaults of docs/dropcopy.md.

use std::time::Duration;

use crate::error::DropCopyError;
use crate::layout::MAX_ENTRY_REPORTS;

/// The contract's position-snapshot cadence (docs/dropcopy.md).
pub const DEFAULT_SNAPSHOT_EVERY: u64 = 10_000;

/// Where and how a pass publishes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropCopyConfig {
    /// `redis://host:port[/db]`.
    pub url: String,
    /// Key prefix `P`: the streams are `P:reports` and `P:positions`.
    pub prefix: String,
    /// A position snapshot after every report whose seq is a multiple of this.
    pub snapshot_every: u64,
    /// Most reports per `P:reports` entry (1 … 256).
    pub batch: usize,
    /// Reports the ring between the hot path and the publisher holds.
    pub ring_capacity: usize,
    /// Most reports the publisher keeps unacknowledged (while Redis is away).
    pub outbox_cap: usize,
    /// How long the publisher sleeps when the ring is empty.
    pub poll: Duration,
    /// Run the publisher thread under `SCHED_IDLE` ([`crate::priority`]).
    pub idle_priority: bool,
    /// How long [`crate::Publisher::finish`] may take to get everything confirmed.
    pub finish_timeout: Duration,
}

impl DropCopyConfig {
    /// The defaults: a snapshot every 10,000 reports, entries of up to 256 reports, a ring
    /// of 4,096 reports (256 KiB, which stays in the engine core's cache: with 65,536, 4 MiB,
    /// every slot write missed it and rust-native's P99 rose +25…+74 % on volatility; with
    /// 4,096, no clear change, and 20 ms of a burst still fits), up to 4,000,000 kept unacknowledged, a 20 ms poll (measured: 1 ms
    /// cost rust-native 12 µs of CPU per order on volatility, 20 ms 2.3 µs; docs/dropcopy.md),
    /// 10 s to finish, the publisher thread at idle priority.
    pub fn new(url: impl Into<String>, prefix: impl Into<String>) -> DropCopyConfig {
        DropCopyConfig {
            url: url.into(),
            prefix: prefix.into(),
            snapshot_every: DEFAULT_SNAPSHOT_EVERY,
            batch: MAX_ENTRY_REPORTS,
            ring_capacity: 4_096,
            outbox_cap: 4_000_000,
            poll: Duration::from_millis(20),
            idle_priority: true,
            finish_timeout: Duration::from_secs(10),
        }
    }

    /// # Errors
    /// [`DropCopyError::Config`] naming the first field out of its range.
    pub(crate) fn check(&self) -> Result<(), DropCopyError> {
        let refuse = |field, message: String| Err(DropCopyError::Config { field, message });
        if self.prefix.is_empty() {
            return refuse("prefix", "is empty".into());
        }
        if self.snapshot_every == 0 {
            return refuse("snapshot_every", "must be at least 1".into());
        }
        if !(1..=MAX_ENTRY_REPORTS).contains(&self.batch) {
            return refuse("batch", format!("{} is not in 1..={MAX_ENTRY_REPORTS}", self.batch));
        }
        if self.ring_capacity == 0 {
            return refuse("ring_capacity", "must be at least 1".into());
        }
        if self.outbox_cap < self.batch {
            return refuse("outbox_cap", format!("{} is below batch {}", self.outbox_cap, self.batch));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones_and_bad_values_are_named() {
        let c = DropCopyConfig::new("redis://127.0.0.1:6379", "p");
        assert_eq!(
            (c.snapshot_every, c.batch, c.ring_capacity, c.outbox_cap),
            (10_000, 256, 4_096, 4_000_000)
        );
        assert_eq!((c.poll, c.finish_timeout), (Duration::from_millis(20), Duration::from_secs(10)));
        assert!(c.idle_priority);
        assert!(c.check().is_ok());
        for (bad, field) in [
            (DropCopyConfig { batch: 257, ..c.clone() }, "batch"),
            (DropCopyConfig { batch: 0, ..c.clone() }, "batch"),
            (DropCopyConfig { snapshot_every: 0, ..c.clone() }, "snapshot_every"),
            (DropCopyConfig { prefix: String::new(), ..c.clone() }, "prefix"),
            (DropCopyConfig { ring_capacity: 0, ..c.clone() }, "ring_capacity"),
            (DropCopyConfig { outbox_cap: 10, ..c.clone() }, "outbox_cap"),
        ] {
            let err = bad.check().expect_err(field).to_string();
            assert!(err.contains(field), "{err}");
        }
    }
}
