//! The Tokio runtime every serving mode runs on, and how it waits.
//!
//! One current-thread runtime: the gateway's work is one ordered stream, so a second
//! worker thread would only add hand-offs. Under `--poll spin` a local task that always
//! yields keeps the scheduler from parking: it polls epoll with a zero timeout between
//! turns, so a frame is picked up as soon as it lands instead of after a wake-up (on this
//! lab's machine a loopback round trip drops from ~90 µs to ~17 µs: docs/wire.md).

use std::future::Future;

use tokio::signal::unix::{signal, Signal, SignalKind};

use crate::error::GatewayError;
use crate::options::Poll;

/// Runs `serve` to completion on a current-thread runtime waiting as `poll` says.
///
/// # Errors
/// [`GatewayError::Runtime`] if the runtime cannot be built; else whatever `serve` returns.
pub fn run<F, T>(poll: Poll, serve: F) -> Result<T, GatewayError>
where
    F: Future<Output = Result<T, GatewayError>>,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| GatewayError::Runtime(e.to_string()))?;
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async move {
        let spinner = (poll == Poll::Spin).then(|| {
            tokio::task::spawn_local(async {
                loop {
                    tokio::task::yield_now().await;
                }
            })
        });
        let result = serve.await;
        if let Some(spinner) = spinner {
            spinner.abort();
        }
        result
    })
}

/// SIGINT and SIGTERM, as one stream of stop requests.
pub struct StopSignals {
    interrupt: Signal,
    terminate: Signal,
}

impl StopSignals {
    /// Installs the handlers (must be called inside the runtime).
    ///
    /// # Errors
    /// [`GatewayError::Runtime`] if a handler cannot be installed.
    pub fn install() -> Result<StopSignals, GatewayError> {
        let install = |kind| signal(kind).map_err(|e| GatewayError::Runtime(format!("signal handler: {e}")));
        Ok(StopSignals {
            interrupt: install(SignalKind::interrupt())?,
            terminate: install(SignalKind::terminate())?,
        })
    }

    /// Waits for the next stop request; its name (`SIGINT`, `SIGTERM`).
    pub async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.interrupt.recv() => "SIGINT",
            _ = self.terminate.recv() => "SIGTERM",
        }
    }
}
