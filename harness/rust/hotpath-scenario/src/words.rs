//! Event records to and from their little-endian bytes, without `unsafe`.
//!
//! Bindings hand records to Python as an array of `u64` words (six per 48-byte record, in
//! the file layout, 8-byte aligned so numpy can view them as the event dtype) and take
//! records back from any byte buffer, aligned or not.

use hotpath_core::format::{EventRecord, EVENT_RECORD_SIZE};

use crate::error::ScenarioError;

/// Words per record.
pub const WORDS_PER_EVENT: usize = EVENT_RECORD_SIZE / 8;

/// The records as little-endian `u64` words in the file layout.
pub fn to_words(events: &[EventRecord]) -> Vec<u64> {
    let mut words = Vec::with_capacity(events.len() * WORDS_PER_EVENT);
    for e in events {
        let tail = u64::from(e.instrument)
            | u64::from(e.account) << 16
            | u64::from(e.kind) << 32
            | u64::from(e.side) << 40
            | u64::from(e.order_type) << 48
            | u64::from(e.venue) << 56;
        words.extend_from_slice(&[e.ts, e.id, e.orig_id, e.price as u64, e.qty as u64, tail]);
    }
    words
}

/// Decodes records from their little-endian bytes (any alignment).
///
/// # Errors
/// [`ScenarioError::MarketStream`] when the length is not a whole number of records.
pub fn from_le_bytes(bytes: &[u8]) -> Result<Vec<EventRecord>, ScenarioError> {
    if bytes.len() % EVENT_RECORD_SIZE != 0 {
        return Err(ScenarioError::MarketStream {
            index: (bytes.len() / EVENT_RECORD_SIZE) as u64,
            message: format!(
                "{} bytes is not a whole number of {EVENT_RECORD_SIZE}-byte records",
                bytes.len()
            ),
        });
    }
    let word = |c: &[u8], at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&c[at..at + 8]);
        u64::from_le_bytes(b)
    };
    Ok(bytes
        .chunks_exact(EVENT_RECORD_SIZE)
        .map(|c| EventRecord {
            ts: word(c, 0),
            id: word(c, 8),
            orig_id: word(c, 16),
            price: word(c, 24) as i64,
            qty: word(c, 32) as i64,
            instrument: u16::from_le_bytes([c[40], c[41]]),
            account: u16::from_le_bytes([c[42], c[43]]),
            kind: c[44],
            side: c[45],
            order_type: c[46],
            venue: c[47],
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hotpath_core::format::records_as_bytes;

    #[test]
    fn words_are_the_file_bytes_and_decode_back() {
        let events = vec![
            EventRecord {
                ts: 1,
                id: 2,
                orig_id: 3,
                price: -4,
                qty: 5,
                instrument: 0x0102,
                account: 0xfffe,
                kind: 3,
                side: 2,
                order_type: 1,
                venue: 255,
            },
            EventRecord { ts: u64::MAX, price: i64::MIN, qty: i64::MAX, kind: 1, ..Default::default() },
        ];
        let words = to_words(&events);
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(bytes, records_as_bytes(&events));
        assert_eq!(from_le_bytes(&bytes).expect("whole records"), events);
        // Unaligned input decodes too.
        let mut shifted = vec![0u8];
        shifted.extend_from_slice(&bytes);
        assert_eq!(from_le_bytes(&shifted[1..]).expect("whole records"), events);
        let e = from_le_bytes(&bytes[..47]).expect_err("a partial record");
        assert!(e.to_string().contains("47 bytes"), "{e}");
    }
}
