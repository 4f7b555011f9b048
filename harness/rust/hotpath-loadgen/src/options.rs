//! The command line (`hotpath-loadgen --help`).

use std::path::PathBuf;

use hotpath_bench::pacing::Pace;

use crate::error::LoadgenError;

/// What is on the other end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A gateway (wire-rust, wire-python): reports are kept, digested and written.
    Gateway,
    /// `hotpath-gateway --echo zmq`.
    ZmqEcho,
    /// `hotpath-gateway --echo tcp`: frames over plain TCP.
    TcpEcho,
}

impl Target {
    /// The name used on the command line and in `wire.json`.
    pub fn name(self) -> &'static str {
        match self {
            Target::Gateway => "gateway",
            Target::ZmqEcho => "zmq-echo",
            Target::TcpEcho => "tcp-echo",
        }
    }
}

/// Everything the command line sets.
#[derive(Clone, Debug)]
pub struct Options {
    /// The scenario file.
    pub scenario: PathBuf,
    /// `tcp://host:port` of the target.
    pub connect: String,
    /// Folder the outputs go to.
    pub out: PathBuf,
    /// Stem of the output files.
    pub label: String,
    /// Gateway or floor.
    pub target: Target,
    /// The pacing (`recorded`, `rate:N`, `max`).
    pub pace: Pace,
    /// The pace as given.
    pub pace_spec: String,
    /// Recorded pace's speed-up.
    pub speed: f64,
    /// Events of the discarded warm-up session.
    pub warmup: usize,
    /// Most events per EVENTS frame.
    pub max_batch: usize,
    /// Most frames sent and not yet answered.
    pub window: usize,
    /// Only the first N events (0 = all).
    pub limit: usize,
    /// Interval of the `.hlog`.
    pub interval_ns: u64,
    /// How long to wait for any answer before giving up.
    pub timeout_s: f64,
}

/// The `--help` text.
pub const USAGE: &str = "\
hotpath-loadgen: drives a scenario through a gateway over the wire (docs/wire.md)

usage: hotpath-loadgen --scenario FILE --connect tcp://HOST:PORT --out DIR --label NAME
                       [--target gateway|zmq-echo|tcp-echo] [--pace recorded|rate:N|max]
                       [--speed X] [--warmup N] [--max-batch N] [--window N] [--limit N]
                       [--interval-ns NS] [--timeout-s S]

Writes DIR/NAME.wire.json, NAME.hlog, NAME.hgrm, NAME.<metric>.hgrm and (gateways) NAME.hpr.
Exit codes: 0; 1 results could not be written; 2 usage; 3 bad scenario file; 4 the target
misbehaved (no answer within --timeout-s, an ERROR frame, digests that disagree).";

impl Options {
    /// Parses the arguments after the program name.
    ///
    /// # Errors
    /// [`LoadgenError::Usage`] naming the option.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Options, LoadgenError> {
        let usage = LoadgenError::Usage;
        fn required<T>(v: Option<T>, name: &str) -> Result<T, LoadgenError> {
            v.ok_or_else(|| LoadgenError::Usage(format!("{name} is required\n\n{USAGE}")))
        }
        let (mut scenario, mut connect, mut out, mut label) = (None, None, None, None);
        let mut target = Target::Gateway;
        let mut pace_spec = "recorded".to_owned();
        let mut speed = 1.0f64;
        let (mut warmup, mut max_batch, mut window, mut limit) = (0usize, 256usize, 2usize, 0usize);
        let mut interval_ns = 1_000_000_000u64;
        let mut timeout_s = 30.0f64;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| usage(format!("{arg} needs a value")));
            fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<T, LoadgenError> {
                v.parse().map_err(|_| LoadgenError::Usage(format!("{name} {v:?}: expected a number")))
            }
            match arg.as_str() {
                "--scenario" => scenario = Some(PathBuf::from(value()?)),
                "--connect" => connect = Some(value()?),
                "--out" => out = Some(PathBuf::from(value()?)),
                "--label" => label = Some(value()?),
                "--target" => {
                    target = match value()?.as_str() {
                        "gateway" => Target::Gateway,
                        "zmq-echo" => Target::ZmqEcho,
                        "tcp-echo" => Target::TcpEcho,
                        other => {
                            return Err(usage(format!(
                                "--target {other:?}: expected gateway, zmq-echo or tcp-echo"
                            )))
                        }
                    }
                }
                "--pace" => pace_spec = value()?,
                "--speed" => speed = num("--speed", &value()?)?,
                "--warmup" => warmup = num("--warmup", &value()?)?,
                "--max-batch" => max_batch = num("--max-batch", &value()?)?,
                "--window" => window = num("--window", &value()?)?,
                "--limit" => limit = num("--limit", &value()?)?,
                "--interval-ns" => interval_ns = num("--interval-ns", &value()?)?,
                "--timeout-s" => timeout_s = num("--timeout-s", &value()?)?,
                other => return Err(usage(format!("unknown argument {other:?}\n\n{USAGE}"))),
            }
        }
        let max_limit = hotpath_core::format::WIRE_MAX_BATCH as usize;
        if max_batch == 0 || max_batch > max_limit {
            return Err(usage(format!("--max-batch {max_batch}: expected 1..={max_limit}")));
        }
        if window == 0 {
            return Err(usage("--window 0: at least one frame must be allowed in flight".into()));
        }
        if !(timeout_s.is_finite() && timeout_s > 0.0) {
            return Err(usage(format!("--timeout-s {timeout_s}: expected a positive number of seconds")));
        }
        let connect: String = required(connect, "--connect")?;
        if !connect.starts_with("tcp://") {
            return Err(usage(format!("--connect {connect:?}: expected tcp://host:port")));
        }
        let label: String = required(label, "--label")?;
        if label.is_empty() || label.contains('/') {
            return Err(usage(format!("--label {label:?}: expected a file-name stem")));
        }
        Ok(Options {
            scenario: required(scenario, "--scenario")?,
            connect,
            out: required(out, "--out")?,
            label,
            target,
            pace: Pace::parse(&pace_spec, speed)?,
            pace_spec,
            speed,
            warmup,
            max_batch,
            window,
            limit,
            interval_ns: interval_ns.max(1),
            timeout_s,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(extra: &[&str]) -> Result<Options, LoadgenError> {
        let base = ["--scenario", "s.hpe", "--connect", "tcp://127.0.0.1:1", "--out", "o", "--label", "x"];
        Options::parse(base.iter().chain(extra).map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults() {
        let o = parse(&[]).expect("valid");
        assert_eq!(
            (o.target, o.max_batch, o.window, o.pace),
            (Target::Gateway, 256, 2, Pace::Recorded { speed: 1.0 })
        );
    }

    #[test]
    fn bad_values_are_named() {
        for (extra, needle) in [
            (&["--pace", "fast"][..], "fast"),
            (&["--max-batch", "5000"][..], "--max-batch"),
            (&["--window", "0"][..], "--window"),
            (&["--target", "redis"][..], "--target"),
            (&["--speed", "x"][..], "--speed"),
        ] {
            let e = parse(extra).expect_err("refused");
            assert_eq!(e.exit_code(), 2);
            assert!(e.to_string().contains(needle), "{e}");
        }
        let e = Options::parse(["--connect".to_owned(), "tcp://h:1".to_owned()]).expect_err("missing");
        assert!(e.to_string().contains("is required"), "{e}");
    }
}
