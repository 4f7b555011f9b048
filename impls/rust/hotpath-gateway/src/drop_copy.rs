//! `--drop-copy`: the gateway's reports published to Redis Streams off the hot path
//! (docs/dropcopy.md), one publishing pass per session.
//!
//! A session's reports are numbered from seq 1 (each START makes a fresh engine), and a
//! stream's entries must follow each other from seq 1, so each session publishes under a
//! prefix of its own: `P:session-<k>`, `k` the gateway's session count (1 for the first
//! START, 2 after a warm-up session, …). The hot path's cost is one copy of each frame's
//! reports into the publisher's ring; reports that find the ring full are kept aside
//! (only then) and published from there when the session finishes.

use hotpath_core::format::ReportRecord;
use hotpath_dropcopy::{start, DropCopyConfig, DropCopyStats, Publisher, ReportFeed, StatValue};

use crate::options::DropCopyTarget;

/// The publishing pass of the open session.
enum Pass {
    Publishing {
        feed: ReportFeed,
        publisher: Publisher,
        /// Reports the ring had no room for, in order (empty unless it overflowed).
        spill: Vec<ReportRecord>,
    },
    /// The publisher could not start; the session's reports are only counted.
    Failed { error: String, produced: u64 },
}

/// The drop-copy over a gateway's life: the open session's pass and the figures of
/// every finished one.
pub struct GatewayCopy {
    target: DropCopyTarget,
    open: Option<(u64, Pass)>,
    finished: Vec<serde_json::Value>,
}

impl GatewayCopy {
    /// Publishes to `target` from the next session on.
    pub fn new(target: DropCopyTarget) -> GatewayCopy {
        GatewayCopy { target, open: None, finished: Vec::new() }
    }

    /// The prefix session `session` publishes under.
    pub fn session_prefix(&self, session: u64) -> String {
        format!("{}:session-{session}", self.target.prefix)
    }

    /// Session `session` started: ends a pass left open by a session that was never
    /// finished, and starts this one's. A Redis that cannot be reached does not stop the
    /// session: the failure is in its figures.
    pub fn begin(&mut self, session: u64) {
        self.end();
        let config = DropCopyConfig {
            snapshot_every: self.target.snapshot_every,
            ..DropCopyConfig::new(self.target.url.clone(), self.session_prefix(session))
        };
        let pass = match start(config) {
            Ok((feed, publisher)) => Pass::Publishing { feed, publisher, spill: Vec::new() },
            Err(e) => Pass::Failed { error: e.to_string(), produced: 0 },
        };
        self.open = Some((session, pass));
    }

    /// The reports of one frame, in order.
    #[inline]
    pub fn emit(&mut self, reports: &[ReportRecord]) {
        match &mut self.open {
            Some((_, Pass::Publishing { feed, spill, .. })) => {
                let handed = feed.emit_slice(reports);
                if handed < reports.len() {
                    spill.extend_from_slice(&reports[handed..]);
                }
            }
            Some((_, Pass::Failed { produced, .. })) => *produced += reports.len() as u64,
            None => {}
        }
    }

    /// Ends the open session's pass (every report confirmed, or the 10 s deadline) and
    /// returns its figures, with `session` and `prefix`; `None` if no pass is open.
    pub fn end(&mut self) -> Option<serde_json::Value> {
        let (session, pass) = self.open.take()?;
        let stats = match pass {
            Pass::Publishing { feed, publisher, spill } => publisher.finish(feed, Some(&spill)),
            Pass::Failed { error, produced } => DropCopyStats::failed(produced, error),
        };
        let mut figures = stats_json(&stats);
        figures["session"] = serde_json::json!(session);
        figures["prefix"] = serde_json::json!(self.session_prefix(session));
        self.finished.push(figures.clone());
        Some(figures)
    }

    /// At shutdown: ends the open pass, if any, and returns the whole life's summary:
    /// `url`, `prefix` and every session's figures.
    pub fn close(mut self) -> serde_json::Value {
        self.end();
        serde_json::json!({
            "url": self.target.url,
            "prefix": self.target.prefix,
            "sessions": self.finished,
        })
    }
}

/// The publisher figures as a JSON object.
pub fn stats_json(stats: &DropCopyStats) -> serde_json::Value {
    let map = stats
        .figures()
        .into_iter()
        .map(|(name, value)| {
            let v = match value {
                StatValue::Count(n) => serde_json::json!(n),
                StatValue::Seconds(s) => serde_json::json!(s),
                StatValue::Text(t) => serde_json::json!(t),
            };
            (name.to_owned(), v)
        })
        .collect();
    serde_json::Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_whose_publisher_cannot_start_counts_its_reports_unpublished() {
        let port =
            std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let target = DropCopyTarget {
            url: format!("redis://127.0.0.1:{port}"),
            prefix: "gw".into(),
            snapshot_every: hotpath_dropcopy::DEFAULT_SNAPSHOT_EVERY,
        };
        let mut copy = GatewayCopy::new(target);
        copy.begin(2);
        copy.emit(&[ReportRecord { seq: 1, ..Default::default() }; 3]);
        let figures = copy.end().expect("a pass was open");
        assert_eq!(figures["session"], 2);
        assert_eq!(figures["prefix"], "gw:session-2");
        assert_eq!((figures["produced"].as_u64(), figures["unpublished"].as_u64()), (Some(3), Some(3)));
        assert!(figures["error"].as_str().is_some_and(|e| e.contains(&format!("127.0.0.1:{port}"))));
        let summary = copy.close();
        assert_eq!(summary["sessions"].as_array().map(Vec::len), Some(1));
        assert_eq!(summary["prefix"], "gw");
    }
}
