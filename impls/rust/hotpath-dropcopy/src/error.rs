//! The crate's one error type.

use thiserror::Error;

/// What starting, configuring or talking to the drop-copy's Redis can fail with.
#[derive(Debug, Error)]
pub enum DropCopyError {
    /// A Redis URL that is not `redis://host:port[/db]`.
    #[error("drop-copy URL {url:?}: {reason} (expected redis://host:port[/db])")]
    Url {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A configuration value outside its range.
    #[error("drop-copy config: {field} {message}")]
    Config {
        /// The field (`batch`, `snapshot_every`, …).
        field: &'static str,
        /// Why it is refused.
        message: String,
    },
    /// The server could not be reached, or the connection broke.
    #[error("{url}: {message}")]
    Connection {
        /// The server's URL.
        url: String,
        /// What the socket said.
        message: String,
    },
    /// The server answered a command with an error reply.
    #[error("{url}: {command} refused: {message}")]
    Server {
        /// The server's URL.
        url: String,
        /// The command (its name only).
        command: String,
        /// The error reply.
        message: String,
    },
    /// The server sent bytes that are not a RESP2 reply, or not the reply expected.
    #[error("{url}: unexpected reply: {message}")]
    Protocol {
        /// The server's URL.
        url: String,
        /// What was wrong.
        message: String,
    },
    /// Reports handed to the publisher out of seq order.
    #[error(
        "report seq {got} where seq {expected} was due: the drop-copy needs a gap-free stream from seq 1"
    )]
    Sequence {
        /// The seq the stream needed next.
        expected: u64,
        /// The seq it got.
        got: u64,
    },
}

impl DropCopyError {
    /// A connection failure on `url`.
    pub(crate) fn connection(url: &str, message: impl std::fmt::Display) -> Self {
        DropCopyError::Connection { url: url.to_owned(), message: message.to_string() }
    }

    /// A malformed or unexpected reply from `url`.
    pub(crate) fn protocol(url: &str, message: impl std::fmt::Display) -> Self {
        DropCopyError::Protocol { url: url.to_owned(), message: message.to_string() }
    }
}
