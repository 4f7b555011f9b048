//! The command line (`hotpath-gateway --help`), parsed by hand: five options do not need a
//! parser crate in the build.

use crate::error::GatewayError;

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
}

/// The `--help` text.
pub const USAGE: &str = "\
hotpath-gateway: the wire-rust build (docs/wire.md)

usage: hotpath-gateway [--bind tcp://127.0.0.1:5555] [--engine inline|thread]
                       [--poll spin|park] [--queue FRAMES] [--echo zmq|tcp]

  --bind     endpoint to bind (port 0 picks a free port)
  --engine   inline: the engine runs on the I/O task (default); thread: on its own thread
             behind bounded SPSC rings of --queue frames (default 1024)
  --poll     spin: the runtime never sleeps in epoll_wait (default); park: Tokio's default
  --echo     serve a floor instead of the engine: zmq (same sockets, no pipeline) or tcp
             (the same frames over plain TCP)
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
                other => return Err(GatewayError::Usage(format!("unknown argument {other:?}\n\n{USAGE}"))),
            }
        }
        let bind = bind.unwrap_or_else(|| "tcp://127.0.0.1:5555".to_owned());
        if !bind.starts_with("tcp://") {
            return Err(GatewayError::Usage(format!("--bind {bind:?}: expected tcp://host:port")));
        }
        Ok(Options { bind, serve: echo.unwrap_or(Serve::Gateway(engine)), poll, queue })
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
    }

    #[test]
    fn bad_arguments_are_named() {
        for (args, needle) in [
            (&["--engine", "gpu"][..], "--engine"),
            (&["--bind", "ipc:///x"][..], "--bind"),
            (&["--queue", "0"][..], "--queue"),
            (&["--frobnicate"][..], "--frobnicate"),
            (&["--poll"][..], "--poll needs a value"),
        ] {
            let err = parse(args).expect_err("refused").to_string();
            assert!(err.contains(needle), "{err}");
        }
    }
}
