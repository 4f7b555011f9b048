//! The wire protocol's frame header (`docs/formats.md`, "Wire protocol"): one ZeroMQ
//! message is one frame, a 16-byte header followed by a payload of records or JSON.
//!
//! Only the framing lives here (no sockets, no runtime), so the gateway and the load
//! generator decode with the same rules, and the Python side is held equal to these values
//! by the contract test.

use super::records::{EventKind, EventRecord, ReportRecord, EVENT_RECORD_SIZE};

/// Bytes of the frame header.
pub const WIRE_HEADER_SIZE: usize = 16;
/// The protocol version carried in every header.
pub const WIRE_VERSION: u8 = 1;
/// Most records one EVENTS or REPORTS frame may carry.
pub const WIRE_MAX_BATCH: u32 = 4096;
/// Most bytes of a START, READY, FINISHED or ERROR payload.
pub const WIRE_MAX_TEXT: u32 = 1 << 20;

byte_enum! {
    /// What a frame is. 1–15 travel from the client to the gateway, 16–31 back.
    WireKind {
        /// Opens a session: payload = scenario metadata JSON.
        Start = 1 => "START",
        /// Input events: payload = `count` event records.
        Events = 2 => "EVENTS",
        /// Closes the session; answered by FINISHED.
        Finish = 3 => "FINISH",
        /// START accepted: payload = JSON naming the gateway.
        Ready = 16 => "READY",
        /// The reports one EVENTS frame produced (`seq` echoed; `count` may be 0).
        Reports = 17 => "REPORTS",
        /// The session's summary (JSON).
        Finished = 18 => "FINISHED",
        /// A frame refused whole: payload = reject code byte + UTF-8 message.
        Error = 19 => "ERROR",
    }
}

byte_enum! {
    /// Why a gateway refused a frame (first payload byte of an ERROR frame).
    WireReject {
        /// Shorter than the 16-byte header.
        TooShort = 1 => "TOO_SHORT",
        /// Version byte is not [`WIRE_VERSION`], or flags are not zero.
        BadVersion = 2 => "BAD_VERSION",
        /// Kind byte is not a client kind.
        UnknownKind = 3 => "UNKNOWN_KIND",
        /// Payload length does not match `count`, or `count` is 0 or over the limit.
        BadSize = 4 => "BAD_SIZE",
        /// An event record of a kind the format does not define.
        BadRecord = 5 => "BAD_RECORD",
        /// EVENTS or FINISH with no session open.
        NoSession = 6 => "NO_SESSION",
        /// START whose metadata is not valid scenario metadata.
        BadMetadata = 7 => "BAD_METADATA",
    }
}

/// A decoded frame header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WireHeader {
    /// What the frame is.
    pub kind: WireKind,
    /// Records in the payload (EVENTS, REPORTS) or payload bytes (the others).
    pub count: u32,
    /// EVENTS: the client's frame number; REPORTS and ERROR echo it; else 0.
    pub seq: u64,
}

impl WireHeader {
    /// The header's 16 bytes.
    pub fn to_bytes(&self) -> [u8; WIRE_HEADER_SIZE] {
        let mut b = [0u8; WIRE_HEADER_SIZE];
        b[0] = self.kind as u8;
        b[1] = WIRE_VERSION;
        b[4..8].copy_from_slice(&self.count.to_le_bytes());
        b[8..16].copy_from_slice(&self.seq.to_le_bytes());
        b
    }

    /// Reads a header from the start of `frame` (any kind, either direction).
    ///
    /// # Errors
    /// The reject code and a message naming what is wrong.
    pub fn parse(frame: &[u8]) -> Result<WireHeader, (WireReject, String)> {
        if frame.len() < WIRE_HEADER_SIZE {
            return Err((WireReject::TooShort, format!("{} bytes, the header alone is 16", frame.len())));
        }
        if frame[1] != WIRE_VERSION || frame[2] != 0 || frame[3] != 0 {
            return Err((
                WireReject::BadVersion,
                format!(
                    "version byte {} flags {:#06x}: expected version 1, flags 0",
                    frame[1],
                    u16::from_le_bytes([frame[2], frame[3]])
                ),
            ));
        }
        let kind = WireKind::from_u8(frame[0])
            .ok_or_else(|| (WireReject::UnknownKind, format!("kind byte {}", frame[0])))?;
        let mut count = [0u8; 4];
        count.copy_from_slice(&frame[4..8]);
        Ok(WireHeader { kind, count: u32::from_le_bytes(count), seq: WireHeader::seq_of(frame) })
    }

