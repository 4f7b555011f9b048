//! `hotpath-gateway`: the wire-rust build. A ZeroMQ ROUTER on a Tokio runtime takes the
//! lab's event records in frames (`docs/formats.md`, "Wire protocol"), runs them through
//! `hotpath-core`'s engine and answers each frame with the reports it produced. The same
//! binary serves the two floors a wire run is measured against (`--echo zmq|tcp`).
//!
//! - [`session`]: the protocol as a state machine, one frame in, one reply out, no I/O;
//! - [`router`]: the ZeroMQ socket; [`tcp_echo`]: the TCP floor;
//! - [`inline`] and [`threaded`]: the two places the engine can run;
//! - [`runtime`]: the current-thread runtime, spin or park, and the stop signals;
//! - [`drop_copy`]: `--drop-copy`, each session's reports published to Redis Streams;
//! - [`options`], [`lines`]: the command line and the two JSON lines it prints.
#![deny(unsafe_code)]

pub mod drop_copy;
pub mod error;
pub mod inline;
pub mod lines;
pub mod options;
pub mod router;
pub mod runtime;
pub mod session;
pub mod tcp_echo;
pub mod threaded;

pub use error::GatewayError;

use std::time::Duration;

use options::{EngineShape, Options, Serve};

use session::{Backend, Session};

/// How long a stopping gateway keeps its connections open after its last reply.
pub const CLOSE_LINGER: Duration = Duration::from_millis(200);

/// Binds, prints the listening line, serves until stopped, prints the stopped line.
///
/// # Errors
/// Any [`GatewayError`]; a malformed frame is never one.
pub fn run(options: &Options) -> Result<(), GatewayError> {
    if let Some(target) = &options.drop_copy {
        // a Redis that is not there is a start-up error, not a surprise at the first START
        hotpath_dropcopy::ping(&target.url)?;
    }
    runtime::run(options.poll, async {
        let mut stop = runtime::StopSignals::install()?;
        let stopped = match options.serve {
            Serve::TcpEcho => {
                let mut echo = tcp_echo::TcpEcho::bind(&options.bind).await?;
                lines::listening(&echo.endpoint, options);
                echo.serve(&mut stop).await?
            }
            Serve::ZmqEcho | Serve::Gateway(_) => {
                let mut router = router::Router::bind(&options.bind).await?;
                lines::listening(&router.endpoint, options);
                let backend = if options.serve == Serve::ZmqEcho { Backend::Echo } else { Backend::Engine };
                let mut session = Session::new(backend, options.gateway_name(), options.engine_name());
                if let Some(target) = &options.drop_copy {
                    session = session.with_drop_copy(target.clone());
                }
                let stopped = match options.serve {
                    Serve::Gateway(EngineShape::Thread) => {
                        threaded::serve(&mut router, session, options.queue, &mut stop).await?
                    }
                    _ => inline::serve(&mut router, session, &mut stop).await?,
                };
                close_gracefully(router).await;
                stopped
            }
        };
        lines::stopped(options, &stopped);
        Ok(())
    })
}

/// Closes the socket after its last reply without resetting its connections.
///
/// Closing a TCP socket that still holds unread input (frames the client sent after the
/// gateway stopped reading) resets the connection, and a reset makes both kernels drop
/// what they hold, the last replies included. So for [`CLOSE_LINGER`] the connection is
/// kept open and emptied: frames arriving now are discarded unread (never handled, never
/// counted, like frames still in flight), and the close that follows is an orderly one.
async fn close_gracefully(mut router: router::Router) {
    let linger = tokio::time::sleep(CLOSE_LINGER);
    tokio::pin!(linger);
    loop {
        tokio::select! {
            _ = &mut linger => break,
            discarded = router.recv() => if discarded.is_err() { break },
        }
    }
}
