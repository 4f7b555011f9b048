//! Criterion benchmarks of the engine: per event kind on a warmed-up engine, and end to
//! end as a replay of the synthetic market-making stream (≈10 market-data events per
//! order request). Throughput is in order requests (or events) per second.

#[path = "support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use hotpath_core::engine::{CountingSink, Engine, NoProbe};
use hotpath_core::format::{EventKind, EventRecord, OrderType, Side};

const ORDERS: usize = 20_000;
const MD_PER_ORDER: usize = 10;

/// An engine that has handled the first half of the stream, and the stream.
fn warmed() -> (Engine, Vec<EventRecord>) {
    let events = synthetic::stream(ORDERS, MD_PER_ORDER, 11);
    let mut engine = Engine::new(&synthetic::meta()).expect("synthetic metadata is valid");
    let mut sink = CountingSink::default();
    engine.replay_into(&events[..events.len() / 2], &mut sink);
    (engine, events)
}

/// Requests handled between two fresh copies of the warmed engine: every accepted order
/// stays in the session's history, so an unbounded loop would measure a session that
/// grows by millions of orders instead of the steady state.
const CHUNK: u64 = 10_000;

/// Times `step(engine, k, sink)` for `iters` iterations, restarting from a copy of `warm`
/// every [`CHUNK`] iterations (copies are not timed). `k` counts from 0 in each chunk.
fn chunked(warm: &Engine, iters: u64, mut step: impl FnMut(&mut Engine, u64, &mut CountingSink)) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0;
    let mut sink = CountingSink::default();
    while done < iters {
        let n = (iters - done).min(CHUNK);
        let mut engine = warm.clone();
        let t = Instant::now();
        for k in 0..n {
            step(&mut engine, k, &mut sink);
        }
        total += t.elapsed();
        done += n;
    }
    black_box(sink);
    total
}

fn end_to_end(c: &mut Criterion) {
    let events = synthetic::stream(ORDERS, MD_PER_ORDER, 11);
    let orders = synthetic::count_orders(&events) as u64;
    let fresh = Engine::new(&synthetic::meta()).expect("synthetic metadata is valid");
    let mut g = c.benchmark_group("e2e");
    g.sample_size(10).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(8));
    g.throughput(Throughput::Elements(orders));
    g.bench_function(format!("replay_{orders}_orders_{}_events", events.len()), |b| {
        b.iter_batched(
            || fresh.clone(),
            |mut engine| {
                let mut sink = CountingSink::default();
                engine.replay_into(black_box(&events), &mut sink);
                black_box(sink)
            },
            BatchSize::LargeInput,
        );
    });
    g.finish();
    // The same replay timed by hand, to print both rates on one line.
    let mut best = Duration::MAX;
    for _ in 0..5 {
        let mut engine = fresh.clone();
        let mut sink = CountingSink::default();
        let t = Instant::now();
        engine.replay_into(black_box(&events), &mut sink);
        best = best.min(t.elapsed());
        black_box(sink);
    }
    let ns = best.as_nanos() as f64;
    println!(
        "e2e summary (best of 5): {:.0} ns per order request incl. {MD_PER_ORDER} market-data events, \
         {:.2} M order requests/s, {:.1} M events/s",
        ns / orders as f64,
        orders as f64 * 1e3 / ns,
        events.len() as f64 * 1e3 / ns
    );
}

fn per_kind(c: &mut Criterion) {
    let (warm, events) = warmed();
    let mut g = c.benchmark_group("event");
    g.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    g.throughput(Throughput::Elements(1));

    // Level-size updates near the touch, taken from the rest of the stream.
    let deltas: Vec<EventRecord> = events[events.len() / 2..]
        .iter()
        .filter(|e| e.kind == EventKind::BookDelta as u8 && e.qty > 0)
        .take(4096)
        .copied()
        .collect();
    g.bench_function("book_delta", |b| {
        b.iter_custom(|iters| {
            chunked(&warm, iters, |e, k, sink| {
                e.on_event(0, black_box(&deltas[k as usize % deltas.len()]), sink, &mut NoProbe);
            })
        });
    });

    // A print far from every order of ours: last trade price, nothing eligible.
    let away = EventRecord {
        kind: EventKind::Trade as u8,
        side: Side::Buy as u8,
        price: 5,
        qty: 100,
        ..EventRecord::default()
    };
    g.bench_function("trade_no_fill", |b| {
        b.iter_custom(|iters| {
            chunked(&warm, iters, |e, _, sink| e.on_event(0, black_box(&away), sink, &mut NoProbe))
        });
    });

    let mid = warm.reference_price(0).expect("the warmed book has a reference");
    let far_bid = mid - mid / 40 - mid / 40 % 5; // inside the 5 % band, never marketable
                                                 // Fresh ids continue the account's sequence, as a real order flow would.
    let first_id = warm.orders().iter().filter(|o| o.account == 2).map(|o| o.id).max().unwrap_or(0) + 1_000;
    let base = EventRecord { account: 2, ts: u64::MAX / 2, ..EventRecord::default() };
    let new = |id: u64, order_type: OrderType, price: i64, qty: i64, venue: u8| EventRecord {
        id,
        kind: EventKind::NewOrder as u8,
        side: Side::Buy as u8,
        order_type: order_type as u8,
        price,
        qty,
        venue,
        ..base
    };

    // NEW LIMIT that rests, then its CANCEL: two requests per iteration.
    g.throughput(Throughput::Elements(2));
    g.bench_function("new_limit_rest_then_cancel", |b| {
        b.iter_custom(|iters| {
            chunked(&warm, iters, |e, k, sink| {
                let id = first_id + 2 * k;
                let cancel = EventRecord { id: id + 1, orig_id: id, kind: EventKind::Cancel as u8, ..base };
                e.on_event(1, black_box(&new(id, OrderType::Limit, far_bid, 100, 1)), sink, &mut NoProbe);
                e.on_event(2, black_box(&cancel), sink, &mut NoProbe);
            })
        });
    });

    // REPLACE chain: each replacement becomes the next one's original.
    g.throughput(Throughput::Elements(1));
    let mut chain = warm.clone();
    chain.handle(3, &new(first_id, OrderType::Limit, far_bid, 100, 2), &mut Vec::new());
    g.bench_function("replace", |b| {
        b.iter_custom(|iters| {
            chunked(&chain, iters, |e, k, sink| {
                let id = first_id + 1 + k;
                let price = far_bid - 5 * (k as i64 & 1);
                let ev = EventRecord {
                    id,
                    orig_id: id - 1,
                    kind: EventKind::Replace as u8,
                    price,
                    qty: 100,
                    ..base
                };
                e.on_event(4, black_box(&ev), sink, &mut NoProbe);
            })
        });
    });

    // IOC that cannot trade (ACK + CANCELLED), and rejects in validation and in risk.
    let cases: [(&str, OrderType, i64, i64); 3] = [
        ("ioc_unfilled", OrderType::Ioc, far_bid, 100),
        ("reject_validation_odd_lot", OrderType::Limit, far_bid, 101),
        ("reject_risk_price_band", OrderType::Limit, mid * 2, 100),
    ];
    for (name, order_type, price, qty) in cases {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                chunked(&warm, iters, |e, k, sink| {
                    e.on_event(
                        5,
                        black_box(&new(first_id + k, order_type, price, qty, 0)),
                        sink,
                        &mut NoProbe,
                    );
                })
            });
        });
    }
    g.finish();
}

criterion_group!(benches, per_kind, end_to_end);
criterion_main!(benches);
