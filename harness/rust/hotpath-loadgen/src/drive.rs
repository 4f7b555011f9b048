//! One session over the wire: START, the events in paced frames, FINISH.
//!
//! A single task on a current-thread runtime does everything, busy-polling: each turn it
//! writes every event already due as one frame (if the window allows), then polls the link
//! for an answer once (`select!` against a yield, which makes the runtime poll epoll with a
//! zero timeout instead of sleeping). Stamps are `CLOCK_MONOTONIC` ns, the clock of every
//! other driver of the lab.

use std::collections::VecDeque;

use bytes::Bytes;
use hotpath_bench::pacing::Pace;
use hotpath_bench::timing::EventTimes;
use hotpath_core::clock::monotonic_ns;
use hotpath_core::format::{
    encode_records, records_as_bytes, text_frame, EventRecord, WireHeader, WireKind, WireReject,
    EVENT_RECORD_SIZE, REPORT_RECORD_SIZE, WIRE_HEADER_SIZE,
};

use crate::error::LoadgenError;
use crate::link::Link;

/// How a session is paced and bounded.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    /// The pacing.
    pub pace: Pace,
    /// Most events per frame.
    pub max_batch: usize,
    /// Most frames unanswered.
    pub window: usize,
    /// Give up after this long without any answer.
    pub timeout_ns: u64,
}

/// What a session produced besides the stamps.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The monotonic time the schedule starts from.
    pub t0: u64,
    /// First write to last answer.
    pub wall_ns: u64,
    /// EVENTS frames sent.
    pub frames: u64,
    /// Largest number of events in one frame.
    pub batch_max: usize,
    /// Most frames unanswered at once.
    pub in_flight_max: usize,
    /// Every report record received, in order.
    pub report_bytes: Vec<u8>,
    /// The gateway's FINISHED summary.
    pub finished: serde_json::Value,
    /// ERROR frames received, by code name.
    pub errors: std::collections::BTreeMap<String, u64>,
}

