//! The crate's one error type.

use thiserror::Error;

/// Everything that can go wrong while generating a scenario or overlaying the strategy.
///
/// Each variant names the offending field (as a JSON path into the generator config) or
/// the offending record, so a caller can point a user at the exact key to fix.
#[derive(Debug, Error, PartialEq)]
pub enum ScenarioError {
    /// The configuration JSON is not well-formed or does not have the expected shape
    /// (a missing or unknown key, a wrong type).
    #[error("scenario config: {0}")]
    ConfigJson(String),
    /// A configuration value is present but unusable.
    #[error("scenario config: {field}: {message}")]
    Config {
        /// JSON path of the field, e.g. `market.phases[2].rate`.
        field: String,
        /// What is wrong and what is expected.
        message: String,
    },
    /// A market-data record given to the strategy overlay cannot be used.
    #[error("market stream: record {index}: {message}")]
    MarketStream {
        /// 0-based index of the record in the input stream.
        index: u64,
        /// What is wrong.
        message: String,
    },
}

impl ScenarioError {
    /// Shorthand for a [`ScenarioError::Config`].
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> Self {
        ScenarioError::Config { field: field.into(), message: message.into() }
    }
}

impl From<serde_json::Error> for ScenarioError {
    fn from(e: serde_json::Error) -> Self {
        ScenarioError::ConfigJson(e.to_string())
    }
}
