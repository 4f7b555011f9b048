//! The crate's one error type.

use thiserror::Error;

/// What can go wrong while measuring.
#[derive(Debug, Error)]
pub enum BenchError {
    /// A pacing specification that cannot be used.
    #[error("invalid pace {spec:?}: {message}")]
    Pace {
        /// The text given.
        spec: String,
        /// Why it is refused.
        message: String,
    },
    /// Timing arrays of different lengths or otherwise inconsistent.
    #[error("timing arrays: {0}")]
    Timing(String),
    /// An experiment setting that cannot run (for example readers without a board).
    #[error("experiment: {0}")]
    Experiment(String),
    /// A histogram could not be created, recorded into or serialised.
    #[error("histogram: {0}")]
    Histogram(String),
}