    /// The `seq` field of `frame`, read even when the rest of the header is wrong (an ERROR
    /// answer echoes it); 0 for a frame too short to carry one.
    pub fn seq_of(frame: &[u8]) -> u64 {
        let mut seq = [0u8; 8];
        match frame.get(8..16) {
            Some(bytes) => {
                seq.copy_from_slice(bytes);
                u64::from_le_bytes(seq)
            }
            None => 0,
        }
    }

    /// The payload length this header announces: `count` records of the kind's size for
    /// EVENTS and REPORTS, nothing for FINISH, `count` bytes for the text kinds.
    pub fn payload_len(&self) -> usize {
        match self.kind {
            WireKind::Events => self.count as usize * EVENT_RECORD_SIZE,
            WireKind::Reports => self.count as usize * std::mem::size_of::<ReportRecord>(),
            WireKind::Finish => 0,
            _ => self.count as usize,
        }
    }

    /// Checks that the payload length agrees with `count` for this kind, and that `count`
    /// is within the protocol's limits.
    ///
    /// # Errors
    /// [`WireReject::BadSize`] with a message giving both lengths.
    pub fn check_payload(&self, payload_len: usize) -> Result<(), (WireReject, String)> {
        let bad = |message: String| Err((WireReject::BadSize, message));
        match self.kind {
            WireKind::Events if self.count == 0 || self.count > WIRE_MAX_BATCH => {
                return bad(format!("count {}: expected 1..={WIRE_MAX_BATCH}", self.count));
            }
            WireKind::Start | WireKind::Ready | WireKind::Finished | WireKind::Error
                if self.count > WIRE_MAX_TEXT =>
            {
                return bad(format!("{} payload bytes, at most {WIRE_MAX_TEXT}", self.count));
            }
            _ => {}
        }
        let expected = self.payload_len();
        if payload_len == expected {
            Ok(())
        } else {
            bad(format!("payload is {payload_len} bytes, header says {expected}"))
        }
    }
}

/// Decodes an EVENTS payload into `out` (cleared first), checking each record's kind.
///
/// The payload need not be aligned: records are copied field by field from little-endian
/// bytes, which is what lets a frame be read straight out of a socket buffer.
///
/// # Errors
/// [`WireReject::BadSize`] for a length that is not whole records, [`WireReject::BadRecord`]
/// naming the first record of an unknown kind; `out` is then left empty.
pub fn decode_events(payload: &[u8], out: &mut Vec<EventRecord>) -> Result<(), (WireReject, String)> {
    out.clear();
    if payload.len() % EVENT_RECORD_SIZE != 0 {
        return Err((WireReject::BadSize, format!("{} bytes is not whole 48-byte events", payload.len())));
    }
    for (i, b) in payload.chunks_exact(EVENT_RECORD_SIZE).enumerate() {
        let u64_at = |o: usize| {
            u64::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3], b[o + 4], b[o + 5], b[o + 6], b[o + 7]])
        };
        let kind = b[44];
        if EventKind::from_u8(kind).is_none() {
            out.clear();
            return Err((WireReject::BadRecord, format!("record {i}: kind {kind} is not an event kind")));
        }
        out.push(EventRecord {
            ts: u64_at(0),
            id: u64_at(8),
            orig_id: u64_at(16),
            price: u64_at(24) as i64,
            qty: u64_at(32) as i64,
            instrument: u16::from_le_bytes([b[40], b[41]]),
            account: u16::from_le_bytes([b[42], b[43]]),
            kind,
            side: b[45],
            order_type: b[46],
            venue: b[47],
        });
    }
    Ok(())
}

/// Appends one frame (header + record payload) to `out`.
pub fn encode_records(out: &mut Vec<u8>, kind: WireKind, seq: u64, records: &[u8], count: usize) {
    let header = WireHeader { kind, count: count as u32, seq };
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(records);
}

