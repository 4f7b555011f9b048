//! The synchronisation primitives of this crate, from loom under `--cfg crossbeam_loom`
//! (so that loom sees and permutes every access of the protocol) and from `std` otherwise.

#[cfg(crossbeam_loom)]
pub(crate) use loom::sync::atomic::{AtomicU64, Ordering};
#[cfg(crossbeam_loom)]
pub(crate) use loom::sync::{Arc, Mutex, MutexGuard};

#[cfg(not(crossbeam_loom))]
pub(crate) use std::sync::atomic::{AtomicU64, Ordering};
#[cfg(not(crossbeam_loom))]
pub(crate) use std::sync::{Arc, Mutex, MutexGuard};
