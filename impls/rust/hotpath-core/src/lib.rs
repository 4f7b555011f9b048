//! `hotpath-core`: the order hot path (validation → pre-trade risk → execution) and the
//! record formats it reads and writes. Pure Rust: no Python, no async runtime, no I/O
//! beyond mapping files. The behaviour is specified in `docs/pipeline.md`, the formats in
//! `docs/formats.md`.
//!
//! Beside the engine, what a build needs to be timed stage by stage: the monotonic
//! [`clock`], the [`stamps`] probe that records the end of each stage, and [`resident`]
//! buffers that do not page-fault inside a timed pass. The lab's measuring loop
//! (`hotpath-bench`) uses the same three.
#![deny(unsafe_code)]

pub mod clock;
pub mod digest;
pub mod engine;
pub mod error;
pub mod format;
pub mod resident;
pub mod stamps;

pub use engine::Engine;
pub use error::{CoreError, FormatError};
