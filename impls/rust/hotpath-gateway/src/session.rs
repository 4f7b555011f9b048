//! The protocol's state machine: one frame in, one reply frame out, no sockets.
//!
//! Both engine shapes (on the I/O task, on its own thread) and the ZeroMQ echo floor run
//! this same code, so they differ only in where it runs; the tests drive it directly.

use std::collections::BTreeMap;

use hotpath_core::digest::ReportDigest;
use hotpath_core::engine::Canary;
use hotpath_core::format::{
    decode_events, error_frame, records_as_bytes, text_frame, EventRecord, ReportRecord, ScenarioMeta,
    WireHeader, WireKind, WireReject, WIRE_HEADER_SIZE,
};
use hotpath_core::Engine;

use crate::drop_copy::GatewayCopy;
use crate::options::DropCopyTarget;

/// What sits behind the protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The hot path: every EVENTS frame goes through the engine.
    Engine,
    /// The floor: frames are checked and answered with no pipeline behind them.
    Echo,
}

/// Counts kept per session (FINISHED) and over the gateway's life (the stopped line).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Frames received (any kind, well-formed or not).
    pub frames: u64,
    /// Events applied.
    pub events: u64,
    /// Reports sent.
    pub reports: u64,
    /// Frames refused, by reject code name.
    pub rejected: BTreeMap<&'static str, u64>,
}

impl Counters {
    fn reject(&mut self, code: WireReject) {
        *self.rejected.entry(code.name()).or_insert(0) += 1;
    }

    /// The counters as a JSON object.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "frames": self.frames,
            "events": self.events,
            "reports": self.reports,
            "rejected_frames": self.rejected,
        })
    }
}

struct Open {
    engine: Option<Engine>,
    next_index: u64,
    digest: ReportDigest,
    counters: Counters,
}

/// A gateway's protocol state: at most one open session.
pub struct Session {
    backend: Backend,
    name: &'static str,
    engine_shape: &'static str,
    open: Option<Open>,
    /// Over the gateway's whole life.
    pub totals: Counters,
    /// Sessions started.
    pub sessions: u64,
    events: Vec<EventRecord>,
    reports: Vec<ReportRecord>,
    /// `--drop-copy`: each session's reports published to Redis.
    copy: Option<GatewayCopy>,
}

impl Session {
    /// A gateway named `name` (in READY), running `engine_shape` (`inline`, `thread`, `echo`).
    pub fn new(backend: Backend, name: &'static str, engine_shape: &'static str) -> Session {
        Session {
            backend,
            name,
            engine_shape,
            open: None,
            totals: Counters::default(),
            sessions: 0,
            events: Vec::with_capacity(4096),
            reports: Vec::with_capacity(4096),
            copy: None,
        }
    }

    /// Publishes every session's reports to `target` (docs/dropcopy.md).
    pub fn with_drop_copy(mut self, target: DropCopyTarget) -> Session {
        self.copy = Some(GatewayCopy::new(target));
        self
    }

    /// At shutdown: ends the open session's publishing pass and returns the drop-copy's
    /// summary (`None` without `--drop-copy`).
    pub fn finish_drop_copy(&mut self) -> Option<serde_json::Value> {
        self.copy.take().map(GatewayCopy::close)
    }

    /// Answers one frame: the reply replaces the contents of `out`.
    pub fn handle(&mut self, frame: &[u8], out: &mut Vec<u8>) {
        out.clear();
        self.totals.frames += 1;
        if let Some(open) = self.open.as_mut() {
            open.counters.frames += 1;
        }
        if let Err((code, message)) = self.dispatch(frame, out) {
            let seq = WireHeader::seq_of(frame);
            self.totals.reject(code);
            if let Some(open) = self.open.as_mut() {
                open.counters.reject(code);
            }
            *out = error_frame(seq, code, &message);
        }
    }

    fn dispatch(&mut self, frame: &[u8], out: &mut Vec<u8>) -> Result<(), (WireReject, String)> {
        let header = WireHeader::parse(frame)?;
        let payload = &frame[WIRE_HEADER_SIZE..];
        match header.kind {
            WireKind::Start => {
                header.check_payload(payload.len())?;
                self.start(payload, out)
            }
            WireKind::Events => {
                header.check_payload(payload.len())?;
                self.events(header.seq, payload, out)
            }
            WireKind::Finish => {
                header.check_payload(payload.len())?;
                self.finish(out)
            }
            other => Err((
                WireReject::UnknownKind,
                format!("kind {} ({}) is not sent to a gateway", other as u8, other.name()),
            )),
        }
    }

