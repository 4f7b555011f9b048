//! Generates a scenario from a config JSON file and prints its counters, its shape and the
//! generation speed.
//!
//! ```text
//! hotpath scenario config volatility > /tmp/volatility.json
//! cargo run --release -p hotpath-scenario --example scenario_stats -- /tmp/volatility.json [seed] [scale]
//! ```
//!
//! With `SHOW_TIMELINE=1` it also prints market records and requests per account for every
//! five seconds of scenario time.

use std::collections::BTreeMap;
use std::time::Instant;

use hotpath_core::engine::Engine;
use hotpath_scenario::ScenarioConfig;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: scenario_stats CONFIG.json [SEED] [SCALE]")?;
    let seed: u64 = args.next().map_or(Ok(1), |s| s.parse())?;
    let scale: f64 = args.next().map_or(Ok(1.0), |s| s.parse())?;
    let json = std::fs::read_to_string(&path)?;
    let cfg = ScenarioConfig::from_json(&json)?;
    let start = Instant::now();
    let g = hotpath_scenario::generate(&cfg, seed, scale)?;
    let secs = start.elapsed().as_secs_f64();
    println!("{}", serde_json::to_string_pretty(&g.stats)?);
    let market: Vec<_> = g.events.iter().filter(|e| e.kind <= 2).collect();

    // Market records per model message (the records of one message share a timestamp).
    let mut sizes = BTreeMap::<usize, usize>::new();
    for group in market.chunk_by(|a, b| a.ts == b.ts) {
        *sizes.entry(group.len().min(20)).or_default() += 1;
    }
    println!("market records per message (20 = 20 or more): {sizes:?}");

    // How often the consolidated book (best bid over venues vs best ask over venues) is
    // crossed or locked, sampled before every new timestamp.
    let ni = cfg.meta.instruments.len();
    // The books as the pipeline keeps them: the engine, fed market data only.
    let mut books = Engine::new(&cfg.meta)?;
    let (mut crossed, mut checked) = (vec![0u64; ni], 0u64);
    for group in market.chunk_by(|a, b| a.ts == b.ts) {
        checked += 1;
        for (i, c) in crossed.iter_mut().enumerate() {
            if let (Some(b), Some(a)) = books.best_prices(i as u16) {
                *c += u64::from(b >= a);
            }
        }
        for e in group {
            books.handle(0, e, &mut Vec::new());
        }
    }
    let shares: Vec<String> =
        crossed.iter().map(|c| format!("{:.2}%", 100.0 * *c as f64 / checked.max(1) as f64)).collect();
    println!("consolidated book crossed (per instrument): {shares:?}");

    if std::env::var_os("SHOW_TIMELINE").is_some() {
        let mut rows = BTreeMap::<u64, (u64, [u64; 8])>::new();
        for e in &g.events {
            let row = rows.entry(e.ts / 5_000_000_000).or_default();
            if e.kind <= 2 {
                row.0 += 1;
            } else {
                row.1[usize::from(e.account).min(7)] += 1;
            }
        }
        for (k, (md, acc)) in rows {
            println!("t={:>3}s market {md:>8} requests by account {acc:?}", k * 5);
        }
    }

    let span = match (g.events.first(), g.events.last()) {
        (Some(a), Some(b)) => (b.ts - a.ts) as f64 * 1e-9,
        _ => 0.0,
    };
    println!(
        "{} events ({} market data, {} requests) over {span:.1} s of scenario time, generated in {secs:.3} s: {:.2} M events/s",
        g.events.len(),
        g.stats.market_data(),
        g.stats.requests(),
        g.events.len() as f64 / secs / 1e6
    );
    Ok(())
}
