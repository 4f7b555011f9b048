//! `hotpath-gateway`: see `hotpath_gateway` and docs/wire.md.

use hotpath_gateway::options::{Options, USAGE};
use hotpath_gateway::GatewayError;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}");
        return;
    }
    let code = match Options::parse(args).and_then(|o| hotpath_gateway::run(&o)) {
        Ok(()) => 0,
        Err(e @ GatewayError::Usage(_)) => {
            eprintln!("hotpath-gateway: {e}");
            2
        }
        Err(e) => {
            eprintln!("hotpath-gateway: {e}");
            1
        }
    };
    std::process::exit(code);
}
