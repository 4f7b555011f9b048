//! `hotpath-loadgen`: the lab's measuring side over the wire (docs/wire.md).
//!
//! - [`options`]: the command line;
//! - [`link`]: a ZeroMQ DEALER or a plain TCP stream, giving whole frames;
//! - [`drive`]: one paced session, stamping each event's intended send, actual send and
//!   the arrival of its frame's answer;
//! - [`output`]: the files of a run.
//!
//! Recording goes through `hotpath_bench::recorder`, the path every in-process build's
//! timings take, so the `.hlog` of a wire run reads like any other.
#![deny(unsafe_code)]

pub mod drive;
pub mod error;
pub mod link;
pub mod options;
pub mod output;

use std::time::SystemTime;

use hotpath_bench::pacing::Pace;
use hotpath_bench::recorder::{self, summarize_gaps};
use hotpath_bench::timing::EventTimes;
use hotpath_core::digest::sha256_hex;
use hotpath_core::format::{EventFile, EventRecord, HEADER_SIZE};

pub use error::LoadgenError;
use options::{Options, Target};

/// Runs the warm-up session (if any) and the timed one, writes the outputs.
///
/// # Errors
/// Any [`LoadgenError`]; outputs are written before a digest disagreement or ERROR frames
/// are reported, so they can be looked at.
pub fn run(o: &Options) -> Result<serde_json::Value, LoadgenError> {
    let file = EventFile::open(&o.scenario)?;
    let all = file.events();
    let events = if o.limit > 0 { &all[..o.limit.min(all.len())] } else { all };
    let meta_len = file.header().metadata_len as usize;
    let meta_json = file.bytes()[HEADER_SIZE..HEADER_SIZE + meta_len].to_vec();
    std::fs::create_dir_all(&o.out).map_err(|e| LoadgenError::Output(format!("{}: {e}", o.out.display())))?;
    let plan = drive::Plan {
        pace: o.pace,
        max_batch: o.max_batch,
        window: o.window,
        timeout_ns: (o.timeout_s * 1e9) as u64,
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| LoadgenError::Output(format!("runtime: {e}")))?;
    let cpu_before = cpu_ns();
    let start_time = SystemTime::now();
    let (outcome, times) = runtime.block_on(async {
        let mut link = link::Link::connect(&o.connect, o.target == Target::TcpEcho).await?;
        if o.warmup > 0 {
            let warm = &events[..o.warmup.min(events.len())];
            let mut scratch = EventTimes::with_len(warm.len());
            drive::session(&mut link, &o.connect, &meta_json, warm, plan, &mut scratch).await?;
        }
        let mut times = EventTimes::with_len(events.len());
        let outcome = drive::session(&mut link, &o.connect, &meta_json, events, plan, &mut times).await?;
        Ok::<_, LoadgenError>((outcome, times))
    })?;
    let cpu_s = cpu_ns().saturating_sub(cpu_before) as f64 / 1e9;

    let kinds: Vec<u8> = events.iter().map(|e| e.kind).collect();
    let recording = recorder::record(&kinds, times.view(), outcome.t0, o.interval_ns, start_time)?;
    output::write_histograms(&o.out, &o.label, &recording)?;
    let send_lag = summarize_gaps(&times.start, &times.intended)?;

    let orders = events.iter().filter(|e| e.is_request()).count();
    let gateway = o.target == Target::Gateway;
    let digest = gateway.then(|| sha256_hex(&outcome.report_bytes));
    if gateway {
        let meta =
            serde_json::json!({"schema": 1, "build": o.label, "scenario_sha256": sha256_hex(file.bytes())});
        output::write_atomic(
            &o.out,
            &format!("{}.hpr", o.label),
            &output::report_file(&meta, &outcome.report_bytes),
        )?;
    }
    let span_ns = match (times.intended.first(), times.intended.last()) {
        (Some(&a), Some(&b)) if b > a && !matches!(o.pace, Pace::Max) => Some(b - a),
        _ => None,
    };
    let (first_q, last_q) = trend(events, &times);
    let mut latency = serde_json::Map::new();
    for m in output::WIRE_METRICS {
        latency.insert(m.name().to_owned(), output::summary_json(&recording.summary(m)));
    }
    latency.insert("send_lag".to_owned(), output::summary_json(&send_lag));
    let wall_s = outcome.wall_ns as f64 / 1e9;
    let summary = serde_json::json!({
        "schema": "hotpath.wire/1",
        "label": o.label,
        "target": o.target.name(),
        "connect": o.connect,
        "scenario": {
            "path": o.scenario.display().to_string(),
            "events": events.len(),
            "order_requests": orders,
            "market_data_events": events.len() - orders,
        },
        "pace": o.pace_spec,
        "speed": o.speed,
        "rate_per_s": match o.pace { Pace::Rate { per_sec } => Some(per_sec), _ => None },
        "max_batch": o.max_batch,
        "window": o.window,
        "warmup_events": o.warmup.min(events.len()),
        "frames": outcome.frames,
        "batch_mean": if outcome.frames > 0 { events.len() as f64 / outcome.frames as f64 } else { 0.0 },
        "batch_max": outcome.batch_max,
        "wall_s": wall_s,
        "offered_per_s": span_ns.map(|s| (events.len().saturating_sub(1)) as f64 / (s as f64 / 1e9)),
        "achieved_per_s": if wall_s > 0.0 { events.len() as f64 / wall_s } else { 0.0 },
        "latency_ns": latency,
        "in_flight_max": outcome.in_flight_max,
        "trend": {"e2e_p50_first_ns": first_q, "e2e_p50_last_ns": last_q},
        "cpu_s": cpu_s,
        "reports": outcome.report_bytes.len() / 64,
        "digest": digest,
        "gateway": outcome.finished,
        "errors": outcome.errors,
        "t0_ns": outcome.t0,
        "clock": "CLOCK_MONOTONIC",
    });
    let text = serde_json::to_string_pretty(&summary).map_err(|e| LoadgenError::Output(e.to_string()))?;
    output::write_atomic(&o.out, &format!("{}.wire.json", o.label), text.as_bytes())?;

    let target = |message: String| LoadgenError::Target { target: o.connect.clone(), message };
    if !outcome.errors.is_empty() {
        return Err(target(format!("ERROR frames received: {:?}", outcome.errors)));
    }
    if gateway {
        let theirs = outcome.finished.get("digest").and_then(|d| d.as_str());
        if theirs != digest.as_deref() {
            return Err(target(format!(
                "the gateway's digest {theirs:?} differs from the reports received ({digest:?})"
            )));
        }
    }
    Ok(summary)
}

