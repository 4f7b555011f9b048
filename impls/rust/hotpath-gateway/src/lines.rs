//! The two JSON lines a gateway prints on stdout: when it listens and when it stops. The
//! harness waits for the first and reads the second (docs/wire.md).

use std::io::Write as _;

use crate::options::Options;
use crate::session::Counters;

/// Prints the `listening` line and flushes it.
pub fn listening(endpoint: &str, options: &Options) {
    let poll = match options.poll {
        crate::options::Poll::Spin => "spin",
        crate::options::Poll::Park => "park",
    };
    print_line(&serde_json::json!({
        "listening": endpoint,
        "gateway": options.gateway_name(),
        "engine": options.engine_name(),
        "poll": poll,
        "pid": std::process::id(),
    }));
}

/// What a gateway did over its life, printed when it stops.
#[derive(Clone, Debug, Default)]
pub struct Stopped {
    /// The signal that stopped it.
    pub signal: &'static str,
    /// Sessions started.
    pub sessions: u64,
    /// Frames, events, reports and rejects over every session.
    pub totals: Counters,
    /// Most frames waiting for the engine at once (`--engine thread`; 0 inline, where
    /// frames wait in the socket).
    pub max_queue: usize,
    /// Replies that could not be sent because their peer had gone.
    pub undeliverable: u64,
    /// `--drop-copy`: `url`, `prefix` and each session's publisher figures.
    pub drop_copy: Option<serde_json::Value>,
}

/// Prints the `stopped` line and flushes it.
pub fn stopped(options: &Options, s: &Stopped) {
    let mut line = s.totals.to_json();
    line["stopped"] = serde_json::json!(s.signal);
    line["gateway"] = serde_json::json!(options.gateway_name());
    line["sessions"] = serde_json::json!(s.sessions);
    line["max_queue"] = serde_json::json!(s.max_queue);
    line["undeliverable"] = serde_json::json!(s.undeliverable);
    if let Some(drop_copy) = &s.drop_copy {
        line["drop_copy"] = drop_copy.clone();
    }
    print_line(&line);
}

fn print_line(value: &serde_json::Value) {
    let mut out = std::io::stdout().lock();
    // a closed stdout must not stop a gateway: the line is informational
    let _ = writeln!(out, "{value}");
    let _ = out.flush();
}
