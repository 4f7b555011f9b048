//! Latency and throughput of the engine on the synthetic market-making stream, printed as
//! a table (`cargo bench -p hotpath-core --bench latency`). Not a criterion benchmark: it
//! times every event of an interleaved replay (market data included, so caches see a
//! realistic mix) to get per-request percentiles, plus whole-replay throughput.
//!
//! `HOTPATH_BENCH_ORDERS` sets the number of order requests (default 100 000);
//! `HOTPATH_BENCH_SCENARIO=FILE.hpe` replays a memory-mapped scenario file instead (e.g.
//! `volatility`, see `make bench-rust`), its records read in place.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::{Duration, Instant};

use hotpath_core::engine::{CountingSink, Engine, StageProbe};
use hotpath_core::format::{order_capacity, EventFile, EventRecord, ReportKind, ReportRecord, ScenarioMeta};

const MD_PER_ORDER: usize = 10;
const RUNS: usize = 5;

/// Instants at the end of each stage of one request.
#[derive(Default)]
struct Stamps {
    validated: Option<Instant>,
    risk_checked: Option<Instant>,
    executed: Option<Instant>,
}

impl StageProbe for Stamps {
    fn validated(&mut self) {
        self.validated = Some(Instant::now());
    }
    fn risk_checked(&mut self) {
        self.risk_checked = Some(Instant::now());
    }
    fn executed(&mut self) {
        self.executed = Some(Instant::now());
    }
}

fn ns(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

fn percentiles(mut v: Vec<u64>) -> String {
    if v.is_empty() {
        return "n/a".into();
    }
    v.sort_unstable();
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    format!(
        "p50 {:>6}  p90 {:>6}  p99 {:>6}  p99.9 {:>7}  max {:>8}  (n={})",
        at(0.5),
        at(0.9),
        at(0.99),
        at(0.999),
        v[v.len() - 1],
        v.len()
    )
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median cost of one `Instant::now()` pair, which every timed figure below includes.
fn clock_overhead() -> u64 {
    let mut v: Vec<u64> = (0..200_000)
        .map(|_| {
            let a = Instant::now();
            ns(black_box(Instant::now()) - a)
        })
        .collect();
    v.sort_unstable();
    v[v.len() / 2]
}

/// Nanoseconds this thread has spent on a CPU (Linux `/proc/thread-self/schedstat`), so
/// that a replay can be measured without the time it spent preempted on a shared machine.
fn on_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat").ok()?.split_whitespace().next()?.parse().ok()
}

fn main() {
    let mapped;
    let generated;
    let (meta, events, source): (ScenarioMeta, &[EventRecord], String) =
        match std::env::var("HOTPATH_BENCH_SCENARIO") {
            Ok(path) => {
                mapped =
                    EventFile::open(&path).expect("HOTPATH_BENCH_SCENARIO must name a valid scenario file");
                (mapped.meta().clone(), mapped.events(), format!("mapped scenario {path}"))
            }
            Err(_) => {
                let orders: usize = std::env::var("HOTPATH_BENCH_ORDERS")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(100_000);
                generated = synthetic::stream(orders, MD_PER_ORDER, 3);
                (synthetic::meta(), &generated, "synthetic stream".to_owned())
            }
        };
    let n_orders = events.iter().filter(|e| e.is_request()).count();
    let creates = order_capacity(events);
    let mut fresh = Engine::new(&meta).expect("metadata is valid");
    // Sized at start-up like a production engine, outside every timed region.
    fresh.reserve_orders(creates);
    println!("source: {source}");

    // Stream mix, from one untimed replay.
    let mut reports: Vec<ReportRecord> = Vec::new();
    fresh.clone().replay(events, &mut reports);
    let count = |k: ReportKind| reports.iter().filter(|r| r.kind == k as u8).count();
    println!(
        "stream: {} events, {n_orders} order requests ({:.1} market-data events per request); \
         {} reports: {} ACK, {} FILL, {} CANCELLED, {} REPLACED, {} REJECT",
        events.len(),
        (events.len() - n_orders) as f64 / n_orders as f64,
        reports.len(),
        count(ReportKind::Ack),
        count(ReportKind::Fill),
        count(ReportKind::Cancelled),
        count(ReportKind::Replaced),
        count(ReportKind::Reject),
    );

    // Throughput: whole replays, one clock read each; wall time and time on a CPU.
    let mut wall = Vec::new();
    let mut cpu = Vec::new();
    for _ in 0..RUNS {
        let mut engine = fresh.clone();
        let mut sink = CountingSink::default();
        let c = on_cpu_ns();
        let t = Instant::now();
        engine.replay_into(black_box(events), &mut sink);
        let d = t.elapsed();
        if let (Some(c0), Some(c1)) = (c, on_cpu_ns()) {
            cpu.push((c1 - c0) as f64 / n_orders as f64);
        }
        black_box(sink);
        wall.push(d.as_nanos() as f64 / n_orders as f64);
    }
    let rate = |ns: f64| {
        format!(
            "{ns:.0} ns per order request = {:.2} M requests/s, {:.1} M events/s",
            1e3 / ns,
            1e3 / ns * events.len() as f64 / n_orders as f64
        )
    };
    println!("throughput, {RUNS} replays of the whole stream (fresh engine each), per order request incl. its market data:");
    println!("  wall time, median            {}", rate(median(wall.clone())));
    println!("  wall time, best              {}", rate(wall.iter().copied().fold(f64::INFINITY, f64::min)));
    if !cpu.is_empty() {
        println!("  time on CPU, median          {}", rate(median(cpu)));
    }

    // Latency: every event timed on its own, inside the interleaved replay.
    let overhead = clock_overhead();
    let mut engine = fresh.clone();
    let mut sink = CountingSink::default();
    let (mut req, mut md, mut val, mut risk, mut exec) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (i, ev) in events.iter().enumerate() {
        let mut stamps = Stamps::default();
        let t0 = Instant::now();
        engine.on_event(i as u64, ev, &mut sink, &mut stamps);
        let t1 = Instant::now();
        if !ev.is_request() {
            md.push(ns(t1 - t0));
            continue;
        }
        req.push(ns(t1 - t0));
        if let (Some(v), Some(r), Some(e)) = (stamps.validated, stamps.risk_checked, stamps.executed) {
            val.push(ns(v - t0));
            risk.push(ns(r - v));
            exec.push(ns(e - r));
        }
    }
    println!("latency in ns, each figure includes one clock read pair (median {overhead} ns):");
    println!("  order request, end to end   {}", percentiles(req));
    println!("  market-data event           {}", percentiles(md));
    println!("  accepted requests by stage:");
    println!("    validation                {}", percentiles(val));
    println!("    risk                      {}", percentiles(risk));
    println!("    execution                 {}", percentiles(exec));
    // The probe must not change behaviour: same reports as an unprobed run.
    let mut unprobed = CountingSink::default();
    fresh.clone().replay_into(events, &mut unprobed);
    assert_eq!(sink, unprobed, "probed and unprobed runs differ");
}
