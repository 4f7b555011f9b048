//! `hotpath-bench`: how the lab measures, on the Rust side.
//!
//! - [`clock`]: waiting on `CLOCK_MONOTONIC` (the clock itself is `hotpath_core::clock`,
//!   the same clock as Python's `time.perf_counter_ns`);
//! - [`pacing`]: when each event is *intended* to be dispatched (recorded, constant rate, max);
//! - [`timing`]: preallocated per-event timestamp arrays (the builds' stage probe,
//!   `hotpath_core::stamps`, fills the stage columns);
//! - [`native`]: the rust-native build's loop: pacing, stamps and the engine in one Rust loop;
//! - [`jitter`]: the machine's noise floor (how much time a spinning thread loses);
//! - [`recorder`]: turning those arrays into HdrHistograms, `.hgrm` and `.hlog` text;
//! - [`readers`]: the contention experiment, the engine publishing its top of book while
//!   reader threads poll it (`docs/readers.md`).
//!
//! The method is written up in `docs/measurement.md`.
#![deny(unsafe_code)]

pub mod clock;
pub mod error;
pub mod jitter;
pub mod native;
pub mod pacing;
pub mod readers;
pub mod recorder;
pub mod timing;

pub use error::BenchError;
