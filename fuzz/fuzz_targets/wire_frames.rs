//! A client's frames from the network, through the wire-rust gateway's protocol state
//! machine (the code both engine shapes run). The input is a sequence of frames, each
//! `[u16 length, little-endian][bytes]`. Every frame must get exactly one reply with a
//! valid header — READY, REPORTS (echoing the frame's seq), FINISHED or ERROR — and never a
//! panic, whatever the frame and whatever the session's state.
#![no_main]

use hotpath_core::format::{WireHeader, WireKind, WIRE_HEADER_SIZE};
use hotpath_fuzz::MAX_REPLAYED_EVENTS;
use hotpath_gateway::session::{Backend, Session};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut session = Session::new(Backend::Engine, "wire-rust", "inline");
    let mut out = Vec::new();
    let mut rest = data;
    let mut events = 0usize;
    while rest.len() >= 2 && events <= MAX_REPLAYED_EVENTS {
        let len = usize::from(u16::from_le_bytes([rest[0], rest[1]])).min(rest.len() - 2);
        let frame = &rest[2..2 + len];
        rest = &rest[2 + len..];
        session.handle(frame, &mut out);
        let reply = WireHeader::parse(&out).expect("every reply has a valid header");
        reply.check_payload(out.len() - WIRE_HEADER_SIZE).expect("every reply is sized as its header says");
        match reply.kind {
            WireKind::Reports => {
                assert_eq!(reply.seq, WireHeader::seq_of(frame), "REPORTS echoes the frame's seq");
                events += frame.len() / 48;
            }
            WireKind::Error => assert_eq!(reply.seq, WireHeader::seq_of(frame), "ERROR echoes the seq"),
            WireKind::Ready | WireKind::Finished => {}
            other => panic!("a gateway answered with {other:?}"),
        }
    }
});
