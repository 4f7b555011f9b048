//! `hotpath-dropcopy`: the Rust builds' drop-copy (docs/dropcopy.md). Execution reports,
//! and position snapshots folded from their fills, published to Redis Streams by a thread
//! of its own, so that a desk's blotters and dashboards see every report without the
//! order path ever waiting for them.
//!
//! - [`shared_log`]: the hot path's side where the engine keeps its report log (rust-native,
//!   rust-ffi): the log itself, which the publisher reads behind its writer ([`LogWriter`]),
//!   so each report is written once;
//! - [`feed`]: the hot path's side where no log is kept (a gateway session): a report sink
//!   that copies into a bounded SPSC ring ([`ReportFeed`]);
//! - [`publisher`]: the thread, its pipelined `XADD`s, reconnection and resume, and the
//!   end of a pass ([`start`], [`Publisher::finish`], [`publish`]; [`start_with_log`],
//!   [`start_with_log_in`], [`LogPublisher::finish`]);
//! - [`layout`] and [`positions`]: the streams' contract, byte for byte, and the fold;
//! - [`client`], [`resp`], [`url`]: a small blocking RESP2 client over `std::net`;
//! - [`test_server`]: a real redis-server for tests.
//!
//! No async runtime and no Redis crate: a publisher needs one socket, a handful of
//! commands and full control of when it blocks.
#![deny(unsafe_code)]

pub mod client;
mod config;
mod error;
pub mod feed;
pub mod layout;
mod link;
mod outbox;
pub mod positions;
pub mod priority;
pub mod publisher;
pub mod resp;
#[allow(unsafe_code)]
pub mod shared_log;
mod stats;
pub mod test_server;
pub mod url;

pub use config::{DropCopyConfig, DEFAULT_SNAPSHOT_EVERY};
pub use error::DropCopyError;
pub use feed::ReportFeed;
pub use publisher::{ping, publish, start, start_with_log, start_with_log_in, LogPublisher, Publisher};
pub use shared_log::{report_log, report_log_in, LogReader, LogWriter};
pub use stats::{DropCopyStats, StatValue};
