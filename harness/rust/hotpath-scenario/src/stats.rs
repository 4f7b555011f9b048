//! What a generation run produced, for the file metadata and for tests.

use std::collections::BTreeMap;

use hotpath_core::format::{EventKind, EventRecord, Reason};
use serde::Serialize;

/// Counters of one run. Serialised (keys sorted) into the scenario metadata's `source`.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct Stats {
    /// Records by kind name (`BOOK_DELTA`, `TRADE`, `NEW_ORDER`, `CANCEL`, `REPLACE`).
    pub records: BTreeMap<&'static str, u64>,
    /// Requests built to be rejected, by the reason they aim at.
    pub intended_rejects: BTreeMap<&'static str, u64>,
    /// Rejects the strategy's estimate of the pipeline predicts (intended and genuine).
    pub estimated_rejects: BTreeMap<&'static str, u64>,
    /// Fills the estimate predicts.
    pub estimated_fills: u64,
    /// Accounts whose kill switch the estimate trips, in order.
    pub estimated_halts: Vec<u16>,
    /// Cancel storms the strategy ran.
    pub cancel_storms: u64,
    /// Hedges the strategy sent.
    pub hedges: u64,
    /// The market model's own counters (absent for an overlay on external data).
    pub market: Option<MarketStats>,
}

/// Counters of the market model.
#[derive(Clone, Debug, Default, Serialize, PartialEq)]
pub struct MarketStats {
    /// Model messages (each emits one or more records).
    pub messages: u64,
    /// Bursts started.
    pub bursts: u64,
    /// Highest burst multiplier reached.
    pub peak_burst_multiplier: f64,
    /// Price jumps.
    pub jumps: u64,
}

impl Stats {
    /// Counts one record of the output stream.
    pub fn count_record(&mut self, e: &EventRecord) {
        if let Some(k) = EventKind::from_u8(e.kind) {
            *self.records.entry(k.name()).or_default() += 1;
        }
    }

    /// Counts a request built to be rejected with `reason`.
    pub fn intend(&mut self, reason: Reason) {
        *self.intended_rejects.entry(reason.name()).or_default() += 1;
    }

    /// Counts a reject the estimate predicts.
    pub fn estimate_reject(&mut self, reason: Reason) {
        *self.estimated_rejects.entry(reason.name()).or_default() += 1;
    }

    /// Records of `kind`.
    pub fn count(&self, kind: EventKind) -> u64 {
        self.records.get(kind.name()).copied().unwrap_or(0)
    }

    /// Requests aimed at `reason`.
    pub fn intended(&self, reason: Reason) -> u64 {
        self.intended_rejects.get(reason.name()).copied().unwrap_or(0)
    }

    /// Rejects with `reason` the estimate predicts.
    pub fn estimated(&self, reason: Reason) -> u64 {
        self.estimated_rejects.get(reason.name()).copied().unwrap_or(0)
    }

    /// Order requests (NEW, CANCEL, REPLACE).
    pub fn requests(&self) -> u64 {
        self.count(EventKind::NewOrder) + self.count(EventKind::Cancel) + self.count(EventKind::Replace)
    }

    /// Market-data records (BOOK_DELTA, TRADE).
    pub fn market_data(&self) -> u64 {
        self.count(EventKind::BookDelta) + self.count(EventKind::Trade)
    }
}
