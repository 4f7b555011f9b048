//! `hotpath-board`: the engine's top of book, published for readers on other threads (a
//! risk dashboard polling through PyO3, a reporting thread) without blocking the engine.
//!
//! The engine stays single-threaded and unchanged: its driver, after each event, reads the
//! top of book of the event's instrument and publishes it when it changed
//! ([`BookPublisher`]). Readers copy the newest [`TopOfBook`] of an instrument whenever
//! they like. Two boards behind one trait ([`Board`]):
//!
//! - [`EpochBoard`]: one atomic pointer per instrument; the writer swaps in a new snapshot
//!   and hands the old one to epoch-based reclamation (crossbeam-epoch), so a reader never
//!   waits and never sees freed memory. Loom explores its protocol (`tests/loom.rs`).
//! - [`MutexBoard`]: one mutex per instrument, kept to measure what the lock costs.
//!
//! Both count their snapshots ([`SnapshotMemory`]) so the memory a board holds, garbage
//! waiting for reclamation included, is measured rather than guessed. `docs/readers.md`
//! describes the protocol and the contention experiment built on it.
#![deny(unsafe_code)]

mod board;
mod count;
mod epoch;
mod error;
mod mutex;
mod publish;
mod sync;
mod top;

pub use board::{Board, BoardKind, BoardReader, BoardWriter};
pub use count::SnapshotMemory;
pub use epoch::{EpochBoard, EpochReader, EpochWriter};
pub use error::BoardError;
pub use mutex::{MutexBoard, MutexReader, MutexWriter};
pub use publish::BookPublisher;
pub use top::TopOfBook;
