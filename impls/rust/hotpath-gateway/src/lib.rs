//! `hotpath-gateway`: the wire-rust build. A ZeroMQ ROUTER on a Tokio runtime takes the
//! lab's event records in frames (`docs/formats.md`, "Wire protocol"), runs them through
//! `hotpath-core`'s engine and answers each frame with the reports it produced. The same
//! binary serves the two floors a wire run is measured against (`--echo zmq|tcp`).
//!
//! - [`session`]: the protocol as a state machine, one frame in, one reply out, no I/O;
//! - [`router`]: the ZeroMQ socket; [`tcp_echo`]: the TCP floor;
//! - [`inline`] and [`threaded`]: the two places the engine can run;
//! - [`runtime`]: the current-thread runtime, spin or park, and the stop signals;
//! - [`options`], [`lines`]: the command line and the two JSON lines it prints.
#![deny(unsafe_code)]

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

use options::{EngineShape, Options, Serve};
use session::{Backend, Session};

/// Binds, prints the listening line, serves until stopped, prints the stopped line.
///
/// # Errors
/// Any [`GatewayError`]; a malformed frame is never one.
pub fn run(options: &Options) -> Result<(), GatewayError> {
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
                let session = Session::new(backend, options.gateway_name(), options.engine_name());
                match options.serve {
                    Serve::Gateway(EngineShape::Thread) => {
                        threaded::serve(&mut router, session, options.queue, &mut stop).await?
                    }
                    _ => inline::serve(&mut router, session, &mut stop).await?,
                }
            }
        };
        lines::stopped(options, &stopped);
        Ok(())
    })
}