/// An ERROR frame: header (`seq` echoed) + reject code + message.
pub fn error_frame(seq: u64, code: WireReject, message: &str) -> Vec<u8> {
    let text = message.as_bytes();
    let len = (text.len() + 1).min(WIRE_MAX_TEXT as usize);
    let mut out = Vec::with_capacity(WIRE_HEADER_SIZE + len);
    out.extend_from_slice(&WireHeader { kind: WireKind::Error, count: len as u32, seq }.to_bytes());
    out.push(code as u8);
    out.extend_from_slice(&text[..len - 1]);
    out
}

/// A frame with a text (JSON) payload: START, READY or FINISHED.
pub fn text_frame(kind: WireKind, text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(WIRE_HEADER_SIZE + text.len());
    out.extend_from_slice(&WireHeader { kind, count: text.len() as u32, seq: 0 }.to_bytes());
    out.extend_from_slice(text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::records_as_bytes;

    #[test]
    fn header_round_trips() {
        let h = WireHeader { kind: WireKind::Events, count: 3, seq: 0x0102_0304_0506_0708 };
        assert_eq!(WireHeader::parse(&h.to_bytes()), Ok(h));
    }

    #[test]
    fn malformed_headers_get_their_reject_code() {
        assert_eq!(WireHeader::parse(&[2, 1, 0]).expect_err("refused").0, WireReject::TooShort);
        let mut b = WireHeader { kind: WireKind::Events, count: 1, seq: 1 }.to_bytes();
        b[1] = 9;
        assert_eq!(WireHeader::parse(&b).expect_err("refused").0, WireReject::BadVersion);
        b[1] = WIRE_VERSION;
        b[0] = 77;
        assert_eq!(WireHeader::parse(&b).expect_err("refused").0, WireReject::UnknownKind);
    }

    #[test]
    fn payload_size_must_match_count() {
        let h = WireHeader { kind: WireKind::Events, count: 2, seq: 1 };
        assert!(h.check_payload(96).is_ok());
        assert_eq!(h.check_payload(95).expect_err("refused").0, WireReject::BadSize);
        let empty = WireHeader { kind: WireKind::Events, count: 0, seq: 1 };
        assert_eq!(empty.check_payload(0).expect_err("refused").0, WireReject::BadSize);
        let huge = WireHeader { kind: WireKind::Events, count: WIRE_MAX_BATCH + 1, seq: 1 };
        assert_eq!(
            huge.check_payload((WIRE_MAX_BATCH as usize + 1) * 48).expect_err("refused").0,
            WireReject::BadSize
        );
        assert!(WireHeader { kind: WireKind::Finish, count: 0, seq: 0 }.check_payload(0).is_ok());
    }

    #[test]
    fn events_decode_from_unaligned_bytes_and_bad_kinds_are_named() {
        let ev = EventRecord {
            ts: 5,
            id: 9,
            price: -3,
            qty: 7,
            instrument: 2,
            account: 1,
            kind: 3,
            side: 1,
            order_type: 1,
            venue: 255,
            ..Default::default()
        };
        let mut buf = vec![0u8; 1];
        buf.extend_from_slice(records_as_bytes(&[ev, ev]));
        let mut out = Vec::new();
        decode_events(&buf[1..], &mut out).expect("valid events");
        assert_eq!(out, vec![ev, ev]);
        let bad = EventRecord { kind: 40, ..ev };
        let (code, msg) = decode_events(records_as_bytes(&[ev, bad]), &mut out).expect_err("refused");
        assert_eq!(code, WireReject::BadRecord);
        assert!(msg.starts_with("record 1:"), "{msg}");
        assert!(out.is_empty());
    }

    #[test]
    fn error_frame_carries_code_and_message() {
        let f = error_frame(7, WireReject::BadSize, "too big");
        let h = WireHeader::parse(&f).expect("header");
        assert_eq!((h.kind, h.seq, h.count as usize), (WireKind::Error, 7, f.len() - WIRE_HEADER_SIZE));
        assert_eq!(f[WIRE_HEADER_SIZE], WireReject::BadSize as u8);
        assert_eq!(&f[WIRE_HEADER_SIZE + 1..], b"too big");
    }
}
