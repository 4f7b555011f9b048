//! The TCP floor (`--echo tcp`): the protocol's frames over a plain TCP stream, each
//! answered with a bare 16-byte header, so the round trip is the kernel's network stack
//! and the runtime's polling, and nothing else. One connection at a time.

use hotpath_core::format::{WireHeader, WireKind, WIRE_HEADER_SIZE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::error::GatewayError;
use crate::lines::Stopped;
use crate::runtime::StopSignals;
use crate::session::Counters;

/// A bound listener and its `tcp://host:port`.
pub struct TcpEcho {
    listener: TcpListener,
    /// With the port the kernel gave.
    pub endpoint: String,
}

impl TcpEcho {
    /// Binds `endpoint` (`tcp://host:port`).
    ///
    /// # Errors
    /// [`GatewayError::Socket`] if it cannot be bound.
    pub async fn bind(endpoint: &str) -> Result<TcpEcho, GatewayError> {
        let addr = endpoint.strip_prefix("tcp://").unwrap_or(endpoint);
        let listener = TcpListener::bind(addr).await.map_err(|e| GatewayError::socket(endpoint, e))?;
        let local = listener.local_addr().map_err(|e| GatewayError::socket(endpoint, e))?;
        Ok(TcpEcho { listener, endpoint: format!("tcp://{local}") })
    }

    /// Serves connections one after another until SIGINT/SIGTERM.
    ///
    /// # Errors
    /// [`GatewayError::Socket`] if accepting fails.
    pub async fn serve(&mut self, stop: &mut StopSignals) -> Result<Stopped, GatewayError> {
        let mut totals = Counters::default();
        let mut sessions = 0;
        let signal = loop {
            let (stream, _) = tokio::select! {
                biased;
                signal = stop.next() => break signal,
                accepted = self.listener.accept() => accepted.map_err(|e| GatewayError::socket(&self.endpoint, e))?,
            };
            sessions += 1;
            let served = tokio::select! {
                biased;
                signal = stop.next() => Err(signal),
                _ = echo(stream, &mut totals) => Ok(()),
            };
            if let Err(signal) = served {
                break signal;
            }
        };
        Ok(Stopped { signal, sessions, totals, max_queue: 0, undeliverable: 0, drop_copy: None })
    }
}

/// Echoes one connection until it closes or sends something that is not a frame.
async fn echo(mut stream: TcpStream, totals: &mut Counters) {
    if stream.set_nodelay(true).is_err() {
        return;
    }
    let mut header = [0u8; WIRE_HEADER_SIZE];
    let mut payload = vec![0u8; 1 << 16];
    loop {
        if stream.read_exact(&mut header).await.is_err() {
            return;
        }
        let Ok(h) = WireHeader::parse(&header) else { return };
        let len = h.payload_len();
        if payload.len() < len {
            payload.resize(len, 0);
        }
        if stream.read_exact(&mut payload[..len]).await.is_err() {
            return;
        }
        totals.frames += 1;
        let kind = match h.kind {
            WireKind::Start => WireKind::Ready,
            WireKind::Finish => WireKind::Finished,
            _ => {
                totals.events += u64::from(h.count);
                WireKind::Reports
            }
        };
        let reply = WireHeader { kind, count: 0, seq: h.seq }.to_bytes();
        if stream.write_all(&reply).await.is_err() {
            return;
        }
    }
}
