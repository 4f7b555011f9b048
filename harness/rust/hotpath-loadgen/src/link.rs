//! The generator's end of the wire: a ZeroMQ DEALER (gateways and the ZeroMQ floor) or a
//! plain TCP stream (the TCP floor), both giving whole frames.
//!
//! `recv` must be cancel-safe: the driver polls it in a `select!` with a yield, every turn.
//! The DEALER's receive is a stream's `next` (nothing is consumed unless it completes); the
//! TCP side reads into a buffer with `read_buf` (idem) and cuts frames out of it.

use bytes::{Buf, Bytes, BytesMut};
use hotpath_core::format::{WireHeader, WIRE_HEADER_SIZE};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use zeromq::{DealerSocket, Socket, SocketRecv, SocketSend, ZmqMessage};

use crate::error::LoadgenError;

/// A connected link to the target.
pub enum Link {
    /// ZeroMQ DEALER.
    Zmq(DealerSocket),
    /// TCP with its read buffer.
    Tcp(TcpStream, BytesMut),
}

impl Link {
    /// Connects to `endpoint` (`tcp://host:port`).
    ///
    /// # Errors
    /// [`LoadgenError::Target`] if the connection cannot be made.
    pub async fn connect(endpoint: &str, tcp: bool) -> Result<Link, LoadgenError> {
        let fail = |e: &dyn std::fmt::Display| LoadgenError::Target {
            target: endpoint.to_owned(),
            message: format!("connect: {e}"),
        };
        if tcp {
            let addr = endpoint.strip_prefix("tcp://").unwrap_or(endpoint);
            let stream = TcpStream::connect(addr).await.map_err(|e| fail(&e))?;
            stream.set_nodelay(true).map_err(|e| fail(&e))?;
            Ok(Link::Tcp(stream, BytesMut::with_capacity(1 << 20)))
        } else {
            let mut socket = DealerSocket::new();
            socket.connect(endpoint).await.map_err(|e| fail(&e))?;
            Ok(Link::Zmq(socket))
        }
    }

    /// Sends one frame.
    ///
    /// # Errors
    /// A transport error as text.
    pub async fn send(&mut self, frame: Vec<u8>) -> Result<(), String> {
        match self {
            Link::Zmq(s) => s.send(ZmqMessage::from(frame)).await.map_err(|e| e.to_string()),
            Link::Tcp(s, _) => s.write_all(&frame).await.map_err(|e| e.to_string()),
        }
    }

    /// The next whole frame (cancel-safe).
    ///
    /// # Errors
    /// A transport error, a closed connection or a reply that is not a frame, as text.
    pub async fn recv(&mut self) -> Result<Bytes, String> {
        match self {
            Link::Zmq(s) => {
                let parts = s.recv().await.map_err(|e| e.to_string())?.into_vec();
                match parts.len() {
                    0 => Err("an empty message".to_owned()),
                    1 => Ok(parts.into_iter().next().unwrap_or_default()),
                    _ => Ok(parts.iter().flat_map(|p| p.iter().copied()).collect::<Vec<u8>>().into()),
                }
            }
            Link::Tcp(s, buf) => loop {
                if let Some(len) = tcp_frame_len(buf)? {
                    if buf.len() >= len {
                        return Ok(buf.split_to(len).freeze());
                    }
                }
                let n = s.read_buf(buf).await.map_err(|e| e.to_string())?;
                if n == 0 {
                    return Err("the connection was closed".to_owned());
                }
            },
        }
    }
}

/// The length of the frame at the front of `buf`, once its header is there.
fn tcp_frame_len(buf: &BytesMut) -> Result<Option<usize>, String> {
    if buf.len() < WIRE_HEADER_SIZE {
        return Ok(None);
    }
    let h = WireHeader::parse(&buf.chunk()[..WIRE_HEADER_SIZE]).map_err(|(_, m)| m)?;
    Ok(Some(WIRE_HEADER_SIZE + h.payload_len()))
}
