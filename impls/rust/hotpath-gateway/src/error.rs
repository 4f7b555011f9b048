//! The crate's one error type.

use thiserror::Error;

/// What stops a gateway (a malformed frame never does: it is answered and counted).
#[derive(Debug, Error)]
pub enum GatewayError {
    /// A command line that cannot be used.
    #[error("usage: {0}")]
    Usage(String),
    /// The socket could not be bound, or failed while serving.
    #[error("{endpoint}: {message}")]
    Socket {
        /// The endpoint involved.
        endpoint: String,
        /// What the transport said.
        message: String,
    },
    /// The runtime, a signal handler or the engine thread could not be set up.
    #[error("runtime: {0}")]
    Runtime(String),
    /// `--drop-copy` names a Redis that cannot be reached.
    #[error("--drop-copy: {0}")]
    DropCopy(#[from] hotpath_dropcopy::DropCopyError),
}

impl GatewayError {
    /// A socket error on `endpoint`.
    pub fn socket(endpoint: &str, message: impl std::fmt::Display) -> Self {
        GatewayError::Socket { endpoint: endpoint.to_owned(), message: message.to_string() }
    }
}
