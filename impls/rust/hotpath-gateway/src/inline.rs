//! `--engine inline`: the engine runs on the I/O task. A frame is read, handled and
//! answered before the next is read, so frames that arrive faster than they are handled
//! wait in the socket's buffers and, beyond them, in the client's: backpressure with no
//! queue of the gateway's own.

use crate::error::GatewayError;
use crate::lines::Stopped;
use crate::router::Router;
use crate::runtime::StopSignals;
use crate::session::Session;

/// Serves until SIGINT/SIGTERM; a frame already read is always answered.
///
/// # Errors
/// [`GatewayError::Socket`] if the socket fails.
pub async fn serve(
    router: &mut Router,
    mut session: Session,
    stop: &mut StopSignals,
) -> Result<Stopped, GatewayError> {
    let mut undeliverable = 0;
    let signal = loop {
        let incoming = tokio::select! {
            biased;
            signal = stop.next() => break signal,
            incoming = router.recv() => incoming?,
        };
        let mut reply = Vec::with_capacity(64 + incoming.frame.len());
        session.handle(&incoming.frame, &mut reply);
        if !router.send(incoming.peer, reply).await {
            undeliverable += 1;
        }
    };
    let drop_copy = session.finish_drop_copy();
    Ok(Stopped {
        signal,
        sessions: session.sessions,
        totals: session.totals,
        max_queue: 0,
        undeliverable,
        drop_copy,
    })
}
