//! `hotpath-loadgen`: see `hotpath_loadgen` and docs/wire.md.

use hotpath_loadgen::options::{Options, USAGE};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    match Options::parse(args).and_then(|o| hotpath_loadgen::run(&o)) {
        Ok(summary) => {
            let e2e = &summary["latency_ns"]["e2e"];
            println!(
                "{} {}: {} events in {:.3} s, e2e p50 {} ns p99 {} ns p99.9 {} ns",
                summary["label"].as_str().unwrap_or(""),
                summary["target"].as_str().unwrap_or(""),
                summary["scenario"]["events"],
                summary["wall_s"].as_f64().unwrap_or(0.0),
                e2e["p50"],
                e2e["p99"],
                e2e["p999"]
            );
        }
        Err(e) => {
            eprintln!("hotpath-loadgen: {e}");
            std::process::exit(e.exit_code());
        }
    }
}