/// Median e2e of the first and of the last quarter of the order requests.
fn trend(events: &[EventRecord], t: &EventTimes) -> (Option<u64>, Option<u64>) {
    let e2e: Vec<u64> = events
        .iter()
        .enumerate()
        .filter(|(i, e)| e.is_request() && t.end[*i] != 0)
        .map(|(i, _)| t.end[i].saturating_sub(t.intended[i]))
        .collect();
    let q = e2e.len() / 4;
    if q == 0 {
        return (None, None);
    }
    let median = |v: &[u64]| {
        let mut v = v.to_vec();
        v.sort_unstable();
        v[v.len() / 2]
    };
    (Some(median(&e2e[..q])), Some(median(&e2e[e2e.len() - q..])))
}

/// This process's CPU time so far, from `/proc/self/schedstat` (ns on a CPU); 0 where absent.
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotpath_core::format::EventKind;

    #[test]
    fn trend_takes_the_first_and_last_quarter_of_orders() {
        let orders = vec![EventRecord { kind: EventKind::NewOrder as u8, ..Default::default() }; 8];
        let mut t = EventTimes::with_len(8);
        for i in 0..8 {
            t.intended[i] = 100;
            t.end[i] = 100 + 10 * (i as u64 + 1);
        }
        assert_eq!(trend(&orders, &t), (Some(20), Some(80)));
    }
}
