//! The shared log's own case against a real redis-server (both_sides.rs has the scenarios it
//! shares with the ring): a publisher refuses to finish with another pass's log.

mod common;

use common::RedisServer;
use hotpath_dropcopy::{start_with_log, DropCopyConfig};

#[test]
fn finishing_with_another_pass_log_is_refused() {
    let Some(server) = RedisServer::start(false) else { return };
    let (_mine, publisher) = start_with_log(DropCopyConfig::new(server.url(), "l:mine"), 8).expect("start");
    let (theirs, _other) = start_with_log(DropCopyConfig::new(server.url(), "l:theirs"), 8).expect("start");
    let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| publisher.finish(theirs)));
    let message = refused.err().and_then(|e| e.downcast_ref::<String>().cloned()).unwrap_or_default();
    assert!(message.contains("another pass's log writer"), "{message:?}");
}
