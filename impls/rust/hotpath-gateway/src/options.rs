//! The command line (`hotpath-gateway --help`), parsed by hand: seven options do not need a
//! parser crate in the build.

use crate::error::GatewayError;
use hotpath_dropcopy::DEFAULT_SNAPSHOT_EVERY;

/// Where the engine runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EngineShape {
    /// On the I/O task: read a frame, run it, write the reply.
    Inline,
    /// On its own thread, behind bounded SPSC rings in both directions.
    Thread,
}

/// How the runtime's thread waits for the next frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Poll {
    /// Never sleep in `epoll_wait`: a task that always yields keeps the runtime polling.
    Spin,
    /// Tokio's ordinary behaviour: park until the kernel wakes the thread.
    Park,
}

/// What the process serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Serve {
    /// The wire-rust build.
    Gateway(EngineShape),
    /// The ZeroMQ floor: the same sockets, no pipeline.
    ZmqEcho,
    /// The TCP floor: the same frames over a plain TCP stream.
    TcpEcho,
}

/// Where `--drop-copy` publishes (docs/dropcopy.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DropCopyTarget {
    /// `redis://host:port[/db]`.
    pub url: String,
    /// Key prefix; each session publishes under `prefix:session-<k>`.
    pub prefix: String,
    /// A position snapshot every this many reports (`--snapshot-every`, default 10,000).
    pub snapshot_every: u64,
}

/// Everything the command line sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// `tcp://host:port` (port 0 picks a free one).
    pub bind: String,
    /// Gateway or floor.
    pub serve: Serve,
    /// Spin or park.
    pub poll: Poll,
    /// Frames each SPSC ring holds (`--engine thread`).
    pub queue: usize,
    /// Publish every session's reports to Redis (`--drop-copy`, `--drop-copy-prefix`).
    pub drop_copy: Option<DropCopyTarget>,
}

/// The `--help` text.
pub const USAGE: &str = "\
hotpath-gateway: the wire-rust build (docs/wire.md)

usage: hotpath-gateway [--bind tcp://127.0.0.1:5555] [--engine inline|thread]
                       [--poll spin|park] [--queue FRAMES] [--echo zmq|tcp]
                       [--drop-copy redis://HOST:PORT[/DB] --drop-copy-prefix P
                        [--snapshot-every N]]

  --bind     endpoint to bind (port 0 picks a free port)
  --engine   inline: the engine runs on the I/O task (default); thread: on its own thread
             behind bounded SPSC rings of --queue frames (default 1024)
  --poll     spin: the runtime never sleeps in epoll_wait (default); park: Tokio's default
  --echo     serve a floor instead of the engine: zmq (same sockets, no pipeline) or tcp
             (the same frames over plain TCP)
  --drop-copy, --drop-copy-prefix
             publish every report, and position snapshots, to Redis Streams from a thread
             of their own (docs/dropcopy.md); session k writes P:session-k:reports and
             P:session-k:positions. Both or neither; not with --echo
  --snapshot-every
             with --drop-copy: a position snapshot every N reports (default 10000)
Prints a JSON line when listening and one when stopped (SIGINT/SIGTERM).";

impl Options {
    /// Parses the arguments after the program name.
    ///
    /// # Errors
    /// [`GatewayError::Usage`] naming the option that is wrong.
    pub fn parse<I: IntoIterator<Item = String>>(args: I) -> Result<Options, GatewayError> {
        let mut bind = None;
        let mut engine = EngineShape::Inline;
        let mut echo = None;
        let mut poll = Poll::Spin;
        let mut queue = 1024usize;
        let mut drop_copy_url = None;
        let mut drop_copy_prefix = None;
        let mut snapshot_every = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value =
                |name: &str| args.next().ok_or_else(|| GatewayError::Usage(format!("{name} needs a value")));
            match arg.as_str() {
                "--bind" => bind = Some(value("--bind")?),
                "--engine" => {
                    engine = match value("--engine")?.as_str() {
                        "inline" => EngineShape::Inline,
                        "thread" => EngineShape::Thread,
                        other => {
                            return Err(GatewayError::Usage(format!(
                                "--engine {other:?}: expected inline or thread"
                            )))
                        }
                    }
                }
                "--poll" => {
                    poll = match value("--poll")?.as_str() {
                        "spin" => Poll::Spin,
                        "park" => Poll::Park,
                        other => {
                            return Err(GatewayError::Usage(format!(
                                "--poll {other:?}: expected spin or park"
                            )))
                        }
                    }
                }
                "--echo" => {
                    echo = Some(match value("--echo")?.as_str() {
                        "zmq" => Serve::ZmqEcho,
                        "tcp" => Serve::TcpEcho,
                        other => {
                            return Err(GatewayError::Usage(format!("--echo {other:?}: expected zmq or tcp")))
                        }
                    })
                }
                "--queue" => {
                    let v = value("--queue")?;
                    queue = v.parse().ok().filter(|q| *q >= 1).ok_or_else(|| {
                        GatewayError::Usage(format!("--queue {v:?}: expected a number of frames ≥ 1"))
                    })?;
                }
                "--drop-copy" => drop_copy_url = Some(value("--drop-copy")?),
                "--drop-copy-prefix" => drop_copy_prefix = Some(value("--drop-copy-prefix")?),
                "--snapshot-every" => {
                    let v = value("--snapshot-every")?;
                    snapshot_every = Some(v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                        GatewayError::Usage(format!("--snapshot-every {v:?}: expected a count ≥ 1"))
                    })?);
                }
                other => return Err(GatewayError::Usage(format!("unknown argument {other:?}\n\n{USAGE}"))),
            }
        }
        let bind = bind.unwrap_or_else(|| "tcp://127.0.0.1:5555".to_owned());
        if !bind.starts_with("tcp://") {
            return Err(GatewayError::Usage(format!("--bind {bind:?}: expected tcp://host:port")));
        }
        let drop_copy = drop_copy_target(drop_copy_url, drop_copy_prefix, snapshot_every)?;
        if drop_copy.is_some() && echo.is_some() {
            return Err(GatewayError::Usage(
                "--drop-copy publishes the engine's reports: not with --echo".into(),
            ));
        }
        Ok(Options { bind, serve: echo.unwrap_or(Serve::Gateway(engine)), poll, queue, drop_copy })
    }

    /// The name the process gives itself in its JSON lines.
    pub fn gateway_name(&self) -> &'static str {
        match self.serve {
            Serve::Gateway(_) => "wire-rust",
            Serve::ZmqEcho => "zmq-echo",
            Serve::TcpEcho => "tcp-echo",
        }
    }

    /// Where the engine runs, as the JSON lines and READY say it.
    pub fn engine_name(&self) -> &'static str {
        match self.serve {
            Serve::Gateway(EngineShape::Inline) => "inline",
            Serve::Gateway(EngineShape::Thread) => "thread",
            Serve::ZmqEcho | Serve::TcpEcho => "echo",
        }
    }
}

