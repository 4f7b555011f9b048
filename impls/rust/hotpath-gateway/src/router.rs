//! The gateway's ZeroMQ side: a ROUTER socket (pure-Rust `zeromq` crate, chosen over libzmq
//! by measured round trip: docs/wire.md) and the two things done with it, reading a frame
//! with its peer and answering that peer.

use bytes::Bytes;
use zeromq::{RouterSocket, Socket, SocketRecv, SocketSend, ZmqMessage};

use crate::error::GatewayError;

/// A bound ROUTER socket and the endpoint it actually listens on.
pub struct Router {
    socket: RouterSocket,
    /// `tcp://host:port` with the port the kernel gave.
    pub endpoint: String,
}

/// One frame as received: who sent it and its bytes (a multipart message is read as the
/// concatenation of its frames).
pub struct Incoming {
    /// The peer's identity, used to address the reply.
    pub peer: Bytes,
    /// The frame.
    pub frame: Bytes,
}

impl Router {
    /// Binds `endpoint`.
    ///
    /// # Errors
    /// [`GatewayError::Socket`] if it cannot be bound.
    pub async fn bind(endpoint: &str) -> Result<Router, GatewayError> {
        let mut socket = RouterSocket::new();
        let bound = socket.bind(endpoint).await.map_err(|e| GatewayError::socket(endpoint, e))?;
        Ok(Router { socket, endpoint: bound.to_string() })
    }

    /// The next frame from any peer.
    ///
    /// # Errors
    /// [`GatewayError::Socket`] if the socket fails.
    pub async fn recv(&mut self) -> Result<Incoming, GatewayError> {
        let message = self.socket.recv().await.map_err(|e| GatewayError::socket(&self.endpoint, e))?;
        let mut parts = message.into_vecdeque();
        let peer = parts.pop_front().unwrap_or_default();
        let frame = match parts.len() {
            1 => parts.pop_front().unwrap_or_default(),
            _ => parts.iter().flat_map(|p| p.iter().copied()).collect::<Vec<u8>>().into(),
        };
        Ok(Incoming { peer, frame })
    }

    /// Sends `reply` to `peer`; false if the peer has gone (the reply is dropped and the
    /// caller counts it).
    pub async fn send(&mut self, peer: Bytes, reply: Vec<u8>) -> bool {
        let mut message = ZmqMessage::from(reply);
        message.push_front(peer);
        self.socket.send(message).await.is_ok()
    }
}
