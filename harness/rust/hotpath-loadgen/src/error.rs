//! The crate's one error type; each variant has its exit code (docs/wire.md).

use thiserror::Error;

/// What stops a load generator run.
#[derive(Debug, Error)]
pub enum LoadgenError {
    /// A command line that cannot be used (exit 2).
    #[error("usage: {0}")]
    Usage(String),
    /// The scenario file cannot be read (exit 3).
    #[error(transparent)]
    Scenario(#[from] hotpath_core::CoreError),
    /// The target did not behave: no answer in time, an ERROR frame, a reply out of order,
    /// a digest that disagrees (exit 4).
    #[error("{target}: {message}")]
    Target {
        /// The endpoint.
        target: String,
        /// What went wrong.
        message: String,
    },
    /// Measuring or writing the results failed (exit 1).
    #[error("{0}")]
    Output(String),
}

impl LoadgenError {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            LoadgenError::Usage(_) => 2,
            LoadgenError::Scenario(_) => 3,
            LoadgenError::Target { .. } => 4,
            LoadgenError::Output(_) => 1,
        }
    }
}

impl From<hotpath_bench::BenchError> for LoadgenError {
    fn from(e: hotpath_bench::BenchError) -> Self {
        match e {
            hotpath_bench::BenchError::Pace { .. } => LoadgenError::Usage(e.to_string()),
            other => LoadgenError::Output(other.to_string()),
        }
    }
}
