//! Generation speed: events per second for the `volatility` manifest at scale 1.
//!
//! The config comes from the manifest through the Python loader (the one place that reads
//! TOML): `$HOTPATH_SCENARIO_CONFIG` names a config JSON file, otherwise the repository's
//! `.venv/bin/hotpath` (or `$HOTPATH_CLI`) runs `hotpath scenario config volatility`. Run
//! with `cargo bench -p hotpath-scenario`.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hotpath_scenario::{generate, ScenarioConfig};

fn config_json(name: &str) -> String {
    if let Ok(path) = std::env::var("HOTPATH_SCENARIO_CONFIG") {
        return std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let cli = std::env::var("HOTPATH_CLI").map_or_else(|_| repo.join(".venv/bin/hotpath"), PathBuf::from);
    let out =
        Command::new(&cli).args(["scenario", "config", name]).current_dir(&repo).output().unwrap_or_else(
            |e| panic!("{}: {e} (set HOTPATH_SCENARIO_CONFIG to a config JSON file)", cli.display()),
        );
    assert!(out.status.success(), "manifest loader failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("the config is UTF-8")
}

fn bench(c: &mut Criterion) {
    let cfg = ScenarioConfig::from_json(&config_json("volatility")).expect("the volatility config is valid");
    let start = Instant::now();
    let g = generate(&cfg, 1, 1.0).expect("generates");
    let secs = start.elapsed().as_secs_f64();
    let n = g.events.len() as u64;
    println!(
        "volatility (seed 1, scale 1): {n} events ({} market data, {} requests) in {secs:.3} s = {:.2} M events/s",
        g.stats.market_data(),
        g.stats.requests(),
        n as f64 / secs / 1e6
    );
    let mut group = c.benchmark_group("generate");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n));
    group.bench_function("volatility", |b| {
        b.iter(|| generate(black_box(&cfg), 1, 1.0).map(|g| g.events.len()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
