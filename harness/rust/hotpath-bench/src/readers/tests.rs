use super::*;
use hotpath_core::format::{AccountLimits, AccountMeta, InstrumentMeta, VenueMeta};

fn meta() -> ScenarioMeta {
    ScenarioMeta {
        schema: 1,
        name: "readers".into(),
        instruments: (0..2)
            .map(|id| InstrumentMeta {
                id,
                symbol: format!("I{id}"),
                tick_size: 1,
                lot_size: 1,
                max_order_qty: 100,
                max_price: 10_000,
                band_bps: 5000,
            })
            .collect(),
        venues: (0..2).map(|id| VenueMeta { id, name: format!("v{id}") }).collect(),
        accounts: vec![AccountMeta {
            id: 0,
            name: "a".into(),
            limits: AccountLimits {
                max_order_notional: 10_000_000,
                max_gross_notional: 10_000_000,
                max_position: vec![1000, 1000],
                rate_limit_count: 1_000_000,
                rate_limit_window_ns: 1,
                max_open_orders: 1000,
                max_loss: 1_000_000,
            },
        }],
    }
}

/// Quotes moving on both instruments and venues, with a taker order now and then.
fn events(n: u64) -> Vec<EventRecord> {
    (0..n)
        .map(|i| {
            let instrument = (i % 2) as u16;
            let venue = ((i / 2) % 2) as u8;
            let wiggle = (i % 7) as i64;
            if i % 10 == 9 {
                EventRecord {
                    ts: i,
                    id: i,
                    price: 110,
                    qty: 1,
                    instrument,
                    kind: 3,
                    side: 1,
                    order_type: 1,
                    venue,
                    ..Default::default()
                }
            } else {
                let side = if i % 3 == 0 { 2 } else { 1 };
                let price = if side == 1 { 95 + wiggle } else { 103 + wiggle };
                EventRecord {
                    ts: i,
                    price,
                    qty: 1 + wiggle,
                    instrument,
                    venue,
                    kind: 1,
                    side,
                    ..Default::default()
                }
            }
        })
        .collect()
}

#[test]
fn every_pass_reports_what_a_plain_replay_reports_and_readers_read_in_order() {
    let meta = meta();
    let engine = Engine::new(&meta).expect("valid metadata");
    let events = events(40_000);
    let mut plain = Vec::new();
    engine.clone().replay(&events, &mut plain);
    let passes = [
        Pass { board: None, readers: 0 },
        Pass { board: Some(BoardKind::Epoch), readers: 2 },
        Pass { board: Some(BoardKind::Mutex), readers: 1 },
    ];
    let runs: Vec<PassRun> = passes
        .iter()
        .map(|&pass| run_pass(&meta, &engine, &events, Pace::Max, pass).expect("pass runs"))
        .collect();
    for r in &runs {
        assert_eq!(r.digest, report_digest(&plain), "{:?} changed the engine's reports", r.pass);
        assert_eq!((r.events, r.engine.count), (40_000, 40_000));
        assert_eq!(r.readers.len(), r.pass.readers);
        for reader in &r.readers {
            assert!(reader.reads > 0 && reader.read_latency.count == reader.reads, "{reader:?}");
            assert_eq!(reader.seq_regressions, 0);
            // confirmed stale reads are some of the candidates examined, each with its age
            assert!(reader.stale_reads <= reader.stale_measured, "{reader:?}");
            assert_eq!(reader.stale_ns.count, reader.stale_reads, "{reader:?}");
        }
    }
    let (none, epoch, mutex) = (&runs[0], &runs[1], &runs[2]);
    assert_eq!(none.publications, 0);
    assert!(epoch.publications > 1000, "quotes keep moving: {}", epoch.publications);
    assert_eq!(epoch.publications, mutex.publications, "the same changes are published on either board");
    assert_eq!(epoch.memory.allocated, epoch.publications, "one snapshot per publication");
    assert!(epoch.memory.peak_live >= 2 && epoch.memory.peak_bytes() > epoch.memory.fixed_bytes);
    assert_eq!((mutex.memory.allocated, mutex.memory.peak_bytes()), (0, mutex.memory.fixed_bytes));
}

#[test]
fn readers_without_a_board_are_refused() {
    let meta = meta();
    let engine = Engine::new(&meta).expect("valid metadata");
    let err = run_pass(&meta, &engine, &events(10), Pace::Max, Pass { board: None, readers: 1 });
    assert!(matches!(err, Err(BenchError::Experiment(_))));
}