/// Runs one session of `events` (scenario metadata `meta_json`), stamping `times`.
///
/// # Errors
/// [`LoadgenError::Target`] if the target does not answer in time, answers out of order or
/// with something that is not a frame.
pub async fn session(
    link: &mut Link,
    target: &str,
    meta_json: &[u8],
    events: &[EventRecord],
    plan: Plan,
    times: &mut EventTimes,
) -> Result<Outcome, LoadgenError> {
    let fail = |message: String| LoadgenError::Target { target: target.to_owned(), message };
    let mut out = Outcome::default();

    link.send(text_frame(WireKind::Start, meta_json)).await.map_err(|e| fail(format!("START: {e}")))?;
    let ready = answer(link, plan.timeout_ns, &fail).await?;
    expect_kind(&ready, WireKind::Ready, "START", &fail)?;

    let ts0 = events.first().map_or(0, |e| e.ts);
    // a short lead so the first events are not already late when the loop starts
    let t0 = monotonic_ns() + 1_000_000;
    out.t0 = t0;
    for (i, ev) in events.iter().enumerate() {
        times.intended[i] = plan.pace.offset_ns(i, ev.ts, ts0).map_or(0, |o| t0 + o);
    }
    let closed_loop = matches!(plan.pace, Pace::Max);
    let mut in_flight: VecDeque<(u64, usize, usize)> = VecDeque::with_capacity(plan.window);
    let (mut next, mut seq) = (0usize, 0u64);
    let mut first_send = 0u64;
    let mut last_progress = monotonic_ns();
    while next < events.len() || !in_flight.is_empty() {
        let now = monotonic_ns();
        if next < events.len() && in_flight.len() < plan.window {
            let end = (next + plan.max_batch).min(events.len());
            let due = if closed_loop {
                end - next
            } else {
                times.intended[next..end].iter().take_while(|&&t| t <= now).count()
            };
            if due > 0 {
                seq += 1;
                // a frame is handed to the socket, not copied: built once, at its own size
                let mut frame = Vec::with_capacity(WIRE_HEADER_SIZE + due * EVENT_RECORD_SIZE);
                encode_records(
                    &mut frame,
                    WireKind::Events,
                    seq,
                    records_as_bytes(&events[next..next + due]),
                    due,
                );
                let sent_at = monotonic_ns();
                if first_send == 0 {
                    first_send = sent_at;
                }
                for i in next..next + due {
                    times.start[i] = sent_at;
                    if closed_loop {
                        times.intended[i] = sent_at;
                    }
                }
                link.send(frame).await.map_err(|e| fail(format!("sending frame {seq}: {e}")))?;
                in_flight.push_back((seq, next, due));
                out.frames += 1;
                out.batch_max = out.batch_max.max(due);
                out.in_flight_max = out.in_flight_max.max(in_flight.len());
                next += due;
                last_progress = monotonic_ns();
            }
        }
        let received = tokio::select! {
            biased;
            r = link.recv() => Some(r.map_err(|e| fail(format!("receiving: {e}")))?),
            _ = tokio::task::yield_now() => None,
        };
        let now = monotonic_ns();
        let Some(reply) = received else {
            if !in_flight.is_empty() && now - last_progress > plan.timeout_ns {
                return Err(fail(format!(
                    "no answer to frame {} within {} s",
                    in_flight[0].0,
                    plan.timeout_ns / 1_000_000_000
                )));
            }
            continue;
        };
        last_progress = now;
        let h =
            WireHeader::parse(&reply).map_err(|(_, m)| fail(format!("a reply that is not a frame: {m}")))?;
        let Some(&(want, first, n)) = in_flight.front() else {
            return Err(fail(format!("an unsolicited {} frame", h.kind.name())));
        };
        if h.seq != want {
            return Err(fail(format!(
                "answer to frame {} while frame {want} was the oldest unanswered",
                h.seq
            )));
        }
        in_flight.pop_front();
        match h.kind {
            WireKind::Reports => {
                let payload = &reply[WIRE_HEADER_SIZE..];
                if payload.len() != h.count as usize * REPORT_RECORD_SIZE {
                    return Err(fail(format!(
                        "REPORTS frame {} carries {} bytes for {} reports",
                        h.seq,
                        payload.len(),
                        h.count
                    )));
                }
                out.report_bytes.extend_from_slice(payload);
                times.end[first..first + n].fill(now);
            }
            WireKind::Error => {
                let code = reply
                    .get(WIRE_HEADER_SIZE)
                    .and_then(|&c| WireReject::from_u8(c))
                    .map_or("?", |c| c.name());
                *out.errors.entry(code.to_owned()).or_insert(0) += 1;
            }
            other => return Err(fail(format!("a {} frame answering EVENTS frame {want}", other.name()))),
        }
    }
    out.wall_ns = monotonic_ns().saturating_sub(first_send);

    link.send(WireHeader { kind: WireKind::Finish, count: 0, seq: 0 }.to_bytes().to_vec())
        .await
        .map_err(|e| fail(format!("FINISH: {e}")))?;
    let finished = answer(link, plan.timeout_ns, &fail).await?;
    expect_kind(&finished, WireKind::Finished, "FINISH", &fail)?;
    out.finished = serde_json::from_slice(&finished[WIRE_HEADER_SIZE..]).unwrap_or(serde_json::Value::Null);
    Ok(out)
}

async fn answer(
    link: &mut Link,
    timeout_ns: u64,
    fail: &impl Fn(String) -> LoadgenError,
) -> Result<Bytes, LoadgenError> {
    match tokio::time::timeout(std::time::Duration::from_nanos(timeout_ns), link.recv()).await {
        Ok(reply) => reply.map_err(|e| fail(format!("receiving: {e}"))),
        Err(_) => Err(fail(format!("no answer within {} s", timeout_ns / 1_000_000_000))),
    }
}

fn expect_kind(
    frame: &[u8],
    kind: WireKind,
    to: &str,
    fail: &impl Fn(String) -> LoadgenError,
) -> Result<(), LoadgenError> {
    let h = WireHeader::parse(frame).map_err(|(_, m)| fail(format!("answer to {to} is not a frame: {m}")))?;
    if h.kind == kind {
        return Ok(());
    }
    let detail = if h.kind == WireKind::Error {
        let code =
            frame.get(WIRE_HEADER_SIZE).and_then(|&c| WireReject::from_u8(c)).map_or("?", |c| c.name());
        format!(": {code} {}", String::from_utf8_lossy(frame.get(WIRE_HEADER_SIZE + 1..).unwrap_or_default()))
    } else {
        String::new()
    };
    Err(fail(format!("answer to {to} is {}, expected {}{detail}", h.kind.name(), kind.name())))
}