    fn start(&mut self, payload: &[u8], out: &mut Vec<u8>) -> Result<(), (WireReject, String)> {
        let engine = match self.backend {
            Backend::Echo => None,
            Backend::Engine => {
                let meta = ScenarioMeta::from_json("START frame", payload)
                    .map_err(|e| (WireReject::BadMetadata, e.to_string()))?;
                let mut engine = Engine::new(&meta).map_err(|e| (WireReject::BadMetadata, e.to_string()))?;
                // the regression gate's deliberate slowdowns reach this build as every other
                engine.set_canary(Canary::from_env().map_err(|e| (WireReject::BadMetadata, e.to_string()))?);
                Some(engine)
            }
        };
        self.open = Some(Open {
            engine,
            next_index: 0,
            digest: ReportDigest::default(),
            counters: Counters::default(),
        });
        self.sessions += 1;
        if let Some(copy) = self.copy.as_mut() {
            copy.begin(self.sessions);
        }
        let ready = serde_json::json!({"gateway": self.name, "engine": self.engine_shape});
        *out = text_frame(WireKind::Ready, ready.to_string().as_bytes());
        Ok(())
    }

    fn events(&mut self, seq: u64, payload: &[u8], out: &mut Vec<u8>) -> Result<(), (WireReject, String)> {
        let open = self.open.as_mut().ok_or((WireReject::NoSession, "EVENTS before START".to_owned()))?;
        let count = payload.len() / std::mem::size_of::<EventRecord>();
        self.reports.clear();
        if let Some(engine) = open.engine.as_mut() {
            decode_events(payload, &mut self.events)?;
            for ev in &self.events {
                engine.handle(open.next_index, ev, &mut self.reports);
                open.next_index += 1;
            }
            open.digest.update(&self.reports);
            if let Some(copy) = self.copy.as_mut() {
                copy.emit(&self.reports);
            }
        }
        let n = self.reports.len() as u64;
        open.counters.events += count as u64;
        open.counters.reports += n;
        self.totals.events += count as u64;
        self.totals.reports += n;
        let header = WireHeader { kind: WireKind::Reports, count: n as u32, seq };
        out.extend_from_slice(&header.to_bytes());
        out.extend_from_slice(records_as_bytes(&self.reports));
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>) -> Result<(), (WireReject, String)> {
        let open = self.open.take().ok_or((WireReject::NoSession, "FINISH before START".to_owned()))?;
        let mut summary = open.counters.to_json();
        let digest = open.engine.is_some().then(|| open.digest.finish_hex());
        summary["digest"] = serde_json::json!(digest);
        if let Some(figures) = self.copy.as_mut().and_then(GatewayCopy::end) {
            summary["drop_copy"] = figures;
        }
        *out = text_frame(WireKind::Finished, summary.to_string().as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotpath_core::digest::report_digest;
    use hotpath_core::format::WireHeader;

    fn meta_json() -> String {
        serde_json::json!({
            "schema": 1, "name": "t",
            "instruments": [{"id": 0, "symbol": "X", "tick_size": 1, "lot_size": 1, "band_bps": 500,
                             "max_order_qty": 1000, "max_price": 1_000_000}],
            "venues": [{"id": 0, "name": "V"}],
            "accounts": [{"id": 0, "name": "A", "limits": {"max_order_notional": 1_000_000_000, "max_gross_notional": 1_000_000_000,
                "max_position": [1_000_000], "rate_limit_count": 1000, "rate_limit_window_ns": 1_000_000_000,
                "max_open_orders": 100, "max_loss": 1_000_000_000}}]
        })
        .to_string()
    }

    fn events_frame(seq: u64, events: &[EventRecord]) -> Vec<u8> {
        let mut f =
            WireHeader { kind: WireKind::Events, count: events.len() as u32, seq }.to_bytes().to_vec();
        f.extend_from_slice(records_as_bytes(events));
        f
    }

    fn scenario() -> Vec<EventRecord> {
        let md = |ts, side, price| EventRecord { ts, kind: 1, side, price, qty: 10, ..Default::default() };
        let new = |ts, id, side, price| EventRecord {
            ts,
            id,
            kind: 3,
            side,
            order_type: 1,
            price,
            qty: 5,
            venue: 255,
            ..Default::default()
        };
        vec![
            md(1, 1, 99),
            md(2, 2, 101),
            new(3, 1, 1, 101),
            new(4, 2, 2, 120),
            md(5, 2, 102),
            new(6, 3, 1, 99),
        ]
    }

    fn header_of(out: &[u8]) -> WireHeader {
        WireHeader::parse(out).expect("a reply has a valid header")
    }

    #[test]
    fn a_session_over_frames_gives_the_in_process_report_stream() {
        let meta = ScenarioMeta::from_json("t", meta_json().as_bytes()).expect("meta");
        let events = scenario();
        let mut expected = Vec::new();
        Engine::new(&meta).expect("engine").replay(&events, &mut expected);
        assert!(!expected.is_empty());

        let mut s = Session::new(Backend::Engine, "wire-rust", "inline");
        let mut out = Vec::new();
        s.handle(&text_frame(WireKind::Start, meta_json().as_bytes()), &mut out);
        assert_eq!(header_of(&out).kind, WireKind::Ready);
        let mut got = Vec::new();
        for (seq, chunk) in (1u64..).zip(events.chunks(4)) {
            s.handle(&events_frame(seq, chunk), &mut out);
            let h = header_of(&out);
            assert_eq!((h.kind, h.seq), (WireKind::Reports, seq));
            got.extend_from_slice(&out[WIRE_HEADER_SIZE..]);
        }
        assert_eq!(got, records_as_bytes(&expected));
        s.handle(&WireHeader { kind: WireKind::Finish, count: 0, seq: 0 }.to_bytes(), &mut out);
        assert_eq!(header_of(&out).kind, WireKind::Finished);
        let summary: serde_json::Value = serde_json::from_slice(&out[WIRE_HEADER_SIZE..]).expect("json");
        assert_eq!(summary["digest"], serde_json::json!(report_digest(&expected)));
        assert_eq!(summary["events"], serde_json::json!(events.len()));
        assert_eq!(summary["frames"], serde_json::json!(3));
    }

    /// `event_index` of the first report in a REPORTS frame (offset 8 of the record).
    fn first_event_index(out: &[u8]) -> u64 {
        let at = WIRE_HEADER_SIZE + 8;
        u64::from_le_bytes(out[at..at + 8].try_into().expect("a report in the frame"))
    }

    fn reject_code(out: &[u8]) -> (u64, u8) {
        let h = header_of(out);
        assert_eq!(h.kind, WireKind::Error);
        (h.seq, out[WIRE_HEADER_SIZE])
    }

    #[test]
    fn malformed_frames_are_answered_counted_and_change_nothing() {
        let mut s = Session::new(Backend::Engine, "wire-rust", "inline");
        let mut out = Vec::new();
        s.handle(&events_frame(4, &scenario()[..1]), &mut out);
        assert_eq!(reject_code(&out), (4, WireReject::NoSession as u8));
        s.handle(&text_frame(WireKind::Start, b"{not json"), &mut out);
        assert_eq!(reject_code(&out).1, WireReject::BadMetadata as u8);
        s.handle(&text_frame(WireKind::Start, meta_json().as_bytes()), &mut out);
        s.handle(&[1, 2, 3], &mut out);
        assert_eq!(reject_code(&out), (0, WireReject::TooShort as u8));
        let mut short = events_frame(5, &scenario()[..2]);
        short.pop();
        s.handle(&short, &mut out);
        assert_eq!(reject_code(&out), (5, WireReject::BadSize as u8));
        let mut bad = scenario();
        bad[1].kind = 99;
        s.handle(&events_frame(6, &bad), &mut out);
        assert_eq!(reject_code(&out), (6, WireReject::BadRecord as u8));
        s.handle(&text_frame(WireKind::Reports, b""), &mut out);
        assert_eq!(reject_code(&out).1, WireReject::UnknownKind as u8);
        // nothing was applied: the first good frame is event 0
        s.handle(&events_frame(7, &scenario()), &mut out);
        assert_eq!(header_of(&out).kind, WireKind::Reports);
        assert_eq!(first_event_index(&out), 2);
        assert_eq!(s.totals.rejected.values().sum::<u64>(), 6);
        assert_eq!(s.totals.events, scenario().len() as u64);
    }

    #[test]
    fn echo_answers_every_events_frame_empty() {
        let mut s = Session::new(Backend::Echo, "zmq-echo", "echo");
        let mut out = Vec::new();
        s.handle(&text_frame(WireKind::Start, b"{}"), &mut out);
        s.handle(&events_frame(9, &scenario()), &mut out);
        assert_eq!(header_of(&out), WireHeader { kind: WireKind::Reports, count: 0, seq: 9 });
        assert_eq!(out.len(), WIRE_HEADER_SIZE);
    }
}
