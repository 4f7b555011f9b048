//! What a publishing pass did: the publisher figures of docs/dropcopy.md, the same keys in
//! both languages.

/// The figures of one publishing pass.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DropCopyStats {
    /// Reports emitted into the feed, overflowed ones included.
    pub produced: u64,
    /// Reports Redis holds (acknowledged, refused as duplicates, or found on resume):
    /// `published_live + backfilled`.
    pub published: u64,
    /// Of those, reports handed over through the ring during the pass.
    pub published_live: u64,
    /// Of those, reports published from the report log when the pass finished.
    pub backfilled: u64,
    /// `P:reports` entries written.
    pub entries: u64,
    /// `P:positions` entries written.
    pub snapshots: u64,
    /// Connections re-established after one failed.
    pub reconnects: u64,
    /// Entries (of either stream) Redis refused because it already held them.
    pub refused_duplicates: u64,
    /// Reports Redis acknowledged and no longer held after a restart.
    pub lost_on_server: u64,
    /// Reports not published when the finish deadline ran out (`produced − published`).
    pub unpublished: u64,
    /// Reports the ring had no room for (published later from the log, if given).
    pub overflowed: u64,
    /// Most reports produced and not yet acknowledged at once, sampled at each poll.
    pub max_lag: u64,
    /// Seconds without a connection to Redis.
    pub outage_s: f64,
    /// What went wrong, if anything did that the counts alone do not say.
    pub error: Option<String>,
}

/// One figure's value.
#[derive(Clone, Debug, PartialEq)]
pub enum StatValue {
    /// A count.
    Count(u64),
    /// Seconds.
    Seconds(f64),
    /// A message, or none.
    Text(Option<String>),
}

impl DropCopyStats {
    /// The figure names, in the order [`DropCopyStats::figures`] lists them.
    pub const NAMES: [&'static str; 14] = [
        "produced",
        "published",
        "published_live",
        "backfilled",
        "entries",
        "snapshots",
        "reconnects",
        "refused_duplicates",
        "lost_on_server",
        "unpublished",
        "overflowed",
        "max_lag",
        "outage_s",
        "error",
    ];

    /// A pass that could not publish at all: every report it produced is unpublished.
    pub fn failed(produced: u64, error: String) -> DropCopyStats {
        DropCopyStats { produced, unpublished: produced, error: Some(error), ..Default::default() }
    }

    /// `(name, value)` for every figure, in [`DropCopyStats::NAMES`] order: what the
    /// bindings turn into a dict and the gateway into JSON.
    pub fn figures(&self) -> Vec<(&'static str, StatValue)> {
        use StatValue::{Count, Seconds, Text};
        let values = [
            Count(self.produced),
            Count(self.published),
            Count(self.published_live),
            Count(self.backfilled),
            Count(self.entries),
            Count(self.snapshots),
            Count(self.reconnects),
            Count(self.refused_duplicates),
            Count(self.lost_on_server),
            Count(self.unpublished),
            Count(self.overflowed),
            Count(self.max_lag),
            Seconds(self.outage_s),
            Text(self.error.clone()),
        ];
        Self::NAMES.into_iter().zip(values).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_is_listed_once_under_its_documented_name() {
        let s = DropCopyStats { produced: 3, outage_s: 0.5, error: Some("x".into()), ..Default::default() };
        let figures = s.figures();
        assert_eq!(figures.len(), 14);
        assert_eq!(figures[0], ("produced", StatValue::Count(3)));
        assert_eq!(figures[12], ("outage_s", StatValue::Seconds(0.5)));
        assert_eq!(figures[13], ("error", StatValue::Text(Some("x".into()))));
        let f = DropCopyStats::failed(7, "down".into());
        assert_eq!((f.produced, f.unpublished, f.published), (7, 7, 0));
    }
}
