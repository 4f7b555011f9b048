//! `hotpath-core`: the order hot path (validation → pre-trade risk → execution) and the
//! record formats it reads and writes. Pure Rust: no Python, no async runtime, no I/O
//! beyond mapping files. The behaviour is specified in `docs/pipeline.md`, the formats in
//! `docs/formats.md`.
#![deny(unsafe_code)]

pub mod digest;
pub mod engine;
pub mod error;
pub mod format;

pub use engine::Engine;
pub use error::{CoreError, FormatError};