/// `--drop-copy` and `--drop-copy-prefix` together, or neither.
fn drop_copy_target(
    url: Option<String>,
    prefix: Option<String>,
    snapshot_every: Option<u64>,
) -> Result<Option<DropCopyTarget>, GatewayError> {
    match (url, prefix) {
        (None, None) if snapshot_every.is_some() => {
            Err(GatewayError::Usage("--snapshot-every needs --drop-copy".into()))
        }
        (None, None) => Ok(None),
        (Some(url), Some(prefix)) => {
            hotpath_dropcopy::url::RedisUrl::parse(&url)
                .map_err(|e| GatewayError::Usage(format!("--drop-copy: {e}")))?;
            if prefix.is_empty() {
                return Err(GatewayError::Usage("--drop-copy-prefix is empty".into()));
            }
            let snapshot_every = snapshot_every.unwrap_or(DEFAULT_SNAPSHOT_EVERY);
            Ok(Some(DropCopyTarget { url, prefix, snapshot_every }))
        }
        (Some(_), None) => Err(GatewayError::Usage("--drop-copy needs --drop-copy-prefix".into())),
        (None, Some(_)) => Err(GatewayError::Usage("--drop-copy-prefix needs --drop-copy".into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, GatewayError> {
        Options::parse(args.iter().map(|s| (*s).to_owned()))
    }

    #[test]
    fn defaults_and_choices() {
        let o = parse(&[]).expect("defaults");
        assert_eq!(
            (o.bind.as_str(), o.serve, o.poll),
            ("tcp://127.0.0.1:5555", Serve::Gateway(EngineShape::Inline), Poll::Spin)
        );
        let o = parse(&["--engine", "thread", "--poll", "park", "--queue", "8"]).expect("valid");
        assert_eq!((o.serve, o.poll, o.queue), (Serve::Gateway(EngineShape::Thread), Poll::Park, 8));
        assert_eq!(parse(&["--echo", "tcp"]).expect("valid").gateway_name(), "tcp-echo");
        assert_eq!(o.drop_copy, None);
        let o =
            parse(&["--drop-copy", "redis://127.0.0.1:6379/1", "--drop-copy-prefix", "hp:r"]).expect("valid");
        assert_eq!(
            o.drop_copy,
            Some(DropCopyTarget {
                url: "redis://127.0.0.1:6379/1".into(),
                prefix: "hp:r".into(),
                snapshot_every: DEFAULT_SNAPSHOT_EVERY
            })
        );
    }

    #[test]
    fn bad_arguments_are_named() {
        for (args, needle) in [
            (&["--engine", "gpu"][..], "--engine"),
            (&["--bind", "ipc:///x"][..], "--bind"),
            (&["--queue", "0"][..], "--queue"),
            (&["--frobnicate"][..], "--frobnicate"),
            (&["--poll"][..], "--poll needs a value"),
            (&["--drop-copy", "redis://h:1"][..], "needs --drop-copy-prefix"),
            (&["--drop-copy-prefix", "p"][..], "needs --drop-copy"),
            (&["--drop-copy", "http://h:1", "--drop-copy-prefix", "p"][..], "http://h:1"),
            (&["--drop-copy", "redis://h:1", "--drop-copy-prefix", ""][..], "empty"),
            (&["--drop-copy", "redis://h:1", "--drop-copy-prefix", "p", "--echo", "zmq"][..], "--echo"),
        ] {
            let err = parse(args).expect_err("refused").to_string();
            assert!(err.contains(needle), "{err}");
        }
    }
}
